"""Opening the DuckDB store: the file (owner-only), its tables, macros and views, and the number
that changes whenever the data does."""

from pathlib import Path

import duckdb

from flightdeck import resources, vocabulary


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables (if missing) and (re)create the shared macros and views."""
    sql = resources.sql_dir()
    for table_file in sorted((sql / "tables").glob("*.sql")):
        con.execute(table_file.read_text())
    for macro in vocabulary.sql_macros():
        con.execute(macro)
    for view in sorted((sql / "views").glob("*.sql")):
        con.execute(view.read_text())


def connect(db_path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file, creating it (owner-only permissions) with the schema if needed."""
    path = Path(db_path)
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    is_new = not path.exists()
    con = duckdb.connect(str(path))
    if is_new:
        path.chmod(0o600)
    apply_schema(con)
    return con


def data_version(con: duckdb.DuckDBPyConnection) -> int:
    """A number that changes whenever the data changes: use it as a cache key."""
    audited, loads, active = con.execute(
        """SELECT (SELECT coalesce(max(audit_id), 0) FROM audit_log),
                  count(*), coalesce(sum(CASE WHEN active THEN load_id END), 0)
           FROM loads"""
    ).fetchone()
    return hash((audited, loads, active))
