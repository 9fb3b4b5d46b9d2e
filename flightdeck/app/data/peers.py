"""Cached reads for the compare and peer-group pages.

Each read opens a short-lived connection (`flightdeck.app.data.db`) and is cached by the data
version, so it is recomputed only after a load, rollback, import or peer-group edit (each of
those writes an audit row, which changes the version).
"""

import pandas as pd
import streamlit as st

from flightdeck.app.data.db import database, db_path, version
from flightdeck.engine.catalogue import catalogue
from flightdeck.peers import comparable, groups, imports
from flightdeck.reference import load_reference
from flightdeck.vocabulary import ALL


@st.cache_data(show_spinner=False)
def kpi_table() -> pd.DataFrame:
    """KPI metadata: kpi_id, name, unit, direction, kind."""
    return pd.DataFrame(
        [
            {
                "kpi_id": k.id,
                "name": k.name,
                "unit": k.unit,
                "direction": k.direction,
                "kind": k.kind,
            }
            for k in catalogue()
        ]
    )


@st.cache_data(show_spinner=False, max_entries=4)
def _forces(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return comparable.comparable_forces(con)


def forces() -> pd.DataFrame:
    """Every force with figures here: force, name, source (own/peer), as_of, synthetic."""
    return _forces(db_path(), version())


@st.cache_data(show_spinner=False, max_entries=4)
def _groups(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return groups.peer_groups(con)


def peer_groups() -> pd.DataFrame:
    """Peer groups: group, force."""
    return _groups(db_path(), version())


@st.cache_data(show_spinner=False, max_entries=32)
def _results(path: str, data_version: int, kpi_id: str, offence_group: str = ALL) -> pd.DataFrame:
    with database(path) as con:
        frame = comparable.comparable_results(con, kpi_id, offence_group=offence_group)
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def results(kpi_id: str, members: list[str], *, offence_group: str = ALL) -> pd.DataFrame:
    """One KPI's rows of the offence group (all RASSO crimes unless said) for the given
    comparable forces (with `suppressed` and `source`)."""
    frame = _results(db_path(), version(), kpi_id, offence_group)
    return frame[frame["force"].isin(members)]


@st.cache_data(show_spinner=False, max_entries=4)
def _feasibility(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return comparable.peer_feasibility(con)


def feasibility(members: list[str]) -> pd.DataFrame:
    """Which KPIs each of the forces can compute: force, kpi_id, flag, reason, source."""
    flags = _feasibility(db_path(), version())
    return flags[flags["force"].isin(members)].reset_index(drop=True)


@st.cache_data(show_spinner=False, max_entries=4)
def _imports(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return imports.list_imports(con)


def peer_imports() -> pd.DataFrame:
    return _imports(db_path(), version())


def populations() -> pd.DataFrame:
    """Force populations for rates per 100,000 people: force, population, year, source."""
    return load_reference().populations
