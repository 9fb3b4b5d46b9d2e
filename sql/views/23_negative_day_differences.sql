-- Crimes left out of a median KPI because the later date is before the report (a data
-- error): K05 (charge event before recorded_date) and K09 (first suspect contact before
-- recorded_date). Shown as data-quality warnings so the force can correct its records.
CREATE OR REPLACE VIEW negative_day_differences AS
SELECT
    force, 'K05' AS kpi_id, crime_id, recorded_date,
    'charge event date' AS later_date, charge_event_date AS later_date_value,
    charge_event_date - recorded_date AS days
FROM crimes_in_scope
WHERE charge_event_date < recorded_date
UNION ALL
SELECT
    force, 'K09', crime_id, recorded_date,
    'first_contact_date', first_contact_date,
    first_contact_date - recorded_date
FROM crimes_in_scope
WHERE first_contact_date < recorded_date;
