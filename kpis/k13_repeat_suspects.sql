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
-- not a count over a moving frame, and only of the crimes of suspects named more than once
-- (the shared view repeat_suspect_crimes, also read by S01); a crime whose suspect is named
-- in no other crime of the force is never a repeat.
-- Every crime with a named suspect is counted once in the denominator (the first part); the
-- crimes of suspects named again add their numerator alone (the second part, denominator 0):
-- sums of the two are the share, with no join to find the crimes of suspects named once.
SELECT
    force,
    recorded_month AS month,
    offence_group,
    age_band,
    gender,
    0 AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE named_suspect
UNION ALL
SELECT
    force,
    recorded_month AS month,
    offence_group,
    age_band,
    gender,
    (coalesce(recorded_date - previous_recorded < $repeat_window_days::INTEGER, FALSE)
        OR coalesce(next_recorded = recorded_date, FALSE))::INTEGER AS numerator,
    0 AS denominator,
    NULL::DOUBLE AS days
FROM repeat_suspect_crimes
