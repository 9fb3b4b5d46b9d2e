-- K18 Victim devices returned within 24 hours: of the crimes whose victim's device was seized
-- in the month, the share returned at most 1 day after seizure. A device not yet returned
-- counts as "not within". The month is complete one day after its end.
SELECT
    force,
    month_of(device_seized_date) AS month,
    offence_group,
    age_band,
    gender,
    coalesce(device_returned_date - device_seized_date <= 1, FALSE)::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE device_seized_date IS NOT NULL
