"""The figures that compare every force with the published national tables: each force's
published figure over a window of financial quarters, and the same measure counted from this
database's own case data, the way the matching KPI counts it (K01 to K04).

A window is `quarters` financial quarters ending with the one starting on `end_period_start`.
Counts are summed over it; a proportion is the outcomes of the measure's types over all
outcomes. Recorded crime has no denominator here: the page divides by the population.
"""

import datetime as dt

import duckdb
import pandas as pd

from flightdeck.national.force_names import territorial_forces
from flightdeck.national.imports import TABLES
from flightdeck.national.measures import RECORDED, measure
from flightdeck.vocabulary import OTHER_SEXUAL, RAPE

PUBLISHED_COLUMNS = ["force", "numerator", "denominator", "quarters"]
LEFT_OUT_COLUMNS = ["force", "quarters", "reason"]
OWN_COLUMNS = ["force", "numerator", "denominator"]
OFFENCE_GROUPS = (None, RAPE, OTHER_SEXUAL)


def _add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)


def quarter_window(end_period_start: dt.date, quarters: int = 4) -> tuple[dt.date, dt.date]:
    """The first and the last day of the window."""
    if quarters < 1:
        raise ValueError("a window holds at least one quarter")
    first = _add_months(end_period_start, -3 * (quarters - 1))
    return first, _add_months(end_period_start, 3) - dt.timedelta(days=1)


def quarter_label(period_start: dt.date) -> str:
    """'2024/25 Q2' for the quarter starting on 1 July 2024."""
    first = period_start.year - (period_start.month < 4)
    return f"{first}/{str(first + 1)[-2:]} Q{((period_start.month - 4) % 12) // 3 + 1}"


def latest_quarters(
    con: duckdb.DuckDBPyConnection, kind: str | None = None
) -> list[tuple[str, int, dt.date]]:
    """(financial_year, quarter, period_start) of every quarter with published figures (of
    `kind`, recorded or outcomes; None: of either), latest first."""
    tables = [TABLES[kind]] if kind else list(TABLES.values())
    union = " UNION ".join(
        f"SELECT DISTINCT financial_year, quarter, period_start FROM {t}" for t in tables
    )
    return con.execute(f"SELECT * FROM ({union}) ORDER BY period_start DESC").fetchall()


def figures_synthetic(con: duckdb.DuckDBPyConnection) -> bool:
    """Whether any national figure held comes from an import marked synthetic (made-up
    figures, as in the demo), so the page says so."""
    return con.execute(
        """SELECT coalesce(bool_or(synthetic), FALSE) FROM national_imports
           WHERE import_id IN (SELECT import_id FROM national_recorded
                               UNION SELECT import_id FROM national_outcomes)"""
    ).fetchall()[0][0]


_PUBLISHED_SQL = {
    "recorded": """
        SELECT force,
               coalesce(sum(offences) FILTER (WHERE $group IS NULL OR offence_group = $group),
                        0)::BIGINT AS numerator,
               NULL::DOUBLE AS denominator,
               list(DISTINCT period_start) AS held
        FROM national_recorded
        WHERE period_start BETWEEN $first AND $last
        GROUP BY force ORDER BY force""",
    "outcomes": """
        SELECT force,
               coalesce(sum(outcomes) FILTER (WHERE ($group IS NULL OR offence_group = $group)
                                             AND list_contains($codes, outcome_type)),
                        0)::BIGINT AS numerator,
               coalesce(sum(outcomes) FILTER (WHERE $group IS NULL OR offence_group = $group),
                        0)::DOUBLE AS denominator,
               list(DISTINCT period_start) AS held
        FROM national_outcomes
        WHERE period_start BETWEEN $first AND $last
        GROUP BY force ORDER BY force""",
}


def _parameters(m, first: dt.date, last: dt.date, offence_group: str | None) -> dict:
    if offence_group not in OFFENCE_GROUPS:
        raise ValueError(f"offence_group must be rape, other_sexual or None; got {offence_group!r}")
    params = {"first": first, "last": last, "group": offence_group}
    if m.table != RECORDED:
        params["codes"] = list(m.outcome_types)
    return params


