"""The one shape of every change and every sensitive read: check the role, audit the outcome
(refusals too), and do the work in a transaction that rolls back on any failure.

    action = guard.begin(con, user, "rollback", access.ROLLBACK, f"load {load_id}")
    if unknown:
        action.refuse("no such load")          # audited as refused
        raise ValueError(...)
    action.run(lambda: ..., "load rolled back")  # audited as ok, in the same transaction

`begin` raises `access.PermissionDenied` (after auditing the refusal) when the role does not
allow the action. `run` commits the work and its `ok` audit row together, or neither: on any
failure it rolls back, audits the failure by its kind (never its message, which may quote
data), and re-raises.
"""

import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeVar

import duckdb

from flightdeck import access
from flightdeck.access import audit

T = TypeVar("T")

OK, REFUSED, FAILED, NO_CHANGE = "ok", "refused", "failed", "no_change"


@dataclass
class GuardedAction:
    """One user's attempt at one action; each method writes the audit row of one ending."""

    con: duckdb.DuckDBPyConnection
    user: access.User
    action: str
    detail: str

    def _record(self, outcome: str, note: str = "") -> None:
        detail = f"{self.detail}: {note}" if note else self.detail
        audit.record(self.con, self.user, self.action, detail, outcome)

    def refuse(self, reason: str = "") -> None:
        """The input or the state does not allow the action: nothing is done."""
        self._record(REFUSED, reason)

    def unchanged(self, reason: str = "") -> None:
        """The action was allowed but there was nothing to do (a file loaded before)."""
        self._record(NO_CHANGE, reason)

    def ok(self, note: str = "") -> None:
        """A read or a file written outside the database went through."""
        self._record(OK, note)

    def failed(self, exc: BaseException) -> None:
        """The work broke: audited by the kind of failure, never its message (which may quote
        data)."""
        self._record(FAILED, type(exc).__name__)

    def run(self, work: Callable[[], T], note: str | Callable[[T], str] = "") -> T:
        """Do `work` in a transaction with its `ok` audit row; on failure roll back, audit the
        failure and re-raise."""
        self.con.execute("BEGIN TRANSACTION")
        try:
            result = work()
            self._record(OK, note(result) if callable(note) else note)
            # Inside the try: a commit that fails (a full disk, say) is a failure like any other.
            self.con.execute("COMMIT")
        except BaseException as exc:
            self._roll_back()
            self.failed(exc)  # after the rollback, so it is kept
            raise
        return result

    def attempt(
        self,
        work: Callable[[], T],
        refusals: tuple[type[Exception], ...] = (),
        note: str | Callable[[T], str] = "",
    ) -> T:
        """Do `work` that changes nothing in the database (a read, a file built) and audit how
        it ended: one of `refusals` as refused with its message (written to be shown), any
        other failure as failed by its kind, else ok with `note`. Re-raises either failure."""
        try:
            result = work()
        except refusals as exc:
            self.refuse(str(exc))
            raise
        except Exception as exc:
            self.failed(exc)
            raise
        self.ok(note(result) if callable(note) else note)
        return result

    def _roll_back(self) -> None:
        """Undo the transaction; after a failed COMMIT DuckDB has already undone it."""
        with contextlib.suppress(duckdb.Error):
            self.con.execute("ROLLBACK")


def begin(
    con: duckdb.DuckDBPyConnection, user: access.User, action: str, permission: str, detail: str
) -> GuardedAction:
    """Start an action: the user's role must allow `permission`, else the refusal is audited
    and PermissionDenied raised."""
    guarded = GuardedAction(con, user, action, detail)
    try:
        access.require(user, permission)
    except access.PermissionDenied:
        guarded.refuse()
        raise
    return guarded
