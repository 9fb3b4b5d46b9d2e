-- Repeat suspects in the period, by the catalogue's two rules.
-- K13: crimes recorded in the period with a named suspect, and those whose suspect has another
-- in-scope crime (either offence group) recorded in the k13_window_days days up to and
-- including this crime's recorded_date (same-day crimes count, as in kpis/k13_*.sql).
-- S01 at the month end E of last: distinct suspects with at least 2 in-scope crimes recorded
-- in [E - (s01_window_days - 1), E].
-- Parameters: force, first, last, k13_window_days, s01_window_days.
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
),
recent AS (
    SELECT suspect_id
    FROM named
    WHERE recorded_date BETWEEN month_end($last::DATE) - ($s01_window_days::INTEGER - 1)
        AND month_end($last::DATE)
    GROUP BY suspect_id
    HAVING count(*) >= 2
)
SELECT
    (SELECT count(*) FROM in_period) AS k13_crimes,
    (SELECT count(*) FROM in_period WHERE crimes_in_window > 1) AS k13_repeat,
    (SELECT count(*) FROM recent) AS repeat_suspects,
    EXISTS (
        SELECT 1 FROM current_crimes
        WHERE force = $force AND nullif(trim(suspect_id), '') IS NOT NULL
    ) AS named
