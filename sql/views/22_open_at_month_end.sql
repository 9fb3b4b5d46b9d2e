-- Open investigations at month end E, counted per force, month, offence group, age band and
-- gender, for the months of month_spine (those that have ended by the as-of date).
--
-- A crime is open at E when it was recorded on or before E and has no outcome, or an outcome
-- dated after E. Month by month, that is every month from the month it was recorded up to,
-- but not including, the month of its outcome. It has been open over 365 days at E when also
-- E - recorded_date > 365, i.e. from the month containing recorded_date + 366.
--
-- Rather than list every crime in every month it is open (tens of millions of rows on a large
-- force), each crime adds 1 in the month it opens (or passes 365 days) and takes 1 away in the
-- month it closes; running totals over the months give the counts at each month end. The
-- crimes are first counted by their months of opening, passing 365 days and closing (about
-- one group for eight crimes at ten million), so the changes read one scan's few groups, not
-- every crime four times.
CREATE OR REPLACE VIEW open_at_month_end AS
WITH spans AS MATERIALIZED (
    SELECT
        force,
        offence_group,
        age_band,
        gender,
        recorded_month AS open_from,
        month_of(recorded_date + 366) AS over_365_from,
        month_of(finalised_date) AS open_until,  -- blank: still open
        count(*) AS crimes
    FROM crimes_in_scope
    GROUP BY ALL
),
changes AS (
    SELECT force, offence_group, age_band, gender, open_from AS month, crimes AS opened, 0 AS aged
    FROM spans WHERE open_until IS NULL OR open_until > open_from
    UNION ALL
    SELECT force, offence_group, age_band, gender, open_until, -crimes, 0
    FROM spans WHERE open_until > open_from
    UNION ALL
    SELECT force, offence_group, age_band, gender, over_365_from, 0, crimes
    FROM spans WHERE open_until IS NULL OR open_until > over_365_from
    UNION ALL
    SELECT force, offence_group, age_band, gender, open_until, 0, -crimes
    FROM spans WHERE open_until > over_365_from
),
monthly AS (
    SELECT
        force, offence_group, age_band, gender, month,
        sum(opened) AS opened, sum(aged) AS aged
    FROM changes
    GROUP BY force, offence_group, age_band, gender, month
),
grid AS (
    SELECT s.force, s.month, s.month_end, g.offence_group, g.age_band, g.gender
    FROM month_spine AS s
    JOIN (
        SELECT DISTINCT force, offence_group, age_band, gender FROM spans
    ) AS g USING (force)
),
running AS (
    SELECT
        grid.force,
        grid.month,
        grid.month_end,
        grid.offence_group,
        grid.age_band,
        grid.gender,
        sum(coalesce(m.opened, 0)) OVER by_month AS open_crimes,
        sum(coalesce(m.aged, 0)) OVER by_month AS open_over_365_days
    FROM grid
    LEFT JOIN monthly AS m USING (force, offence_group, age_band, gender, month)
    WINDOW by_month AS (PARTITION BY grid.force, grid.offence_group, grid.age_band, grid.gender
        ORDER BY grid.month)
)
SELECT
    force, month, month_end, offence_group, age_band, gender, open_crimes, open_over_365_days
FROM running
WHERE open_crimes > 0;
