"""The KPI engine: runs each KPI's SQL inside DuckDB and keeps the results and feasibility
tables up to date.

Each KPI's SQL file (`kpis/kNN_*.sql`) selects its *facts*: one row per crime (or suspect, or
workforce month) it counts, with force, month, offence_group, age_band, gender, numerator,
denominator and days. The results template `sql/kpi_rows.sql` turns facts into result rows
the same way for every KPI (breakdowns, rate/count/median conventions, completeness, rows only
where the denominator is at least 1, nothing for a force where the KPI is not feasible).
"""

import contextlib
import re
from collections.abc import Sequence

import duckdb

from flightdeck import resources
from flightdeck.engine import feasibility as feas
from flightdeck.engine.catalogue import KPI, measures
from flightdeck.settings import load_settings
from flightdeck.vocabulary import sql_list

# The total, by age band, by gender and by both; each over all crimes and by offence group.
_BREAKDOWNS = ("", ", age_band", ", gender", ", age_band, gender")
_FULL_BREAKDOWN = ", ".join(
    f"(force, month{group}{breakdown})"
    for group in ("", ", offence_group")
    for breakdown in _BREAKDOWNS
)
# Force-level facts carry offence_group, age_band and gender `All` already: grouping by them
# gives the total.
_FORCE_LEVEL = "(force, month, offence_group, age_band, gender)"
TEMPLATE = "kpi_rows.sql"


def _without_comments(sql: str) -> str:
    return re.sub(r"--[^\n]*", "", sql)


def parameters_used(sql: str, values: dict, what: str) -> dict:
    """Of `values`, the named parameters the query uses (`$name`, comments left out): DuckDB
    refuses any it does not use. Raises ValueError naming `what` when it uses one not given."""
    used = set(re.findall(r"\$(\w+)", _without_comments(sql)))
    missing = used - values.keys()
    if missing:
        raise ValueError(f"{what}: SQL uses undefined parameters {sorted(missing)}")
    return {name: values[name] for name in used}


def result_query(kpi: KPI) -> tuple[str, dict]:
    """The query giving the KPI's result rows, and its named parameters."""
    template = _without_comments((resources.sql_dir() / TEMPLATE).read_text())
    median = kpi.kind == "median"
    pieces = {
        "{facts}": _without_comments(kpi.sql),
        "{grouping_sets}": _FORCE_LEVEL if kpi.force_level else _FULL_BREAKDOWN,
        # Only medians pay for the median, and only they group every fact; they have no
        # numerator or denominator to add up.
        "{median_days}": "quantile_cont(days, 0.5)" if median else "NULL",
        "{n}": "count(days)" if median else "sum(n)",
        "{numerator}": "NULL" if median else "sum(numerator)",
        "{denominator}": "NULL" if median else "sum(denominator)",
        "{grouped_from}": "facts" if median else "fine",
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
    return sql, parameters_used(sql, values, kpi.id)


def _database_name(con: duckdb.DuckDBPyConnection) -> str:
    name = con.execute("SELECT current_database()").fetchone()[0]
    return '"' + name.replace('"', '""') + '"'


# Views that several measures read, worked out once per refresh: a temporary table of the same
# name hides the view from every query in this connection until it is dropped.
SHARED = ("open_at_month_end", "repeat_suspect_crimes")


def refresh(
    con: duckdb.DuckDBPyConnection,
    threshold: float | None = None,
    *,
    forces: Sequence[str] | None = None,
) -> None:
    """Recompute the kpi_feasibility and kpi_results tables from the current data.

    With `forces`, only those forces' rows are deleted and computed again (what a load or a
    rollback touched: every result row belongs to one force and is computed from that force's
    data alone, so the other forces' rows are unchanged); without, every row. The caller
    manages the transaction. `threshold` is the completeness below which a KPI is only
    `partial` (default: the configured setting).
    """
    if threshold is None:
        threshold = load_settings().feasibility_threshold
    if forces is not None and not forces:
        return
    kpis = measures()
    only = "" if forces is None else f" WHERE force IN {sql_list(sorted(set(forces)))}"
    database = _database_name(con)
    try:
        if only:
            # Every measure then reads the touched forces' crimes alone, from the scan up.
            con.execute(
                "CREATE OR REPLACE TEMP VIEW crimes_in_scope AS "
                f"SELECT * FROM {database}.main.crimes_in_scope{only}"
            )
        for view in SHARED:
            con.execute(
                f"CREATE OR REPLACE TEMP TABLE {view} AS SELECT * FROM {database}.main.{view}{only}"
            )
        _refresh_feasibility(con, kpis, threshold, only)
        con.execute(f"DELETE FROM kpi_results{only}")
        for kpi in kpis:
            sql, parameters = result_query(kpi)
            if only:
                sql = f"SELECT * FROM ({sql}){only}"
            # BY NAME: a database made before offence_group has it as its last column.
            con.execute(f"INSERT INTO kpi_results BY NAME {sql}", parameters)
    except BaseException:
        # Inside a failed transaction the drop fails too; the caller's rollback removes the
        # tables then. Either way the original error is the one to report.
        with contextlib.suppress(duckdb.Error):
            _drop_materialised(con)
        raise
    _drop_materialised(con)


def _drop_materialised(con: duckdb.DuckDBPyConnection) -> None:
    for view in SHARED:
        con.execute(f"DROP TABLE IF EXISTS temp.main.{view}")
    con.execute("DROP VIEW IF EXISTS temp.main.crimes_in_scope")


def _refresh_feasibility(
    con: duckdb.DuckDBPyConnection, kpis: list[KPI], threshold: float, only: str
) -> None:
    rows = [
        (data.force, kpi.id, *feas.assess(kpi, data, threshold))
        for data in feas.profile_forces(con, kpis, only)
        for kpi in kpis
    ]
    con.execute(f"DELETE FROM kpi_feasibility{only}")
    if rows:
        con.executemany("INSERT INTO kpi_feasibility VALUES (?, ?, ?, ?)", rows)
