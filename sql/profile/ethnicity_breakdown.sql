-- Crimes recorded in the period by victim ethnicity: every value of the list, in its order,
-- zero where there is none; crimes with no ethnicity recorded have no row.
-- Parameters: force, ethnicities (values in order), first, last.
WITH values AS (
    SELECT unnest($ethnicities) AS ethnicity, generate_subscripts($ethnicities, 1) AS position
),
crimes AS (
    SELECT lower(trim(victim_ethnicity)) AS ethnicity
    FROM crimes_in_scope
    WHERE force = $force AND recorded_month BETWEEN $first AND $last
)
SELECT v.ethnicity, count(c.ethnicity) AS crimes
FROM values AS v
LEFT JOIN crimes AS c USING (ethnicity)
GROUP BY v.ethnicity, v.position
ORDER BY v.position
