"""Helpers for the KPI tests: hand-written crimes in, one KPI's result rows out."""

import datetime as dt

import duckdb

from flightdeck.engine import refresh
from helpers.store import insert_case_load

FORCE = "demo-northmoor"
OTHER_FORCE = "demo-eastvale"


def crime(crime_id: str, recorded_date: str, **columns) -> dict:
    """A crime of FORCE (victim aged 30, female) unless `columns` say otherwise."""
    return {
        "force": FORCE,
        "crime_id": crime_id,
        "recorded_date": recorded_date,
        "offence_code": "19C",
        "victim_age": 30,
        "victim_gender": "female",
        **columns,
    }


def load_and_refresh(
    con: duckdb.DuckDBPyConnection, crimes: list[dict], as_of: str, **refresh_args
) -> None:
    """Load the crimes as one case load and recompute the KPIs."""
    insert_case_load(con, crimes, as_of=as_of)
    refresh.refresh(con, **refresh_args)


def _plain(x):
    """Numbers compared exactly after rounding away float noise; whole numbers as int."""
    if x is None or isinstance(x, bool | str):
        return x
    x = round(float(x), 9)
    return int(x) if x.is_integer() else x


def plain(values: tuple) -> tuple:
    return tuple(_plain(x) for x in values)


def rows(
    con: duckdb.DuckDBPyConnection, kpi_id: str, force: str = FORCE, offence_group: str = "All"
) -> dict:
    """{(month 'YYYY-MM-DD', age_band, gender): (numerator, denominator, value, complete)},
    the rows of one offence group (by default all RASSO crimes)."""
    found = con.execute(
        """SELECT month, age_band, gender, numerator, denominator, value, complete
           FROM kpi_results WHERE kpi_id = ? AND force = ? AND offence_group = ?""",
        [kpi_id, force, offence_group],
    ).fetchall()
    return {(m.isoformat(), a, g): plain(rest) for m, a, g, *rest in found}


def totals(
    con: duckdb.DuckDBPyConnection, kpi_id: str, force: str = FORCE, offence_group: str = "All"
) -> dict:
    """{month 'YYYY-MM-DD': (numerator, denominator, value, complete)} for the All/All rows of
    one offence group (by default all RASSO crimes)."""
    return {
        m: v
        for (m, a, g), v in rows(con, kpi_id, force, offence_group).items()
        if (a, g) == ("All", "All")
    }


def rate(numerator: int, denominator: int, complete: bool = True) -> tuple:
    """The expected row of a rate KPI."""
    value = numerator / denominator if complete else None
    return plain((numerator, denominator, value, complete))


def count(n: int) -> tuple:
    """The expected row of a count KPI."""
    return plain((n, None, n, True))


def median(days: float, n: int) -> tuple:
    """The expected row of a median KPI."""
    return plain((None, n, days, True))


def day(text: str) -> dt.date:
    return dt.date.fromisoformat(text)
