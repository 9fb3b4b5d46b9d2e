"""Comparison with similar forces: peer groups, comparable results, peer feasibility.

A force holds case-level data only for itself; other forces arrive as imported KPI results
(see `flightdeck.peer_exchange`). For comparison every force with its own case data in this
database (the demo database holds several) and every imported peer is comparable: own results
are computed here from case data, peer results are the imported aggregates, and a force with
own case data never has imported figures shown in their place.

Peer groups come from the shipped reference list (one group per region plus the demo forces)
until an analyst edits them; the first edit copies the list into the database, so every later
edit is audited and kept with the data.
"""

import dataclasses
import datetime as dt

import duckdb
import pandas as pd

from flightdeck import access, audit
from flightdeck.peer_exchange import export_results, import_results, list_imports, remove_import
from flightdeck.reference import load_reference

__all__ = [
    "ALL_WITH_DATA",
    "comparable_forces",
    "comparable_results",
    "delete_peer_group",
    "export_results",
    "import_results",
    "kpi_catalogue",
    "list_imports",
    "peer_feasibility",
    "peer_groups",
    "remove_import",
    "reset_peer_groups",
    "save_peer_group",
]

# The group offered on the compare page that holds every force with figures in this database.
ALL_WITH_DATA = "All forces with data here"


def kpi_catalogue() -> pd.DataFrame:
    """KPI metadata: kpi_id, name, unit, direction and kind (count, rate or median).

    Read from the KPI engine's catalogue; `kind` is derived from the unit where the catalogue
    does not state it (crimes/suspects are counts, days are medians, everything else a rate).
    """
    from flightdeck import kpis  # late: the KPI engine is heavier than this module

    raw = kpis.catalogue()
    if isinstance(raw, pd.DataFrame):
        frame = raw.copy()
    elif isinstance(raw, dict):
        frame = pd.DataFrame([{"kpi_id": k, **_as_dict(v)} for k, v in raw.items()])
    else:
        frame = pd.DataFrame([_as_dict(item) for item in raw])
    if "kpi_id" not in frame.columns and "id" in frame.columns:
        frame = frame.rename(columns={"id": "kpi_id"})
    frame["unit"] = frame.get("unit", pd.Series("", index=frame.index)).fillna("")
    frame["direction"] = frame.get("direction", pd.Series("neutral", index=frame.index))
    if "name" not in frame.columns:
        frame["name"] = frame["kpi_id"]
    derived = frame["unit"].map(_kind_from_unit)
    if "kind" in frame.columns:
        stated = frame["kind"].where(frame["kind"].isin(["count", "rate", "median"]))
        frame["kind"] = stated.fillna(derived)
    else:
        frame["kind"] = derived
    return frame[["kpi_id", "name", "unit", "direction", "kind"]].sort_values("kpi_id")


def _as_dict(item) -> dict:
    if isinstance(item, dict):
        return dict(item)
    if dataclasses.is_dataclass(item):
        return {f.name: getattr(item, f.name) for f in dataclasses.fields(item)}
    return dict(vars(item))


def _kind_from_unit(unit: str) -> str:
    unit = str(unit).lower()
    if unit in ("crimes", "suspects", "count"):
        return "count"
    if unit == "days":
        return "median"
    return "rate"


def kpi_kinds() -> dict[str, str]:
    """kpi_id -> count, rate or median, from the catalogue."""
    catalogue = kpi_catalogue()
    return dict(zip(catalogue["kpi_id"], catalogue["kind"], strict=True))


# --- peer groups -------------------------------------------------------------------------


