"""Peer groups: the forces each comparison is made against.

Peer groups come from the shipped reference list (one group per region plus the demo forces)
until an analyst edits them; the first edit copies the list into the database, so every later
edit is audited and kept with the data. Every edit goes through `flightdeck.access.guard`.
"""

from collections.abc import Iterable

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.access import guard
from flightdeck.reference import load_reference
from flightdeck.store import shipped

# The group offered on the compare page that holds every force with figures in this database.
ALL_WITH_DATA = "All forces with data here"
_ACTION = "edit_peer_groups"


EDITS = shipped.EditableList("peer_group_members", "peer_groups_state")


def peer_groups(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Columns group, force: the edited groups in this database, else the shipped list."""
    if EDITS.customised(con):
        return con.execute(
            'SELECT group_name AS "group", force FROM peer_group_members ORDER BY 1, 2'
        ).df()
    groups = load_reference().peer_groups[["group", "force"]]
    return groups.sort_values(["group", "force"]).reset_index(drop=True)


def members(groups: pd.DataFrame, group: str, focus: str, with_data: Iterable[str]) -> list[str]:
    """The forces compared in `group` for the chosen force: the group's forces and the chosen
    force itself, among those with figures here (every such force for ALL_WITH_DATA)."""
    with_data = set(with_data)
    if group == ALL_WITH_DATA:
        return sorted(with_data)
    listed = set(groups.loc[groups["group"] == group, "force"])
    return sorted((listed | {focus}) & with_data)


def without_data(groups: pd.DataFrame, group: str, focus: str, with_data: Iterable[str]):
    """The forces of `group` with no figures in this database, to be shown as such rather than
    silently dropped (none for ALL_WITH_DATA, which holds only forces with figures)."""
    if group == ALL_WITH_DATA:
        return []
    listed = set(groups.loc[groups["group"] == group, "force"]) | {focus}
    return sorted(listed - set(with_data))


def group_choices(groups: pd.DataFrame, focus: str) -> tuple[list[str], str]:
    """The groups to offer for the chosen force (all forces with data, then the force's own
    groups, then the others) and the one to open on (the force's first group)."""
    mine = sorted(set(groups.loc[groups["force"] == focus, "group"]))
    others = sorted(set(groups["group"]) - set(mine))
    return [ALL_WITH_DATA, *mine, *others], (mine[0] if mine else ALL_WITH_DATA)


def summary(groups: pd.DataFrame) -> pd.DataFrame:
    """One row per group: group, forces (their names, comma-separated)."""
    names = load_reference().forces.set_index("id")["name"]
    named = groups.assign(name=groups["force"].map(names).fillna(groups["force"]))
    listed = named.groupby("group")["name"].agg(lambda s: ", ".join(sorted(s)))
    return listed.rename("forces").reset_index()


def _run_edit(con, user: access.User, action: guard.GuardedAction, work) -> None:
    EDITS.run_edit(con, user, action, peer_groups(con)[["group", "force"]], work)


def _problem(group: str, forces: list[str]) -> str | None:
    unknown = sorted(set(forces) - load_reference().force_ids)
    if not group:
        return "a peer group needs a name"
    if unknown:
        return f"unknown forces: {', '.join(unknown)}"
    if len(set(forces)) < 2:
        return "a peer group needs at least two forces"
    return None


def save_peer_group(
    con: duckdb.DuckDBPyConnection, group: str, forces: list[str], *, user: access.User
) -> str:
    """Create or replace a peer group with exactly these forces (known force ids, at least 2).

    Raises ValueError for an empty name, unknown forces or fewer than two forces.
    """
    group = group.strip()
    detail = f"save group {group!r}: {', '.join(sorted(set(forces)))}"
    action = guard.begin(con, user, _ACTION, access.EDIT_REFERENCE, detail)
    problem = _problem(group, forces)
    if problem:
        action.refuse(problem)
        raise ValueError(problem)

    def work() -> None:
        con.execute("DELETE FROM peer_group_members WHERE group_name = ?", [group])
        con.executemany(
            "INSERT INTO peer_group_members VALUES (?, ?)",
            [[group, f] for f in sorted(set(forces))],
        )

    _run_edit(con, user, action, work)
    return f"Saved peer group {group} with {len(set(forces))} forces."


def delete_peer_group(con: duckdb.DuckDBPyConnection, group: str, *, user: access.User) -> str:
    """Remove a peer group. Raises ValueError when there is no such group."""
    action = guard.begin(con, user, _ACTION, access.EDIT_REFERENCE, f"delete group {group!r}")
    if group not in set(peer_groups(con)["group"]):
        action.refuse()
        raise ValueError(f"there is no peer group called {group}")
    delete = "DELETE FROM peer_group_members WHERE group_name = ?"
    _run_edit(con, user, action, lambda: con.execute(delete, [group]))
    return f"Deleted peer group {group}."


def reset_peer_groups(con: duckdb.DuckDBPyConnection, *, user: access.User) -> str:
    """Drop every edit and go back to the shipped peer groups."""
    EDITS.reset(con, user, _ACTION, "reset to shipped groups")
    return "Peer groups are back to the shipped list."
