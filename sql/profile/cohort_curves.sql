-- Outcomes by recording cohort, by days since report (the problem profile's cohort curves).
-- A cohort is the crimes of the force recorded in one month, or one year. For each day d of
-- the grid, only the crimes followed for at least d days (recorded_date + d <= as_of) are
-- counted, so a young cohort is never compared on days it has not lived through (censoring).
-- Among them: charged by day d (charge event date on or before recorded_date + d), given any
-- outcome by day d, and still open (followed, no outcome yet). A charged crime has its outcome
-- from its charge event date, so charged never exceeds any_outcome.
-- Parameters: force, offence_group ('All' or a group), by ('year' or 'month'), days.
WITH crimes AS (
    SELECT
        date_trunc(CASE WHEN $by = 'year' THEN 'year' ELSE 'month' END, recorded_date)::DATE
            AS cohort,
        recorded_date,
        as_of,
        CASE WHEN charged THEN charge_event_date END AS charged_on,
        least(finalised_date, CASE WHEN charged THEN charge_event_date END) AS outcome_on
    FROM crimes_in_scope
    WHERE force = $force AND ($offence_group = all_label() OR offence_group = $offence_group)
),
sizes AS (
    SELECT cohort, count(*) AS crimes FROM crimes GROUP BY cohort
),
grid AS (
    SELECT unnest($days::INTEGER[]) AS day
),
counted AS (
    SELECT
        c.cohort,
        g.day,
        count(*) FILTER (WHERE c.recorded_date + g.day <= c.as_of) AS followed,
        count(*) FILTER (
            WHERE c.recorded_date + g.day <= c.as_of AND c.charged_on <= c.recorded_date + g.day
        ) AS charged,
        count(*) FILTER (
            WHERE c.recorded_date + g.day <= c.as_of AND c.outcome_on <= c.recorded_date + g.day
        ) AS any_outcome
    FROM crimes AS c
    CROSS JOIN grid AS g
    GROUP BY c.cohort, g.day
)
SELECT
    cohort,
    day,
    crimes,
    followed,
    charged,
    any_outcome,
    followed - any_outcome AS open,
    charged / nullif(followed, 0) AS charged_share,
    any_outcome / nullif(followed, 0) AS outcome_share,
    (followed - any_outcome) / nullif(followed, 0) AS open_share,
    followed = crimes AS complete
FROM counted
JOIN sizes USING (cohort)
WHERE followed >= 1
ORDER BY cohort, day
