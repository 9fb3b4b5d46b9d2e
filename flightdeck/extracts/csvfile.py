"""Reading an uploaded CSV as a whole: size, encoding, header, and the whitespace it holds.

Text is accepted as UTF-8 (with or without a byte-order mark) or, failing that, Windows-1252 (what
Excel writes). A NUL byte means the file is not a text CSV at all. A header that the csv module
cannot read (a name over its field limit: a quote left open) refuses the file. The rows are read
by `flightdeck.extracts.rows`.
"""

from __future__ import annotations

import csv
import hashlib
import io
import tempfile
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

from flightdeck.extracts.report import ERROR, ValidationReport
from flightdeck.extracts.whitespace import WHITESPACE, spaces_at_edges, whitespace_in

BOM = b"\xef\xbb\xbf"


@dataclass
class CsvFile:
    """A decoded CSV ready to parse. `path` is the original file or a UTF-8 copy of it."""

    path: Path
    sha256: str
    header: list[str]  # names as normalised: surrounding spaces removed, lower case
    physical_lines: int  # lines in the file, counting a last line without a line break
    whitespace: str = ""  # whitespace other than spaces and line ends found in the file
    edge_spaces: bool = True  # whether a field may start or end with a space

    def field(self, name: str) -> str | None:
        """The SQL name of the raw text of a (normalised) header name, None if absent."""
        try:
            return f"f{self.header.index(name)}"
        except ValueError:
            return None


def normalise_header(name: str) -> str:
    """Header names match case-insensitively, surrounding whitespace ignored."""
    return name.strip(WHITESPACE).lower()


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


def _header(data: bytes, text: str | None) -> list[str] | str:
    """The normalised names on the first line (a quoted name may hold a line break), or why the
    line cannot be read as CSV (a name over the csv module's field limit: a quote left open)."""
    head = text[: 1 << 20] if text is not None else data[: 1 << 20].decode("utf-8", "ignore")
    try:
        names = next(csv.reader(io.StringIO(head, newline="")), [])
    except csv.Error as exc:
        return str(exc)
    return [normalise_header(h) for h in names]


def unreadable(report: ValidationReport, line: int, problem: str) -> None:
    """Refuse the file from `line` on: the csv module cannot read it (`problem` says why)."""
    report.add(
        ERROR,
        "unreadable_csv",
        f"the file cannot be read as CSV from here on ({problem}); is a quote left open?",
        examples=[(line, None)],
    )


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
    # hashlib releases the GIL: the file is hashed while its bytes are checked and searched
    # (0.1 s each on a million crimes).
    with ThreadPoolExecutor(max_workers=1) as pool:
        sha256 = pool.submit(lambda: hashlib.sha256(data).hexdigest())
        examined = _examine(data, report, workdir)
        if examined is None:
            return None
        return CsvFile(examined[0] or path, sha256.result(), *examined[1:])


def _examine(
    data: bytes, report: ValidationReport, workdir: Path
) -> tuple[Path | None, list[str], int, str, bool] | None:
    """The UTF-8 copy written (None when the file is UTF-8 as it stands), the header, the
    number of lines, the whitespace found and whether a field may start or end with a space;
    None when the file is refused."""
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
    if isinstance(header, str):
        unreadable(report, 1, header)
        return None
    copy = None
    if text is not None:
        data = text.encode("utf-8")
        copy = workdir / "utf8.csv"
        copy.write_bytes(data)
    return copy, header, physical_lines, whitespace_in(data), spaces_at_edges(data)


def scratch_dir() -> tempfile.TemporaryDirectory:
    """A private directory for a UTF-8 copy of a file; removed when the context ends."""
    return tempfile.TemporaryDirectory(prefix="flightdeck-csv-")
