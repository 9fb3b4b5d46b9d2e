-- The crimes every KPI counts: the current version of each crime, unless it is cancelled,
-- with the force's as-of date and the derived fields the KPIs share.
CREATE OR REPLACE VIEW crimes_in_scope AS
SELECT
    c.* EXCLUDE (load_as_of),
    a.as_of,
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
JOIN force_as_of AS a USING (force)
WHERE NOT c.cancelled;
