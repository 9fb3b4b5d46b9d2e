"""The DuckDB store: schema, atomic loads, every version of every crime, rollback.

A crime's current state is its row in the active case load with the latest as-of date (the later
load wins a tie); earlier versions stay in `crime_versions`, so rolling a load back simply makes
the previous versions current again. Every function that changes data checks the user's role
first and writes an audit row, refusals included.
"""

import datetime as dt
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import pyarrow as pa

from flightdeck import access, audit
from flightdeck.columns import CASE_COLUMNS
from flightdeck.contract import (
    CaseExtract,
    ValidationReport,
    WorkforceExtract,
    validate_case_file,
    validate_workforce_file,
)
from flightdeck.paths import SQL_DIR

Progress = Callable[[str], None]

# Files validated at once; the machine this is sized for has two cores.
VALIDATION_THREADS = 2

# Examples of crimes missing from a force's new load kept with the load's warnings.
MISSING_EXAMPLES = 10


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
    status: str  # loaded, refused or no_change
    message: str
    reports: list[ValidationReport] = field(default_factory=list)
    loads: list[LoadSummary] = field(default_factory=list)


@dataclass
class Preview:
    reports: list[ValidationReport]
    changes: pd.DataFrame  # force, rows_new, rows_updated, rows_unchanged, missing_from_previous

    @property
    def ok(self) -> bool:
        return all(r.ok for r in self.reports)


def apply_schema(con: duckdb.DuckDBPyConnection) -> None:
    """Create the tables (if missing) and (re)create the shared views."""
    for table_file in sorted((SQL_DIR / "tables").glob("*.sql")):
        con.execute(table_file.read_text())
    for view in sorted((SQL_DIR / "views").glob("*.sql")):
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


def _guarded(con, user: access.User, action: str, permission: str, detail: str) -> None:
    """Check the role; audit and re-raise a refusal."""
    try:
        access.require(user, permission)
    except access.PermissionDenied:
        audit.record(con, user, action, detail, "refused")
        raise


def _active_load_with_sha(con, sha256: str, kind: str) -> int | None:
    row = con.execute(
        "SELECT load_id FROM loads WHERE sha256 = ? AND kind = ? AND active "
        "ORDER BY load_id LIMIT 1",
        [sha256, kind],
    ).fetchone()
    return row[0] if row else None


def _next_load_id(con) -> int:
    return con.execute("SELECT nextval('load_id_seq')").fetchone()[0]


def _rows(extract: CaseExtract) -> pa.Table:
    """The extract's rows as Arrow: DuckDB scans it without converting pandas' columns value by
    value, so it is converted once and scanned by every query of the load."""
    return pa.Table.from_pandas(extract.frame, preserve_index=False)


def _has_active_case_load(con, forces: Sequence[str]) -> bool:
    return con.execute(
        "SELECT count(*) > 0 FROM loads WHERE active AND kind = 'cases' "
        "AND list_has_any(forces, ?::VARCHAR[])",
        [list(forces)],
    ).fetchall()[0][0]


def _changes(con, extract: CaseExtract, rows: pa.Table | None = None) -> pd.DataFrame:
    """Per force in the file: crimes new, updated and unchanged against the current state, and
    crimes of the force's previous load that this file no longer holds."""
    if not _has_active_case_load(con, extract.forces):
        # Nothing to compare with (a force's first load): every row is new, none missing.
        counts = extract.frame.groupby("force").size().rename("rows_new").reset_index()
        counts = counts.assign(rows_updated=0, rows_unchanged=0, missing_from_previous=0)
        counts.attrs["missing"] = pd.DataFrame({"force": [], "crime_id": []}, dtype=str)
        return counts
    con.register("incoming", _rows(extract) if rows is None else rows)
    same = " AND ".join(f"i.{c} IS NOT DISTINCT FROM c.{c}" for c in CASE_COLUMNS)
    try:
        counts = con.execute(
            f"""
            SELECT i.force,
                   count(*) FILTER (WHERE c.crime_id IS NULL) AS rows_new,
                   count(*) FILTER (WHERE c.crime_id IS NOT NULL AND NOT ({same})) AS rows_updated,
                   count(*) FILTER (WHERE c.crime_id IS NOT NULL AND ({same})) AS rows_unchanged
            FROM incoming AS i
            LEFT JOIN (SELECT * FROM current_crimes WHERE force IN ?) AS c
                ON c.force = i.force AND c.crime_id = i.crime_id
            GROUP BY i.force ORDER BY i.force
            """,
            # A constant list lets DuckDB filter before the view's window: only the file's
            # forces are versioned, not the whole database.
            [list(extract.forces)],
        ).df()
        missing = _missing_from_previous(con)
    finally:
        con.unregister("incoming")
    totals = missing.groupby("force").size().rename("missing_from_previous")
    counts = counts.merge(totals, how="left", left_on="force", right_index=True)
    counts["missing_from_previous"] = counts["missing_from_previous"].fillna(0).astype(int)
    counts.attrs["missing"] = missing
    return counts


