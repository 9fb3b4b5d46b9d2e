"""The DuckDB store: schema, loads, every version of every crime, rollback."""

from pathlib import Path

import duckdb

from flightdeck.paths import SQL_DIR


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables (if missing) and (re)create the shared views."""
    for table_file in sorted((SQL_DIR / "tables").glob("*.sql")):
        con.execute(table_file.read_text())
    for view in sorted((SQL_DIR / "views").glob("*.sql")):
        con.execute(view.read_text())


def connect(db_path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file, creating it with the schema if it does not exist."""
    path = Path(db_path)
    if read_only:
        return duckdb.connect(str(path), read_only=True)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    apply_schema(con)
    return con
