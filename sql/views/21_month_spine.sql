-- Every month of each force from its first recorded crime up to the last month that has
-- fully ended by the force's as-of date (month end E <= as_of): the months a snapshot
-- ("state at month end") can be taken for.
CREATE OR REPLACE VIEW month_spine AS
WITH span AS (
    SELECT force, min(recorded_month) AS first_month, max(as_of) AS as_of
    FROM crimes_in_scope
    GROUP BY force
),
months AS (
    SELECT force, as_of, unnest(generate_series(first_month, as_of, INTERVAL 1 MONTH))::DATE AS month
    FROM span
)
SELECT force, month, month_end(month) AS month_end, as_of
FROM months
WHERE month_end(month) <= as_of;
