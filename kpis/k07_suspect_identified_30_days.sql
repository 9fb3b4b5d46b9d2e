-- K07 Suspect identified within 30 days (cohort): of the crimes recorded in the month, the
-- share whose suspect was identified no later than recorded_date + $cohort_days. A blank
-- suspect_identified_date counts as "not within".
SELECT
    force,
    recorded_month AS month,
    offence_group,
    age_band,
    gender,
    coalesce(suspect_identified_date <= recorded_date + $cohort_days::INTEGER, FALSE)::INTEGER
        AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
