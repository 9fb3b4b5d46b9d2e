"""KPI targets: the value a force aims for, drawn on its SPC charts for an assurance verdict
(will the process meet the target reliably, sometimes, or not at all?).

Targets are in the KPI's own units: a fraction from 0 to 1 for a rate (pages enter and show
percent), days for a median, a count for a count, cases per FTE for K21. They come from the
shipped reference list (data/reference/targets.csv) until an analyst edits them; the first edit
copies the list into the database, so every later edit is audited and kept with the data, as
peer groups are (`flightdeck.peers.groups`). A KPI that is context only (direction neutral)
takes no target: with neither higher nor lower better, an assurance verdict has no meaning.
"""

import datetime as dt
import math
import numbers

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.access import guard
from flightdeck.engine.catalogue import catalogue
from flightdeck.present.formatting import is_fraction
from flightdeck.reference import load_reference
from flightdeck.store import shipped
from flightdeck.store.annotations import text_problem

_ACTION = "edit_targets"
COLUMNS = ["force", "kpi_id", "target", "source"]
MAX_SOURCE = 100


EDITS = shipped.EditableList("kpi_targets", "kpi_targets_state")


def all_targets(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Columns force, kpi_id, target (float), source: the edited targets in this database,
    else the shipped list (a shipped row whose target is not a number is left out)."""
    if EDITS.customised(con):
        frame = con.execute(
            "SELECT force, kpi_id, target, source FROM kpi_targets ORDER BY force, kpi_id"
        ).df()
    else:
        frame = load_reference().targets[COLUMNS].dropna(subset=["target"])
        frame = frame.sort_values(["force", "kpi_id"])
    frame = frame.astype({"target": float})
    return frame[COLUMNS].reset_index(drop=True)


def targets_for(con: duckdb.DuckDBPyConnection, force: str) -> dict[str, float]:
    """The force's targets by KPI id (a KPI without a target is absent)."""
    frame = all_targets(con)
    mine = frame[frame["force"] == force]
    return dict(zip(mine["kpi_id"], mine["target"].astype(float), strict=True))


def target_problem(force: str, kpi_id: str, target) -> str | None:
    """Why a target cannot be kept (None when it can): a known force and KPI, a KPI that is
    not context only, and a finite number in range (0 to 1 for a rate, else 0 or more)."""
    if force not in load_reference().force_ids:
        return f"unknown force {force!r}"
    kpis = {k.id: k for k in catalogue()}
    if kpi_id not in kpis:
        return f"unknown KPI {kpi_id!r}"
    kpi = kpis[kpi_id]
    if kpi.direction == "neutral":
        return (
            f"{kpi.id} {kpi.name} is a context measure (neither higher nor lower is better), "
            "so a target would give no assurance verdict"
        )
    if isinstance(target, bool) or not isinstance(target, numbers.Real):
        return "the target must be a number"
    if not math.isfinite(target):
        return "the target must be a finite number"
    if is_fraction(kpi.unit) and not 0 <= target <= 1:
        return f"a target for {kpi.id} is a rate: between 0% and 100%"
    if target < 0:
        return f"a target for {kpi.id} cannot be below 0"
    return None


def _run_edit(con, user: access.User, action: guard.GuardedAction, work) -> None:
    EDITS.run_edit(con, user, action, all_targets(con)[COLUMNS], work)


def save_target(
    con: duckdb.DuckDBPyConnection,
    force: str,
    kpi_id: str,
    target: float,
    *,
    user: access.User,
    source: str = "",
) -> str:
    """Set (or replace) the force's target for a KPI, in the KPI's own units (a fraction for a
    rate). `source` says where the target comes from (a plan, a board decision); blank, it
    says who set it and when.

    Raises ValueError (audited as refused) for an unknown force or KPI, a context-only KPI,
    a target that is not a finite number in range, or a source that cannot be kept.
    """
    source = (source or "").strip()
    detail = f"set {force} {kpi_id} target to {target!r}"
    action = guard.begin(con, user, _ACTION, access.EDIT_REFERENCE, detail)
    problem = target_problem(force, kpi_id, target)
    if problem is None and source:
        problem = text_problem(source, MAX_SOURCE, "the source")
    if problem:
        action.refuse(problem)
        raise ValueError(problem)
    source = source or f"set by {user.name} on {dt.date.today():%d %b %Y}"

    def work() -> None:
        con.execute("DELETE FROM kpi_targets WHERE force = ? AND kpi_id = ?", [force, kpi_id])
        con.execute(
            "INSERT INTO kpi_targets VALUES (?, ?, ?, ?)", [force, kpi_id, float(target), source]
        )

    _run_edit(con, user, action, work)
    return f"Target for {kpi_id} saved."


def remove_target(
    con: duckdb.DuckDBPyConnection, force: str, kpi_id: str, *, user: access.User
) -> str:
    """Remove the force's target for a KPI. Raises ValueError (audited as refused) when there
    is none."""
    action = guard.begin(con, user, _ACTION, access.EDIT_REFERENCE, f"remove {force} {kpi_id}")
    if kpi_id not in targets_for(con, force):
        action.refuse("no such target")
        raise ValueError(f"There is no target for {kpi_id} to remove.")
    delete = "DELETE FROM kpi_targets WHERE force = ? AND kpi_id = ?"
    _run_edit(con, user, action, lambda: con.execute(delete, [force, kpi_id]))
    return f"Target for {kpi_id} removed."


def reset_targets(con: duckdb.DuckDBPyConnection, *, user: access.User) -> str:
    """Drop every edit and go back to the shipped targets."""
    EDITS.reset(con, user, _ACTION, "reset to shipped targets")
    return "Targets are back to the shipped list."
