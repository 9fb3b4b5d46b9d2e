-- Crimes recorded in the profile's period and in the 12 months before, for all RASSO crimes
-- and each offence group (every crime is in exactly one group, so All is their sum).
-- Parameters: force, groups (labels in order, All first), first, last, previous_first,
-- previous_last (month starts; the previous period ends the month before first).
WITH groups AS (
    SELECT unnest($groups) AS offence_group, generate_subscripts($groups, 1) AS position
),
crimes AS (
    SELECT offence_group, recorded_month
    FROM crimes_in_scope
    WHERE force = $force AND recorded_month BETWEEN $previous_first AND $last
)
SELECT
    g.offence_group,
    count(c.recorded_month) FILTER (WHERE c.recorded_month >= $first) AS current,
    count(c.recorded_month) FILTER (WHERE c.recorded_month <= $previous_last) AS previous
FROM groups AS g
LEFT JOIN crimes AS c ON g.offence_group = all_label() OR c.offence_group = g.offence_group
GROUP BY g.offence_group, g.position
ORDER BY g.position
