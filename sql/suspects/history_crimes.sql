-- One suspect's crimes to month end E (suspect_crimes.sql with $suspect_id set), newest first:
-- what a tasking meeting reads beside the suspect's line of a list. Pseudonymised references
-- only (crime_id, victim_id), never any other detail of a person.
SELECT
    crime_id,
    recorded_date,
    offence_code,
    offence_group,
    in_window,
    open_at_month_end,
    outcome_type,
    outcome_date,
    first_contact_date,
    release_type,
    s63g_application,
    victim_id,
    harm
FROM suspect_crimes
ORDER BY recorded_date DESC, crime_id
