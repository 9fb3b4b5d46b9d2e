-- K05 Days from report to charge (median): charged crimes placed in the month of their charge
-- event date; days = charge event date - recorded_date. A negative difference is a data
-- error and is left out of the median.
SELECT
    force,
    month_of(charge_event_date) AS month,
    offence_group,
    age_band,
    gender,
    NULL::DOUBLE AS numerator,
    NULL::DOUBLE AS denominator,
    charge_event_date - recorded_date AS days
FROM crimes_in_scope
WHERE charge_event_date IS NOT NULL
    AND charge_event_date >= recorded_date
