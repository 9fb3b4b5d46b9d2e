"""Importing peer forces' KPI results: validate, store (replacing the force's earlier import),
list and remove. A force whose own case data is in this database is never replaced by an import.
Each change goes through `flightdeck.access.guard`: role checked, outcome audited, one
transaction that rolls back on any failure.
"""

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.access import guard
from flightdeck.engine import catalogue
from flightdeck.peers.import_report import ImportReport
from flightdeck.peers.results_file import read_results_file
from flightdeck.peers.suppression import SuppressionRule
from flightdeck.reference import load_reference
from flightdeck.vocabulary import RESULT_COLUMNS


@dataclass
class ImportOutcome:
    status: str  # imported, refused or no_change
    message: str
    report: ImportReport
    force: str | None = None
    rows: int = 0
    notes: list[str] = field(default_factory=list)


def _own_forces(con) -> set[str]:
    return {r[0] for r in con.execute("SELECT force FROM own_forces").fetchall()}


def _weaker_rule_note(force: str, sender: dict) -> list[str]:
    local = SuppressionRule.from_settings()
    if sender["count_max"] < local.count_max or sender["min_denominator"] < local.min_denominator:
        return [
            f"{force} suppressed under a weaker rule (counts to {sender['count_max']}, "
            f"denominators under {sender['min_denominator']}) than this database's settings"
        ]
    return []


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
    action = guard.begin(con, user, "import_results", access.IMPORT_PEERS, f"file {name}")
    checked = read_results_file(
        path,
        meta_path=meta_path,
        kinds=catalogue.kinds(),
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
        action.refuse(str(report.totals))
        return ImportOutcome("refused", f"Refused {name}: nothing was imported.", report, force)
    previous = con.execute(
        "SELECT import_id, sha256, imported_at FROM peer_imports WHERE force = ?", [force]
    ).fetchone()
    action.detail = f"file {name} for {force}"
    if previous and previous[1] == checked.sha256:
        action.unchanged()
        message = f"Nothing changed: {name} is already the import for {force}."
        return ImportOutcome("no_change", message, report, force)
    frame = checked.frame
    action.run(
        lambda: _store_import(con, user, name, checked.sha256, meta, frame, previous),
        f"{len(frame)} rows",
    )
    replaced = f"; replaced the import of {previous[2]:%Y-%m-%d %H:%M}" if previous else ""
    message = (
        f"Imported {len(frame):,} result rows for {force} as of {meta['as_of']} "
        f"({int(frame['suppressed'].sum()):,} suppressed by the sender){replaced}."
    )
    if checked.older_format:
        message += (
            " The file is in the older results format, without offence groups: every row was "
            "read as All (all RASSO crimes)."
        )
    notes = _weaker_rule_note(force, meta["suppression"])
    return ImportOutcome("imported", message, report, force, len(frame), notes)


def _store_import(con, user, name, sha, meta, frame: pd.DataFrame, previous) -> None:
    """Replace the force's import (the caller holds the transaction)."""
    force = meta["force"]
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
        # Columns named: a database made before offence groups has offence_group last.
        columns = ", ".join([*RESULT_COLUMNS, "suppressed"])
        con.execute(
            f"INSERT INTO peer_results (import_id, {columns}) SELECT ?, {columns} "
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


def _delete_import(con, import_id: int) -> None:
    for table in ("peer_results", "peer_feasibility", "peer_imports"):
        con.execute(f"DELETE FROM {table} WHERE import_id = ?", [import_id])


def remove_import(con: duckdb.DuckDBPyConnection, force: str, *, user: access.User) -> str:
    """Remove the imported results of a peer force. Raises ValueError if there are none."""
    detail = f"imported results of {force}"
    action = guard.begin(con, user, "remove_peer_results", access.IMPORT_PEERS, detail)
    row = con.execute("SELECT import_id FROM peer_imports WHERE force = ?", [force]).fetchone()
    if row is None:
        action.refuse()
        raise ValueError(f"there are no imported results for {force}")
    action.run(lambda: _delete_import(con, row[0]))
    return f"Removed the imported results of {force}."


def list_imports(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The current peer imports, one row per force."""
    return con.execute(
        """SELECT force, file_name, as_of, product_version, suppress_count_max,
                  suppress_min_denominator, rows_total, rows_suppressed, exported_at,
                  imported_by, imported_at
           FROM peer_imports ORDER BY force"""
    ).df()
