-- The disruption in place at month end E for each suspect of `listed` (a list's suspects, or
-- one suspect's), from all their crimes to E (suspect_crimes.sql), not only the window's:
--   open_crimes   open at E as in K06: no outcome, or an outcome dated after E;
--   on_bail       an open crime with release_type bail;
--   civil_order   granted (an application granted with its outcome dated <= E), else applied
--                 (an application dated <= E), else blank; an application's outcome is the one
--                 of the shared view civil_order_applications;
--   ssrp          an ssrp_referral_date <= E;
--   s63g          any s63g_application true;
--   breaches      distinct bail breach dates <= E plus distinct order breach dates <= E (a
--                 breach recorded on several crimes of the suspect is one date).
-- Worked out for the listed suspects only: a list is ranked first, by the window's figures.
-- Parameters: $force, $month_end.
WITH crimes AS (
    SELECT * FROM suspect_crimes WHERE suspect_id IN (SELECT suspect_id FROM listed)
),
figures AS (
    SELECT
        suspect_id,
        count(*) FILTER (WHERE open_at_month_end) AS open_crimes,
        coalesce(bool_or(open_at_month_end AND release_type = 'bail'), FALSE) AS on_bail,
        coalesce(bool_or(ssrp_referral_date <= $month_end::DATE), FALSE) AS ssrp,
        coalesce(bool_or(s63g_application), FALSE) AS s63g,
        count(DISTINCT bail_breach_date) FILTER (WHERE bail_breach_date <= $month_end::DATE)
            + count(DISTINCT order_breach_date)
                FILTER (WHERE order_breach_date <= $month_end::DATE) AS breaches
    FROM crimes
    GROUP BY suspect_id
),
-- The applications on the suspect's crimes to E, dated on or before E.
applications AS (
    SELECT DISTINCT a.suspect_id, a.civil_order_type, a.civil_order_date,
        a.civil_order_outcome, a.civil_order_outcome_date
    FROM civil_order_applications AS a
    JOIN crimes AS c USING (suspect_id, civil_order_type, civil_order_date)
    WHERE a.force = $force AND a.civil_order_date <= $month_end::DATE
),
orders AS (
    SELECT
        suspect_id,
        CASE
            WHEN bool_or(civil_order_outcome = 'granted'
                AND civil_order_outcome_date <= $month_end::DATE) THEN 'granted'
            ELSE 'applied'
        END AS civil_order
    FROM applications
    GROUP BY suspect_id
)
SELECT f.*, o.civil_order
FROM figures AS f
LEFT JOIN orders AS o USING (suspect_id)
