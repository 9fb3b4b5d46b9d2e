-- The crimes every KPI counts: the current version of each crime, unless it is cancelled, with
-- the fields the KPIs share (recorded_month, offence_group, age_band, gender, named_suspect,
-- charged, charge_event_date, finalised_date). Which version is current and those fields are
-- stored with every version of a crime, written by its load and kept by every load and
-- rollback (flightdeck.store.currency, whose DERIVED holds their rule), so that the measures,
-- the profile and the pages scan stored columns instead of deriving them again on every read.
-- crimes_in_scope (the next file) adds the force's as-of date.
CREATE OR REPLACE VIEW crimes_in_scope_rows AS
SELECT * EXCLUDE (is_current)
FROM crime_versions
WHERE is_current AND NOT cancelled;
