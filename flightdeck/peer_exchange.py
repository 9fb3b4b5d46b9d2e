"""Exchange of KPI results between forces: export with suppression, import, replace, remove.

Export writes the force's own KPI results in the results-table format (columns kpi_id, force,
month, age_band, gender, numerator, denominator, value, complete, then `suppressed`) after
small-number suppression, and a side file `<file>.meta.json` with the force, as-of date,
product version, suppression rule, export time, row counts, the CSV's SHA-256 and the force's
KPI feasibility flags. Import requires that side file (a bare CSV is refused: without it the
rule the figures were suppressed under, and the force's feasibility, are unknown).
"""

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import access, audit, safe_export
from flightdeck.peer_validation import FORMAT, ImportReport, meta_path_for, read_results_file
from flightdeck.reference import load_reference
from flightdeck.settings import load_settings
from flightdeck.suppression import RESULT_COLUMNS, SuppressionRule, suppress


@dataclass
class ExportSummary:
    path: Path
    meta_path: Path
    rows: int
    rows_suppressed: int
    message: str


@dataclass
class ImportOutcome:
    status: str  # imported, refused or no_change
    message: str
    report: ImportReport
    force: str | None = None
    rows: int = 0
    notes: list[str] = field(default_factory=list)


def default_rule() -> SuppressionRule:
    """The suppression rule from the settings (FLIGHTDECK_SUPPRESS_* variables)."""
    settings = load_settings()
    return SuppressionRule(
        count_max=settings.suppress_count_max,
        min_denominator=settings.suppress_min_denominator,
    )


def _kinds() -> dict[str, str]:
    from flightdeck.peers import kpi_kinds

    return kpi_kinds()


def _guard(con, user: access.User, action: str, permission: str, detail: str) -> None:
    try:
        access.require(user, permission)
    except access.PermissionDenied:
        audit.record(con, user, action, detail, "refused")
        raise


def _figure(value) -> str:
    """A figure as text that reads back to the same float: whole numbers without '.0'."""
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _to_csv_text(frame: pd.DataFrame) -> str:
    """The export's CSV text: text cells formula-safe (`safe_export`), figures as numbers."""
    # Neutralised before the figures become text, so a negative figure stays a number.
    safe_export.check_no_identifiers(frame)
    frame = safe_export.neutralise_formulas(frame)
    out = pd.DataFrame(
        {
            "kpi_id": frame["kpi_id"],
            "force": frame["force"],
            "month": pd.to_datetime(frame["month"]).dt.strftime("%Y-%m-%d"),
            "age_band": frame["age_band"],
            "gender": frame["gender"],
            **{c: frame[c].map(_figure) for c in ("numerator", "denominator", "value")},
            "complete": frame["complete"].map(lambda b: "true" if b else "false"),
            "suppressed": frame["suppressed"].map(lambda b: "true" if b else "false"),
        }
    )
    return out.to_csv(index=False, lineterminator="\n")