def _typed(sql: str) -> str:
    # A NULL or a list parameter has no type of its own.
    return sql.replace("$group", "CAST($group AS VARCHAR)").replace(
        "$codes", "CAST($codes AS VARCHAR[])"
    )


def published(
    con: duckdb.DuckDBPyConnection,
    measure_id: str,
    end_period_start: dt.date,
    quarters: int = 4,
    offence_group: str | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Each force's published figure over the window: force, numerator, denominator, quarters;
    only forces with figures for every quarter of it. Second, the forces left out and why:
    force, quarters (how many it has), reason. `offence_group` rape or other_sexual; None for
    both."""
    m = measure(measure_id)
    first, last = quarter_window(end_period_start, quarters)
    found = con.execute(
        _typed(_PUBLISHED_SQL[m.table]), _parameters(m, first, last, offence_group)
    ).df()
    found["quarters"] = found["held"].map(len).astype("int64")
    complete = found["quarters"] == quarters
    figures = found.loc[complete, PUBLISHED_COLUMNS].reset_index(drop=True)
    expected = [_add_months(first, 3 * i) for i in range(quarters)]
    left = []
    for force, held in zip(
        found.loc[~complete, "force"], found.loc[~complete, "held"], strict=True
    ):
        dates = {pd.Timestamp(q).date() for q in held}
        missing = [quarter_label(q) for q in expected if q not in dates]
        left.append(
            (
                force,
                len(held),
                f"{len(held)} of the {quarters} quarters published; missing {', '.join(missing)}",
            )
        )
    held_any = set(found["force"]) | _forces_with_figures(con, TABLES[m.table])
    for force in sorted(set(territorial_forces()) | held_any):
        if force not in set(found["force"]):
            left.append((force, 0, f"no published {m.table} figures in the window"))
    left_out = pd.DataFrame(sorted(left), columns=LEFT_OUT_COLUMNS)
    return figures, left_out


def _forces_with_figures(con, table: str) -> set[str]:
    return {force for (force,) in con.execute(f"SELECT DISTINCT force FROM {table}").fetchall()}


_OWN_SQL = """
    WITH covered AS (
        SELECT force FROM force_as_of
        WHERE as_of >= $last
          AND force NOT IN (SELECT force FROM kpi_feasibility
                            WHERE kpi_id = $kpi_id AND flag = 'not_feasible')
    ),
    facts AS (
        -- each crime's offence group is crimes_in_scope's, as the KPIs group it
        SELECT c.force, c.outcome_type, c.{date_column} AS counted_on
        FROM crimes_in_scope AS c
        WHERE c.{date_column} BETWEEN $first AND $last
          AND ($group IS NULL OR c.offence_group = $group)
    )
    SELECT v.force, {numerator}::BIGINT AS numerator, {denominator} AS denominator
    FROM covered AS v LEFT JOIN facts AS f USING (force)
    GROUP BY v.force ORDER BY v.force"""


def own(
    con: duckdb.DuckDBPyConnection,
    measure_id: str,
    end_period_start: dt.date,
    quarters: int = 4,
    offence_group: str | None = None,
) -> pd.DataFrame:
    """The same measure from the case data held here: force, numerator, denominator.

    Counted as the matching KPI counts it, over crimes_in_scope: recorded crimes by recorded
    date (K01); outcomes by the date the crime was given its outcome (K02 to K04). Only
    forces whose case data reaches the window's end (as-of date on or after its last day),
    and for which the KPI is feasible."""
    m = measure(measure_id)
    first, last = quarter_window(end_period_start, quarters)
    if m.table == RECORDED:
        parts = dict(
            date_column="recorded_date", numerator="count(f.force)", denominator="NULL::DOUBLE"
        )
    else:
        parts = dict(
            date_column="finalised_date",
            numerator="count(f.force) FILTER (WHERE list_contains($codes, f.outcome_type))",
            denominator="count(f.force)::DOUBLE",
        )
    params = _parameters(m, first, last, offence_group) | {"kpi_id": m.kpi_id}
    return con.execute(_typed(_OWN_SQL.format(**parts)), params).df()[OWN_COLUMNS]
