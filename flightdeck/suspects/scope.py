"""What a suspect read is asked about, checked before any suspect is read: a force with case
data here, and a month that has ended by the force's as-of date.

Every read of ids goes through `read`: the role first (VIEW_SUSPECTS, through
`flightdeck.access.guard`: a refusal is audited and raises PermissionDenied), then the checks
here, then the work, each ending audited (refused, failed or ok) with who, the force and the
month, never a suspect id.
"""

import calendar
import datetime as dt
from collections.abc import Callable
from typing import TypeVar

import duckdb

from flightdeck import access
from flightdeck.access import guard

T = TypeVar("T")


class SuspectsRefused(ValueError):
    """The force or month cannot be read (audited as refused); the message is one line for the
    user, naming no suspect."""


def month_start(month: dt.date) -> dt.date:
    """The first day of the month of any day in it."""
    return dt.date(month.year, month.month, 1)


def month_end(month: dt.date) -> dt.date:
    """The month end E of any day in the month."""
    return dt.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])


def month_label(month: dt.date) -> str:
    """The month as YYYY-MM, as the audit trail and the command line write it."""
    return f"{month.year:04d}-{month.month:02d}"


def as_of(con: duckdb.DuckDBPyConnection, force: str) -> dt.date | None:
    """The force's as-of date (its latest active case load), or None when it has no case data."""
    row = con.execute("SELECT as_of FROM force_as_of WHERE force = ?", [force]).fetchone()
    return None if row is None else row[0]


def checked_month_end(con: duckdb.DuckDBPyConnection, force: str, month: dt.date) -> dt.date:
    """The month end E of `month`; raises SuspectsRefused when the force has no case data here
    or E is after its as-of date."""
    force_as_of = as_of(con, force)
    if force_as_of is None:
        raise SuspectsRefused(f"no case data for the force {force!r} here")
    end = month_end(month)
    if end > force_as_of:
        raise SuspectsRefused(
            f"{month_label(month)} has not ended in {force}'s case data (as of "
            f"{force_as_of.isoformat()}): a list is drawn at a month end on or before the as-of "
            "date"
        )
    return end


def read(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    action: str,
    detail: str,
    work: Callable[[], T],
    note: Callable[[T], str],
    permissions: tuple[str, ...] = (access.VIEW_SUSPECTS,),
) -> T:
    """Check the user may read suspects (and any further permission), do `work`, audit it.

    The first permission is checked by `guard.begin` (a refusal audited, PermissionDenied
    raised), the others after it, refused the same way. SuspectsRefused from `work` is audited
    as refused with its message; any other failure as failed, by its kind only.
    """
    action_ = guard.begin(con, user, action, permissions[0], detail)
    for permission in permissions[1:]:
        if not access.allowed(user, permission):
            action_.refuse()
            access.require(user, permission)
    return action_.attempt(work, refusals=(SuspectsRefused,), note=note)
