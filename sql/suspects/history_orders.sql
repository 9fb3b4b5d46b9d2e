-- One suspect's civil order applications and their outcomes, SSRP referrals and breaches of
-- bail and of orders, dated on or before month end E, from the suspect's crimes to E
-- (suspect_crimes.sql with $suspect_id set), newest first. An application's outcome is the
-- one of the shared view civil_order_applications; a date recorded on several crimes is one
-- event.
WITH applications AS (
    SELECT DISTINCT a.civil_order_type, a.civil_order_date, a.civil_order_outcome,
        a.civil_order_outcome_date
    FROM civil_order_applications AS a
    JOIN suspect_crimes AS c USING (suspect_id, civil_order_type, civil_order_date)
    WHERE a.force = $force
),
events AS (
    SELECT civil_order_date AS date, 'civil order application' AS event, civil_order_type
    FROM applications
    UNION
    SELECT civil_order_outcome_date, 'civil order ' || civil_order_outcome, civil_order_type
    FROM applications
    WHERE civil_order_outcome IS NOT NULL
    UNION
    SELECT ssrp_referral_date, 'SSRP referral', NULL FROM suspect_crimes
    UNION
    SELECT bail_breach_date, 'bail breach', NULL FROM suspect_crimes
    UNION
    SELECT order_breach_date, 'order breach', civil_order_type FROM suspect_crimes
)
SELECT date, event, civil_order_type
FROM events
WHERE date <= $month_end::DATE
ORDER BY date DESC, event, civil_order_type
