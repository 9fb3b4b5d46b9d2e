"""The audit trail: one row per state-changing action, sensitive read or refusal, in the
database. Rows are written through `flightdeck.access.guard` (and by sign-in)."""

import datetime as dt

import duckdb

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
