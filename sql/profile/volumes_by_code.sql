-- Crimes recorded in the profile's period and the 12 months before, by offence code: every
-- code with a crime in either period, ordered by offence group (as in groups), then code.
-- Parameters: force, groups, first, last, previous_first, previous_last.
SELECT
    offence_group,
    offence_code,
    count(*) FILTER (WHERE recorded_month >= $first) AS current,
    count(*) FILTER (WHERE recorded_month <= $previous_last) AS previous
FROM crimes_in_scope
WHERE force = $force AND recorded_month BETWEEN $previous_first AND $last
GROUP BY offence_group, offence_code
ORDER BY list_position($groups, offence_group), offence_code
