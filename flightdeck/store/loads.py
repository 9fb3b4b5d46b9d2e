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

from flightdeck import access, memory
from flightdeck.access import guard
from flightdeck.engine import refresh
from flightdeck.extracts.contract import (
    CaseExtract,
    ValidationReport,
    WorkforceExtract,
    validate_case_files,
    validate_workforce_file,
)
from flightdeck.extracts.report import WARNING
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


def _record_case_load(
    con,
    extract: CaseExtract,
    as_of: dt.date,
    user: access.User,
    found: changes_of.Changes | None,
) -> LoadSummary:
    """The `loads` row and the warnings of one validated file, its rows staged in the store's
    connection and stored by `_store_rows`; `found` is what it changes, counted before the
    transaction (None when an earlier file of the same call touched its forces: counted now,
    those files' rows stored)."""
    found = found or changes_of.changes(con, extract)
    load_id = next_load_id(con)
    counts = found.counts
    warning_total = sum(
        n for (severity, _), n in extract.report.totals.items() if severity == WARNING
    ) + int(counts["missing_from_previous"].sum())
    summary = LoadSummary(
        load_id=load_id,
        file_name=extract.file_name,
        forces=list(extract.forces),
        rows_total=extract.rows,
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
    warnings = changes_of.warning_rows(load_id, extract.report, found)
    if warnings:
        con.executemany("INSERT INTO load_warnings VALUES (?, ?, ?, ?, ?, ?, ?)", warnings)
    return summary


def _store_rows(con, waiting: list[tuple[LoadSummary, CaseExtract]], progress) -> None:
    """Store the staged rows of the recorded loads waiting (of different forces) together, and
    settle which versions are current; empties `waiting`."""
    if not waiting:
        return
    if progress:
        rows = sum(e.rows for _, e in waiting)
        progress(f"storing {len(waiting)} file(s), {rows:,} rows")
    currency.store_versions(con, [(s.load_id, e.table) for s, e in waiting])
    currency.settle(con, [s.load_id for s, _ in waiting])
    waiting.clear()


def _names(paths: Sequence[Path], file_names: Sequence[str] | None) -> list[str]:
    return list(file_names or [Path(p).name for p in paths])


def _too_big(action, exc, names: str, audited: bool, reports) -> LoadOutcome:
    """A load that needed more memory than DuckDB may use: refused, nothing changed (a failure
    inside the guarded work was rolled back and audited as failed already)."""
    message = memory.too_big(exc, f"Loading {names}")
    if not audited:
        action.refuse(message)
    return LoadOutcome("refused", message, reports)


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
    as-of date, any file that breaks the contract, work that needs more memory than DuckDB may
    use (`flightdeck.memory`). A file identical (by SHA-256) to an active load is skipped and
    said so. A file that looks like the wrong extract for a force loaded before is held unless
    `confirm_wrong_extract` (`changes.held`). KPIs are recomputed inside the same transaction,
    so the results table never disagrees with the data. The files' rows are staged in `con`
    while they are checked and stored, and dropped whatever happens.
    """
    names = _names(paths, file_names)
    detail = f"case files {', '.join(names)} as of {as_of}"
    action = guard.begin(con, user, "load_cases", access.LOAD, detail)
    refusal = admission.rejected_upload(paths, names) or admission.future_as_of(as_of)
    if refusal:
        action.refuse(refusal)
        return LoadOutcome("refused", f"{refusal} Nothing was loaded.")
    extracts: list[CaseExtract] = []
    running = False
    try:
        extracts = validate_case_files(paths, as_of=as_of, names=names, progress=progress, con=con)
        ready = admission.admit(con, extracts, confirm_wrong_extract)
        reports = [e.report for e in extracts]
        if isinstance(ready, admission.Turned):
            (action.unchanged if ready.status == "no_change" else action.refuse)(ready.note)
            return LoadOutcome(ready.status, ready.message, reports)
        running = True
        return _store_cases(con, action, ready, reports, as_of, user, progress)
    except duckdb.OutOfMemoryException as exc:
        return _too_big(action, exc, ", ".join(names), running, [e.report for e in extracts])
    finally:
        for extract in extracts:
            extract.drop()


def _store_cases(
    con, action: guard.GuardedAction, ready: admission.Admitted, reports, as_of, user, progress
) -> LoadOutcome:
    def work() -> list[LoadSummary]:
        summaries: list[LoadSummary] = []
        waiting: list[tuple[LoadSummary, CaseExtract]] = []
        for e, before in zip(ready.fresh, ready.found, strict=True):
            if before is None:  # an earlier file holds its forces: stored first, then counted
                _store_rows(con, waiting, progress)
            summaries.append(_record_case_load(con, e, as_of, user, before))
            waiting.append((summaries[-1], e))
        _store_rows(con, waiting, progress)
        _recompute(con, progress, [f for e in ready.fresh for f in e.forces])
        return summaries

    note = ready.confirmed
    summaries = action.run(work, lambda done: f"loads {[s.load_id for s in done]}{note}")
    message = "; ".join(
        f"Loaded {s.file_name} as load {s.load_id}: {s.rows_total:,} rows "
        f"({s.rows_new:,} new, {s.rows_updated:,} updated, {s.rows_unchanged:,} unchanged), "
        f"{s.warnings:,} warnings"
        for s in summaries
    )
    if ready.repeats:
        message += ". Skipped: " + "; ".join(ready.repeats)
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
    (force, month). Refused like a case load (`load_case_files`)."""
    name = file_name or Path(path).name
    action = guard.begin(con, user, "load_workforce", access.LOAD, f"workforce file {name}")
    refusal = admission.rejected_upload([Path(path)], [name])
    if refusal:
        action.refuse(refusal)
        return LoadOutcome("refused", f"{refusal} Nothing was loaded.")
    extract: WorkforceExtract | None = None
    running = False
    try:
        extract = validate_workforce_file(Path(path), file_name=name, con=con)
        if not extract.report.ok:
            action.refuse()
            return LoadOutcome("refused", f"Refused {name}: nothing was loaded.", [extract.report])
        earlier = admission.active_load_with_sha(con, extract.sha256, "workforce")
        if earlier is not None:
            action.unchanged()
            message = f"Nothing changed: {name} is identical to load {earlier}."
            return LoadOutcome("no_change", message, [extract.report])
        running = True
        summary = action.run(
            lambda: _store_workforce(con, extract, name, user, progress),
            lambda done: f"load {done.load_id}",
        )
    except duckdb.OutOfMemoryException as exc:
        return _too_big(action, exc, name, running, [extract.report] if extract else [])
    finally:
        if extract is not None:
            extract.drop()
    return LoadOutcome(
        "loaded",
        f"Loaded {name} as load {summary.load_id}: {summary.rows_total:,} force-months.",
        [extract.report],
        [summary],
    )


def _store_workforce(con, extract: WorkforceExtract, name: str, user, progress) -> LoadSummary:
    load_id = next_load_id(con)
    summary = LoadSummary(load_id, name, list(extract.forces), extract.rows)
    summary.warnings = len(extract.report.warnings)
    record_load(con, "workforce", summary, extract.sha256, user.name)
    con.execute(
        "INSERT INTO workforce_versions SELECT ?, line, force, month, "
        f"investigators_in_post, investigators_trained FROM {extract.table}",
        [load_id],
    )
    _recompute(con, progress, extract.forces)
    return summary
