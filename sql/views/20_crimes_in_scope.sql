-- The crimes every KPI counts: the current version of each crime, unless it is cancelled,
-- with the derived fields the KPIs share. This is the rule; the table crimes_in_scope_rows
-- holds its rows, kept crime by crime by every load and rollback (flightdeck.store.currency),
-- so that the measures, the profile and the pages scan stored columns instead of deriving
-- them again on every read. crimes_in_scope (the next file) adds the force's as-of date.
CREATE OR REPLACE VIEW scoped_crimes AS
SELECT
    c.* EXCLUDE (load_as_of),
    month_of(c.recorded_date) AS recorded_month,
    -- rape or other_sexual, from the offence code's group in the reference list
    offence_group_of(c.offence_code) AS offence_group,
    age_band(c.victim_age) AS age_band,
    gender_label(c.victim_gender) AS gender,
    c.suspect_id IS NOT NULL AS named_suspect,
    -- Charged or summonsed: Home Office outcome 1 or 1A.
    is_charged(c.outcome_type) AS charged,
    -- The day the charge happened: charge_date, else the outcome date of a charged crime.
    CASE WHEN is_charged(c.outcome_type) THEN coalesce(c.charge_date, c.outcome_date) END
        AS charge_event_date,
    -- The day the crime was given its outcome; blank while the investigation is open.
    CASE WHEN c.outcome_type IS NOT NULL THEN c.outcome_date END AS finalised_date
FROM current_crimes AS c
WHERE NOT c.cancelled;
