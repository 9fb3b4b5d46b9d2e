-- K13 Repeat suspect share: of the crimes recorded in the month with a named suspect, the share
-- where the same force has another in-scope crime with the same suspect_id recorded in the
-- $repeat_window_days days up to and including this crime's recorded_date, that is with
-- recorded_date between this one's - ($repeat_window_days - 1) and this one's, inclusive.
-- The window takes the suspect's crimes of every offence group: by offence group, the crime
-- counted is of the group, the other crime of either. The window length is set in one place:
-- kpis/k13_repeat_suspects.yaml.
WITH windowed AS (
    SELECT
        *,
        -- this crime plus every same-suspect crime of the force in the window (same-day
        -- crimes included: RANGE treats them as peers of the current row)
        count(*) OVER (
            PARTITION BY force, suspect_id
            ORDER BY recorded_date
            RANGE BETWEEN to_days($repeat_window_days::INTEGER - 1) PRECEDING AND CURRENT ROW
        ) AS crimes_in_window
    FROM crimes_in_scope
    WHERE named_suspect
)
SELECT
    force,
    recorded_month AS month,
    offence_group,
    age_band,
    gender,
    (crimes_in_window > 1)::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM windowed
