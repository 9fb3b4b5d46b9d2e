-- The crimes of one force's named suspects to month end E: the force's in-scope (current, not
-- cancelled) crimes with a suspect_id recorded on or before E, each with its harm weight, and
-- whether it is in the window ([E - 364, E]) and open at E (as in K06: no outcome, or an
-- outcome dated after E). The suspect lists and a suspect's history read these rows.
-- `force_records_victims`: whether any in-scope crime of the force has a victim_id (a force
-- whose extract leaves the column out or blank does not record it); the same on every row.
--
-- Parameters: $force, $month_end, $suspect_id (NULL: every suspect), $harm_codes and
-- $harm_days (data/reference/harm_weights.csv, as two lists of the same order).
WITH harm_weights AS (
    SELECT
        unnest($harm_codes::VARCHAR[]) AS offence_code,
        unnest($harm_days::INTEGER[]) AS harm
),
force_crimes AS (
    SELECT
        crime_id,
        suspect_id,
        named_suspect,
        recorded_date,
        offence_code,
        offence_group,
        outcome_type,
        outcome_date,
        finalised_date,
        first_contact_date,
        release_type,
        s63g_application,
        civil_order_type,
        civil_order_date,
        ssrp_referral_date,
        bail_breach_date,
        order_breach_date,
        victim_id,
        bool_or(nullif(trim(victim_id), '') IS NOT NULL) OVER () AS force_records_victims
    FROM crimes_in_scope
    WHERE force = $force
)
SELECT
    c.* EXCLUDE (named_suspect),
    w.harm,
    c.recorded_date >= $month_end::DATE - 364 AS in_window,
    c.finalised_date IS NULL OR c.finalised_date > $month_end::DATE AS open_at_month_end
FROM force_crimes AS c
LEFT JOIN harm_weights AS w USING (offence_code)
WHERE c.named_suspect
    AND c.recorded_date <= $month_end::DATE
    AND ($suspect_id::VARCHAR IS NULL OR c.suspect_id = $suspect_id::VARCHAR)
