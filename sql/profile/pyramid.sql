-- Crimes recorded in the period by victim age band and gender: every cell of the grid, zero
-- where there is none, in the order of the labels given.
-- Parameters: force, age_bands, genders (labels in order), first, last.
WITH bands AS (
    SELECT unnest($age_bands) AS age_band, generate_subscripts($age_bands, 1) AS band_position
),
genders AS (
    SELECT unnest($genders) AS gender, generate_subscripts($genders, 1) AS gender_position
),
crimes AS (
    SELECT age_band, gender, count(*) AS crimes
    FROM crimes_in_scope
    WHERE force = $force AND recorded_month BETWEEN $first AND $last
    GROUP BY age_band, gender
)
SELECT b.age_band, g.gender, coalesce(c.crimes, 0) AS crimes
FROM bands AS b
CROSS JOIN genders AS g
LEFT JOIN crimes AS c ON c.age_band = b.age_band AND c.gender = g.gender
ORDER BY b.band_position, g.gender_position
