-- RFG score: every suspect with a crime in the window, highest score first, then as for
-- highest harm (most harm, most crimes, the latest crime, suspect_id); the first 10, ranked 1
-- to 10. The list shows the score as its last column.
SELECT row_number() OVER ranking AS rank, *
FROM window_figures
WINDOW ranking AS (ORDER BY score DESC, harm DESC, crimes DESC, last_recorded DESC, suspect_id)
ORDER BY rank
LIMIT 10
