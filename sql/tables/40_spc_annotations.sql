-- What analysts add to the SPC charts: change points and notes, and KPI targets.
-- Idempotent: applied on every writable connection, so a database made before these tables
-- existed gets them the next time it is opened.
CREATE SEQUENCE IF NOT EXISTS spc_annotation_id_seq START 1;

-- A change point (a new SPC baseline starts at that month) or a plain note, for one KPI or
-- for every KPI (kpi_id NULL). Never deleted: a withdrawn one keeps who withdrew it and when.
CREATE TABLE IF NOT EXISTS spc_annotations (
    annotation_id INTEGER PRIMARY KEY DEFAULT nextval('spc_annotation_id_seq'),
    force         VARCHAR NOT NULL,
    kpi_id        VARCHAR,                   -- NULL: all KPIs
    month         DATE NOT NULL,             -- the first day of the month
    kind          VARCHAR NOT NULL CHECK (kind IN ('change_point', 'note')),
    text          VARCHAR NOT NULL,          -- no names, ids or case details
    recorded_by   VARCHAR NOT NULL,
    recorded_at   TIMESTAMP NOT NULL,
    withdrawn_by  VARCHAR,
    withdrawn_at  TIMESTAMP
);

-- Targets edited by analysts, in the KPI's own units (a fraction 0..1 for a rate). Until the
-- first edit the shipped reference list (data/reference/targets.csv) is used; the first edit
-- copies it here, as peer groups do.
CREATE TABLE IF NOT EXISTS kpi_targets (
    force  VARCHAR NOT NULL,
    kpi_id VARCHAR NOT NULL,
    target DOUBLE NOT NULL,
    source VARCHAR NOT NULL,
    PRIMARY KEY (force, kpi_id)
);
CREATE TABLE IF NOT EXISTS kpi_targets_state (
    customised_by VARCHAR NOT NULL,
    customised_at TIMESTAMP NOT NULL
);
