-- K11 CPS charge rate on referral: of the crimes with a CPS decision of `charge` or `nfa`
-- dated in the month, the share `charge`.
SELECT
    force,
    month_of(cps_decision_date) AS month,
    offence_group,
    age_band,
    gender,
    (cps_decision = 'charge')::INTEGER AS numerator,
    1 AS denominator,
    NULL::DOUBLE AS days
FROM crimes_in_scope
WHERE cps_decision IN ('charge', 'nfa')
    AND cps_decision_date IS NOT NULL
