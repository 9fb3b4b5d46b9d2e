-- The months a force's suspect lists can be drawn for, newest first: those whose month end E
-- is on or before the force's as-of date and whose window ([E - 364, E]) holds at least one
-- in-scope crime with a named suspect. Parameter: $force.
WITH named AS (
    SELECT DISTINCT recorded_date
    FROM crimes_in_scope
    WHERE force = $force AND named_suspect
),
span AS (
    SELECT month_of(min(n.recorded_date)) AS first_month, a.as_of
    FROM named AS n, force_as_of AS a
    WHERE a.force = $force
    GROUP BY a.as_of
),
months AS (
    SELECT unnest(generate_series(first_month, as_of, INTERVAL 1 MONTH))::DATE AS month, as_of
    FROM span
)
SELECT month
FROM months
WHERE month_end(month) <= as_of
    AND EXISTS (
        SELECT 1 FROM named
        WHERE recorded_date BETWEEN month_end(month) - 364 AND month_end(month)
    )
ORDER BY month DESC
