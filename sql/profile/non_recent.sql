-- Non-recent offences among the crimes recorded in the period: offence_date more than
-- non_recent_days (365) days before recorded_date. offence_date_known counts the crimes with
-- an offence date, the only ones that can be told apart.
-- Parameters: force, groups (All first), first, last, non_recent_days.
WITH groups AS (
    SELECT unnest($groups) AS offence_group, generate_subscripts($groups, 1) AS position
),
crimes AS (
    SELECT offence_group, recorded_date, offence_date
    FROM crimes_in_scope
    WHERE force = $force AND recorded_month BETWEEN $first AND $last
)
SELECT
    g.offence_group,
    count(c.recorded_date) AS crimes,
    count(c.offence_date) AS offence_date_known,
    count(c.offence_date) FILTER (WHERE c.recorded_date - c.offence_date > $non_recent_days)
        AS non_recent
FROM groups AS g
LEFT JOIN crimes AS c ON g.offence_group = all_label() OR c.offence_group = g.offence_group
GROUP BY g.offence_group, g.position
ORDER BY g.position
