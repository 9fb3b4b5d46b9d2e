-- Highest harm: every suspect with a crime in the window, most harm first, then most crimes,
-- then the latest crime, then suspect_id; the first 10, ranked 1 to 10.
SELECT row_number() OVER ranking AS rank, *
FROM window_figures
WINDOW ranking AS (ORDER BY harm DESC, crimes DESC, last_recorded DESC, suspect_id)
ORDER BY rank
LIMIT 10
