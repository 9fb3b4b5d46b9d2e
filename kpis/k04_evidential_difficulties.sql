-- K04 Evidential difficulties, victim supports: of the crimes given any outcome in the month,
-- the share with outcome 15.
SELECT
    force,
    month_of(finalised_date) AS month,
    offence_group,
    age_band,
    gender,
    (outcome_type = '15')::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE finalised_date IS NOT NULL
