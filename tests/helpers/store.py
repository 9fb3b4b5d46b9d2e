"""Building a store by hand: loads of a few hand-written crimes, straight into the tables."""

import datetime as dt
from collections.abc import Iterable

import duckdb
import pandas as pd

from flightdeck.extracts.columns import CASE_COLUMNS
from flightdeck.store import currency


def _as_date(value):
    if value is None or isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


def insert_case_load(
    con: duckdb.DuckDBPyConnection,
    crimes: Iterable[dict],
    as_of: str,
    forces: list[str] | None = None,
    active: bool = True,
) -> int:
    """Insert one case load directly (no validation): each crime is a dict of contract columns.

    Missing optional keys are blank; `cancelled` defaults to False, `victim_gender` to unknown.
    Returns the new load id.
    """
    crimes = list(crimes)
    load_id = con.execute("SELECT nextval('load_id_seq')").fetchone()[0]
    forces = forces or sorted({c["force"] for c in crimes})
    con.execute(
        """INSERT INTO loads (load_id, kind, file_name, sha256, forces, as_of, rows_total,
                              loaded_by, loaded_at, active)
           VALUES (?, 'cases', ?, ?, ?, ?, ?, 'test', now(), ?)""",
        [
            load_id,
            f"test-{load_id}.csv",
            f"sha-{load_id}",
            forces,
            _as_date(as_of),
            len(crimes),
            active,
        ],
    )
    columns = list(CASE_COLUMNS)
    rows = []
    for line, crime in enumerate(crimes, start=2):
        row = {c: crime.get(c) for c in columns}
        row["cancelled"] = bool(crime.get("cancelled", False))
        row["victim_gender"] = crime.get("victim_gender", "unknown")
        for c, kind in CASE_COLUMNS.items():
            if kind == "date":
                row[c] = _as_date(row[c])
        rows.append([line] + [row[c] for c in columns])
    if rows:
        # Typed like crime_versions, then stored with the derived fields as a load stores them.
        names = ", ".join(["line", *columns])
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE hand_written AS SELECT {names} FROM crime_versions "
            "LIMIT 0"
        )
        placeholders = ", ".join("?" for _ in range(len(columns) + 1))
        con.executemany(f"INSERT INTO hand_written VALUES ({placeholders})", rows)
        currency.store_versions(con, [(load_id, "temp.main.hand_written")])
        con.execute("DROP TABLE temp.main.hand_written")
    currency.settle(con, [load_id])  # as a load through the store does
    return load_id


def insert_workforce_load(con: duckdb.DuckDBPyConnection, rows: Iterable[dict]) -> int:
    """Insert one workforce load directly: dicts of force, month, in_post, trained."""
    rows = list(rows)
    load_id = con.execute("SELECT nextval('load_id_seq')").fetchone()[0]
    con.execute(
        """INSERT INTO loads (load_id, kind, file_name, sha256, forces, rows_total,
                              loaded_by, loaded_at, active)
           VALUES (?, 'workforce', ?, ?, ?, ?, 'test', now(), TRUE)""",
        [
            load_id,
            f"wf-{load_id}.csv",
            f"sha-{load_id}",
            sorted({r["force"] for r in rows}),
            len(rows),
        ],
    )
    con.executemany(
        "INSERT INTO workforce_versions VALUES (?, ?, ?, ?, ?, ?)",
        [
            [load_id, i + 2, r["force"], _as_date(r["month"]), r["in_post"], r["trained"]]
            for i, r in enumerate(rows)
        ],
    )
    return load_id


def audit_rows(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The whole audit trail, newest first."""
    return con.execute("SELECT * FROM audit_log ORDER BY audit_id DESC").df()


class FailingCommit:
    """A connection whose COMMIT fails, as it does when the disk is full."""

    def __init__(self, con) -> None:
        self.con = con

    def execute(self, sql: str, *args):
        if sql.strip().upper() == "COMMIT":
            raise OSError("No space left on device")
        return self.con.execute(sql, *args)

    def __getattr__(self, name: str):
        return getattr(self.con, name)
