-- K13 Repeat suspect share: of the crimes recorded in the month with a named suspect, the share
-- where the same force has another in-scope crime with the same suspect_id recorded in the
-- $repeat_window_days days up to and including this crime's recorded_date, that is with
-- recorded_date between this one's - ($repeat_window_days - 1) and this one's, inclusive.
-- The window takes the suspect's crimes of every offence group: by offence group, the crime
-- counted is of the group, the other crime of either. The window length is set in one place:
-- kpis/k13_repeat_suspects.yaml.
-- Counted from each crime's neighbours by date among its suspect's crimes: another crime lies
-- in the window exactly when the crime before it is fewer than $repeat_window_days days
-- earlier (or the same day), or the crime after it is on the same day. That needs one sort,
-- not a count over a moving frame.
WITH windowed AS (
    SELECT
        force,
        recorded_month,
        offence_group,
        age_band,
        gender,
        recorded_date,
        lag(recorded_date) OVER by_date AS previous_recorded,
        lead(recorded_date) OVER by_date AS next_recorded
    FROM crimes_in_scope
    WHERE named_suspect
    WINDOW by_date AS (PARTITION BY force, suspect_id ORDER BY recorded_date)
)
SELECT
    force,
    recorded_month AS month,
    offence_group,
    age_band,
    gender,
    (coalesce(recorded_date - previous_recorded < $repeat_window_days::INTEGER, FALSE)
        OR coalesce(next_recorded = recorded_date, FALSE))::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM windowed
