"""Loading validated extracts into the store, all or nothing.

A crime's current state is its row in the active case load with the latest as-of date (the later
load wins a tie); earlier versions stay in `crime_versions`, so rolling a load back
(`flightdeck.store.history`) makes the previous versions current again. Every load goes
through `flightdeck.access.guard`: the role is checked, the outcome audited (refusals too),
and the rows, the warnings and the recomputed KPIs are written in one transaction.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.access import guard
from flightdeck.engine import refresh
from flightdeck.extracts.columns import CASE_COLUMNS
from flightdeck.extracts.contract import (
    CaseExtract,
    ValidationReport,
    validate_case_files,
    validate_workforce_file,
)
from flightdeck.extracts.report import WARNING
from flightdeck.settings import load_settings
from flightdeck.store import admission, currency
from flightdeck.store import changes as changes_of

Progress = Callable[[str], None]


@dataclass
class LoadSummary:
    load_id: int
    file_name: str
    forces: list[str]
    rows_total: int
    rows_new: int | None = None
    rows_updated: int | None = None
    rows_unchanged: int | None = None
    warnings: int = 0


@dataclass
class LoadOutcome:
    status: str  # loaded, refused, held (a likely wrong extract, not confirmed) or no_change
    message: str
    reports: list[ValidationReport] = field(default_factory=list)
    loads: list[LoadSummary] = field(default_factory=list)


def next_load_id(con) -> int:
    return con.execute("SELECT nextval('load_id_seq')").fetchone()[0]


def record_load(con, kind: str, summary: LoadSummary, sha256: str, loaded_by: str) -> None:
    """The `loads` row of a load of aggregates (workforce, partner figures): no as-of date and
    no new / updated / unchanged counts, which only case loads have. Written inside the load's
    guarded action, which has checked the role of the user `loaded_by` names."""
    con.execute(
        """INSERT INTO loads (load_id, kind, file_name, sha256, forces, rows_total, warnings,
                              loaded_by, loaded_at, active)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)""",
        [summary.load_id, kind, summary.file_name, sha256, summary.forces, summary.rows_total,
         summary.warnings, loaded_by, dt.datetime.now()],
    )  # fmt: skip


def _recompute(con, progress: Progress | None, forces: Sequence[str]) -> None:
    """Recompute the KPIs of the forces a load touched (the others' cannot change)."""
    if progress:
        progress("computing KPIs")
    refresh.refresh(con, forces=sorted(set(forces)))


def _insert_case_load(
    con,
    extract: CaseExtract,
    as_of: dt.date,
    user: access.User,
    found: changes_of.Changes | None,
) -> LoadSummary:
    """Store one validated file as a load; `found` is what it changes, counted before the
    transaction (None when an earlier file of the same call touched its forces)."""
    incoming = changes_of.rows(extract)
    found = found or changes_of.changes(con, extract, incoming)
    load_id = next_load_id(con)
    counts = found.counts
    warning_total = sum(
        n for (severity, _), n in extract.report.totals.items() if severity == WARNING
    ) + int(counts["missing_from_previous"].sum())
    summary = LoadSummary(
        load_id=load_id,
        file_name=extract.file_name,
        forces=list(extract.forces),
        rows_total=len(extract.frame),
        rows_new=int(counts["rows_new"].sum()),
        rows_updated=int(counts["rows_updated"].sum()),
        rows_unchanged=int(counts["rows_unchanged"].sum()),
        warnings=warning_total,
    )
    con.execute(
        """INSERT INTO loads (load_id, kind, file_name, sha256, forces, as_of, rows_total, rows_new,
                              rows_updated, rows_unchanged, warnings, loaded_by, loaded_at, active)
           VALUES (?, 'cases', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, TRUE)""",
        [
            load_id,
            extract.file_name,
            extract.sha256,
            summary.forces,
            as_of,
            summary.rows_total,
            summary.rows_new,
            summary.rows_updated,
            summary.rows_unchanged,
            warning_total,
            user.name,
            dt.datetime.now(),
        ],
    )
    con.register("incoming", incoming)
    try:
        columns = ", ".join(CASE_COLUMNS)
        con.execute(
            f"INSERT INTO crime_versions (load_id, line, {columns}) "
            f"SELECT ?, line, {columns} FROM incoming",
            [load_id],
        )
    finally:
        con.unregister("incoming")
    currency.settle(con, [load_id])
    warnings = changes_of.warning_rows(load_id, extract.report, found)
    if warnings:
        con.executemany("INSERT INTO load_warnings VALUES (?, ?, ?, ?, ?, ?, ?)", warnings)
    return summary


def _names(paths: Sequence[Path], file_names: Sequence[str] | None) -> list[str]:
    return list(file_names or [Path(p).name for p in paths])


def _changes_before(con, fresh: list[CaseExtract]) -> list[changes_of.Changes | None]:
    """What each file changes against the store as it is; None for a file whose forces an
    earlier file of the same call also holds (it is counted again after that one is stored)."""
    found, seen = [], set()
    for e in fresh:
        found.append(None if seen & set(e.forces) else changes_of.changes(con, e))
        seen |= set(e.forces)
    return found


HELD_MESSAGE = (
    "Held, nothing was loaded: {reasons}. Check the file is this force's extract from the "
    "usual system; to load it all the same, confirm the risk explicitly."
)


def load_case_files(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    as_of: dt.date,
    user: access.User,
    file_names: Sequence[str] | None = None,
    progress: Progress | None = None,
    confirm_wrong_extract: bool = False,
) -> LoadOutcome:
    """Validate every file and load them all in one transaction, or load nothing.

    Refused, and audited: a file that is not a CSV extract within the size limit, a future
    as-of date, any file that breaks the contract. A file identical (by SHA-256) to an active
    load is skipped and said so. A file that looks like the wrong extract for a force loaded
    before is held unless `confirm_wrong_extract` (`changes.held`). KPIs are recomputed inside
    the same transaction, so the results table never disagrees with the data.
    """
    names = _names(paths, file_names)
    detail = f"case files {', '.join(names)} as of {as_of}"
    action = guard.begin(con, user, "load_cases", access.LOAD, detail)
    refusal = admission.rejected_upload(paths, names) or admission.future_as_of(as_of)
    if refusal:
        action.refuse(refusal)
        return LoadOutcome("refused", f"{refusal} Nothing was loaded.")
    extracts = validate_case_files(paths, as_of=as_of, names=names, progress=progress)
    reports = [e.report for e in extracts]
    refused = [e.file_name for e in extracts if not e.report.ok]
    if refused:
        action.refuse(f"refused {', '.join(refused)}")
        return LoadOutcome("refused", f"Refused {', '.join(refused)}: nothing was loaded.", reports)
    fresh, repeats = admission.fresh_and_repeats(con, extracts)
    if not fresh:
        action.unchanged()
        return LoadOutcome("no_change", "Nothing changed: " + "; ".join(repeats) + ".", reports)
    found = _changes_before(con, fresh)
    counts = [f.counts for f in found if f is not None]
    held = changes_of.held(pd.concat(counts), load_settings().hold_share)
    if held and not confirm_wrong_extract:
        action.refuse("held as a likely wrong extract")
        return LoadOutcome("held", HELD_MESSAGE.format(reasons="; ".join(held)), reports)

    def work() -> list[LoadSummary]:
        summaries = []
        for e, before in zip(fresh, found, strict=True):
            if progress:
                progress(f"storing {e.file_name} ({len(e.frame):,} rows)")
            summaries.append(_insert_case_load(con, e, as_of, user, before))
        _recompute(con, progress, [f for e in fresh for f in e.forces])
        return summaries

    confirmed = "; confirmed despite a likely wrong extract" if held else ""
    summaries = action.run(work, lambda done: f"loads {[s.load_id for s in done]}{confirmed}")
    message = "; ".join(
        f"Loaded {s.file_name} as load {s.load_id}: {s.rows_total:,} rows "
        f"({s.rows_new:,} new, {s.rows_updated:,} updated, {s.rows_unchanged:,} unchanged), "
        f"{s.warnings:,} warnings"
        for s in summaries
    )
    if repeats:
        message += ". Skipped: " + "; ".join(repeats)
    return LoadOutcome("loaded", message + ".", reports, summaries)


def load_workforce_file(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    user: access.User,
    file_name: str | None = None,
    progress: Progress | None = None,
) -> LoadOutcome:
    """Validate and load a workforce extract atomically; a later load replaces the same
    (force, month)."""
    name = file_name or Path(path).name
    action = guard.begin(con, user, "load_workforce", access.LOAD, f"workforce file {name}")
    refusal = admission.rejected_upload([Path(path)], [name])
    if refusal:
        action.refuse(refusal)
        return LoadOutcome("refused", f"{refusal} Nothing was loaded.")
    extract = validate_workforce_file(Path(path), file_name=name)
    if not extract.report.ok:
        action.refuse()
        return LoadOutcome("refused", f"Refused {name}: nothing was loaded.", [extract.report])
    earlier = admission.active_load_with_sha(con, extract.sha256, "workforce")
    if earlier is not None:
        action.unchanged()
        message = f"Nothing changed: {name} is identical to load {earlier}."
        return LoadOutcome("no_change", message, [extract.report])

    def work() -> LoadSummary:
        load_id = next_load_id(con)
        summary = LoadSummary(load_id, name, list(extract.forces), len(extract.frame))
        summary.warnings = len(extract.report.warnings)
        record_load(con, "workforce", summary, extract.sha256, user.name)
        con.register("incoming", extract.frame)
        try:
            con.execute(
                "INSERT INTO workforce_versions SELECT ?, line, force, month, "
                "investigators_in_post, investigators_trained FROM incoming",
                [load_id],
            )
        finally:
            con.unregister("incoming")
        _recompute(con, progress, extract.forces)
        return summary

    summary = action.run(work, lambda done: f"load {done.load_id}")
    return LoadOutcome(
        "loaded",
        f"Loaded {name} as load {summary.load_id}: {summary.rows_total:,} force-months.",
        [extract.report],
        [summary],
    )
