"""The KPI engine: reads the catalogue (kpis/*.yaml), runs each KPI's SQL file inside DuckDB and
keeps the results and feasibility tables up to date.

Each KPI's SQL file (sql/kpis/kNN_*.sql) selects its *facts*: one row per crime (or suspect,
or workforce month) it counts, with force, month, age_band, gender, numerator, denominator
and days. sql/kpi_rows.sql turns facts into result rows the same way for every KPI
(breakdowns, rate/count/median conventions, completeness, rows only where the denominator is
at least 1, nothing for a force where the KPI is not feasible).
"""

import contextlib
import csv
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd
import yaml

from flightdeck import feasibility as feas
from flightdeck.paths import KPI_META_DIR, ROOT, SQL_DIR
from flightdeck.reference import load_reference
from flightdeck.settings import load_settings

RESULT_COLUMNS = [
    "kpi_id", "force", "month", "age_band", "gender",
    "numerator", "denominator", "value", "complete",
]  # fmt: skip
FEASIBILITY_COLUMNS = ["force", "kpi_id", "flag", "reason", "declared_status"]
KINDS = ("rate", "count", "median")

_FULL_BREAKDOWN = (
    "(force, month), (force, month, age_band), (force, month, gender), "
    "(force, month, age_band, gender)"
)
# Force-level facts carry age_band and gender `All` already: grouping by them gives the total.
_FORCE_LEVEL = "(force, month, age_band, gender)"
_ROWS_TEMPLATE = SQL_DIR / "kpi_rows.sql"


@dataclass(frozen=True)
class KPI:
    """One KPI of the catalogue, as declared in its YAML file beside its SQL file."""

    id: str
    name: str
    pillar: str
    kind: str  # rate, count or median: how the results row is filled in
    unit: str
    direction: str  # up (higher is better), down, neutral
    requires: tuple[str, ...]  # case columns that must not be entirely blank
    expected_where: dict | None = field(hash=False)  # column, where, described_as
    force_level: bool  # force totals only, no age or gender breakdown
    cohort_days: int | None  # cohort KPIs: crimes recorded in the month, within N days
    definition: str
    sql_path: Path
    basis: str = ""  # what places a crime in a month, in words
    uses_workforce: bool = False
    # A month's rows are complete once month end + this many days <= as_of (None: always).
    complete_after_days: int | None = None
    parameters: dict = field(default_factory=dict, hash=False)  # named values the SQL uses

    @property
    def sql(self) -> str:
        """The KPI's SQL file: the facts it counts."""
        return self.sql_path.read_text()


def _kpi_from_yaml(path: Path) -> KPI:
    meta = yaml.safe_load(path.read_text())
    if meta["kind"] not in KINDS:
        raise ValueError(f"{path.name}: kind must be one of {KINDS}")
    parameters = dict(meta.get("parameters") or {})
    cohort_days = meta.get("cohort_days")
    if cohort_days is not None:
        parameters["cohort_days"] = cohort_days
    return KPI(
        id=meta["id"],
        name=meta["name"],
        pillar=meta["pillar"],
        kind=meta["kind"],
        unit=meta["unit"],
        direction=meta["direction"],
        requires=tuple(meta.get("requires") or ()),
        expected_where=meta.get("expected_where"),
        force_level=meta.get("breakdowns", "full") == "force_level",
        cohort_days=cohort_days,
        definition=meta["definition"].format(**parameters),
        sql_path=ROOT / meta["sql"],
        basis=meta.get("basis", ""),
        uses_workforce=bool(meta.get("uses_workforce", False)),
        # A cohort's month is complete once its N days have passed after the month end.
        complete_after_days=(
            cohort_days if meta.get("complete_after_days") is None else meta["complete_after_days"]
        ),
        parameters=parameters,
    )


@cache
def _catalogue() -> tuple[KPI, ...]:
    return tuple(sorted((_kpi_from_yaml(p) for p in KPI_META_DIR.glob("k*.yaml")), key=_id))


def _id(kpi: KPI) -> str:
    return kpi.id


def catalogue() -> list[KPI]:
    """Every KPI of the catalogue, sorted by id (read once, then cached)."""
    return list(_catalogue())


