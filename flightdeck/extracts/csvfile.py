"""Reading an uploaded CSV: size, encoding, header, and rows with their line numbers.

Text is accepted as UTF-8 (with or without a byte-order mark) or, failing that, Windows-1252 (what
Excel writes). A NUL byte means the file is not a text CSV at all. DuckDB parses the rows (fast,
in parallel, in file order); only when its rows cannot be matched one-for-one with the file's
lines (quoted line breaks, blank lines, rows with the wrong number of fields) is the file read
again with Python's csv module, which knows the line where every record starts.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from dataclasses import dataclass
from pathlib import Path

import duckdb
import numpy as np
import pyarrow as pa

from flightdeck.extracts.report import ERROR, ValidationReport

BOM = b"\xef\xbb\xbf"
LINE_COLUMN = "__line"


@dataclass
class CsvFile:
    """A decoded CSV ready to parse. `path` is the original file or a UTF-8 copy of it."""

    path: Path
    sha256: str
    header: list[str]  # names as normalised: surrounding spaces removed, lower case
    physical_lines: int  # lines in the file, counting a last line without a line break

    def field(self, name: str) -> str | None:
        """The SQL name of the raw text of a (normalised) header name, None if absent."""
        try:
            return f"f{self.header.index(name)}"
        except ValueError:
            return None


def normalise_header(name: str) -> str:
    """Header names match case-insensitively, surrounding spaces ignored."""
    return name.strip().lower()


def _decode(data: bytes) -> tuple[bool, str | None]:
    """Whether the bytes are readable text, and the text when it must be rewritten as plain
    UTF-8 for DuckDB (a BOM, or Windows-1252); None when the file is UTF-8 as it stands.

    Plain ASCII (the usual extract) is valid UTF-8 as it stands and is not decoded at all.
    """
    if data.startswith(BOM):
        try:
            return True, data[len(BOM) :].decode("utf-8")
        except UnicodeDecodeError:
            return False, None
    if data.isascii():
        return True, None
    try:
        data.decode("utf-8")
        return True, None
    except UnicodeDecodeError:
        pass
    try:
        return True, data.decode("cp1252")
    except UnicodeDecodeError:
        return False, None


def _is_blank(data: bytes) -> bool:
    # Look at the start first: stripping a whole large file would copy it.
    return not data[:4096].replace(BOM, b"").strip() and not data.replace(BOM, b"").strip()


def _header(data: bytes, text: str | None) -> list[str]:
    """The normalised names on the first line (a quoted name may hold a line break)."""
    head = text[: 1 << 20] if text is not None else data[: 1 << 20].decode("utf-8", "ignore")
    return [normalise_header(h) for h in next(csv.reader(io.StringIO(head, newline="")), [])]


def open_csv(
    path: Path, *, max_bytes: int | None, report: ValidationReport, workdir: Path
) -> CsvFile | None:
    """Check the file as a whole (size, text, header); None when it is refused at that level.

    A UTF-8 copy is written into `workdir` when the file has a BOM or is Windows-1252.
    """
    size = path.stat().st_size
    if max_bytes is not None and size > max_bytes:
        report.add(
            ERROR,
            "file_too_large",
            f"the file is {size:,} bytes, over the limit of {max_bytes:,} bytes",
        )
        return None
    data = path.read_bytes()
    sha256 = hashlib.sha256(data).hexdigest()
    if _is_blank(data):
        report.add(ERROR, "empty_file", "the file is empty")
        return None
    if b"\x00" in data:
        report.add(
            ERROR,
            "not_text_csv",
            "the file holds binary data (a NUL byte): not a text CSV (a spreadsheet, or text "
            "saved as UTF-16?); save the extract as CSV UTF-8",
        )
        return None
    readable, text = _decode(data)
    if not readable:
        report.add(
            ERROR,
            "undecodable_text",
            "the text is neither UTF-8 nor Windows-1252; save the extract as CSV UTF-8",
        )
        return None
    physical_lines = data.count(b"\n") + (0 if data.endswith(b"\n") else 1)
    header = _header(data, text)
    if text is not None:
        path = workdir / "utf8.csv"
        path.write_text(text, encoding="utf-8", newline="")
    return CsvFile(path, sha256, header, physical_lines)


def _sql_text(value: str) -> str:
    return "'" + value.replace("'", "''") + "'"


def _not_blank_row(width: int) -> str:
    """A row with every field empty (",,,," from a spreadsheet) is skipped like a blank line."""
    return f"coalesce({', '.join(f'f{i}' for i in range(width))}) IS NOT NULL"


def _read_with_duckdb(con, csv_file: CsvFile, query: str) -> pa.Table | None:
    """Rows in file order, or None when they cannot be matched to lines one-for-one."""
    width = len(csv_file.header)
    columns = "{" + ", ".join(f"'f{i}': 'VARCHAR'" for i in range(width)) + "}"
    try:
        con.execute(
            f"""CREATE OR REPLACE TEMP VIEW raw AS
                SELECT *, NULL::BIGINT AS {LINE_COLUMN}
                FROM read_csv({_sql_text(str(csv_file.path))}, header = true,
                    auto_detect = false, delim = ',', quote = '"', escape = '"',
                    columns = {columns}, strict_mode = true, store_rejects = true)
                WHERE {_not_blank_row(width)}"""
        )
        table = con.sql(query).to_arrow_table()
        rejected = con.execute("SELECT count(*) FROM reject_errors").fetchone()[0]
    except duckdb.Error:
        return None
    # One record per line, no blank line, nothing rejected: the n-th row is on line n + 1.
    if rejected or table.num_rows + 1 != csv_file.physical_lines:
        return None
    lines = pa.array(np.arange(2, table.num_rows + 2, dtype=np.int64))
    return table.set_column(table.schema.get_field_index("line"), "line", lines)


def _read_with_python(con, csv_file: CsvFile, query: str, report: ValidationReport) -> pa.Table:
    """Rows with the exact line each starts on; rows with the wrong number of fields reported."""
    width = len(csv_file.header)
    reader = csv.reader(io.StringIO(csv_file.path.read_text("utf-8"), newline=""))
    next(reader, None)
    fields: list[list[str]] = [[] for _ in range(width)]
    lines: list[int] = []
    malformed: list[tuple[int, str]] = []
    end = reader.line_num
    try:
        for record in reader:
            start, end = end + 1, reader.line_num
            if not any(record):
                continue  # blank line, or a row of empty fields
            if len(record) != width:
                malformed.append((start, f"{len(record)} fields: " + ",".join(record)))
                continue
            for i, value in enumerate(record):
                fields[i].append(value)
            lines.append(start)
    except csv.Error as exc:  # e.g. a field of over 128 KB: an unclosed quote, most likely
        report.add(
            ERROR,
            "unreadable_csv",
            f"the file cannot be read as CSV from here on ({exc}); is a quote left open?",
            examples=[(end + 1, None)],
        )
    if malformed:
        report.add(
            ERROR,
            "malformed_row",
            f"the row does not have the {width} fields of the header",
            examples=malformed,
        )
    raw = pa.table(
        {
            **{f"f{i}": pa.array(values, pa.string()) for i, values in enumerate(fields)},
            LINE_COLUMN: pa.array(lines, pa.int64()),
        }
    )
    con.register("raw_rows", raw)
    con.execute("CREATE OR REPLACE TEMP VIEW raw AS SELECT * FROM raw_rows")
    return con.sql(query).to_arrow_table()


def read_rows(csv_file: CsvFile, query: str, report: ValidationReport) -> pa.Table:
    """Run `query` over the view `raw` of the data rows: the text of field i as `f{i}` and the
    file line as `__line`. The query must keep the rows in order and return `__line` as `line`.

    Rows with the wrong number of fields are reported, not returned; blank rows are skipped.
    """
    table = _with_connection(lambda con: _read_with_duckdb(con, csv_file, query))
    if table is None:
        table = _with_connection(lambda con: _read_with_python(con, csv_file, query, report))
    return table


def _with_connection(work):
    con = duckdb.connect()
    # Strings leave DuckDB as large_string, the layout pandas keeps them in: no copy on the way.
    con.execute("SET arrow_large_buffer_size = true")
    try:
        return work(con)
    finally:
        con.close()


def scratch_dir() -> tempfile.TemporaryDirectory:
    """A private directory for a UTF-8 copy of a file; removed when the context ends."""
    return tempfile.TemporaryDirectory(prefix="flightdeck-csv-")
