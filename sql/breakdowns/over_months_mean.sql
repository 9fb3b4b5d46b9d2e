-- A snapshot's breakdowns over several months (the KPI page): the mean over the force's month
-- ends in the window (those of `month_spine`: from its first recorded crime to the last month
-- ended by its as-of date), within one offence group. A month end without a row for a cell
-- had nothing open there, so it counts as 0 in that cell's mean. Never a sum.
WITH ends AS (
    SELECT month FROM month_spine
    WHERE force = $force AND month BETWEEN $first AND $last
),
n AS (SELECT count(*)::DOUBLE AS n FROM ends),
cells AS (
    SELECT age_band, gender, coalesce(sum(numerator), 0) AS numerator,
           sum(denominator) AS denominator
    FROM kpi_results
    WHERE force = $force AND kpi_id = $kpi_id AND offence_group = $offence_group AND complete
        AND month IN (SELECT month FROM ends)
    GROUP BY age_band, gender
)
SELECT age_band, gender, numerator / n AS numerator, denominator / n AS denominator,
       CASE WHEN $kind = 'rate' THEN numerator / denominator ELSE numerator / n END AS value,
       TRUE AS complete, n::INTEGER AS months
FROM cells, n
