"""Opening the DuckDB store: the file (owner-only), its tables, macros and views, and the number
that changes whenever the data does. Every connection has the configured memory limit and spill
folder (`flightdeck.memory`).

Before DuckDB sees a path, `connect` checks that an existing file really is a DuckDB database:
DuckDB would otherwise open some files (a `.csv`, for one) as a throw-away in-memory database,
so a load would report success and keep nothing. Everything the store creates (the file, its
folder, DuckDB's `.wal` and `.tmp` beside it) is owner-only.
"""

import contextlib
from pathlib import Path

import duckdb

from flightdeck import files, memory, resources, vocabulary
from flightdeck.reference import load_reference
from flightdeck.store import currency
from flightdeck.vocabulary import sql_text

# A DuckDB file starts with an 8-byte checksum, then the magic bytes "DUCK" (DuckDB's storage
# format, main header).
MAGIC = b"DUCK"
MAGIC_OFFSET = 8


class DatabaseFileError(ValueError):
    """The path given for the database cannot be used as one; nothing was changed.

    A ValueError, so the app shows the message to the user as written."""


class NotADatabase(DatabaseFileError):
    """An existing file (or folder) that is not a DuckDB database."""

    def __init__(self, path: Path, why: str = "not a DuckDB file") -> None:
        super().__init__(f"{path} is not a flight deck database ({why}); nothing was changed")


class NoDatabase(DatabaseFileError):
    """Nothing to read: no database file at the path (a read-only open never creates one)."""

    def __init__(self, path: Path, why: str = "") -> None:
        super().__init__(f"no database at {path}{why}")


def wal_path(db_path: Path | str) -> Path:
    """DuckDB's write-ahead log beside the database file."""
    path = Path(db_path)
    return path.with_name(path.name + ".wal")


def check_database_file(path: Path) -> bool:
    """Whether a database file exists at `path` with something in it; raises NotADatabase when
    what is there is not a DuckDB database. An empty file counts as no database (False)."""
    if path.is_dir():
        raise NotADatabase(path, "it is a folder")
    if not path.exists():
        return False
    try:
        with path.open("rb") as handle:
            header = handle.read(MAGIC_OFFSET + len(MAGIC))
    except OSError as exc:
        raise DatabaseFileError(f"cannot read {path}: {exc.strerror}") from exc
    if not header:
        return False
    if header[MAGIC_OFFSET:] != MAGIC:
        raise NotADatabase(path)
    return True


def _tighten_wal(path: Path) -> None:
    # A log left by an earlier crash, or written before the product set a private umask, holds
    # case rows as readable as it was created; the owner makes it owner-only again. No log, or
    # someone else's (a reader who is not the owner), is left alone.
    wal = wal_path(path)
    with contextlib.suppress(FileNotFoundError, PermissionError):
        if wal.stat().st_mode & 0o077:
            wal.chmod(files.OWNER_ONLY)


def offence_group_macro() -> str:
    """The DuckDB macro `offence_group_of(code)`: the offence code's group (`rape`,
    `other_sexual`) in the reference list of RASSO offence codes, written from that list so an
    analyst's edit of the CSV reaches the SQL the next time the store is opened for writing."""
    codes = load_reference().offence_codes
    cases = " ".join(
        f"WHEN {sql_text(code)} THEN {sql_text(group)}"
        for code, group in zip(codes["code"], codes["group"], strict=True)
    )
    return f"CREATE OR REPLACE MACRO offence_group_of(code) AS CASE code {cases} END"


# The view file of crimes_in_scope_rows, which reads the derived fields: they are made right
# (`currency.ensure_derived`) before it, once the macros they call exist.
SCOPE_RULE = "20_crimes_in_scope.sql"


def _lacks_current_flag(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether the store holds crime versions from before `is_current` was kept."""
    columns = {
        name
        for (name,) in con.execute(
            "SELECT column_name FROM information_schema.columns "
            "WHERE table_name = 'crime_versions' AND table_schema = 'main'"
        ).fetchall()
    }
    return bool(columns) and "is_current" not in columns


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables (if missing) and (re)create the shared macros and views."""
    sql = resources.sql_dir()
    unflagged = _lacks_current_flag(con)
    for table_file in sorted((sql / "tables").glob("*.sql")):
        con.execute(table_file.read_text())
    if unflagged:  # made before crime_versions.is_current: every row was stored as current
        currency.rank_all(con)
    for macro in vocabulary.sql_macros():
        con.execute(macro)
    con.execute(offence_group_macro())
    # What the derived fields follow from: the macros, and the views before SCOPE_RULE (which
    # define more, `month_of` among them).
    rule = [*vocabulary.sql_macros(), offence_group_macro()]
    for view in sorted((sql / "views").glob("*.sql")):
        if view.name == SCOPE_RULE:
            currency.ensure_derived(con, "\n".join(rule))
        con.execute(view.read_text())
        rule.append(view.read_text())


def connect(db_path: Path | str, read_only: bool = False) -> duckdb.DuckDBPyConnection:
    """Open the database file.

    Writable (the default): creates the file with the schema when there is none (an empty file
    is taken as none), in a folder created owner-only (0700) when missing; the file and its
    `.wal` are owner-only (0600). Read-only: writes nothing and never creates a file; raises
    NoDatabase when there is no database at the path. Either way raises NotADatabase, before
    touching anything, when the path holds something other than a DuckDB database.
    """
    path = Path(db_path)
    files.private_umask()
    exists = check_database_file(path)
    if read_only:
        if not exists:
            raise NoDatabase(path, " (the file is empty)" if path.exists() else "")
        _tighten_wal(path)
        con = duckdb.connect(str(path), read_only=True)
        memory.limit(con, path)
        return con
    files.make_owner_only_folder(path.parent)
    if not exists and path.exists():
        # DuckDB refuses an empty file; it holds nothing, so it makes way for a new database.
        path.unlink()
    _tighten_wal(path)
    con = duckdb.connect(str(path))
    if not exists:
        path.chmod(files.OWNER_ONLY)
    memory.limit(con, path)
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
