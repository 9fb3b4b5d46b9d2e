-- K12 Early investigative advice sought: of the crimes referred to the CPS in the month, the
-- share for which early advice was requested on or before the referral date.
SELECT
    force,
    month_of(cps_referral_date) AS month,
    offence_group,
    age_band,
    gender,
    coalesce(cps_early_advice_date <= cps_referral_date, FALSE)::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE cps_referral_date IS NOT NULL
