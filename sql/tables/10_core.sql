-- Core tables of the flight-deck store. Idempotent: applied on every connection.
CREATE SEQUENCE IF NOT EXISTS load_id_seq START 1;

-- One row per file loaded (case or workforce extract).
CREATE TABLE IF NOT EXISTS loads (
    load_id        INTEGER PRIMARY KEY,
    kind           VARCHAR NOT NULL,          -- 'cases' or 'workforce'
    file_name      VARCHAR NOT NULL,
    sha256         VARCHAR NOT NULL,
    forces         VARCHAR[] NOT NULL,
    as_of          DATE,                      -- case loads only
    rows_total     INTEGER NOT NULL,
    rows_new       INTEGER,
    rows_updated   INTEGER,
    rows_unchanged INTEGER,
    warnings       INTEGER NOT NULL DEFAULT 0,
    loaded_by      VARCHAR NOT NULL,
    loaded_at      TIMESTAMP NOT NULL,
    active         BOOLEAN NOT NULL DEFAULT TRUE,
    rolled_back_by VARCHAR,
    rolled_back_at TIMESTAMP
);

-- Every version of every crime: one row per crime per case load that contained it.
-- Blank optional values are NULL; `cancelled` blank is stored as FALSE.
CREATE TABLE IF NOT EXISTS crime_versions (
    load_id                 INTEGER NOT NULL,
    line                    INTEGER NOT NULL,  -- line in the loaded file (header = 1)
    force                   VARCHAR NOT NULL,
    crime_id                VARCHAR NOT NULL,
    recorded_date           DATE NOT NULL,
    offence_code            VARCHAR NOT NULL,
    victim_age              INTEGER,
    victim_gender           VARCHAR NOT NULL,  -- female, male, other, unknown
    cancelled               BOOLEAN NOT NULL,
    offence_date            DATE,
    suspect_id              VARCHAR,
    suspect_identified_date DATE,
    first_contact_date      DATE,
    first_contact_type      VARCHAR,
    release_type            VARCHAR,
    cps_early_advice_date   DATE,
    cps_referral_date       DATE,
    cps_decision            VARCHAR,
    cps_decision_date       DATE,
    charge_date             DATE,
    outcome_type            VARCHAR,
    outcome_date            DATE,
    isva_referral_date      DATE,
    vcop_assessment_date    DATE,
    device_seized_date      DATE,
    device_returned_date    DATE,
    s63g_application        BOOLEAN,
    civil_order_type        VARCHAR,
    civil_order_date        DATE,
    victim_id               VARCHAR,
    victim_ethnicity        VARCHAR            -- white, mixed, asian, black, other, not_stated
);

-- Columns added to the case extract since the first release: a database made before them gets
-- them empty (its crimes did not record them).
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS victim_id VARCHAR;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS victim_ethnicity VARCHAR;
-- Suspect management (civil order outcomes, SSRP referrals, breaches of bail and orders).
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS civil_order_outcome VARCHAR;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS civil_order_outcome_date DATE;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS ssrp_referral_date DATE;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS bail_breach_date DATE;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS order_breach_date DATE;
-- Whether this row is its crime's current version (the active case load with the latest as-of
-- date, the later load winning a tie), kept by flightdeck.store.currency on every load and
-- rollback. A row is stored as current; the load then settles the crimes it shares with
-- earlier loads.
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS is_current BOOLEAN DEFAULT TRUE;
-- The fields every KPI derives from a crime, written with each version by its load from the
-- version's own columns (flightdeck.store.currency.DERIVED holds their rule, and derives them
-- all again when it changes; a database made before them gets them that way).
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS recorded_month DATE;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS offence_group VARCHAR;  -- rape, other_sexual
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS age_band VARCHAR;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS gender VARCHAR;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS named_suspect BOOLEAN;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS charged BOOLEAN;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS charge_event_date DATE;
ALTER TABLE crime_versions ADD COLUMN IF NOT EXISTS finalised_date DATE;

-- Warnings found when a file was loaded (the file loaded anyway).
CREATE TABLE IF NOT EXISTS load_warnings (
    load_id     INTEGER NOT NULL,
    rule        VARCHAR NOT NULL,
    column_name VARCHAR,
    line        INTEGER,
    value       VARCHAR,
    message     VARCHAR NOT NULL,
    total       INTEGER NOT NULL               -- how many rows broke this rule in the file
);

-- Every version of every workforce row.
CREATE TABLE IF NOT EXISTS workforce_versions (
    load_id               INTEGER NOT NULL,
    line                  INTEGER NOT NULL,
    force                 VARCHAR NOT NULL,
    month                 DATE NOT NULL,       -- first day of the month
    investigators_in_post DOUBLE NOT NULL,
    investigators_trained DOUBLE NOT NULL
);

-- The KPI results table computed from this database's own case data.
CREATE TABLE IF NOT EXISTS kpi_results (
    kpi_id        VARCHAR NOT NULL,
    force         VARCHAR NOT NULL,
    month         DATE NOT NULL,
    offence_group VARCHAR NOT NULL,   -- All, rape, other_sexual
    age_band      VARCHAR NOT NULL,
    gender        VARCHAR NOT NULL,
    numerator     DOUBLE,
    denominator   DOUBLE,
    value         DOUBLE,
    complete      BOOLEAN NOT NULL
);

-- The offence group came after the first release: a database made before it gets the
-- column at the end, its existing rows (totals over all RASSO crimes) labelled All. The
-- column order then differs, so every insert and read names its columns.
ALTER TABLE kpi_results ADD COLUMN IF NOT EXISTS offence_group VARCHAR DEFAULT 'All';

-- Computed feasibility of each KPI for each force with own case data.
CREATE TABLE IF NOT EXISTS kpi_feasibility (
    force   VARCHAR NOT NULL,
    kpi_id  VARCHAR NOT NULL,
    flag    VARCHAR NOT NULL,                  -- feasible, partial, not_feasible
    reason  VARCHAR NOT NULL
);

-- What the store's derived fields were last written from (`derived`: a fingerprint of their
-- rule), so that a change of rule or reference writes them again.
CREATE TABLE IF NOT EXISTS store_meta (
    key   VARCHAR PRIMARY KEY,
    value VARCHAR NOT NULL
);
