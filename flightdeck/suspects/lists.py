"""The repeat-suspect lists of a force at a month end: highest frequency, highest harm and the
RFG threat score, each the first 10 suspects of the window (docs/suspects.md).

    frame = suspect_list(con, user, "demo-eastvale", dt.date(2025, 6, 1), "harm")
    data = list_csv(con, user, "demo-eastvale", dt.date(2025, 6, 1), "harm")

Analysts only: every read of ids checks VIEW_SUSPECTS on the server first (a viewer is refused,
audited, and gets nothing) and audits the view or export with the force, the month and the list,
never a suspect id. The lists are worked out in DuckDB (`sql/suspects/`), for one force only.
"""

import datetime as dt
import io
from collections.abc import Callable

import duckdb
import pandas as pd

from flightdeck import access, exports
from flightdeck.suspects import queries, rfg, scope
from flightdeck.suspects.scope import SuspectsRefused

LISTS = ("frequency", "harm", "rfg")
LIST_TITLES = {
    "frequency": "Highest frequency",
    "harm": "Highest harm",
    "rfg": "RFG threat score",
}
COLUMNS = (
    "rank",
    "suspect_id",
    "crimes",
    "harm",
    "victims",
    "last_recorded",
    "open_crimes",
    "on_bail",
    "civil_order",
    "ssrp",
    "s63g",
    "breaches",
)
SCORE = "score"  # the RFG list's last column
VIEW_ACTION = "view_suspects"
EXPORT_ACTION = "export"


def _detail(which: str, force: str, month: dt.date) -> str:
    # An unknown list name is the caller's text: it stays out of the audit trail.
    name = which if which in LISTS else "(unknown list)"
    return f"suspect list {name} {force} {scope.month_label(month)}"


def _columns(which: str) -> list[str]:
    return [*COLUMNS, SCORE] if which == "rfg" else list(COLUMNS)


def tidy(frame: pd.DataFrame) -> pd.DataFrame:
    """Plain types for a page and a CSV: whole numbers, True/False, dates, victims blank where
    not recorded, and the score whole when every weight is."""
    out = frame.copy()
    for column in ("rank", "crimes", "harm", "open_crimes", "breaches"):
        if column in out:
            out[column] = out[column].astype("int64")
    if "victims" in out:
        out["victims"] = out["victims"].astype("Int64")
    for column in ("on_bail", "ssrp", "s63g"):
        if column in out:
            out[column] = out[column].astype(bool)
    if "last_recorded" in out:
        out["last_recorded"] = [
            None if pd.isna(d) else pd.Timestamp(d).date() for d in out["last_recorded"]
        ]
    if "civil_order" in out:
        out["civil_order"] = (
            out["civil_order"].astype(object).where(out["civil_order"].notna(), None)
        )
    if SCORE in out and rfg.load_config().whole_weights:
        out[SCORE] = out[SCORE].astype("Int64")
    return out


def _list(con: duckdb.DuckDBPyConnection, force: str, month: dt.date, which: str) -> pd.DataFrame:
    if which not in LISTS:
        raise SuspectsRefused(f"no such list: choose {', '.join(LISTS)}")
    end = scope.checked_month_end(con, force, month)
    frame = queries.run(con, queries.ranked(which), queries.parameters(force, end))
    return tidy(frame)[_columns(which)]


def suspect_list(
    con: duckdb.DuckDBPyConnection, user: access.User, force: str, month: dt.date, which: str
) -> pd.DataFrame:
    """The list `which` (frequency, harm or rfg) of `force` at the end of `month` (any day of
    it): columns COLUMNS (and `score` last for rfg), ranked 1 to 10 at most.

    Raises PermissionDenied for a role without VIEW_SUSPECTS and SuspectsRefused for an unknown
    list, a force with no case data or a month not ended by its as-of date; every outcome is
    audited as `view_suspects` with the force, month and list.
    """
    return scope.read(
        con,
        user,
        VIEW_ACTION,
        _detail(which, force, month),
        lambda: _list(con, force, month, which),
        lambda frame: f"{len(frame)} rows",
    )


def list_months(con: duckdb.DuckDBPyConnection, force: str) -> list[dt.date]:
    """The months (first days) a list can be drawn for, newest first: ended by the force's
    as-of date, with at least one crime with a named suspect in their window. Holds no ids, so
    it is not audited."""
    months = queries.run(con, queries.compose("months"), {"force": force})["month"]
    return [pd.Timestamp(month).date() for month in months]


def handling_line(force: str, month: dt.date) -> str:
    """The line a list's CSV starts with, before its header."""
    return (
        f"OFFICIAL-SENSITIVE: pseudonymised suspect list, {force} to "
        f"{scope.month_end(month).isoformat()}; analyst use only; do not forward or attach to "
        "a board pack"
    )


def _csv(frame: pd.DataFrame, force: str, month: dt.date) -> bytes:
    # Not exports.to_safe_csv: that refuses id columns, which this list is made of. Every text
    # cell (a suspect id such as =HYPERLINK(...) included) is neutralised all the same.
    buffer = io.StringIO()
    buffer.write(handling_line(force, month) + "\n")
    exports.neutralise_formulas(frame).to_csv(buffer, index=False)
    return buffer.getvalue().encode("utf-8")


def list_csv(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    force: str,
    month: dt.date,
    which: str,
    deliver: Callable[[bytes], None] | None = None,
) -> bytes:
    """The list as CSV bytes: the handling line, then the header and rows, every text cell
    neutralised against formula injection.

    Checks VIEW_SUSPECTS first (then EXPORT) and audits it as an `export` with the force, month,
    list and row count. `deliver`, when given, is called with the bytes inside the audited
    action (the command line writes its file there), so a failed write is audited as failed.
    """

    def build() -> tuple[bytes, int]:
        frame = _list(con, force, month, which)
        data = _csv(frame, force, month)
        if deliver is not None:
            deliver(data)
        return data, len(frame)

    data, _ = scope.read(
        con,
        user,
        EXPORT_ACTION,
        _detail(which, force, month) + " (CSV)",
        build,
        lambda built: f"{built[1]} rows",
        permissions=(access.VIEW_SUSPECTS, access.EXPORT),
    )
    return data
