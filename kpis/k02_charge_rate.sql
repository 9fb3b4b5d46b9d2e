-- K02 Charge/summons rate: of the crimes given any outcome in the month, the share charged
-- (outcome 1 or 1A). One row per crime given an outcome; the month is that of the outcome.
SELECT
    force,
    month_of(finalised_date) AS month,
    offence_group,
    age_band,
    gender,
    charged::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE finalised_date IS NOT NULL
