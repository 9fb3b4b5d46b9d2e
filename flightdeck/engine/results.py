"""Reading the engine's tables: the KPI results, the feasibility flags beside the status each
force declared, and the crimes left out of a median as data errors; and writing the results
and the flags as CSV for the command line."""

import csv
import io
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import exports, files
from flightdeck.reference import load_reference
from flightdeck.vocabulary import ALL, RESULT_COLUMNS, RESULT_KEY

FEASIBILITY_COLUMNS = ["force", "kpi_id", "flag", "reason", "declared_status"]
_ORDER = ", ".join(RESULT_KEY)


def results(con: duckdb.DuckDBPyConnection, force: str | None = None) -> pd.DataFrame:
    """The KPI results table (one force's rows when `force` is given), sorted by kpi_id,
    force, month, offence_group, age_band, gender."""
    return con.execute(
        f"SELECT {', '.join(RESULT_COLUMNS)} FROM kpi_results "
        f"WHERE ? IS NULL OR force = ? ORDER BY {_ORDER}",
        [force, force],
    ).df()


HEADLINE_COLUMNS = [
    "kpi_id", "offence_group", "month", "numerator", "denominator", "value", "complete"
]  # fmt: skip


def headline(
    con: duckdb.DuckDBPyConnection, force: str, offence_group: str | None = None
) -> pd.DataFrame:
    """One force's headline rows (age band and gender `All`) for every measure and month, of
    one offence group or (None) of every group: HEADLINE_COLUMNS, sorted by kpi_id,
    offence_group and month. What the flight deck and the board pack read, a hundredth of the
    force's rows at national scale."""
    group = "" if offence_group is None else " AND offence_group = ?"
    return con.execute(
        f"SELECT {', '.join(HEADLINE_COLUMNS)} FROM kpi_results "
        f"WHERE force = ? AND age_band = ? AND gender = ?{group} "
        "ORDER BY kpi_id, offence_group, month",
        [force, ALL, ALL, *([] if offence_group is None else [offence_group])],
    ).df()


def feasibility(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Each force's computed flag and reason per KPI, beside the status the force declared
    for governance (blank where it declared none). Sorted by force, kpi_id."""
    computed = con.execute(
        "SELECT force, kpi_id, flag, reason FROM kpi_feasibility ORDER BY force, kpi_id"
    ).df()
    declared = load_reference().declared_status[["force", "kpi_id", "status"]]
    declared = declared.drop_duplicates(["force", "kpi_id"], keep="last")
    merged = computed.merge(declared, on=["force", "kpi_id"], how="left")
    merged = merged.rename(columns={"status": "declared_status"})
    merged["declared_status"] = merged["declared_status"].fillna("").astype(str)
    return merged[FEASIBILITY_COLUMNS].reset_index(drop=True)


def negative_day_differences(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Crimes left out of the K05 and K09 medians because the later date comes before the
    report: force, kpi_id, crime_id, recorded_date, later_date (which date), later_date_value,
    days. Sorted by force, kpi_id, crime_id."""
    return con.execute(
        "SELECT * FROM negative_day_differences ORDER BY force, kpi_id, crime_id"
    ).df()


def write_results_csv(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Write the results table as CSV (months as YYYY-MM-DD, complete as true/false, whole
    numbers without a trailing .0, blanks for empty values). Returns the number of rows.

    Formula-safe: a text cell a spreadsheet would run (starting `=`, `+`, `-`, `@`) gets a
    leading `'` (`flightdeck.exports`); the numbers are written as numbers, and a band such
    as `55+` (a trailing `+`) is untouched. Holds aggregates only, never an identifier."""
    exports.check_no_identifiers(pd.DataFrame(columns=RESULT_COLUMNS))
    rows = con.execute(
        f"SELECT {', '.join(RESULT_COLUMNS)} FROM kpi_results ORDER BY {_ORDER}"
    ).fetchall()
    out = io.StringIO(newline="")
    writer = csv.writer(out)
    writer.writerow(RESULT_COLUMNS)
    cell = exports.neutralise_cell
    for kpi_id, force, month, group, age, gender, num, den, value, complete in rows:
        writer.writerow(
            [
                cell(kpi_id),
                cell(force),
                month.isoformat(),
                cell(group),
                cell(age),
                cell(gender),
                exports.figure_text(num),
                exports.figure_text(den),
                exports.figure_text(value),
                "true" if complete else "false",
            ]
        )
    files.write_atomically(path, out.getvalue())
    return len(rows)


def write_feasibility_csv(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Write the feasibility flags (with declared status) as a formula-safe CSV
    (`flightdeck.exports`). Returns the number of rows."""
    frame = feasibility(con)
    files.write_atomically(path, exports.to_safe_csv(frame))
    return len(frame)
