"""How much memory DuckDB may use, and where it spills what does not fit.

Every connection the product opens (the store's, read-only or not, and the private one that
checks an extract without a store) gets `FLIGHTDECK_MEMORY_LIMIT` and a temporary folder:
`FLIGHTDECK_TEMP_DIR`, else `<database>.tmp` beside the store, else a private folder under the
system's temporary folder. The folder is created owner-only: what DuckDB spills there is case
data. Only these two settings are read here (a store can be opened before the app checks the
others, and says what is wrong with them). Work that cannot fit even so raises DuckDB's
OutOfMemoryException; `too_big` says so in words a user can act on.
"""

import os
import tempfile
from pathlib import Path

import duckdb

from flightdeck import files
from flightdeck.settings import MEMORY_LIMIT, TEMP_DIR, parsed
from flightdeck.vocabulary import sql_text


def spill_folder(db_path: Path | str | None = None) -> Path:
    """The folder DuckDB spills to: the setting, else beside the database, else private."""
    chosen = parsed(TEMP_DIR)
    if chosen is not None:
        return Path(chosen)
    if db_path is not None:
        path = Path(db_path)
        return path.with_name(path.name + ".tmp")
    return Path(tempfile.gettempdir()) / f"flightdeck-spill-{os.getuid()}"


def limit(con: duckdb.DuckDBPyConnection, db_path: Path | str | None = None) -> None:
    """Give the connection the configured memory limit and an owner-only spill folder.

    The folder beside a store is left to DuckDB, which makes it only when it spills, under the
    private umask the store sets (owner-only too), so opening a store writes nothing; a chosen
    folder, or the private one, is made owner-only here with any missing parents."""
    folder = spill_folder(db_path)
    if db_path is None or parsed(TEMP_DIR) is not None:
        files.make_owner_only_folder(folder)
    con.execute(f"SET memory_limit = {sql_text(parsed(MEMORY_LIMIT))}")
    con.execute(f"SET temp_directory = {sql_text(str(folder))}")


def private_connection() -> duckdb.DuckDBPyConnection:
    """An in-memory DuckDB with the configured limits (for checking a file without a store)."""
    con = duckdb.connect()
    limit(con)
    return con


def too_big(exc: duckdb.OutOfMemoryException, what: str) -> str:
    """The sentence for work that did not fit: what it was, the limit, the folder."""
    return (
        f"{what} needs more memory than {MEMORY_LIMIT.name} ({parsed(MEMORY_LIMIT)}) allows, "
        f"even spilling to disk ({TEMP_DIR.name}); nothing was changed. Raise "
        f"{MEMORY_LIMIT.name}, or free disk space in the temporary folder, and try again. "
        f"(DuckDB: {str(exc).splitlines()[0]})"
    )
