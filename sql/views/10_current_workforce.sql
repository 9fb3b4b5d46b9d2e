-- Current workforce figures: for each force and month, the row from the latest active load.
CREATE OR REPLACE VIEW current_workforce AS
SELECT v.force, v.month, v.investigators_in_post, v.investigators_trained, v.load_id
FROM workforce_versions AS v
JOIN loads AS l USING (load_id)
WHERE l.active AND l.kind = 'workforce'
QUALIFY row_number() OVER (PARTITION BY v.force, v.month ORDER BY l.load_id DESC) = 1;