def _without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def result_query(kpi: KPI) -> tuple[str, dict]:
    """The query giving the KPI's result rows, and its named parameters."""
    template = _without_comments(_ROWS_TEMPLATE.read_text())
    pieces = {
        "{facts}": _without_comments(kpi.sql),
        "{grouping_sets}": _FORCE_LEVEL if kpi.force_level else _FULL_BREAKDOWN,
        # Only medians pay for the median.
        "{median_days}": "quantile_cont(days, 0.5)" if kpi.kind == "median" else "NULL",
    }
    sql = template
    for placeholder, text in pieces.items():
        sql = sql.replace(placeholder, text)
    values = {
        **kpi.parameters,
        "kpi_id": kpi.id,
        "kind": kpi.kind,
        "complete_after_days": kpi.complete_after_days,
    }
    # DuckDB refuses parameters a query does not use, so pass only those it names.
    used = set(re.findall(r"\$(\w+)", sql))
    missing = used - values.keys()
    if missing:
        raise ValueError(f"{kpi.id}: SQL uses undefined parameters {sorted(missing)}")
    return sql, {name: values[name] for name in used}


def _database_name(con: duckdb.DuckDBPyConnection) -> str:
    name = con.execute("SELECT current_database()").fetchone()[0]
    return '"' + name.replace('"', '""') + '"'


def refresh(con: duckdb.DuckDBPyConnection, threshold: float | None = None) -> None:
    """Recompute the kpi_feasibility and kpi_results tables from the current data.

    Deletes and re-inserts both tables; the caller manages the transaction. `threshold` is the
    completeness below which a KPI is only `partial` (default: the configured setting).
    """
    if threshold is None:
        threshold = load_settings().feasibility_threshold
    kpis = catalogue()
    # Work out the current, in-scope crimes once: a temporary table of the same name hides the
    # view from every query in this connection until it is dropped below.
    con.execute(
        "CREATE OR REPLACE TEMP TABLE crimes_in_scope AS "
        f"SELECT * FROM {_database_name(con)}.main.crimes_in_scope"
    )
    try:
        _refresh_feasibility(con, kpis, threshold)
        con.execute("DELETE FROM kpi_results")
        for kpi in kpis:
            sql, parameters = result_query(kpi)
            con.execute(f"INSERT INTO kpi_results {sql}", parameters)
    except BaseException:
        # Inside a failed transaction the drop fails too; the caller's rollback removes the
        # table then. Either way the original error is the one to report.
        with contextlib.suppress(duckdb.Error):
            _drop_materialised(con)
        raise
    _drop_materialised(con)


def _drop_materialised(con: duckdb.DuckDBPyConnection) -> None:
    con.execute("DROP TABLE IF EXISTS temp.main.crimes_in_scope")


def _refresh_feasibility(con: duckdb.DuckDBPyConnection, kpis: list[KPI], threshold: float):
    rows = [
        (data.force, kpi.id, *feas.assess(kpi, data, threshold))
        for data in feas.profile_forces(con, kpis)
        for kpi in kpis
    ]
    con.execute("DELETE FROM kpi_feasibility")
    if rows:
        con.executemany("INSERT INTO kpi_feasibility VALUES (?, ?, ?, ?)", rows)


def results(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """The KPI results table, sorted by kpi_id, force, month, age_band, gender."""
    return con.execute(
        "SELECT * FROM kpi_results ORDER BY kpi_id, force, month, age_band, gender"
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


def _csv_number(value: float | None) -> str:
    if value is None:
        return ""
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def write_results_csv(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Write the results table as CSV (months as YYYY-MM-DD, complete as true/false, whole
    numbers without a trailing .0, blanks for empty values). Returns the number of rows.

    Formula-safe: a text cell a spreadsheet would run (starting `=`, `+`, `-`, `@`) gets a
    leading `'` (`flightdeck.safe_export`); the numbers are written as numbers, and a band such
    as `55+` (a trailing `+`) is untouched. Holds aggregates only, never an identifier."""
    from flightdeck.safe_export import check_no_identifiers, neutralise_cell

    check_no_identifiers(pd.DataFrame(columns=RESULT_COLUMNS))
    rows = con.execute(
        f"SELECT {', '.join(RESULT_COLUMNS)} FROM kpi_results "
        "ORDER BY kpi_id, force, month, age_band, gender"
    ).fetchall()
    with Path(path).open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(RESULT_COLUMNS)
        for kpi_id, force, month, age, gender, num, den, value, complete in rows:
            writer.writerow(
                [
                    neutralise_cell(kpi_id),
                    neutralise_cell(force),
                    month.isoformat(),
                    neutralise_cell(age),
                    neutralise_cell(gender),
                    _csv_number(num),
                    _csv_number(den),
                    _csv_number(value),
                    "true" if complete else "false",
                ]
            )
    return len(rows)


def write_feasibility_csv(con: duckdb.DuckDBPyConnection, path: Path) -> int:
    """Write the feasibility flags (with declared status) as a formula-safe CSV
    (`flightdeck.safe_export`). Returns the number of rows."""
    from flightdeck.safe_export import to_safe_csv

    frame = feasibility(con)
    to_safe_csv(frame, path)
    return len(frame)
