-- Completeness of victim ethnicity: crimes recorded in each month of the period and those with
-- a victim_ethnicity (blank is "not recorded"; not_stated is recorded), and a last row with
-- month NULL for the whole period.
-- Parameters: force, first, last.
WITH months AS (
    SELECT unnest(generate_series($first::DATE, $last::DATE, INTERVAL 1 MONTH))::DATE AS month
),
crimes AS (
    SELECT recorded_month, nullif(trim(victim_ethnicity), '') AS ethnicity
    FROM crimes_in_scope
    WHERE force = $force AND recorded_month BETWEEN $first AND $last
)
SELECT
    m.month,
    count(c.recorded_month) AS crimes,
    count(c.ethnicity) AS recorded,
    count(c.ethnicity) / nullif(count(c.recorded_month), 0) AS share
FROM months AS m
LEFT JOIN crimes AS c ON c.recorded_month = m.month
GROUP BY ROLLUP (m.month)
ORDER BY m.month NULLS LAST
