-- K03 Victim withdrawal rate: of the crimes given any outcome in the month, the share with
-- outcome 14 or 16 (the victim does not support further action).
SELECT
    force,
    month_of(finalised_date) AS month,
    offence_group,
    age_band,
    gender,
    (outcome_type IN ('14', '16'))::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE finalised_date IS NOT NULL
