-- One row per crime and month end E at which the crime is an open investigation:
-- recorded on or before E, and with no outcome or an outcome dated after E.
-- Only months that have ended by the as-of date are listed (see month_spine).
CREATE OR REPLACE VIEW open_at_month_end AS
SELECT c.force, c.crime_id, s.month, s.month_end, c.recorded_date, c.age_band, c.gender
FROM crimes_in_scope AS c
JOIN month_spine AS s
    ON s.force = c.force
    AND c.recorded_date <= s.month_end
    AND (c.finalised_date IS NULL OR c.finalised_date > s.month_end);
