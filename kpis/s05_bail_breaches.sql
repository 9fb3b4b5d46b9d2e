-- S05 Bail condition breaches (count, force level): distinct suspects with a bail_breach_date in the month.
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
    SELECT DISTINCT force, month_of(bail_breach_date) AS month, suspect_id
    FROM crimes_in_scope
    WHERE bail_breach_date IS NOT NULL
        AND suspect_id IS NOT NULL
)
