"""Where a file's typed rows wait inside DuckDB while they are checked and loaded.

The typing SQL runs inside the connection that will use the rows, into a table of its own: the
rows never leave DuckDB for pandas (a national extract of ten million crimes would take gigabytes
there). `Staged` names the table and the two views over it: `checked`, what the row rules read
(`line`, every column typed, `<column>__unread` for every column), and `typed`, what a load
stores (`line` and every column typed; a blank `cancelled` is false).

A small file's table is a temporary one; a large file's goes to an in-memory database of its
own that DuckDB compresses (`ATTACH ':memory:' (COMPRESS)`), so that the tables of a national
load (ten million crimes, three gigabytes uncompressed) fit within the memory limit instead of
spilling to disk: at ten million crimes the load takes 228 s that way against 316 s in
temporary tables and 241 s in a database file in the spill folder (a shared two-core machine),
while at one million, where temporary tables fit, they are 5 to 10 % faster.

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


def _column(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _parsed(columns: dict[str, str]) -> list[str]:
    return [c for c, kind in columns.items() if kind in PARSED_KINDS]


_UNITS = {"bytes": 1, "KiB": 2**10, "MiB": 2**20, "GiB": 2**30, "TiB": 2**40,
          "KB": 10**3, "MB": 10**6, "GB": 10**9, "TB": 10**12}  # fmt: skip
# A file whose typed rows, about twice its size uncompressed, would take more than this share of
# the memory limit is staged compressed.
COMPRESSED_SHARE = 1 / 16


def _limit_bytes(con: duckdb.DuckDBPyConnection) -> float | None:
    """The connection's memory limit ("1.8 GiB" as DuckDB shows it) in bytes."""
    shown = con.execute("SELECT current_setting('memory_limit')").fetchall()[0][0]
    number, _, unit = str(shown).partition(" ")
    try:
        return float(number) * _UNITS[unit]
    except (ValueError, KeyError):
        return None


def _database_of(table: str) -> str | None:
    """The database of its own a compressed staged table is in (None: a temporary table)."""
    database = table.split(".", 1)[0]
    return None if database == "temp" else database


def create_table(
    con: duckdb.DuckDBPyConnection, name: str, query: str, columns: dict[str, str], size: int = 0
) -> str:
    """Create the staged table `name` from the typing `query` (line, every column typed, the
    text of each date, number or yes/no value that could not be read) of a file of `size`
    bytes; returns its SQL name.

    The texts that could not be read are kept together, as one list that is NULL on a row with
    none (nearly every row): a column of blanks per parsed column would double the table.
    """
    kept = ["line", *(_column(c) for c in columns)]
    texts = [_column(c + UNREAD) for c in _parsed(columns)]
    if texts:
        any_text = " OR ".join(f"{t} IS NOT NULL" for t in texts)
        kept.append(f"CASE WHEN {any_text} THEN [{', '.join(texts)}] END AS {UNREAD_LIST}")
    limit = _limit_bytes(con)
    table = f'temp.main."{name}"'
    if limit is not None and 2 * size > limit * COMPRESSED_SHARE:
        database = _column(f"{name}_db")
        con.execute(f"ATTACH ':memory:' AS {database} (COMPRESS)")
        table = f'{database}.main."{name}"'
    try:
        con.execute(f"CREATE {'' if _database_of(table) else 'TEMP '}TABLE {table} AS "
                    f"SELECT {', '.join(kept)} FROM ({query})")  # fmt: skip
    except BaseException:
        drop_table(con, table)
        raise
    return table


def drop_table(con: duckdb.DuckDBPyConnection, table: str) -> None:
    """Remove a staged table (and the database of its own, if it has one); idempotent."""
    database = _database_of(table)
    if database is None:
        con.execute(f"DROP TABLE IF EXISTS {table}")
    else:
        con.execute(f"DETACH DATABASE IF EXISTS {database}")


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
            drop_table(self.con, self.table)
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
    name = table.rsplit(".", 1)[-1].strip('"')  # a view of the same name, made TEMP
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