def _missing_from_previous(con) -> pd.DataFrame:
    """Crimes in each force's previous active case load that the incoming file lacks."""
    return con.execute(
        """
        WITH previous AS (
            SELECT force, load_id FROM (
                SELECT unnest(forces) AS force, load_id, as_of FROM loads
                WHERE active AND kind = 'cases')
            WHERE force IN (SELECT DISTINCT force FROM incoming)
            QUALIFY row_number() OVER (PARTITION BY force ORDER BY as_of DESC, load_id DESC) = 1
        )
        SELECT v.force, v.crime_id
        FROM crime_versions AS v JOIN previous AS p USING (force, load_id)
        ANTI JOIN incoming AS i ON i.force = v.force AND i.crime_id = v.crime_id
        ORDER BY v.force, v.crime_id
        """
    ).df()


def _warning_rows(load_id: int, report: ValidationReport, missing: pd.DataFrame) -> list[list]:
    rows = []
    totals = {rule: n for (severity, rule), n in report.totals.items() if severity == "warning"}
    for f in report.findings:
        if f.severity == "warning":
            rows.append([load_id, f.rule, f.column, f.line, f.value, f.message, totals[f.rule]])
    for force, group in missing.groupby("force"):
        for crime_id in group["crime_id"].head(MISSING_EXAMPLES):
            rows.append(
                [
                    load_id,
                    "missing_from_previous_load",
                    "crime_id",
                    None,
                    crime_id,
                    f"crime {crime_id} of {force} was in the previous load but not in this file; "
                    "it may have been cancelled. Its last version is kept.",
                    len(group),
                ]
            )
    return rows


