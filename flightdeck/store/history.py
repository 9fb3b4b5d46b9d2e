"""The loads history: every load with its counts and warnings, and rolling a load back (its rows
stop counting and the previous versions of its crimes are current again)."""

import datetime as dt
from collections.abc import Callable

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.access import guard
from flightdeck.engine import refresh
from flightdeck.store import currency


def rollback(
    con: duckdb.DuckDBPyConnection,
    load_id: int,
    *,
    user: access.User,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Deactivate a load and recompute the KPIs of its forces, in one transaction.

    Raises ValueError for an unknown or already rolled-back load.
    """
    action = guard.begin(con, user, "rollback", access.ROLLBACK, f"load {load_id}")
    row = con.execute(
        "SELECT active, file_name, forces FROM loads WHERE load_id = ?", [load_id]
    ).fetchone()
    if row is None or not row[0]:
        action.refuse()
        state = "does not exist" if row is None else "is already rolled back"
        raise ValueError(f"Load {load_id} {state}.")

    def work() -> None:
        con.execute(
            "UPDATE loads SET active = FALSE, rolled_back_by = ?, rolled_back_at = ? "
            "WHERE load_id = ?",
            [user.name, dt.datetime.now(), load_id],
        )
        currency.settle(con, [load_id])
        if progress:
            progress("computing KPIs")
        refresh.refresh(con, forces=row[2])

    action.run(work)
    return f"Rolled back load {load_id} ({row[1]}): its rows no longer count."


def refresh_everything(
    con: duckdb.DuckDBPyConnection,
    *,
    user: access.User,
    progress: Callable[[str], None] | None = None,
) -> str:
    """Work out every crime's current version and the table of crimes in scope again, and
    every force's KPIs, in one transaction: what loads and rollbacks keep force by force, from
    scratch (after a change to the reference offence codes, say, or to check the store)."""
    action = guard.begin(con, user, "refresh", access.LOAD, "every force")

    def work() -> int:
        if progress:
            progress("working out the current crimes")
        currency.rebuild(con)
        if progress:
            progress("computing KPIs")
        refresh.refresh(con)
        return con.execute("SELECT count(*) FROM kpi_results").fetchone()[0]

    rows = action.run(work, lambda n: f"{n:,} result rows")
    return f"Refreshed every force: {rows:,} KPI result rows."


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
