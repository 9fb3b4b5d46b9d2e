-- Repeat victims in the period: victims (non-blank victim_id) with at least 2 crimes recorded
-- in it. crimes counts every crime recorded in the period, with or without a victim_id;
-- recorded says whether the force records victim_id at all (any current crime has one).
-- Parameters: force, first, last.
WITH crimes AS (
    SELECT nullif(trim(victim_id), '') AS victim_id
    FROM crimes_in_scope
    WHERE force = $force AND recorded_month BETWEEN $first AND $last
),
victims AS (
    SELECT victim_id, count(*) AS crimes
    FROM crimes
    WHERE victim_id IS NOT NULL
    GROUP BY victim_id
)
SELECT
    (SELECT count(*) FROM victims) AS victims,
    (SELECT count(*) FROM victims WHERE crimes >= 2) AS repeat_victims,
    (SELECT count(*) FROM crimes) AS crimes,
    (SELECT coalesce(sum(crimes), 0) FROM victims WHERE crimes >= 2)::BIGINT
        AS crimes_of_repeat_victims,
    EXISTS (
        SELECT 1 FROM current_crimes
        WHERE force = $force AND nullif(trim(victim_id), '') IS NOT NULL
    ) AS recorded
