"""What a load must pass before anything is stored, besides the data contract: files that are
extracts at all, an as-of date that is not in the future, files not loaded before, and, for a
force loaded before, a file that looks like the same extract (`flightdeck.store.changes.held`).

Each check returns the sentence the user reads, or nothing; the caller audits the refusal.
"""

import datetime as dt
from collections.abc import Sequence
from pathlib import Path

import duckdb

from flightdeck.extracts import uploads
from flightdeck.extracts.contract import CaseExtract
from flightdeck.settings import load_settings


def rejected_upload(paths: Sequence[Path], names: Sequence[str]) -> str | None:
    """Why the first file that is not a CSV extract within the size limit is turned away (a
    spreadsheet, a binary file, an oversized file), or None when every file may be read."""
    limit = load_settings().max_upload_bytes
    for path, name in zip(paths, names, strict=True):
        try:
            uploads.check_file(path, limit, name)
        except uploads.UploadRejected as exc:
            return str(exc)
    return None


def future_as_of(as_of: dt.date, today: dt.date | None = None) -> str | None:
    """Why an as-of date after today is refused, or None. A future as-of would make every
    correct extract lose to it and run the force's months on into the future."""
    today = today or dt.date.today()
    if as_of > today:
        return (
            f"The as-of date {as_of:%Y-%m-%d} is after today ({today:%Y-%m-%d}): it is the date "
            "the extract was taken, so it cannot be in the future."
        )
    return None


def active_load_with_sha(
    con: duckdb.DuckDBPyConnection, sha256: str, kind: str, force: str | None = None
) -> int | None:
    """The first active load of this kind whose file had this SHA-256 (and, given a `force`,
    that was loaded for it), or None."""
    row = con.execute(
        "SELECT load_id FROM loads WHERE sha256 = ? AND kind = ? AND active "
        "AND (?::VARCHAR IS NULL OR list_contains(forces, ?)) ORDER BY load_id LIMIT 1",
        [sha256, kind, force, force],
    ).fetchone()
    return row[0] if row else None


def fresh_and_repeats(
    con: duckdb.DuckDBPyConnection, extracts: list[CaseExtract]
) -> tuple[list[CaseExtract], list[str]]:
    """The files not loaded before (by SHA-256), and a sentence for each that was."""
    fresh, repeats = [], []
    for e in extracts:
        earlier = active_load_with_sha(con, e.sha256, "cases")
        if earlier is None and e.sha256 not in {f.sha256 for f in fresh}:
            fresh.append(e)
        elif earlier:
            repeats.append(f"{e.file_name} is identical to load {earlier}")
        else:
            repeats.append(f"{e.file_name} is given twice")
    return fresh, repeats