def _write_atomically(path: Path, text: str) -> None:
    """Write via a temporary file in the same folder, so a reader never sees half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.")
    with os.fdopen(fd, "w", encoding="utf-8", newline="") as handle:
        handle.write(text)
    os.replace(tmp, path)


def _feasibility(con, force: str) -> list[dict]:
    rows = con.execute(
        "SELECT kpi_id, flag, reason FROM kpi_feasibility WHERE force = ? ORDER BY kpi_id",
        [force],
    ).df()
    return rows.to_dict("records")


def export_results(
    con: duckdb.DuckDBPyConnection,
    force: str,
    out: Path,
    *,
    user: access.User,
    rule: SuppressionRule | None = None,
) -> ExportSummary:
    """Write the force's own KPI results, suppressed, to `out` and `<out>.meta.json`.

    Raises ValueError when the force has no results computed from its own case data here.
    """
    out = Path(out)
    rule = rule or default_rule()
    detail = f"results of {force} to {out.name} ({rule.describe()})"
    _guard(con, user, "export_results", access.EXPORT, detail)
    results = con.execute(
        f"SELECT {', '.join(RESULT_COLUMNS)} FROM kpi_results WHERE force = ? "
        "ORDER BY kpi_id, month, age_band, gender",
        [force],
    ).df()
    if results.empty:
        audit.record(con, user, "export_results", f"{detail}: no own results", "refused")
        raise ValueError(f"{force} has no KPI results computed from its own case data here")
    safe = suppress(results, rule, _kinds())
    text = _to_csv_text(safe)
    as_of = con.execute("SELECT as_of FROM force_as_of WHERE force = ?", [force]).fetchone()
    meta = {
        "format": FORMAT,
        "format_version": 1,
        "force": force,
        "force_name": load_reference().force_name(force),
        "as_of": str(as_of[0]) if as_of else str(pd.to_datetime(results["month"]).max().date()),
        "product_version": importlib.metadata.version("flightdeck"),
        "exported_at": dt.datetime.now().isoformat(timespec="seconds"),
        "suppression": {
            "count_max": rule.count_max,
            "min_denominator": rule.min_denominator,
            "secondary": True,
            "linked_kpis": [list(g) for g in rule.linked],
            "description": rule.describe(),
        },
        "rows": len(safe),
        "rows_suppressed": int(safe["suppressed"].sum()),
        "sha256": hashlib.sha256(text.encode("utf-8")).hexdigest(),
        "columns": RESULT_COLUMNS + ["suppressed"],
        "feasibility": _feasibility(con, force),
    }
    meta_path = meta_path_for(out)
    _write_atomically(out, text)
    _write_atomically(meta_path, json.dumps(meta, indent=2) + "\n")
    suppressed = meta["rows_suppressed"]
    audit.record(con, user, "export_results", f"{detail}: {len(safe)} rows", "ok")
    message = (
        f"Wrote {len(safe):,} result rows for {force} to {out} ({suppressed:,} suppressed) "
        f"and the side file {meta_path.name}."
    )
    return ExportSummary(out, meta_path, len(safe), suppressed, message)


def _own_forces(con) -> set[str]:
    rows = con.execute(
        "SELECT DISTINCT force FROM kpi_results UNION SELECT force FROM force_as_of"
    ).fetchall()
    return {r[0] for r in rows}


def import_results(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    *,
    user: access.User,
    meta_path: Path | None = None,
    file_name: str | None = None,
) -> ImportOutcome:
    """Validate a peer's results file and store it, replacing any earlier import for that force.

    Refused (nothing changes) when the file or its side file is malformed, looks like case-level
    data, or is for a force whose own case data is in this database.
    """
    path = Path(path)
    name = file_name or path.name
    _guard(con, user, "import_results", access.IMPORT_PEERS, f"file {name}")
    checked = read_results_file(
        path,
        meta_path=meta_path,
        kinds=_kinds(),
        known_forces=load_reference().force_ids,
        file_name=name,
    )
    report, meta = checked.report, checked.meta
    if report.ok and meta["force"] in _own_forces(con):
        report.add(
            "own_force",
            f"{meta['force']} has its own case data in this database; its results are computed "
            "here and an import never replaces them",
        )
    force = meta.get("force") if isinstance(meta, dict) else None
    if not report.ok:
        audit.record(con, user, "import_results", f"file {name}: {report.totals}", "refused")
        return ImportOutcome("refused", f"Refused {name}: nothing was imported.", report, force)
    previous = con.execute(
        "SELECT import_id, sha256, imported_at FROM peer_imports WHERE force = ?", [force]
    ).fetchone()
    if previous and previous[1] == checked.sha256:
        audit.record(con, user, "import_results", f"file {name} for {force}", "no_change")
        message = f"Nothing changed: {name} is already the import for {force}."
        return ImportOutcome("no_change", message, report, force)
    frame = checked.frame
    _store_import(con, user, name, checked.sha256, meta, frame, previous)
    rule = meta["suppression"]
    local = default_rule()
    notes = []
    if rule["count_max"] < local.count_max or rule["min_denominator"] < local.min_denominator:
        notes.append(
            f"{force} suppressed under a weaker rule (counts to {rule['count_max']}, "
            f"denominators under {rule['min_denominator']}) than this database's settings"
        )
    replaced = f"; replaced the import of {previous[2]:%Y-%m-%d %H:%M}" if previous else ""
    message = (
        f"Imported {len(frame):,} result rows for {force} as of {meta['as_of']} "
        f"({int(frame['suppressed'].sum()):,} suppressed by the sender){replaced}."
    )
    audit.record(con, user, "import_results", f"file {name} for {force}: {len(frame)} rows", "ok")
    return ImportOutcome("imported", message, report, force, len(frame), notes)


def _store_import(con, user, name, sha, meta, frame: pd.DataFrame, previous) -> None:
    """Replace the force's import in one transaction."""
    force = meta["force"]
    con.execute("BEGIN TRANSACTION")
    try:
        if previous:
            _delete_import(con, previous[0])
        import_id = con.execute("SELECT nextval('peer_import_id_seq')").fetchone()[0]
        exported_at = pd.to_datetime(meta.get("exported_at"), errors="coerce")
        con.execute(
            "INSERT INTO peer_imports VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            [
                import_id,
                force,
                name,
                sha,
                dt.date.fromisoformat(str(meta["as_of"])),
                str(meta["product_version"]),
                meta["suppression"]["count_max"],
                meta["suppression"]["min_denominator"],
                None if pd.isna(exported_at) else exported_at.to_pydatetime(),
                len(frame),
                int(frame["suppressed"].sum()),
                user.name,
                dt.datetime.now(),
            ],
        )
        con.register("incoming_peer", frame)
        try:
            con.execute(
                f"INSERT INTO peer_results SELECT ?, {', '.join(RESULT_COLUMNS)}, suppressed "
                "FROM incoming_peer",
                [import_id],
            )
        finally:
            con.unregister("incoming_peer")
        feasibility = [
            [import_id, force, f["kpi_id"], f["flag"], str(f.get("reason", ""))]
            for f in meta["feasibility"]
        ]
        if feasibility:
            con.executemany("INSERT INTO peer_feasibility VALUES (?, ?, ?, ?, ?)", feasibility)
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")


def _delete_import(con, import_id: int) -> None:
    for table in ("peer_results", "peer_feasibility", "peer_imports"):
        con.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])


def remove_import(con: duckdb.DuckDBPyConnection, force: str, *, user: access.User) -> str:
    """Remove the imported results of a peer force. Raises ValueError if there are none."""
    detail = f"imported results of {force}"
    _guard(con, user, "remove_peer_results", access.IMPORT_PEERS, detail)
    row = con.execute("SELECT import_id FROM peer_imports WHERE force = ?", [force]).fetchone()
    if row is None:
        audit.record(con, user, "remove_peer_results", detail, "refused")
        raise ValueError(f"there are no imported results for {force}")
    con.execute("BEGIN TRANSACTION")
    _delete_import(con, row[0])
    con.execute("COMMIT")
    audit.record(con, user, "remove_peer_results", detail, "ok")
    return f"Removed the imported results of {force}."


def list_imports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current peer imports, one row per force."""
    return con.execute(
        """SELECT force, file_name, as_of, product_version, suppress_count_max,
                  suppress_min_denominator, rows_total, rows_suppressed, exported_at,
                  imported_by, imported_at
           FROM peer_imports ORDER BY force"""
    ).df()
