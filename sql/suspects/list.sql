-- A list's rows, in rank order: the ranked suspects (`listed`, from frequency.sql, harm.sql or
-- rfg.sql; or one suspect, the_suspect.sql) with the disruption in place (disruption.sql).
SELECT
    l.rank,
    l.suspect_id,
    l.crimes,
    l.harm,
    l.victims,
    l.last_recorded,
    d.open_crimes,
    d.on_bail,
    d.civil_order,
    d.ssrp,
    d.s63g,
    d.breaches,
    l.score
FROM listed AS l
JOIN disruption AS d USING (suspect_id)
ORDER BY l.rank
