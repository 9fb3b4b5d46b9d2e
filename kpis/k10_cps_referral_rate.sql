-- K10 CPS referral rate: of the crimes with a named suspect given an outcome in the month, the
-- share referred to the CPS (cps_referral_date set) on or before the outcome date.
SELECT
    force,
    month_of(finalised_date) AS month,
    offence_group,
    age_band,
    gender,
    coalesce(cps_referral_date <= finalised_date, FALSE)::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE named_suspect
    AND finalised_date IS NOT NULL
