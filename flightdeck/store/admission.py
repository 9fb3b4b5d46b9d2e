"""What a load must pass before anything is stored, besides the data contract: files that are
extracts at all, an as-of date that is not in the future, files not loaded before, and, for a
force loaded before, a file that looks like the same extract (`flightdeck.store.changes.held`).

Each check returns the sentence the user reads, or nothing; the caller audits the refusal.
"""

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck.extracts import uploads
from flightdeck.extracts.contract import CaseExtract
from flightdeck.settings import load_settings
from flightdeck.store import changes as changes_of


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


HELD_MESSAGE = (
    "Held, nothing was loaded: {reasons}. Check the file is this force's extract from the "
    "usual system; to load it all the same, confirm the risk explicitly."
)


@dataclass
class Admitted:
    """The validated files to store, the sentences for those skipped, what each file changes
    (`changes.changes_before`) and the audit note of a likely wrong extract confirmed."""

    fresh: list[CaseExtract]
    repeats: list[str]
    found: list[changes_of.Changes | None]
    confirmed: str = ""


@dataclass
class Turned:
    """Why nothing is stored: `status` refused, no_change or held; `message` for the user,
    `note` for the audit trail."""

    status: str
    message: str
    note: str = ""


def admit(
    con: duckdb.DuckDBPyConnection, extracts: list[CaseExtract], confirm_wrong_extract: bool
) -> Admitted | Turned:
    """The files to store, or why there are none: a file refused, every file loaded before, or
    a likely wrong extract (`changes.held`) not confirmed."""
    refused = [e.file_name for e in extracts if not e.report.ok]
    if refused:
        names = ", ".join(refused)
        return Turned("refused", f"Refused {names}: nothing was loaded.", f"refused {names}")
    fresh, repeats = fresh_and_repeats(con, extracts)
    if not fresh:
        return Turned("no_change", "Nothing changed: " + "; ".join(repeats) + ".")
    found = changes_of.changes_before(con, fresh)
    counts = [f.counts for f in found if f is not None]
    held = changes_of.held(pd.concat(counts), load_settings().hold_share)
    if held and not confirm_wrong_extract:
        message = HELD_MESSAGE.format(reasons="; ".join(held))
        return Turned("held", message, "held as a likely wrong extract")
    confirmed = "; confirmed despite a likely wrong extract" if held else ""
    return Admitted(fresh, repeats, found, confirmed)
