-- Each force's as-of date: that of its latest active case load.
CREATE OR REPLACE VIEW force_as_of AS
SELECT force, max(as_of) AS as_of
FROM (SELECT unnest(forces) AS force, as_of FROM loads WHERE active AND kind = 'cases')
GROUP BY force;
