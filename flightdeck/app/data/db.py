"""Short-lived connections to the database file, and the data version the caches key on.

The file is opened only for a moment (one read batch, one change) and closed at once, so the
command line can load into the same file while the dashboard runs (DuckDB lets one process at
a time hold a file open for writing). While a load holds the file, opening waits briefly, then
raises `DatabaseBusy`, shown as "The database is busy". The data version is one cheap query,
remembered for `VERSION_TTL` seconds so a page that asks for it many times opens the file once.
"""

import contextlib
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import duckdb

from flightdeck.settings import load_settings
from flightdeck.store import busy, connection

# How long the app waits for a load by another process before saying the database is busy.
BUSY_WAIT_SECONDS = 3.0
# How long a data version read is reused: one page run asks for it many times.
VERSION_TTL = 0.5

_schema_lock = threading.Lock()
_schema_ready: set[str] = set()
_versions: dict[str, tuple[float, int]] = {}


def db_path() -> str:
    return str(load_settings().db_path)


def _open(path: str) -> duckdb.DuckDBPyConnection:
    # connection.connect creates the file (owner-only) and applies the schema, which writes to
    # the catalogue: done once per file per server process (under a lock, so two sessions do not
    # replace the same views at once); later opens are plain connections.
    if path in _schema_ready and Path(path).exists():
        connection.check_database_file(Path(path))  # replaced since by something else?
        return duckdb.connect(path)
    with _schema_lock:
        con = connection.connect(path)
        _schema_ready.add(path)
        return con


@contextlib.contextmanager
def database(path: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the database file (default: the configured one), closed on leaving.

    Use one per read batch or per change and never keep it: while it is open no other process
    can load into the file. Waits up to BUSY_WAIT_SECONDS while another process (a command
    line load) holds the file, then raises busy.DatabaseBusy.
    """
    path = path or db_path()
    con = busy.open_when_free(lambda: _open(path), BUSY_WAIT_SECONDS)
    try:
        yield con
    finally:
        con.close()


def version() -> int:
    """The data version: changes whenever a load, rollback or import changes the data (here or
    from the command line). Read from the file at most once per VERSION_TTL seconds."""
    path = db_path()
    held = _versions.get(path)
    now = time.monotonic()
    if held is not None and now - held[0] < VERSION_TTL:
        return held[1]
    with database(path) as con:
        current = connection.data_version(con)
    _versions[path] = (now, current)
    return current


def forget_version() -> None:
    """Read the data version afresh next time (called after every change made here)."""
    _versions.clear()
