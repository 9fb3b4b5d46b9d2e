"""CSV exports that are safe to open in a spreadsheet and never carry crime or suspect ids.

Formula injection: a spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` (and, in
some programs, a leading tab or carriage return) as a formula, so text such as a file name
`=HYPERLINK(...)` in the audit trail would run when an analyst opens the export. Every such
text cell is prefixed with a single quote, which spreadsheets show as plain text. Numbers in
numeric columns are left alone, so a negative change stays a number.

Every CSV the product offers goes through `to_safe_csv` (or `csv_bytes`); every download a page
offers goes through `export_csv` or `audited_download`, which check the role and audit it.
"""

import io
from collections.abc import Callable
from pathlib import Path
from typing import IO

import duckdb
import pandas as pd

from flightdeck import access
from flightdeck.access import guard
from flightdeck.extracts.columns import ID_COLUMNS

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Columns that name a crime, a suspect or a victim: exports hold aggregates only, never these.
IDENTIFIER_COLUMNS = ID_COLUMNS


class IdentifierInExport(ValueError):
    """An export was asked to carry a crime or suspect identifier column."""


def neutralise_cell(value: object) -> object:
    """A text value a spreadsheet would run as a formula, prefixed with `'`; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def figure_text(value: object) -> str:
    """A figure as CSV text that reads back to the same float: whole numbers without `.0`,
    blank for a missing value."""
    if value is None or pd.isna(value):
        return ""
    value = float(value)
    return str(int(value)) if value.is_integer() else repr(value)


def _is_text_column(column: pd.Series) -> bool:
    return (
        pd.api.types.is_object_dtype(column)
        or pd.api.types.is_string_dtype(column)
        or isinstance(column.dtype, pd.CategoricalDtype)
    )


def neutralise_formulas(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of the frame with every formula-like text cell and header neutralised.

    Only text cells change (object, string and categorical columns; in a mixed object column
    only its strings). Numeric, boolean and date columns are returned untouched.
    """
    out = frame.copy()
    # By position, not name: a frame may repeat a column name.
    for position in range(frame.shape[1]):
        column = frame.iloc[:, position]
        if _is_text_column(column):
            if isinstance(column.dtype, pd.CategoricalDtype):
                column = column.astype(object)
            out.isetitem(position, column.map(neutralise_cell, na_action="ignore"))
    out.columns = [neutralise_cell(c) for c in frame.columns]
    return out


def check_no_identifiers(frame: pd.DataFrame) -> None:
    """Raise IdentifierInExport if the frame has a crime or suspect identifier column."""
    found = sorted(IDENTIFIER_COLUMNS & {str(c).strip().lower() for c in frame.columns})
    if found:
        raise IdentifierInExport(
            f"exports hold aggregates only; refusing the column(s) {', '.join(found)}"
        )


def redact_identifier_values(
    frame: pd.DataFrame, column_field: str = "column", value_field: str = "value"
) -> pd.DataFrame:
    """A copy of a findings table (validation report, stored warnings) with the values of
    identifier columns blanked, in the value field and wherever they recur in a `message`.

    The line number still locates the row in the analyst's own file; the id itself never
    reaches a page or an export.
    """
    out = frame.copy()
    if column_field not in out.columns or value_field not in out.columns:
        return out
    is_identifier = out[column_field].astype(str).str.strip().str.lower().isin(IDENTIFIER_COLUMNS)
    if "message" in out.columns:
        for index in out.index[is_identifier]:
            value, message = out.at[index, value_field], out.at[index, "message"]
            if isinstance(value, str) and value and isinstance(message, str):
                out.at[index, "message"] = message.replace(value, "[id withheld]")
    out[value_field] = out[value_field].astype(object)
    out.loc[is_identifier, value_field] = None
    return out


def to_safe_csv(
    frame: pd.DataFrame, path_or_buffer: str | Path | IO[str] | None = None
) -> str | None:
    """Write the frame as CSV (no index) after refusing identifier columns and neutralising
    formulas. Returns the text when no path or buffer is given, like `DataFrame.to_csv`."""
    check_no_identifiers(frame)
    return neutralise_formulas(frame).to_csv(path_or_buffer, index=False)


def csv_bytes(frame: pd.DataFrame) -> bytes:
    """The safe CSV as UTF-8 bytes, ready for `st.download_button`."""
    buffer = io.StringIO()
    to_safe_csv(frame, buffer)
    return buffer.getvalue().encode("utf-8")


def audited_download(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    what: str,
    render: Callable[[], bytes],
    rows: int | None = None,
) -> bytes:
    """Check the user may export, build the download with `render`, audit it, return its bytes.

    `what` names the download in the audit trail (for example "board pack demo-northmoor
    2025-06"). Refusals (a role without EXPORT, or an identifier column) are audited and
    re-raised; so is any other failure to build it (Chromium stopping mid-print, say), audited
    as failed by its kind, never its message.
    """
    detail = what if rows is None else f"{what}: {rows:,} rows"
    action = guard.begin(con, user, "export", access.EXPORT, detail)
    return action.attempt(render, refusals=(IdentifierInExport,))


def export_csv(
    con: duckdb.DuckDBPyConnection, user: access.User, frame: pd.DataFrame, what: str
) -> bytes:
    """`audited_download` of a table as a safe CSV (identifier columns refused)."""
    return audited_download(con, user, what, lambda: csv_bytes(frame), rows=len(frame))
