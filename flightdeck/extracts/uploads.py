"""Checks an extract must pass before it is even read: size, name and kind of file.

The contract validation reads the CSV; these checks come first so that a spreadsheet, an
archive, an executable or an oversized file is turned away cheaply, with one plain sentence,
on the load page and on the command line alike.
"""

from pathlib import Path

ALLOWED_SUFFIXES = (".csv",)
# How much of the file's start is inspected for the kind of file.
SNIFF_BYTES = 8192

# Starts of files that are certainly not a CSV extract.
_BINARY_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"PK\x03\x04", "a zip archive or an Excel/OpenDocument workbook"),
    (b"\xd0\xcf\x11\xe0", "an old-style Office document"),
    (b"%PDF", "a PDF"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"MZ", "a Windows program"),
    (b"\x7fELF", "a program"),
    (b"SQLite format 3", "a database"),
)


class UploadRejected(ValueError):
    """The file is not an extract this product accepts; the message says why in one sentence."""


def check_upload(name: str, size: int, head: bytes, max_bytes: int) -> None:
    """Raise UploadRejected unless the file looks like a CSV extract within the size limit.

    `head` is the start of the file (up to SNIFF_BYTES); `max_bytes` comes from the settings
    (FLIGHTDECK_MAX_UPLOAD_MB). Checks: a `.csv` name, not empty, not larger than the limit,
    not a known binary format, no NUL bytes (UTF-16 and binary files have them).
    """
    shown = Path(name).name  # never echo a directory path back to the user
    if Path(shown).suffix.lower() not in ALLOWED_SUFFIXES:
        raise UploadRejected(f"{shown} is not a .csv file; extracts must be CSV files.")
    if size <= 0:
        raise UploadRejected(f"{shown} is empty.")
    if size > max_bytes:
        raise UploadRejected(
            f"{shown} is {size / 1024 / 1024:,.1f} MB, larger than the limit of "
            f"{max_bytes / 1024 / 1024:,.0f} MB."
        )
    for signature, kind in _BINARY_SIGNATURES:
        if head.startswith(signature):
            raise UploadRejected(f"{shown} is {kind}, not a CSV file; save it as CSV (UTF-8).")
    if b"\x00" in head[:SNIFF_BYTES]:
        raise UploadRejected(f"{shown} is not a text CSV file; save it as CSV (UTF-8).")


def check_file(path: Path | str, max_bytes: int, name: str | None = None) -> None:
    """`check_upload` for a file on disk (the command line, or an upload saved to a temp file)."""
    path = Path(path)
    with path.open("rb") as handle:
        head = handle.read(SNIFF_BYTES)
    check_upload(name or path.name, path.stat().st_size, head, max_bytes)
