-- K08 Suspect arrested or interviewed within 30 days (cohort): of the crimes recorded in the
-- month with a named suspect, the share whose first arrest or voluntary interview came no
-- later than recorded_date + $cohort_days. A blank first_contact_date counts as "not within".
SELECT
    force,
    recorded_month AS month,
    offence_group,
    age_band,
    gender,
    coalesce(first_contact_date <= recorded_date + $cohort_days::INTEGER, FALSE)::INTEGER
        AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE named_suspect