def _customised(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("SELECT count(*) FROM peer_groups_state").fetchone()[0] > 0


def peer_groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Columns group, force: the edited groups in this database, else the shipped list."""
    if _customised(con):
        return con.execute(
            'SELECT group_name AS "group", force FROM peer_group_members ORDER BY 1, 2'
        ).df()
    groups = load_reference().peer_groups[["group", "force"]]
    return groups.sort_values(["group", "force"]).reset_index(drop=True)


def _edit(con, user: access.User, detail: str, work) -> None:
    """Check the role, copy the shipped groups in on first edit, run the edit, audit it."""
    try:
        access.require(user, access.EDIT_REFERENCE)
    except access.PermissionDenied:
        audit.record(con, user, "edit_peer_groups", detail, "refused")
        raise
    current = peer_groups(con)
    con.execute("BEGIN TRANSACTION")
    try:
        if not _customised(con):
            con.executemany(
                "INSERT INTO peer_group_members VALUES (?, ?)",
                current[["group", "force"]].values.tolist(),
            )
            con.execute(
                "INSERT INTO peer_groups_state VALUES (?, ?)", [user.name, dt.datetime.now()]
            )
        work()
    except BaseException:
        con.execute("ROLLBACK")
        raise
    con.execute("COMMIT")
    audit.record(con, user, "edit_peer_groups", detail, "ok")


def save_peer_group(
    con: duckdb.DuckDBPyConnection, group: str, forces: list[str], *, user: access.User
) -> str:
    """Create or replace a peer group with exactly these forces (known force ids, at least 2).

    Raises ValueError for an empty name, unknown forces or fewer than two forces.
    """
    group = group.strip()
    known = load_reference().force_ids
    unknown = sorted(set(forces) - known)
    problem = (
        "a peer group needs a name"
        if not group
        else f"unknown forces: {', '.join(unknown)}"
        if unknown
        else "a peer group needs at least two forces"
        if len(set(forces)) < 2
        else None
    )
    detail = f"save group {group!r}: {', '.join(sorted(set(forces)))}"
    if problem:
        audit.record(con, user, "edit_peer_groups", f"{detail}: {problem}", "refused")
        raise ValueError(problem)

    def work() -> None:
        con.execute("DELETE FROM peer_group_members WHERE group_name = ?", [group])
        con.executemany(
            "INSERT INTO peer_group_members VALUES (?, ?)",
            [[group, f] for f in sorted(set(forces))],
        )

    _edit(con, user, detail, work)
    return f"Saved peer group {group} with {len(set(forces))} forces."


def delete_peer_group(con: duckdb.DuckDBPyConnection, group: str, *, user: access.User) -> str:
    """Remove a peer group. Raises ValueError when there is no such group."""
    if group not in set(peer_groups(con)["group"]):
        audit.record(con, user, "edit_peer_groups", f"delete group {group!r}", "refused")
        raise ValueError(f"there is no peer group called {group}")
    _edit(
        con,
        user,
        f"delete group {group!r}",
        lambda: con.execute("DELETE FROM peer_group_members WHERE group_name = ?", [group]),
    )
    return f"Deleted peer group {group}."


def reset_peer_groups(con: duckdb.DuckDBPyConnection, *, user: access.User) -> str:
    """Drop every edit and go back to the shipped peer groups."""
    try:
        access.require(user, access.EDIT_REFERENCE)
    except access.PermissionDenied:
        audit.record(con, user, "edit_peer_groups", "reset to shipped groups", "refused")
        raise
    con.execute("BEGIN TRANSACTION")
    con.execute("DELETE FROM peer_group_members")
    con.execute("DELETE FROM peer_groups_state")
    con.execute("COMMIT")
    audit.record(con, user, "edit_peer_groups", "reset to shipped groups", "ok")
    return "Peer groups are back to the shipped list."


# --- comparison data ---------------------------------------------------------------------


def comparable_forces(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Columns force, name, source ('own' or 'peer'), as_of, synthetic: every force with
    figures in this database."""
    frame = con.execute(
        """
        WITH own AS (
            SELECT DISTINCT r.force, a.as_of FROM kpi_results AS r
            LEFT JOIN force_as_of AS a USING (force)
        )
        SELECT force, 'own' AS source, as_of FROM own
        UNION ALL
        SELECT force, 'peer', as_of FROM peer_imports WHERE force NOT IN (SELECT force FROM own)
        ORDER BY force
        """
    ).df()
    reference = load_reference()
    frame["name"] = [reference.force_name(f) for f in frame["force"]]
    frame["synthetic"] = frame["force"].isin(reference.synthetic_force_ids)
    return frame[["force", "name", "source", "as_of", "synthetic"]]


def comparable_results(
    con: duckdb.DuckDBPyConnection, kpi_id: str, forces: list[str] | None = None
) -> pd.DataFrame:
    """One KPI's results for every comparable force (or the given ones), with `suppressed`
    and `source`; suppressed peer rows are kept so the page can say what is missing."""
    query = "SELECT * FROM comparable_results WHERE kpi_id = ?"
    params: list = [kpi_id]
    if forces is not None:
        query += " AND list_contains(?, force)"
        params.append(list(forces))
    return con.execute(query + " ORDER BY force, month, age_band, gender", params).df()


def peer_feasibility(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Which KPIs each comparable force can compute: force, kpi_id, flag, reason, source.

    Own forces: the feasibility computed here; peers: what their export declared.
    """
    return con.execute(
        """
        SELECT force, kpi_id, flag, reason, 'own' AS source FROM kpi_feasibility
        UNION ALL
        SELECT force, kpi_id, flag, reason, 'peer' FROM peer_feasibility
        WHERE force NOT IN (SELECT force FROM kpi_feasibility)
        ORDER BY force, kpi_id
        """
    ).df()
