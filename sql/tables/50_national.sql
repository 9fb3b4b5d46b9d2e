-- Published national figures: the Home Office's police recorded crime and outcomes open-data
-- tables, rape and other sexual offence rows only (docs/national.md). Aggregates published
-- for every force, not case data. Idempotent: applied on every connection.
CREATE SEQUENCE IF NOT EXISTS national_import_id_seq START 1;

-- One row per imported file. A later import replaces the same (kind, force, financial year,
-- quarter) rows; the earlier import's row stays here as history.
CREATE TABLE IF NOT EXISTS national_imports (
    import_id         INTEGER PRIMARY KEY,
    kind              VARCHAR NOT NULL,      -- recorded or outcomes
    file_name         VARCHAR NOT NULL,
    sha256            VARCHAR NOT NULL,
    sheets            VARCHAR[] NOT NULL,    -- the data sheets read
    sheets_skipped    VARCHAR[] NOT NULL,    -- cover, notes, contents ...
    rows_kept         INTEGER NOT NULL,      -- rape and other sexual offence rows
    rows_skipped      INTEGER NOT NULL,      -- rows of other offences
    quarters_new      INTEGER NOT NULL,      -- (force, quarter) pairs not held before
    quarters_replaced INTEGER NOT NULL,      -- (force, quarter) pairs an earlier import held
    imported_at       TIMESTAMP NOT NULL,
    imported_by       VARCHAR NOT NULL,
    synthetic         BOOLEAN NOT NULL       -- made-up figures (the demo's fixture)
);

-- Recorded offences by force, financial quarter and offence code.
CREATE TABLE IF NOT EXISTS national_recorded (
    import_id      INTEGER NOT NULL,
    financial_year VARCHAR NOT NULL,         -- 2023/24
    quarter        INTEGER NOT NULL,         -- 1 (April to June) ... 4 (January to March)
    period_start   DATE NOT NULL,            -- first day of the quarter
    force          VARCHAR NOT NULL,
    offence_code   VARCHAR NOT NULL,
    offence_group  VARCHAR NOT NULL,         -- rape or other_sexual
    offences       BIGINT NOT NULL,
    PRIMARY KEY (force, period_start, offence_code)
);

-- Outcomes assigned by force, financial quarter, offence code and Home Office outcome type.
CREATE TABLE IF NOT EXISTS national_outcomes (
    import_id      INTEGER NOT NULL,
    financial_year VARCHAR NOT NULL,
    quarter        INTEGER NOT NULL,
    period_start   DATE NOT NULL,
    force          VARCHAR NOT NULL,
    offence_code   VARCHAR NOT NULL,
    offence_group  VARCHAR NOT NULL,
    outcome_type   VARCHAR NOT NULL,         -- 1, 1A, 14 ... as in outcome_types.csv
    outcomes       BIGINT NOT NULL,
    PRIMARY KEY (force, period_start, offence_code, outcome_type)
);
