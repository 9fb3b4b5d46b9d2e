-- K14 Civil order applications (count, force level): distinct suspects with an SHPO or SRO
-- application dated in the month.
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
    SELECT DISTINCT force, month_of(civil_order_date) AS month, suspect_id
    FROM crimes_in_scope
    WHERE civil_order_type IS NOT NULL
        AND civil_order_date IS NOT NULL
        AND suspect_id IS NOT NULL
)
