-- S03 Civil orders granted (count, force level): distinct suspects with an application granted
-- in the month (outcome date in the month). The applications, and how an application whose
-- crimes disagree is resolved (its row of the most recent load), are the view
-- civil_order_applications, shared with S04.
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
    SELECT DISTINCT force, month_of(civil_order_outcome_date) AS month, suspect_id
    FROM civil_order_applications
    WHERE civil_order_outcome = 'granted'
        AND civil_order_outcome_date IS NOT NULL
)
