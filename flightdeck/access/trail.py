"""Reading the audit trail: admins only, and each reading or export is itself audited.

Each function checks the MANAGE permission itself through `flightdeck.access.guard` (the page
hiding a control is not enough) and writes an audit row, refusals included.
"""

import datetime as dt
from dataclasses import dataclass

import duckdb
import pandas as pd

from flightdeck import access, exports
from flightdeck.access import guard

TRAIL_COLUMNS = ["audit_id", '"at"', "user_name", "role", "action", "detail", "outcome"]


@dataclass(frozen=True)
class TrailFilter:
    """Which audit rows to show; None (or empty) means no restriction."""

    actions: tuple[str, ...] = ()
    outcomes: tuple[str, ...] = ()
    user_contains: str | None = None
    since: dt.date | None = None
    until: dt.date | None = None  # inclusive

    def describe(self) -> str:
        parts = []
        if self.actions:
            parts.append("actions " + ", ".join(self.actions))
        if self.outcomes:
            parts.append("outcomes " + ", ".join(self.outcomes))
        if self.user_contains:
            parts.append(f"user like {self.user_contains!r}")
        if self.since:
            parts.append(f"from {self.since}")
        if self.until:
            parts.append(f"to {self.until}")
        return "; ".join(parts) or "all rows"


def query_trail(con: duckdb.DuckDBPyConnection, flt: TrailFilter) -> pd.DataFrame:
    """The audit rows matching the filter, newest first (no permission check: use read_trail)."""
    until = flt.until + dt.timedelta(days=1) if flt.until else None
    return con.execute(
        f"""SELECT {", ".join(TRAIL_COLUMNS)} FROM audit_log
            WHERE (len(?::VARCHAR[]) = 0 OR action IN (SELECT unnest(?::VARCHAR[])))
              AND (len(?::VARCHAR[]) = 0 OR outcome IN (SELECT unnest(?::VARCHAR[])))
              AND (?::VARCHAR IS NULL OR contains(lower(user_name), lower(?::VARCHAR)))
              AND (?::DATE IS NULL OR "at" >= ?::DATE)
              AND (?::DATE IS NULL OR "at" < ?::DATE)
            ORDER BY audit_id DESC""",
        [
            list(flt.actions),
            list(flt.actions),
            list(flt.outcomes),
            list(flt.outcomes),
            flt.user_contains or None,
            flt.user_contains or None,
            flt.since,
            flt.since,
            until,
            until,
        ],
    ).df()


def read_trail(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    flt: TrailFilter = TrailFilter(),
    *,
    record_view: bool = True,
) -> pd.DataFrame:
    """The audit trail for an admin. Others are refused (PermissionDenied) and audited.

    With `record_view` the viewing itself is audited (the page does it once per session, not
    on every rerun).
    """
    action = guard.begin(con, user, "view_audit", access.MANAGE, flt.describe())
    if record_view:
        action.ok()
    return query_trail(con, flt)


def trail_csv(
    con: duckdb.DuckDBPyConnection, user: access.User, flt: TrailFilter = TrailFilter()
) -> bytes:
    """The filtered audit trail as a formula-safe CSV, for admins only; the export is audited."""
    action = guard.begin(con, user, "export_audit", access.MANAGE, flt.describe())
    frame = query_trail(con, flt)
    data = exports.csv_bytes(frame)
    action.ok(f"{len(frame):,} rows")
    return data


def trail_choices(con: duckdb.DuckDBPyConnection) -> tuple[list[str], list[str]]:
    """The actions and outcomes present in the trail, for the page's filters."""
    actions = [
        r[0] for r in con.execute("SELECT DISTINCT action FROM audit_log ORDER BY 1").fetchall()
    ]
    outcomes = [
        r[0] for r in con.execute("SELECT DISTINCT outcome FROM audit_log ORDER BY 1").fetchall()
    ]
    return actions, outcomes
