"""Where a file's typed rows wait inside DuckDB while they are checked and loaded.

The typing SQL runs inside the connection that will use the rows, into a table of its own: the
rows never leave DuckDB for pandas (a national extract of ten million crimes would take gigabytes
there). `Staged` names the table and the two views over it: `checked`, what the row rules read
(`line`, every column typed, `<column>__unread` for every column), and `typed`, what a load
stores (`line` and every column typed; a blank `cancelled` is false).

When DuckDB reads one record per line, the table is created straight from its reading, in file
order (DuckDB keeps the order rows are inserted in), so the n-th row of the table, `rowid` n - 1,
is on line n + 1; rows with the wrong number of fields stay in the table, marked in its `line`
column, and the views leave them out. Otherwise the table holds each row's line as the csv
module found it.
"""

from __future__ import annotations

import itertools
import os
from dataclasses import dataclass

import duckdb
import pandas as pd
import pyarrow

from flightdeck.extracts.typed_sql import PARSED_KINDS, UNREAD

_names = itertools.count(1)
UNREAD_LIST = "__unread"  # the staged table's list of the texts that could not be read


def new_name(kind: str) -> str:
    """A name no other staged relation of this process has."""
    return f"__fd_{kind}_{os.getpid()}_{next(_names)}"


def table_name(name: str) -> str:
    """The SQL name of a staged table called `name` (created with `create_table`)."""
    return f'temp.main."{name}"'


def _column(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _parsed(columns: dict[str, str]) -> list[str]:
    return [c for c, kind in columns.items() if kind in PARSED_KINDS]


def create_table(
    con: duckdb.DuckDBPyConnection, name: str, query: str, columns: dict[str, str]
) -> str:
    """Create the staged table `name` from the typing `query` (line, every column typed, the
    text of each date, number or yes/no value that could not be read); returns its SQL name.

    The texts that could not be read are kept together, as one list that is NULL on a row with
    none (nearly every row): a column of blanks per parsed column would double the table.
    """
    kept = ["line", *(_column(c) for c in columns)]
    texts = [_column(c + UNREAD) for c in _parsed(columns)]
    if texts:
        any_text = " OR ".join(f"{t} IS NOT NULL" for t in texts)
        kept.append(f"CASE WHEN {any_text} THEN [{', '.join(texts)}] END AS {UNREAD_LIST}")
    con.execute(f'CREATE TEMP TABLE "{name}" AS SELECT {", ".join(kept)} FROM ({query})')
    return table_name(name)


@dataclass
class Staged:
    """A file's typed rows held in `con`; `drop()` removes them (and closes the connection when
    the rows own it)."""

    con: duckdb.DuckDBPyConnection
    table: str  # the SQL name of the table
    checked: str  # the view the rules read
    typed: str  # the view a load stores
    columns: dict[str, str]
    rows: int = 0
    owns_connection: bool = False
    dropped: bool = False

    def drop(self) -> None:
        """Remove the views and the table; idempotent."""
        if self.dropped:
            return
        self.dropped = True
        try:
            for view in (self.typed, self.checked):
                self.con.execute(f"DROP VIEW IF EXISTS {view}")
            self.con.execute(f"DROP TABLE IF EXISTS {self.table}")
        finally:
            if self.owns_connection:
                self.con.close()

    def frame(self) -> pd.DataFrame:
        """The typed rows as pandas (line first): dates datetime64[ms], integers Int64, yes/no
        nullable boolean (`cancelled` bool), text str. For tests and small files only."""
        table = self.con.sql(f"SELECT * FROM {self.typed} ORDER BY line").to_arrow_table()
        mapper = {
            pyarrow.int32(): pd.Int64Dtype(),
            pyarrow.int64(): pd.Int64Dtype(),
            pyarrow.bool_(): pd.BooleanDtype(),
        }
        frame = table.to_pandas(date_as_object=False, types_mapper=mapper.get)
        frame["line"] = frame["line"].astype("int64")
        if "cancelled" in frame.columns:
            frame["cancelled"] = frame["cancelled"].astype(bool)
        return frame


def stage(
    con: duckdb.DuckDBPyConnection,
    table: str,
    columns: dict[str, str],
    *,
    by_rowid: bool,
    owns_connection: bool = False,
) -> Staged:
    """The views over a staged table of typed rows (see the module's docstring): `by_rowid`
    when DuckDB read the file one record per line (lines from the row ids, rows marked
    malformed left out), else the table has each row's `line`."""
    name = table.rsplit(".", 1)[-1].strip('"')
    checked, typed = f'"{name}_checked"', f'"{name}_typed"'
    line = "rowid + 2" if by_rowid else "line"
    # In a table read by DuckDB, `line` is a mark: 0 on a row with the wrong number of fields.
    where = " WHERE line IS NULL" if by_rowid else ""
    parsed = _parsed(columns)
    read = []
    for c in columns:
        read.append(_column(c))
        text = f"{UNREAD_LIST}[{parsed.index(c) + 1}]" if c in parsed else "NULL::VARCHAR"
        read.append(f"{text} AS {_column(c + UNREAD)}")
    con.execute(
        f"CREATE TEMP VIEW {checked} AS SELECT {line} AS line, {', '.join(read)} "
        f"FROM {table}{where}"
    )
    stored = [
        "coalesce(cancelled, false) AS cancelled" if c == "cancelled" else _column(c)
        for c in columns
    ]
    con.execute(f"CREATE TEMP VIEW {typed} AS SELECT line, {', '.join(stored)} FROM {checked}")
    staged = Staged(con, table, checked, typed, dict(columns), owns_connection=owns_connection)
    staged.rows = con.execute(f"SELECT count(*) FROM {checked}").fetchall()[0][0]
    return staged
