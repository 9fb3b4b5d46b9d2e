-- The current version of each crime: its row in the active case load with the latest
-- as-of date; the later load wins a tie. Cancelled crimes are still here (see crimes_in_scope).
CREATE OR REPLACE VIEW current_crimes AS
SELECT v.*, l.as_of AS load_as_of
FROM crime_versions AS v
JOIN loads AS l USING (load_id)
WHERE l.active AND l.kind = 'cases'
QUALIFY row_number() OVER (
    PARTITION BY v.force, v.crime_id ORDER BY l.as_of DESC, l.load_id DESC
) = 1;
