"""CSV exports that are safe to open in a spreadsheet and never carry crime or suspect ids.

Formula injection: a spreadsheet treats a cell that starts with `=`, `+`, `-` or `@` (and, in
some programs, a leading tab or carriage return) as a formula, so text such as a file name
`=HYPERLINK(...)` in the audit trail would run when an analyst opens the export. Every such
text cell is prefixed with a single quote, which spreadsheets show as plain text. Numbers in
numeric columns are left alone, so a negative change stays a number.

Every CSV the product offers goes through `to_safe_csv` (or `csv_bytes` / `export_csv`).
"""

import io
from pathlib import Path
from typing import IO

import duckdb
import pandas as pd

from flightdeck import access, audit

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")

# Columns that name a crime or a suspect: exports hold aggregates only, never these.
IDENTIFIER_COLUMNS = frozenset({"crime_id", "suspect_id"})


class IdentifierInExport(ValueError):
    """An export was asked to carry a crime or suspect identifier column."""


def neutralise_cell(value: object) -> object:
    """A text value a spreadsheet would run as a formula, prefixed with `'`; anything else as is."""
    if isinstance(value, str) and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


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


def export_csv(
    con: duckdb.DuckDBPyConnection, user: access.User, frame: pd.DataFrame, what: str
) -> bytes:
    """Check the user may export, audit the export, and return the safe CSV bytes.

    `what` names the export in the audit trail (for example "KPI results"). Refusals (a role
    without EXPORT, or an identifier column) are audited and re-raised.
    """
    detail = f"{what}: {len(frame):,} rows"
    try:
        access.require(user, access.EXPORT)
        data = csv_bytes(frame)
    except (access.PermissionDenied, IdentifierInExport) as exc:
        audit.record(con, user, "export", f"{detail}: {exc}", "refused")
        raise
    audit.record(con, user, "export", detail, "ok")
    return data
