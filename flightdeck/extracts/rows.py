"""The data rows of a CSV, typed and staged in DuckDB, each with the line of the file it starts
on (header = line 1).

DuckDB parses the rows (fast, in parallel, in file order) straight into the staged table
(`flightdeck.extracts.staging`); only when its rows cannot be matched one-for-one with the file's
lines (quoted line breaks, blank lines, rows DuckDB rejects) is the file read again with Python's
csv module, which knows the line where every record starts (such files are small: a national
extract is one record per line).

Both readings refuse every row whose number of fields is not the header's, with the same
findings, by line and field count only. DuckDB tolerates empty fields after the last column, so
it reads one column more than the header has and tells an empty field from a missing one (see
`_read_with_duckdb`): no per-row pass in Python is needed for a well-formed file.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable

import duckdb
import pyarrow as pa

from flightdeck.extracts.csvfile import CsvFile, unreadable
from flightdeck.extracts.report import ERROR, ValidationReport
from flightdeck.extracts.staging import Staged, create_table, new_name, stage
from flightdeck.vocabulary import sql_text

LINE_COLUMN = "__line"
# DuckDB holds a vector per column of the file for every chunk of rows it reads, kept or not:
# 20,000 columns take more than the default 2 GB memory limit even for one row. A header wider
# than this (no police system exports one) is read by the csv module.
WIDEST_READ_BY_DUCKDB = 2_000


def _not_blank_row(width: int) -> str:
    """A row with every field empty (",,,," from a spreadsheet) is skipped like a blank line.

    Fields read as '' (no text is NULL, see `_read_with_duckdb`), and '' is the least string:
    `greatest` ignores the padding NULLs, and is one call however wide the header (a header of
    20,000 names takes half the time of 20,000 `nullif`s).
    """
    return f"greatest({', '.join(f'f{i}' for i in range(width))}) <> ''"


def _malformed(width: int, lines: list[int], count: int, report: ValidationReport) -> None:
    """Report rows with the wrong number of fields by line and field count, never their values
    (a row holds a crime's ids). `lines` are the first examples, `count` all such rows."""
    report.add(
        ERROR,
        "malformed_row",
        "the row has the wrong number of fields",
        examples=[(line, None, f": {n} fields where the header has {width}") for line, n in lines],
        total=count,
    )


def _field_counts(csv_file: CsvFile, lines: list[int]) -> list[tuple[int, int]]:
    """The number of fields on each of these lines (each holds one whole record), counted by the
    csv module as the Python reading counts them: the report reads the same either way."""
    wanted, counts = set(lines), []
    with csv_file.path.open(encoding="utf-8", newline="") as text:
        for number, line in enumerate(text, start=1):
            if number in wanted:
                counts.append((number, len(next(csv.reader([line]), []))))
            if number >= lines[-1]:
                break
    return counts


# The typing SQL over a relation of raw rows, given the whitespace to trim besides spaces and the
# relation's name.
Query = Callable[[str, str], str]


def _drop_all(con, statements: list[str]) -> None:
    for statement in statements:
        con.execute(statement)


def _read_with_duckdb(
    con, csv_file: CsvFile, query: Query, report: ValidationReport, columns: dict[str, str]
) -> Staged | None:
    """The rows staged in file order, or None when they cannot be matched to lines one-for-one.

    DuckDB silently drops empty fields beyond the last column ("a,b,," under a header "a,b"), so
    the file is read with one column more than the header, padded with NULL when a row is short,
    and with no text read as NULL: a row has the header's fields exactly when its last column
    is not NULL and the extra one is. Rows with more fields still are rejected by DuckDB.
    """
    width = len(csv_file.header)
    fields = "{" + ", ".join(f"'f{i}': 'VARCHAR'" for i in range(width + 1)) + "}"
    raw, rejects, scans = new_name("raw"), new_name("rejects"), new_name("scans")
    table = None
    # An unquoted field never holds a line break, so as the NULL string it marks only padding
    # (and a quoted line break sends the file to the Python reading anyway).
    try:
        con.execute(
            f"""CREATE TEMP VIEW "{raw}" AS
                SELECT *, CASE WHEN f{width - 1} IS NULL OR f{width} IS NOT NULL
                    THEN 0 END::BIGINT AS {LINE_COLUMN}
                FROM read_csv({sql_text(str(csv_file.path))}, header = true,
                    auto_detect = false, delim = ',', quote = '"', escape = '"',
                    columns = {fields}, strict_mode = true, store_rejects = true,
                    rejects_table = '{rejects}', rejects_scan = '{scans}',
                    null_padding = true, nullstr = chr(10), allow_quoted_nulls = false)
                WHERE {_not_blank_row(width + 1)}"""
        )
        typing = query(csv_file.whitespace, f'"{raw}"')
        table = create_table(con, new_name("rows"), typing, columns)
        rejected = con.execute(f'SELECT count(*) FROM "{rejects}"').fetchall()[0][0]
        # `line` is the mark: 0 on a row with the wrong number of fields.
        rows, malformed = con.execute(f"SELECT count(*), count(line) FROM {table}").fetchall()[0]
    except duckdb.OutOfMemoryException:
        raise
    except duckdb.Error:
        rejected, rows, malformed = 1, 0, 0
    finally:
        _drop_all(
            con,
            [f'DROP VIEW IF EXISTS "{raw}"']
            + [f'DROP TABLE IF EXISTS temp.main."{t}"' for t in (rejects, scans)],
        )
    # One record per line, no blank line, nothing rejected: the n-th row is on line n + 1.
    if rejected or rows + 1 != csv_file.physical_lines:
        if table is not None:
            con.execute(f"DROP TABLE IF EXISTS {table}")
        return None
    staged = stage(con, table, columns, by_rowid=True)
    if malformed:
        examples = con.execute(
            f"SELECT rowid + 2 FROM {table} WHERE line IS NOT NULL ORDER BY rowid LIMIT ?",
            [report.max_examples],
        ).fetchall()
        lines = [line for (line,) in examples]
        _malformed(width, _field_counts(csv_file, lines) if lines else [], malformed, report)
    return staged


def _read_with_python(
    con, csv_file: CsvFile, query: Query, report: ValidationReport, columns: dict[str, str]
) -> Staged:
    """Rows with the exact line each starts on; rows with the wrong number of fields reported."""
    width = len(csv_file.header)
    reader = csv.reader(io.StringIO(csv_file.path.read_text("utf-8"), newline=""))
    fields: list[list[str]] = [[] for _ in range(width)]
    lines: list[int] = []
    malformed: list[tuple[int, int]] = []
    count = end = 0
    spans_lines = False  # a quoted line break: values may start or end with one
    try:
        next(reader, None)
        end = reader.line_num
        for record in reader:
            start, end = end + 1, reader.line_num
            spans_lines = spans_lines or end > start
            if not any(record):
                continue  # blank line, or a row of empty fields
            if len(record) != width:
                count += 1
                if len(malformed) < report.max_examples:
                    malformed.append((start, len(record)))
                continue
            for i, value in enumerate(record):
                fields[i].append(value)
            lines.append(start)
    except csv.Error as exc:  # e.g. a field of over 128 KB: an unclosed quote, most likely
        unreadable(report, end + 1, str(exc))
    if count:
        _malformed(width, malformed, count, report)
    raw = pa.table(
        {
            **{f"f{i}": pa.array(values, pa.string()) for i, values in enumerate(fields)},
            LINE_COLUMN: pa.array(lines, pa.int64()),
        }
    )
    name = new_name("raw")
    con.register(name, raw)
    try:
        whitespace = csv_file.whitespace + ("\n\r" if spans_lines else "")
        table = create_table(con, new_name("rows"), query(whitespace, f'"{name}"'), columns)
    finally:
        con.unregister(name)
    return stage(con, table, columns, by_rowid=False)


def read_rows(
    con: duckdb.DuckDBPyConnection,
    csv_file: CsvFile,
    query: Query,
    report: ValidationReport,
    columns: dict[str, str],
) -> Staged:
    """Stage in `con` the rows the SQL `query(whitespace, raw)` types, over the relation `raw` of
    the data rows: the text of field i as `f{i}` and a `__line` column; `whitespace` is what to
    trim besides spaces. The query must keep the rows in order and return `__line` as `line`,
    followed by the typed `columns` (and their `__unread` text).

    Rows with the wrong number of fields are reported (line and field count), not staged;
    blank rows are skipped. A file the csv module cannot read is reported, never raised.
    """
    staged = None
    if len(csv_file.header) <= WIDEST_READ_BY_DUCKDB:
        staged = _read_with_duckdb(con, csv_file, query, report, columns)
    if staged is None:
        staged = _read_with_python(con, csv_file, query, report, columns)
    return staged
