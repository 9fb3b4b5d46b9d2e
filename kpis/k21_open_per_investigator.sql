-- K21 Open investigations per investigator (snapshot, force level): for each workforce month
-- of a force with case data whose month end E is on or before the as-of date, the crimes open
-- at E (as in K06; possibly none) divided by the investigators in post (FTE).
WITH open_crimes AS (
    SELECT force, month, sum(open_crimes) AS open_count
    FROM open_at_month_end
    GROUP BY force, month
)
SELECT
    w.force,
    w.month,
    all_label() AS offence_group,
    all_label() AS age_band,
    all_label() AS gender,
    coalesce(o.open_count, 0) AS numerator,
    w.investigators_in_post AS denominator,
    NULL::DOUBLE AS days
FROM current_workforce AS w
JOIN force_as_of AS a USING (force)
LEFT JOIN open_crimes AS o USING (force, month)
WHERE month_end(w.month) <= a.as_of
