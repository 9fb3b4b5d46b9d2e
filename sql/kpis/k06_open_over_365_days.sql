-- K06 Open investigations over 365 days (snapshot): of the crimes open at month end E, the
-- share recorded more than 365 days before E. Only months with E on or before the as-of date.
SELECT
    force,
    month,
    age_band,
    gender,
    (month_end - recorded_date > 365)::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM open_at_month_end