def _insert_case_load(con, extract: CaseExtract, as_of: dt.date, user: access.User) -> LoadSummary:
    rows = _rows(extract)
    changes = _changes(con, extract, rows)
    missing = changes.attrs["missing"]
    load_id = _next_load_id(con)
    warnings = _warning_rows(load_id, extract.report, missing)
    warning_total = sum(
        n for (severity, _), n in extract.report.totals.items() if severity == "warning"
    ) + len(missing)
    summary = LoadSummary(
        load_id=load_id,
        file_name=extract.file_name,
        forces=list(extract.forces),
        rows_total=len(extract.frame),
        rows_new=int(changes["rows_new"].sum()),
        rows_updated=int(changes["rows_updated"].sum()),
        rows_unchanged=int(changes["rows_unchanged"].sum()),
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
    con.register("incoming", rows)
    try:
        columns = ", ".join(CASE_COLUMNS)
        con.execute(
            f"INSERT INTO crime_versions (load_id, line, {columns}) "
            f"SELECT ?, line, {columns} FROM incoming",
            [load_id],
        )
    finally:
        con.unregister("incoming")
    if warnings:
        con.executemany("INSERT INTO load_warnings VALUES (?, ?, ?, ?, ?, ?, ?)", warnings)
    return summary


def _refresh_kpis(con, progress: Progress | None) -> None:
    from flightdeck import kpis  # imported late: the KPI engine is heavier than the store

    if progress:
        progress("computing KPIs")
    kpis.refresh(con)


def _in_transaction(con, work: Callable[[], object], audit_failure: Callable[[str], None]):
    """Run work atomically: everything it wrote is undone if anything fails, and the failure is
    audited (after the rollback, so the audit row survives)."""
    con.execute("BEGIN TRANSACTION")
    try:
        result = work()
    except BaseException as exc:
        con.execute("ROLLBACK")
        audit_failure(type(exc).__name__)
        raise
    con.execute("COMMIT")
    return result


def _validate_cases(paths, as_of, file_names, progress) -> list[CaseExtract]:
    """Validate the files, two at a time: a file's rule checks in pandas then overlap another's
    parsing in DuckDB, which keeps both cores busy (about 1.5x faster on 10 files)."""
    names = file_names or [Path(p).name for p in paths]

    def validate(path: Path, name: str) -> CaseExtract:
        if progress:
            progress(f"validating {name}")
        return validate_case_file(Path(path), as_of=as_of, file_name=name)

    with ThreadPoolExecutor(max_workers=VALIDATION_THREADS) as pool:
        return list(pool.map(validate, paths, names))


def preview_case_files(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    as_of: dt.date,
    file_names: Sequence[str] | None = None,
) -> Preview:
    """Validate the files and say what loading them would change, changing nothing."""
    extracts = _validate_cases(paths, as_of, file_names, None)
    frames = [_changes(con, e) for e in extracts if e.report.ok]
    columns = ["force", "rows_new", "rows_updated", "rows_unchanged", "missing_from_previous"]
    changes = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return Preview(reports=[e.report for e in extracts], changes=changes[columns])


def load_case_files(
    con: duckdb.DuckDBPyConnection,
    paths: Sequence[Path],
    *,
    as_of: dt.date,
    user: access.User,
    file_names: Sequence[str] | None = None,
    progress: Progress | None = None,
) -> LoadOutcome:
    """Validate every file and load them all in one transaction, or load nothing.

    A file identical (by SHA-256) to an active load is skipped and said so. KPIs are recomputed
    inside the same transaction, so the results table never disagrees with the data.
    """
    names = list(file_names or [Path(p).name for p in paths])
    detail = f"case files {', '.join(names)} as of {as_of}"
    _guarded(con, user, "load_cases", access.LOAD, detail)
    extracts = _validate_cases(paths, as_of, names, progress)
    reports = [e.report for e in extracts]
    refused = [e.file_name for e in extracts if not e.report.ok]
    if refused:
        audit.record(con, user, "load_cases", f"{detail}: refused {', '.join(refused)}", "refused")
        return LoadOutcome("refused", f"Refused {', '.join(refused)}: nothing was loaded.", reports)
    fresh, repeats = [], []
    for e in extracts:
        earlier = _active_load_with_sha(con, e.sha256, "cases")
        if earlier is None and e.sha256 not in {f.sha256 for f in fresh}:
            fresh.append(e)
        else:
            repeats.append(
                f"{e.file_name} is identical to load {earlier}"
                if earlier
                else f"{e.file_name} is given twice"
            )
    if not fresh:
        message = "Nothing changed: " + "; ".join(repeats) + "."
        audit.record(con, user, "load_cases", detail, "no_change")
        return LoadOutcome("no_change", message, reports)

    def work() -> list[LoadSummary]:
        summaries = []
        for e in fresh:
            if progress:
                progress(f"storing {e.file_name} ({len(e.frame):,} rows)")
            summaries.append(_insert_case_load(con, e, as_of, user))
        _refresh_kpis(con, progress)
        return summaries

    summaries = _in_transaction(
        con, work, lambda err: audit.record(con, user, "load_cases", f"{detail}: {err}", "failed")
    )
    message = "; ".join(
        f"Loaded {s.file_name} as load {s.load_id}: {s.rows_total:,} rows "
        f"({s.rows_new:,} new, {s.rows_updated:,} updated, {s.rows_unchanged:,} unchanged), "
        f"{s.warnings:,} warnings"
        for s in summaries
    )
    if repeats:
        message += ". Skipped: " + "; ".join(repeats)
    audit.record(con, user, "load_cases", f"{detail}: loads {[s.load_id for s in summaries]}", "ok")
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
    detail = f"workforce file {name}"
    _guarded(con, user, "load_workforce", access.LOAD, detail)
    extract: WorkforceExtract = validate_workforce_file(Path(path), file_name=name)
    if not extract.report.ok:
        audit.record(con, user, "load_workforce", detail, "refused")
        return LoadOutcome("refused", f"Refused {name}: nothing was loaded.", [extract.report])
    earlier = _active_load_with_sha(con, extract.sha256, "workforce")
    if earlier is not None:
        audit.record(con, user, "load_workforce", detail, "no_change")
        return LoadOutcome(
            "no_change",
            f"Nothing changed: {name} is identical to load {earlier}.",
            [extract.report],
        )

    def work() -> LoadSummary:
        load_id = _next_load_id(con)
        summary = LoadSummary(load_id, name, list(extract.forces), len(extract.frame))
        con.execute(
            """INSERT INTO loads (load_id, kind, file_name, sha256, forces, rows_total, warnings,
                                  loaded_by, loaded_at, active)
               VALUES (?, 'workforce', ?, ?, ?, ?, ?, ?, ?, TRUE)""",
            [
                load_id,
                name,
                extract.sha256,
                summary.forces,
                summary.rows_total,
                len(extract.report.warnings),
                user.name,
                dt.datetime.now(),
            ],
        )
        con.register("incoming", extract.frame)
        try:
            con.execute(
                "INSERT INTO workforce_versions SELECT ?, line, force, month, "
                "investigators_in_post, investigators_trained FROM incoming",
                [load_id],
            )
        finally:
            con.unregister("incoming")
        _refresh_kpis(con, progress)
        return summary

    summary = _in_transaction(
        con,
        work,
        lambda err: audit.record(con, user, "load_workforce", f"{detail}: {err}", "failed"),
    )
    audit.record(con, user, "load_workforce", f"{detail}: load {summary.load_id}", "ok")
    return LoadOutcome(
        "loaded",
        f"Loaded {name} as load {summary.load_id}: {summary.rows_total:,} force-months.",
        [extract.report],
        [summary],
    )


def rollback(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    *,
    user: access.User,
    progress: Progress | None = None,
) -> str:
    """Deactivate a load: its rows stop counting and the previous versions come back.

    Raises ValueError for an unknown or already rolled-back load.
    """
    detail = f"load {load_id}"
    _guarded(con, user, "rollback", access.ROLLBACK, detail)
    row = con.execute("SELECT active, file_name FROM loads WHERE load_id = ?", [load_id]).fetchone()
    if row is None or not row[0]:
        audit.record(con, user, "rollback", detail, "refused")
        state = "does not exist" if row is None else "is already rolled back"
        raise ValueError(f"Load {load_id} {state}.")

    def work() -> None:
        con.execute(
            "UPDATE loads SET active = FALSE, rolled_back_by = ?, rolled_back_at = ? "
            "WHERE load_id = ?",
            [user.name, dt.datetime.now(), load_id],
        )
        _refresh_kpis(con, progress)

    _in_transaction(
        con, work, lambda err: audit.record(con, user, "rollback", f"{detail}: {err}", "failed")
    )
    audit.record(con, user, "rollback", detail, "ok")
    return f"Rolled back load {load_id} ({row[1]}): its rows no longer count."


def list_loads(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The loads table, newest first."""
    return con.execute(
        """SELECT load_id, kind, file_name, array_to_string(forces, ', ') AS forces, as_of,
                  rows_total, rows_new, rows_updated, rows_unchanged, warnings, loaded_by,
                  loaded_at, active, rolled_back_by, rolled_back_at, sha256
           FROM loads ORDER BY load_id DESC"""
    ).df()


def stored_warnings(con: duckdb.DuckDBPyConnection, load_id: int | None = None) -> pd.DataFrame:
    """Warnings stored with loads (examples with the rule's total), newest load first."""
    return con.execute(
        """SELECT w.load_id, l.file_name, w.rule, w.column_name AS column, w.line, w.value,
                  w.message, w.total
           FROM load_warnings AS w JOIN loads AS l USING (load_id)
           WHERE ? IS NULL OR w.load_id = ?
           ORDER BY w.load_id DESC, w.rule, w.line""",
        [load_id, load_id],
    ).df()
