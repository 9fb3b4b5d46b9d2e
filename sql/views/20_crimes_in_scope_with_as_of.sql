-- The crimes every KPI counts (crimes_in_scope_rows, the current uncancelled versions)
-- with their force's as-of date: the date is joined here, not stored, because a force's next
-- load moves it for every one of its crimes.
CREATE OR REPLACE VIEW crimes_in_scope AS
SELECT s.*, a.as_of
FROM crimes_in_scope_rows AS s
JOIN force_as_of AS a USING (force);
