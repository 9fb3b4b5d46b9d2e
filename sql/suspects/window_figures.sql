-- Each suspect with a crime in the window ([E - 364, E]), from their crimes to E
-- (suspect_crimes.sql): what the lists rank by (docs/suspects.md; the catalogue's "Suspect
-- lists").
--   crimes         crimes in the window;
--   harm           the sum of their harm weights (days);
--   victims        distinct victim_id among them; blank when the force records no victim_id;
--   last_recorded  the latest recorded_date among them;
--   score          the RFG score: each part's points are the highest points of the bands its
--                  figure falls in (0 in none), times the part's weight, added up
--                  (data/reference/rfg_score.toml, flightdeck/suspects/rfg.py). The figures:
--                  recency E - last_recorded, frequency crimes, gravity harm.
--
-- Parameters: those of suspect_crimes.sql, and for each part p of recency, frequency and
-- gravity: $p_bounds, $p_points (two lists of the same order) and $p_weight.
WITH figures AS (
    SELECT
        suspect_id,
        count(*) AS crimes,
        sum(harm)::BIGINT AS harm,
        CASE WHEN bool_or(force_records_victims) THEN
            count(DISTINCT nullif(trim(victim_id), ''))
        END AS victims,
        max(recorded_date) AS last_recorded
    FROM suspect_crimes
    WHERE in_window
    GROUP BY suspect_id
),
bands AS (
    SELECT 'recency' AS part, unnest($recency_bounds::INTEGER[]) AS bound,
        unnest($recency_points::INTEGER[]) AS points
    UNION ALL
    SELECT 'frequency', unnest($frequency_bounds::INTEGER[]), unnest($frequency_points::INTEGER[])
    UNION ALL
    SELECT 'gravity', unnest($gravity_bounds::INTEGER[]), unnest($gravity_points::INTEGER[])
),
points AS (
    SELECT
        f.suspect_id,
        coalesce(max(b.points) FILTER (WHERE b.part = 'recency'
            AND $month_end::DATE - f.last_recorded <= b.bound), 0) AS recency_points,
        coalesce(max(b.points) FILTER (WHERE b.part = 'frequency' AND f.crimes >= b.bound), 0)
            AS frequency_points,
        coalesce(max(b.points) FILTER (WHERE b.part = 'gravity' AND f.harm >= b.bound), 0)
            AS gravity_points
    FROM figures AS f
    CROSS JOIN bands AS b
    GROUP BY f.suspect_id
)
SELECT
    f.*,
    p.recency_points * $recency_weight::DOUBLE
        + p.frequency_points * $frequency_weight::DOUBLE
        + p.gravity_points * $gravity_weight::DOUBLE AS score
FROM figures AS f
JOIN points AS p USING (suspect_id)
