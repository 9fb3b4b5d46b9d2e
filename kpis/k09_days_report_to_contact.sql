-- K09 Days from report to first suspect contact (median): crimes placed in the month of their
-- first_contact_date; days = first_contact_date - recorded_date. A negative difference is a
-- data error and is left out of the median.
SELECT
    force,
    month_of(first_contact_date) AS month,
    offence_group,
    age_band,
    gender,
    NULL::DOUBLE AS numerator,
    NULL::DOUBLE AS denominator,
    first_contact_date - recorded_date AS days
FROM crimes_in_scope
WHERE first_contact_date IS NOT NULL
    AND first_contact_date >= recorded_date
