-- Peer comparison: KPI results imported from other forces, and editable peer groups.
-- Idempotent: applied on every connection.
CREATE SEQUENCE IF NOT EXISTS peer_import_id_seq START 1;

-- One row per imported results file; a later import for the same force replaces it.
CREATE TABLE IF NOT EXISTS peer_imports (
    import_id                INTEGER PRIMARY KEY,
    force                    VARCHAR NOT NULL,
    file_name                VARCHAR NOT NULL,
    sha256                   VARCHAR NOT NULL,
    as_of                    DATE NOT NULL,       -- the peer's data as-of date
    product_version          VARCHAR NOT NULL,    -- flight-deck version that exported it
    suppress_count_max       INTEGER NOT NULL,    -- the exporter's suppression rule
    suppress_min_denominator INTEGER NOT NULL,
    exported_at              TIMESTAMP,
    rows_total               INTEGER NOT NULL,
    rows_suppressed          INTEGER NOT NULL,
    imported_by              VARCHAR NOT NULL,
    imported_at              TIMESTAMP NOT NULL
);

-- The peer's KPI results in the results-table format; suppressed rows have blank figures.
CREATE TABLE IF NOT EXISTS peer_results (
    import_id     INTEGER NOT NULL,
    kpi_id        VARCHAR NOT NULL,
    force         VARCHAR NOT NULL,
    month         DATE NOT NULL,
    offence_group VARCHAR NOT NULL,   -- All, rape, other_sexual
    age_band      VARCHAR NOT NULL,
    gender        VARCHAR NOT NULL,
    numerator     DOUBLE,
    denominator   DOUBLE,
    value         DOUBLE,
    complete      BOOLEAN NOT NULL,
    suppressed    BOOLEAN NOT NULL
);

-- The offence group came after the first release: a database made before it gets the
-- column at the end, its existing rows (totals over all RASSO crimes) labelled All. The
-- column order then differs, so every insert and read names its columns.
ALTER TABLE peer_results ADD COLUMN IF NOT EXISTS offence_group VARCHAR DEFAULT 'All';

-- Which KPIs the peer can compute, as the peer's export declared it.
CREATE TABLE IF NOT EXISTS peer_feasibility (
    import_id INTEGER NOT NULL,
    force     VARCHAR NOT NULL,
    kpi_id    VARCHAR NOT NULL,
    flag      VARCHAR NOT NULL,                  -- feasible, partial, not_feasible
    reason    VARCHAR NOT NULL
);

-- Peer groups edited by analysts. Until the first edit the shipped reference list
-- (data/reference/peer_groups.csv) is used; the first edit copies it here.
CREATE TABLE IF NOT EXISTS peer_group_members (
    group_name VARCHAR NOT NULL,
    force      VARCHAR NOT NULL,
    PRIMARY KEY (group_name, force)
);
CREATE TABLE IF NOT EXISTS peer_groups_state (
    customised_by VARCHAR NOT NULL,
    customised_at TIMESTAMP NOT NULL
);
