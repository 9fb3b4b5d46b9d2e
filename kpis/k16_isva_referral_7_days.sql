-- K16 ISVA referral within 7 days (cohort): of the crimes recorded in the month, the share
-- referred to an ISVA no later than recorded_date + $cohort_days. Blank counts as "not within".
SELECT
    force,
    recorded_month AS month,
    offence_group,
    age_band,
    gender,
    coalesce(isva_referral_date <= recorded_date + $cohort_days::INTEGER, FALSE)::INTEGER
        AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
