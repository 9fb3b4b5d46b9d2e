"""Cached reads for the data-quality and load pages: feasibility beside the declared status,
column completeness, the loads history, the stored warnings, and the crimes a median left out.

Nothing read here carries a crime or suspect id to the page: ids in warnings are withheld (the
line number still finds the row in the analyst's own file), and the crimes left out of a median
are described by their dates only.
"""

import pandas as pd
import streamlit as st

from flightdeck import exports
from flightdeck.app.data.db import database, db_path, version
from flightdeck.engine import feasibility as feasibility_rules
from flightdeck.engine import results
from flightdeck.extracts.columns import CASE_OPTIONAL
from flightdeck.store import history


@st.cache_data(show_spinner=False, max_entries=4)
def feasibility_table(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return results.feasibility(con)


def feasibility() -> pd.DataFrame:
    """force, kpi_id, flag, reason, declared_status for every force with case data."""
    return feasibility_table(db_path(), version())


def feasibility_of(force: str) -> pd.DataFrame:
    """The force's rows of `feasibility()`."""
    flags = feasibility()
    return flags[flags["force"] == force]


def flag_of(force: str, kpi_id: str) -> tuple[str | None, str]:
    """The KPI's computed flag for the force and its reason (None, "" when not assessed)."""
    flags = feasibility()
    row = flags[(flags["force"] == force) & (flags["kpi_id"] == kpi_id)]
    return (None, "") if row.empty else (row.iloc[0]["flag"], row.iloc[0]["reason"])


def disagreements() -> pd.DataFrame:
    """Where a force's computed flag and its declared status cannot both be right."""
    return feasibility_rules.disagreements(feasibility())


@st.cache_data(show_spinner=False, max_entries=4)
def _completeness(path: str, data_version: int) -> pd.DataFrame:
    columns = [c for c in CASE_OPTIONAL if c != "cancelled"]
    # Column names come from the contract, never from input, so building the list is safe.
    shares = ", ".join(f"avg(({c} IS NOT NULL)::INTEGER) AS {c}" for c in columns)
    with database(path) as con:
        wide = con.execute(
            f"""SELECT force, date_trunc('month', recorded_date) AS month, count(*) AS crimes,
                       {shares}
                FROM current_crimes WHERE NOT cancelled GROUP BY ALL ORDER BY force, month"""
        ).df()
    long = wide.melt(id_vars=["force", "month", "crimes"], var_name="column", value_name="share")
    long["month"] = pd.to_datetime(long["month"])
    return long


def completeness() -> pd.DataFrame:
    """Share of current, not cancelled crimes with each optional column filled in, by force
    and month of recording: force, month, crimes, column, share."""
    return _completeness(db_path(), version())


@st.cache_data(show_spinner=False, max_entries=4)
def _loads(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return history.list_loads(con)


def loads() -> pd.DataFrame:
    """Every load, newest first, active or rolled back."""
    return _loads(db_path(), version())


@st.cache_data(show_spinner=False, max_entries=4)
def _warnings(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return exports.redact_identifier_values(history.stored_warnings(con))


def warnings() -> pd.DataFrame:
    """Warnings stored with loads, newest load first, crime and suspect ids withheld."""
    return _warnings(db_path(), version())


@st.cache_data(show_spinner=False, max_entries=4)
def _left_out_of_medians(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        found = results.negative_day_differences(con)
    return found.drop(columns="crime_id")


def left_out_of_medians() -> pd.DataFrame:
    """Crimes left out of the K05 and K09 medians because the later date comes before the
    report (a data error): force, kpi_id, recorded_date, later_date, later_date_value, days;
    the crime id withheld."""
    return _left_out_of_medians(db_path(), version())
