-- The current version of each crime: its row in the active case load with the latest
-- as-of date; the later load wins a tie. Cancelled crimes are still here (see crimes_in_scope).
-- Which row that is, is kept in crime_versions.is_current by every load and rollback
-- (flightdeck.store.currency), so reading the current crimes is a filtered scan, not a
-- ranking of every version of every crime.
CREATE OR REPLACE VIEW current_crimes AS
SELECT v.* EXCLUDE (is_current), l.as_of AS load_as_of
FROM crime_versions AS v
JOIN loads AS l USING (load_id)
WHERE v.is_current;
