"""The audit trail: one row per state-changing action or refusal, in the database."""

import datetime as dt

import duckdb
import pandas as pd

from flightdeck.access import User


def record(
    con: duckdb.DuckDBPyConnection, user: User, action: str, detail: str, outcome: str
) -> None:
    """Append one audit row (outcome: ok, refused, failed or no_change)."""
    con.execute(
        'INSERT INTO audit_log ("at", user_name, role, action, detail, outcome) '
        "VALUES (?, ?, ?, ?, ?, ?)",
        [dt.datetime.now(), user.name, user.role, action, detail, outcome],
    )


def audit_trail(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The whole trail, newest first."""
    return con.execute("SELECT * FROM audit_log ORDER BY audit_id DESC").df()
