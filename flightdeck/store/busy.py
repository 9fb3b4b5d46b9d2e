"""Opening the database file while another process may hold it.

DuckDB lets one process at a time open a database file for writing: while the command line
loads an extract, the dashboard cannot open the file, and the other way round. Both open the
file only for a moment (a read batch, one change), so a short wait is usually enough; after
that the caller gets `DatabaseBusy` with a sentence a person can act on.
"""

import time
from collections.abc import Callable
from typing import TypeVar

import duckdb

T = TypeVar("T")

BUSY_MESSAGE = "The database is busy (a load is running); try again in a moment."


class DatabaseBusy(Exception):
    """Another process holds the database file (a load in progress) beyond the wait allowed."""

    def __init__(self, message: str = BUSY_MESSAGE) -> None:
        super().__init__(message)


def is_lock_conflict(exc: BaseException) -> bool:
    """Whether the error is DuckDB refusing the file because another process holds its lock."""
    return isinstance(exc, duckdb.IOException) and "lock" in str(exc).lower()


def open_when_free(
    opener: Callable[[], T],
    wait_seconds: float,
    *,
    pause: float = 0.1,
    sleep: Callable[[float], None] = time.sleep,
    clock: Callable[[], float] = time.monotonic,
) -> T:
    """Call `opener` until it succeeds, retrying lock conflicts for up to `wait_seconds`.

    Any other error is raised at once. When the file is still locked after the wait, raises
    DatabaseBusy. The pause doubles after each attempt (up to one second) so a long load is
    not polled hard.
    """
    deadline = clock() + wait_seconds
    while True:
        try:
            return opener()
        except duckdb.IOException as exc:
            if not is_lock_conflict(exc):
                raise
            if clock() + pause > deadline:
                raise DatabaseBusy() from exc
        sleep(pause)
        pause = min(pause * 2, 1.0)
