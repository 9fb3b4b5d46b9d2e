-- K01 Recorded RASSO crimes (count): each in-scope crime counts once, in the month it was
-- recorded.
SELECT
    force,
    recorded_month AS month,
    offence_group,
    age_band,
    gender,
    1 AS numerator,
    NULL::DOUBLE AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
