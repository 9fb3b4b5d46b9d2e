-- Highest frequency: the suspects with 2 or more crimes in the window, most crimes first, then
-- most harm, then the latest crime, then suspect_id; the first 10, ranked 1 to 10.
SELECT row_number() OVER ranking AS rank, *
FROM window_figures
WHERE crimes >= 2
WINDOW ranking AS (ORDER BY crimes DESC, harm DESC, last_recorded DESC, suspect_id)
ORDER BY rank
LIMIT 10
