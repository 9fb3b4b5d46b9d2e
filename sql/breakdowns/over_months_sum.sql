-- A flow's breakdowns over several months (the KPI page): the complete months' numerators
-- and denominators added up per cell, within one offence group, and the rate worked out from
-- the sums; `months` is how many complete months there were.
SELECT age_band, gender, sum(numerator) AS numerator, sum(denominator) AS denominator,
       CASE WHEN $kind = 'rate' THEN sum(numerator) / sum(denominator) ELSE sum(numerator) END
           AS value,
       TRUE AS complete,
       (SELECT count(DISTINCT month) FROM kpi_results
        WHERE force = $force AND kpi_id = $kpi_id AND offence_group = $offence_group
          AND complete AND month BETWEEN $first AND $last) AS months
FROM kpi_results
WHERE force = $force AND kpi_id = $kpi_id AND offence_group = $offence_group AND complete
    AND month BETWEEN $first AND $last
GROUP BY age_band, gender
