-- Current partner figures: for each force, partner, measure, month and breakdown, the row from
-- the latest active partner load holding it (a later load replaces only the keys it holds).
CREATE OR REPLACE VIEW current_partner_figures AS
SELECT v.force, v.partner, v.measure, v.month, v.age_band, v.gender, v.count, v.load_id
FROM partner_versions AS v
JOIN loads AS l USING (load_id)
WHERE l.active AND l.kind = 'partner'
QUALIFY row_number() OVER (
    PARTITION BY v.force, v.partner, v.measure, v.month, v.age_band, v.gender
    ORDER BY l.load_id DESC
) = 1;
