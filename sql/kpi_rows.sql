-- Turns one KPI's facts into rows of the KPI results table. Shared by all 21 KPIs, so the
-- output conventions are written once:
--   * breakdowns: the total (All/All), by age band, by gender, and age band x gender, each
--     for all RASSO crimes (offence group All) and for each offence group; for a force-level
--     KPI the total only (its facts say `All` for offence group, age band and gender, and
--     {grouping_sets} is filled in accordingly; {median_days} is the median for median KPIs);
--   * rate: numerator and denominator summed, value = numerator / denominator;
--     count: numerator = value = the count, denominator empty;
--     median: value = median of `days`, denominator = how many, numerator empty;
--   * a row only where the denominator (for counts and medians: the count) is at least 1;
--   * complete = month end + $complete_after_days <= the force's as-of date (always true
--     when the KPI has no such window); an incomplete row has an empty value;
--   * a force for which the KPI is not feasible gets no rows.
-- The facts (one KPI's SQL file) give: force, month, offence_group, age_band, gender,
-- numerator, denominator, days.
WITH facts AS (
{facts}
),
-- Summed once at the finest grain (a few rows per force and month), so the grouping sets
-- below add up small rows rather than every crime: sums of sums are the sums. A median cannot
-- be built from medians, so a median KPI groups its facts themselves ({grouped_from}), and
-- adds up no numerator or denominator, which it has not ({numerator}, {denominator}).
fine AS (
    SELECT
        force, month, offence_group, age_band, gender,
        sum(numerator) AS numerator,
        sum(denominator) AS denominator,
        count(days) AS n
    FROM facts
    GROUP BY force, month, offence_group, age_band, gender
),
grouped AS (
    SELECT
        force,
        month,
        CASE WHEN grouping(offence_group) = 1 THEN all_label() ELSE offence_group END
            AS offence_group,
        CASE WHEN grouping(age_band) = 1 THEN all_label() ELSE age_band END AS age_band,
        CASE WHEN grouping(gender) = 1 THEN all_label() ELSE gender END AS gender,
        {numerator}::DOUBLE AS numerator,
        {denominator}::DOUBLE AS denominator,
        {n}::DOUBLE AS n,
        {median_days}::DOUBLE AS median_days
    FROM {grouped_from}
    GROUP BY GROUPING SETS ({grouping_sets})
),
judged AS (
    SELECT
        g.*,
        CASE $kind WHEN 'rate' THEN g.denominator WHEN 'count' THEN g.numerator ELSE g.n END
            AS size,
        $complete_after_days::INTEGER IS NULL
            OR month_end(g.month) + $complete_after_days::INTEGER <= a.as_of AS complete
    FROM grouped AS g
    LEFT JOIN force_as_of AS a USING (force)
)
SELECT
    $kpi_id AS kpi_id,
    force,
    month,
    offence_group,
    age_band,
    gender,
    CASE WHEN $kind IN ('rate', 'count') THEN numerator END AS numerator,
    CASE $kind WHEN 'rate' THEN denominator WHEN 'median' THEN n END AS denominator,
    CASE
        WHEN NOT complete THEN NULL
        WHEN $kind = 'rate' THEN numerator / denominator
        WHEN $kind = 'count' THEN numerator
        ELSE median_days
    END AS value,
    complete
FROM judged
WHERE size >= 1
    -- Every row is one force's, so a force where the KPI is not feasible is left out here,
    -- from the few result rows rather than from every fact.
    AND force NOT IN (
        SELECT force FROM kpi_feasibility WHERE kpi_id = $kpi_id AND flag = 'not_feasible'
    )
