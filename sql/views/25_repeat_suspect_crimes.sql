-- The in-scope crimes of every suspect named in two or more crimes of a force, each with the
-- recorded dates of that suspect's crimes just before and just after it (blank for the first
-- and the last). Shared by K13 and S01, and worked out once per refresh.
--
-- A suspect named once has no other crime to be a repeat with, and most named suspects are
-- named once (about one in seven crimes with a named suspect has a suspect named again on the
-- national synthetic data), so the ordering by date runs over those suspects' crimes alone.
-- Finding those suspects groups millions of crimes by suspect, most in a group of one: by
-- `suspect_key`, a 64-bit hash of force and suspect id, a third faster than by the two
-- strings. Two suspects whose keys collide may both pass that test though each is named once;
-- such a crime has no neighbour by date, and the last condition leaves it out, so the view is
-- exact whatever the key (tests/engine replace it by a constant to show so).
--
-- On a same-day tie the order between the two is arbitrary; both readers only ask whether a
-- neighbour is on the same day or how many days apart, which a tie answers the same either way.
CREATE OR REPLACE MACRO suspect_key(force, suspect_id) AS hash(force, suspect_id);

CREATE OR REPLACE VIEW repeat_suspect_crimes AS
WITH repeated AS (
    SELECT suspect_key(force, suspect_id) AS suspect_hash
    FROM crimes_in_scope
    WHERE named_suspect
    GROUP BY suspect_hash
    HAVING count(*) >= 2
),
ordered AS (
    SELECT
        force,
        suspect_id,
        recorded_date,
        recorded_month,
        offence_group,
        age_band,
        gender,
        as_of,
        lag(recorded_date) OVER by_date AS previous_recorded,
        lead(recorded_date) OVER by_date AS next_recorded
    FROM crimes_in_scope
    WHERE named_suspect AND suspect_key(force, suspect_id) IN (SELECT suspect_hash FROM repeated)
    WINDOW by_date AS (PARTITION BY force, suspect_id ORDER BY recorded_date)
)
SELECT *
FROM ordered
WHERE previous_recorded IS NOT NULL OR next_recorded IS NOT NULL;
