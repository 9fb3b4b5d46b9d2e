-- K15 Pre-charge bail rather than RUI: of the crimes whose first suspect contact is in the
-- month and whose suspect was then bailed or released under investigation, the share bailed.
SELECT
    force,
    month_of(first_contact_date) AS month,
    offence_group,
    age_band,
    gender,
    (release_type = 'bail')::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE first_contact_date IS NOT NULL
    AND release_type IN ('bail', 'rui')
