-- S04 Civil order grant rate (force level): of the decided applications (outcome granted or
-- refused) whose outcome date is in the month, the share granted; withdrawn and pending ones
-- are not decided. One fact per application: the view civil_order_applications (shared with
-- S03) holds each once, with its outcome resolved to its row of the most recent load.
SELECT
    force,
    month_of(civil_order_outcome_date) AS month,
    all_label() AS offence_group,
    all_label() AS age_band,
    all_label() AS gender,
    (civil_order_outcome = 'granted')::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM civil_order_applications
WHERE civil_order_outcome IN ('granted', 'refused')
    AND civil_order_outcome_date IS NOT NULL
