"""One suspect's history at a month end, for a tasking meeting: the suspect's crimes to the month
end (those of the lists' window marked), the disruption in place as the lists count it, and the
civil orders, SSRP referrals and breaches behind it.

    found = suspect_history(con, user, "demo-eastvale", dt.date(2025, 6, 1), "S-0042")

Analysts only (VIEW_SUSPECTS, checked first; a viewer is refused, audited, and gets nothing).
The audit row names the force and the month and a short digest of the suspect, never the id:
an auditor holding a list can match the digest (`suspect_digest`) to a row of it.
"""

import datetime as dt
import hashlib
from dataclasses import dataclass

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.reference import load_reference
from flightdeck.suspects import lists, queries, scope
from flightdeck.suspects.scope import SuspectsRefused

VIEW_ACTION = "view_suspect_history"
DIGEST_CHARS = 12
CRIME_COLUMNS = (
    "crime_id",
    "recorded_date",
    "offence_code",
    "offence_title",
    "offence_group",
    "in_window",
    "open_at_month_end",
    "outcome_type",
    "outcome_date",
    "first_contact_date",
    "release_type",
    "s63g_application",
    "victim_id",
    "harm",
)
DISRUPTION_COLUMNS = (*lists.COLUMNS[1:], lists.SCORE)
ORDER_COLUMNS = ("date", "event", "civil_order_type")
_DATES = ("recorded_date", "outcome_date", "first_contact_date")


@dataclass(frozen=True)
class SuspectHistory:
    """A suspect's history to month end `month_end`.

    `crimes`: the suspect's in-scope crimes recorded on or before it, newest first (CRIME_COLUMNS);
    `disruption`: one row, the list's columns without rank, and the RFG score (blank with no
    crime in the window); `orders`: civil order applications and outcomes, SSRP referrals and
    breaches dated on or before it, newest first (ORDER_COLUMNS).
    """

    force: str
    month_end: dt.date
    suspect_id: str
    crimes: pd.DataFrame
    disruption: pd.DataFrame
    orders: pd.DataFrame


def suspect_digest(force: str, suspect_id: str) -> str:
    """The first 12 hex characters of the SHA-256 of `<force>:<suspect_id>` (UTF-8): what the
    audit trail records of a history's suspect."""
    text = f"{force}:{suspect_id}".encode()
    return hashlib.sha256(text).hexdigest()[:DIGEST_CHARS]


def _plain(frame: pd.DataFrame, dates) -> pd.DataFrame:
    """Dates as dates and blank text as None, for a page to show and a test to compare."""
    for column in frame.columns:
        if column in dates:
            frame[column] = [None if pd.isna(d) else pd.Timestamp(d).date() for d in frame[column]]
        elif pd.api.types.is_string_dtype(frame[column]):
            frame[column] = frame[column].astype(object).where(frame[column].notna(), None)
    return frame


def _crimes(con: duckdb.DuckDBPyConnection, values: dict) -> pd.DataFrame:
    sql = queries.compose("suspect_crimes", "history_crimes")
    crimes = queries.run(con, sql, values)
    codes = load_reference().offence_codes
    titles = dict(zip(codes["code"], codes["title"], strict=True))
    crimes["offence_title"] = crimes["offence_code"].map(titles)
    crimes = crimes.astype({"in_window": bool, "open_at_month_end": bool, "harm": "int64"})
    crimes["s63g_application"] = crimes["s63g_application"].astype("boolean")
    return _plain(crimes, _DATES)[list(CRIME_COLUMNS)]


def _history(
    con: duckdb.DuckDBPyConnection, force: str, month: dt.date, suspect_id: str
) -> SuspectHistory:
    end = scope.checked_month_end(con, force, month)
    values = queries.parameters(force, end, suspect_id)
    crimes = _crimes(con, values)
    if crimes.empty:
        raise SuspectsRefused(
            f"no crime of that suspect in {force}'s case data to {end.isoformat()}"
        )
    summary = queries.run(con, queries.ranked("the_suspect"), values)
    disruption = lists.tidy(summary.drop(columns="rank"))[list(DISRUPTION_COLUMNS)]
    orders = queries.run(con, queries.compose("suspect_crimes", "history_orders"), values)
    orders = _plain(orders, ("date",))[list(ORDER_COLUMNS)]
    return SuspectHistory(force, end, suspect_id, crimes, disruption, orders)


def suspect_history(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    force: str,
    month: dt.date,
    suspect_id: str,
) -> SuspectHistory:
    """The suspect's history in `force` to the end of `month` (any day of it).

    Raises PermissionDenied for a role without VIEW_SUSPECTS, SuspectsRefused for a force with
    no case data, a month not ended by its as-of date or a suspect with no crime to that month
    end. Audited as `view_suspect_history` with the force, month and the suspect's digest.
    """
    digest = suspect_digest(force, suspect_id)
    detail = f"suspect history {force} {scope.month_label(month)} suspect digest {digest}"
    return scope.read(
        con,
        user,
        VIEW_ACTION,
        detail,
        lambda: _history(con, force, month, suspect_id),
        lambda found: f"{len(found.crimes)} crimes",
    )
