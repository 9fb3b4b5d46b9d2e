-- Calendar and label rules shared by every KPI, written once.
-- A month is written as its first day; its month end is its last day.
CREATE OR REPLACE MACRO month_of(day) AS date_trunc('month', day)::DATE;

CREATE OR REPLACE MACRO month_end(month) AS last_day(month);

-- Victim age bands used in every breakdown; a blank age is `Unknown`.
CREATE OR REPLACE MACRO age_band(age) AS CASE
    WHEN age IS NULL THEN 'Unknown'
    WHEN age <= 12 THEN '0-12'
    WHEN age <= 15 THEN '13-15'
    WHEN age <= 17 THEN '16-17'
    WHEN age <= 24 THEN '18-24'
    WHEN age <= 34 THEN '25-34'
    WHEN age <= 44 THEN '35-44'
    WHEN age <= 54 THEN '45-54'
    ELSE '55+'
END;

-- Victim gender as shown in breakdowns (stored lower-case).
CREATE OR REPLACE MACRO gender_label(gender) AS CASE lower(gender)
    WHEN 'female' THEN 'Female'
    WHEN 'male' THEN 'Male'
    WHEN 'other' THEN 'Other'
    ELSE 'Unknown'
END;
