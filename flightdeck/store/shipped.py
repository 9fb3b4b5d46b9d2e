"""A reference list the product ships and analysts may edit (peer groups, KPI targets).

The shipped list is used until the first edit, which copies it into the database in the same
transaction as the edit, so every later edit is audited and kept with the data; a reset goes
back to the shipped list. Every change goes through `flightdeck.access.guard`.
"""

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.access import guard


@dataclass(frozen=True)
class EditableList:
    table: str  # the list's rows once edited
    state: str  # one row (who, when) once the list has been edited

    def customised(self, con: duckdb.DuckDBPyConnection) -> bool:
        return con.execute(f"SELECT count(*) FROM {self.state}").fetchone()[0] > 0

    def run_edit(
        self,
        con: duckdb.DuckDBPyConnection,
        user: access.User,
        action: guard.GuardedAction,
        current: pd.DataFrame,
        work: Callable[[], None],
    ) -> None:
        """In one transaction, copy `current` (the list in force, in the table's column order)
        in on the first edit and run the edit; the guard audits the outcome and rolls
        everything back on a failure."""

        def edit() -> None:
            if not self.customised(con):
                if len(current):
                    marks = ", ".join("?" * len(current.columns))
                    con.executemany(
                        f"INSERT INTO {self.table} VALUES ({marks})", current.values.tolist()
                    )
                con.execute(
                    f"INSERT INTO {self.state} VALUES (?, ?)", [user.name, dt.datetime.now()]
                )
            work()

        action.run(edit)

    def reset(
        self, con: duckdb.DuckDBPyConnection, user: access.User, action_name: str, detail: str
    ) -> None:
        """Drop every edit (audited as `action_name`): the shipped list is in force again."""
        action = guard.begin(con, user, action_name, access.EDIT_REFERENCE, detail)

        def work() -> None:
            con.execute(f"DELETE FROM {self.table}")
            con.execute(f"DELETE FROM {self.state}")

        action.run(work)
