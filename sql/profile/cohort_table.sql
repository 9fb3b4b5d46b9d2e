-- Outcomes by recording month at the as-of date: of the crimes recorded in each month, how
-- many are charged, have another outcome, or are still open. Open crimes are their own column,
-- never counted as "not charged". days_followed_min is the least follow-up in the cohort: the
-- days from the month's end (or the as-of date, for a month not yet ended) to the as-of date.
-- Parameters: force, offence_group ('All' or a group), first and last (month starts, or NULL
-- for the force's first recorded month and the as-of month).
WITH as_of AS (
    SELECT as_of FROM force_as_of WHERE force = $force
),
crimes AS (
    SELECT recorded_month AS month, charged, finalised_date IS NOT NULL AS finalised
    FROM crimes_in_scope
    WHERE force = $force AND ($offence_group = all_label() OR offence_group = $offence_group)
),
bounds AS (
    SELECT
        coalesce($first::DATE, (SELECT min(month) FROM crimes)) AS first,
        coalesce($last::DATE, (SELECT month_of(as_of) FROM as_of)) AS last
),
months AS (
    SELECT unnest(generate_series(first, last, INTERVAL 1 MONTH))::DATE AS month
    FROM bounds
    WHERE first IS NOT NULL AND last IS NOT NULL
),
counted AS (
    SELECT
        m.month,
        count(c.month) AS crimes,
        count(c.month) FILTER (WHERE c.charged) AS charged,
        count(c.month) FILTER (WHERE c.finalised AND NOT c.charged) AS other_outcome,
        count(c.month) FILTER (WHERE NOT c.finalised) AS open
    FROM months AS m
    LEFT JOIN crimes AS c USING (month)
    GROUP BY m.month
)
SELECT
    month,
    crimes,
    charged,
    other_outcome,
    open,
    charged / nullif(crimes, 0) AS charged_share,
    (charged + other_outcome) / nullif(crimes, 0) AS outcome_share,
    open / nullif(crimes, 0) AS open_share,
    (SELECT as_of FROM as_of) - least(month_end(month), (SELECT as_of FROM as_of))
        AS days_followed_min
FROM counted
ORDER BY month
