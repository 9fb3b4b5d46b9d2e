"""Change points and notes on the SPC charts, recorded by analysts.

A change point says the process changed at a month (a new RASSO team, a new policy), so the
SPC chart starts a new baseline there instead of flagging the change as a signal for ever
after; a note is a plain remark shown on the chart. Either is for one KPI or for every KPI of a
force. The text is free text seen by boards, so it is kept short and plain and checked for the
obvious signs of an id or personal details. Nothing is deleted: a withdrawn annotation keeps
who withdrew it and when, and every change goes through `flightdeck.access.guard` (audited).
"""

import datetime as dt
import re
import unicodedata

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.access import guard
from flightdeck.engine.catalogue import by_id
from flightdeck.reference import load_reference

CHANGE_POINT, NOTE = "change_point", "note"
KINDS = {CHANGE_POINT: "Change point", NOTE: "Note"}  # stored code: words on the page
MAX_TEXT = 200
# No SPC chart reaches back further than this; an earlier month is a typing slip.
EARLIEST_MONTH = dt.date(2000, 1, 1)
COLUMNS = ["id", "force", "kpi_id", "month", "kind", "text", "recorded_by", "recorded_at"]

# The obvious shapes of personal details or references that must not be in a note: an email
# address, a long run of digits (crime, case or phone numbers), a UK postcode.
_PERSONAL = (
    ("an email address", re.compile(r"\S+@\S+\.\S+")),
    ("a number that looks like a reference or phone number", re.compile(r"\d{5,}")),
    ("a postcode", re.compile(r"\b[A-Z]{1,2}\d[A-Z\d]?\s*\d[ABD-HJLNP-UW-Z]{2}\b", re.I)),
)


def text_problem(text: str, limit: int = MAX_TEXT, what: str = "the text") -> str | None:
    """Why free text shown to boards cannot be kept (None when it can): it must be 1 to
    `limit` characters of plain text (no control or invisible formatting characters) with
    nothing that looks like an id, a phone number, an email address or a postcode."""
    if not text:
        return f"{what} is empty"
    if len(text) > limit:
        return f"{what} is {len(text)} characters long; at most {limit} are allowed"
    if any(unicodedata.category(c) in ("Cc", "Cf") for c in text):
        return f"{what} holds control characters; use plain text on one line"
    for words, pattern in _PERSONAL:
        if pattern.search(text):
            return f"{what} seems to hold {words}; notes must hold no names, ids or case details"
    return None


def month_start(month) -> dt.date:
    """A month given as a date (or Timestamp) that is the first day of the month.

    Raises ValueError for anything else: a day inside a month would say a change happened at
    a time the monthly chart cannot show."""
    if month is None or isinstance(month, str):
        raise ValueError("the month must be a date")
    try:
        day = pd.Timestamp(month)
    except (TypeError, ValueError):
        raise ValueError("the month must be a date") from None
    if pd.isna(day):
        raise ValueError("the month must be a date")
    if day != day.normalize() or day.day != 1:
        raise ValueError("the month must be given as its first day")
    return day.date()


def _problem(force: str, kpi_id: str | None, month, kind: str, text: str) -> str | None:
    if force not in load_reference().force_ids:
        return f"unknown force {force!r}"
    if kpi_id is not None and kpi_id not in by_id():
        return f"unknown KPI {kpi_id!r}"
    if kind not in KINDS:
        return f"an annotation is a change point or a note, not {kind!r}"
    try:
        day = month_start(month)
    except ValueError as exc:
        return str(exc)
    this_month = dt.date.today().replace(day=1)
    if not EARLIEST_MONTH <= day <= this_month:
        return f"the month must be between {EARLIEST_MONTH:%b %Y} and {this_month:%b %Y}"
    return text_problem(text)


def record_annotation(
    con: duckdb.DuckDBPyConnection,
    force: str,
    kpi_id: str | None,
    month,
    kind: str,
    text: str,
    *,
    user: access.User,
) -> str:
    """Record a change point or a note for a force at a month (the first day of the month),
    for one KPI or for all of them (`kpi_id` None). The text is stripped and checked
    (`text_problem`); it is kept here, never in the audit trail.

    Raises ValueError (audited as refused) for an unknown force or KPI, an unknown kind, a
    month that is not a month start between 2000 and this month, or text that cannot be kept.
    """
    text = (text or "").strip()
    scope = kpi_id or "all KPIs"
    label = month.strftime("%Y-%m") if hasattr(month, "strftime") else repr(month)
    detail = f"{kind} for {force}, {scope}, {label}"
    action = guard.begin(con, user, "record_annotation", access.EDIT_REFERENCE, detail)
    problem = _problem(force, kpi_id, month, kind, text)
    if problem:
        action.refuse(problem)
        raise ValueError(problem)

    def work() -> int:
        return con.execute(
            """INSERT INTO spc_annotations
                   (force, kpi_id, month, kind, text, recorded_by, recorded_at)
               VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING annotation_id""",
            [force, kpi_id, month_start(month), kind, text, user.name, dt.datetime.now()],
        ).fetchone()[0]

    action.run(work, lambda new_id: f"annotation {new_id}")
    return f"{KINDS[kind]} recorded for {scope} from {month_start(month):%b %Y}."


def withdraw_annotation(
    con: duckdb.DuckDBPyConnection, annotation_id: int, *, user: access.User
) -> str:
    """Withdraw an active annotation: it stops showing on the charts but is kept, with who
    withdrew it and when. Raises ValueError (audited as refused) when there is no such active
    annotation."""
    annotation_id = int(annotation_id)  # numpy integers from a frame's column too
    detail = f"annotation {annotation_id}"
    action = guard.begin(con, user, "withdraw_annotation", access.EDIT_REFERENCE, detail)
    found = con.execute(
        "SELECT kind, withdrawn_at IS NULL FROM spc_annotations WHERE annotation_id = ?",
        [annotation_id],
    ).fetchone()
    if found is None or not found[1]:
        reason = "no such annotation" if found is None else "already withdrawn"
        action.refuse(reason)
        raise ValueError(
            "There is no such annotation." if found is None else "It was already withdrawn."
        )

    def work() -> None:
        con.execute(
            """UPDATE spc_annotations SET withdrawn_by = ?, withdrawn_at = ?
               WHERE annotation_id = ?""",
            [user.name, dt.datetime.now(), annotation_id],
        )

    action.run(work)
    return f"{KINDS[found[0]]} withdrawn."


def for_force(con: duckdb.DuckDBPyConnection, force: str) -> pd.DataFrame:
    """The force's active annotations, by month then the order they were recorded: columns
    id, force, kpi_id (None for all KPIs), month (datetime64, the month start), kind
    ('change_point' or 'note'), text, recorded_by, recorded_at."""
    frame = con.execute(
        """SELECT annotation_id AS id, force, kpi_id, month, kind, text, recorded_by,
                  recorded_at
           FROM spc_annotations
           WHERE force = ? AND withdrawn_at IS NULL
           ORDER BY month, annotation_id""",
        [force],
    ).df()
    frame["month"] = pd.to_datetime(frame["month"])
    frame["recorded_at"] = pd.to_datetime(frame["recorded_at"])
    frame["kpi_id"] = frame["kpi_id"].astype(object).where(frame["kpi_id"].notna(), None)
    return frame[COLUMNS].reset_index(drop=True)
