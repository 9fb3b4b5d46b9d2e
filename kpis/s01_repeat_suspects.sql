-- S01 Repeat suspects (snapshot, force level): at each month end E on or before the force's
-- as-of date, the distinct suspects with at least 2 in-scope crimes recorded in
-- [E - ($window_days - 1), E]. The window length is set in one place:
-- kpis/s01_repeat_suspects.yaml.
--
-- Rather than look at every suspect at every month end, each pair of a suspect's crimes that
-- are consecutive by recorded_date (an earlier one c, then the next one n) makes the suspect
-- count at every month end E with n <= E <= c + ($window_days - 1): both crimes are then in
-- E's window. A window holding two or more crimes holds such a pair, so these month ends (at
-- most 13 per pair) are exactly those where the suspect counts; DISTINCT counts a suspect once
-- per month end. Only suspects named in two or more crimes can make a pair: the shared view
-- repeat_suspect_crimes (also read by K13) holds their crimes, each with the recorded date of
-- the suspect's crime before it.
WITH pairs AS (
    SELECT
        force,
        suspect_id,
        recorded_date AS counts_from,
        -- the last day both are in the window, and never a month end after the as-of date
        least(previous_recorded + ($window_days::INTEGER - 1), as_of) AS counts_until
    FROM repeat_suspect_crimes
    WHERE recorded_date - previous_recorded < $window_days::INTEGER  -- never in one window else
),
month_ends AS (
    SELECT
        force,
        suspect_id,
        counts_until,
        unnest(generate_series(month_of(counts_from), month_of(counts_until), INTERVAL 1 MONTH))
            ::DATE AS month
    FROM pairs
    WHERE counts_from <= counts_until
)
SELECT
    force,
    month,
    all_label() AS offence_group,
    all_label() AS age_band,
    all_label() AS gender,
    1 AS numerator,
    NULL::DOUBLE AS denominator,
    NULL::DOUBLE AS days
FROM (
    SELECT DISTINCT force, month, suspect_id
    FROM month_ends
    WHERE month_end(month) <= counts_until
)
