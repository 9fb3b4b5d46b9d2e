-- K19 DNA retention (s63G) applications: of the crimes given an outcome in the month whose
-- suspect was arrested (first contact by arrest) and not charged (outcome 9, 10, 12, 13, 15,
-- 16, 17, 20 or 21), the share with an s63G retention application.
SELECT
    force,
    month_of(finalised_date) AS month,
    offence_group,
    age_band,
    gender,
    coalesce(s63g_application, FALSE)::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE finalised_date IS NOT NULL
    AND first_contact_type = 'arrest'
    AND outcome_type IN ('9', '10', '12', '13', '15', '16', '17', '20', '21')
