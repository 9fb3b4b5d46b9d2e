-- The crimes every KPI counts (the rows of scoped_crimes, as stored in crimes_in_scope_rows)
-- with their force's as-of date: the date is joined here, not stored, because a force's next
-- load moves it for every one of its crimes.
CREATE OR REPLACE VIEW crimes_in_scope AS
SELECT s.*, a.as_of
FROM crimes_in_scope_rows AS s
JOIN force_as_of AS a USING (force);
