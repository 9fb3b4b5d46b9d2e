-- Civil order applications: one row per application, a distinct (force, suspect_id,
-- civil_order_type, civil_order_date) among the in-scope crimes, with its outcome
-- (granted, refused, withdrawn; blank while pending) and outcome date. Read by the
-- supplementary measures S03 and S04 and by the suspect lists, so all of them see the same
-- applications.
--
-- An application can sit on several crimes. A file may not disagree about it (validation
-- refuses that), but the store can: a crime updated in a later load may carry an outcome that
-- another crime of the same application, not in that load, does not. The application's outcome
-- and outcome date are then those of its row from the most recent load (highest load_id);
-- rows of one load agree, and the lowest crime_id picks one of them so the choice is always
-- the same.
CREATE OR REPLACE VIEW civil_order_applications AS
SELECT
    force,
    suspect_id,
    civil_order_type,
    civil_order_date,
    civil_order_outcome,
    civil_order_outcome_date
FROM crimes_in_scope
WHERE suspect_id IS NOT NULL
    AND civil_order_type IS NOT NULL
    AND civil_order_date IS NOT NULL
QUALIFY row_number() OVER (
    PARTITION BY force, suspect_id, civil_order_type, civil_order_date
    ORDER BY load_id DESC, crime_id
) = 1;
