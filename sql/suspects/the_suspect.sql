-- One suspect (suspect_crimes.sql with $suspect_id set), whether or not they have a crime in
-- the window: their window's figures (window_figures.sql), or none (0 crimes, 0 harm, no
-- score). What a suspect's history shows beside their crimes.
WITH suspect AS (
    SELECT suspect_id, bool_or(force_records_victims) AS records_victims
    FROM suspect_crimes
    GROUP BY suspect_id
)
SELECT
    NULL::BIGINT AS rank,
    s.suspect_id,
    coalesce(w.crimes, 0) AS crimes,
    coalesce(w.harm, 0) AS harm,
    CASE WHEN s.records_victims THEN coalesce(w.victims, 0) END AS victims,
    w.last_recorded,
    w.score
FROM suspect AS s
LEFT JOIN window_figures AS w USING (suspect_id)
