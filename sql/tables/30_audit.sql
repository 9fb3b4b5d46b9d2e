-- Who did what, when, and how it ended: every state-changing action, refusals included.
CREATE SEQUENCE IF NOT EXISTS audit_id_seq START 1;
CREATE TABLE IF NOT EXISTS audit_log (
    audit_id  INTEGER PRIMARY KEY DEFAULT nextval('audit_id_seq'),
    "at"      TIMESTAMP NOT NULL,            -- quoted: AT is a keyword in DuckDB 2
    user_name VARCHAR NOT NULL,
    role      VARCHAR NOT NULL,
    action    VARCHAR NOT NULL,
    detail    VARCHAR NOT NULL,
    outcome   VARCHAR NOT NULL               -- ok, refused, failed, no_change
);
