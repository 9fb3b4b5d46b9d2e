-- K06 Open investigations over 365 days (snapshot): of the crimes open at month end E
-- (recorded on or before E, with no outcome or an outcome dated after E), the share with
-- E - recorded_date > 365. Only months with E on or before the as-of date. The counting of
-- open crimes is shared with K21: see the view open_at_month_end.
SELECT
    force,
    month,
    offence_group,
    age_band,
    gender,
    open_over_365_days AS numerator,
    open_crimes AS denominator,
    NULL::DOUBLE AS days
FROM open_at_month_end
