-- Every force's KPI results that can be compared: results computed here from the force's own
-- case data (source 'own'), plus imported peer results for forces with no own case data here
-- (source 'peer'). Own results always win: a peer import never stands in for them.
CREATE OR REPLACE VIEW comparable_results AS
SELECT kpi_id, force, month, offence_group, age_band, gender,
       numerator, denominator, value, complete,
       FALSE AS suppressed, 'own' AS source
FROM kpi_results
UNION ALL
SELECT kpi_id, force, month, offence_group, age_band, gender,
       numerator, denominator, value, complete,
       suppressed, 'peer' AS source
FROM peer_results
WHERE force NOT IN (SELECT force FROM own_forces);
