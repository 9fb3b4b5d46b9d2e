-- Repeat suspects in the period, by the catalogue's two rules.
-- K13: crimes recorded in the period with a named suspect, and those whose suspect has another
-- in-scope crime (either offence group) recorded in the k13_window_days days up to and
-- including this crime's recorded_date (same-day crimes count, as in kpis/k13_*.sql).
-- S01 at the month end of last: the engine's own figure, read from the results table (kpi_id
-- S01, the force, the month last, the force total), so the profile and the flight deck never
-- disagree; the rule is kpis/s01_repeat_suspects.sql. No row means no repeat suspect (or a
-- force that names no suspect).
-- Parameters: force, first, last, k13_window_days.
WITH named AS (
    SELECT
        suspect_id,
        recorded_date,
        recorded_month,
        count(*) OVER (
            PARTITION BY suspect_id
            ORDER BY recorded_date
            RANGE BETWEEN to_days($k13_window_days::INTEGER - 1) PRECEDING AND CURRENT ROW
        ) AS crimes_in_window
    FROM crimes_in_scope
    WHERE force = $force AND named_suspect
),
in_period AS (
    SELECT * FROM named WHERE recorded_month BETWEEN $first AND $last
)
SELECT
    (SELECT count(*) FROM in_period) AS k13_crimes,
    (SELECT count(*) FROM in_period WHERE crimes_in_window > 1) AS k13_repeat,
    coalesce((
        SELECT numerator FROM kpi_results
        WHERE kpi_id = 'S01' AND force = $force AND month = $last
            AND offence_group = all_label() AND age_band = all_label() AND gender = all_label()
    ), 0)::INTEGER AS repeat_suspects,
    EXISTS (
        SELECT 1 FROM current_crimes
        WHERE force = $force AND nullif(trim(suspect_id), '') IS NOT NULL
    ) AS named
