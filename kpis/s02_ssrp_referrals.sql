-- S02 SSRP referrals (count, force level): distinct suspects with a ssrp_referral_date in the month.
SELECT
    force,
    month,
    all_label() AS offence_group,
    all_label() AS age_band,
    all_label() AS gender,
    1 AS numerator,
    NULL::DOUBLE AS denominator,
    NULL::DOUBLE AS days
FROM (
    SELECT DISTINCT force, month_of(ssrp_referral_date) AS month, suspect_id
    FROM crimes_in_scope
    WHERE ssrp_referral_date IS NOT NULL
        AND suspect_id IS NOT NULL
)
