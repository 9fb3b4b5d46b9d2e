-- Calendar rules shared by every KPI, written once.
-- A month is written as its first day; its month end is its last day.
CREATE OR REPLACE MACRO month_of(day) AS date_trunc('month', day)::DATE;

CREATE OR REPLACE MACRO month_end(month) AS last_day(month);

-- The breakdown labels and the charged outcomes are macros too: all_label() ('All'),
-- age_band(age), gender_label(gender) and is_charged(outcome_type). They are written from
-- flightdeck/vocabulary.py, the one definition the Python shares, and applied before these views.
