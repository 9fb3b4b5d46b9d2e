"""Cached reads for the problem profile page, and its audited downloads.

The page shows exactly what the downloaded document prints: both come from
`flightdeck.present.profile_data.gather_profile`, every figure already suppressed for small
numbers, so what the analyst checks on screen is what leaves the force.
"""

from collections.abc import Callable

import pandas as pd
import streamlit as st

from flightdeck.app import session
from flightdeck.app.data.actions import download
from flightdeck.app.data.db import database, db_path, version
from flightdeck.partners import figures as partner_figures
from flightdeck.present import profile_data
from flightdeck.profile import cohorts
from flightdeck.profile.build import latest_full_month


@st.cache_data(show_spinner=False, max_entries=16)
def _document(path: str, data_version: int, force: str, last: pd.Timestamp, _user):
    # The role is checked by the page (and by gather_profile) before any read; the document
    # holds aggregates only, the same for every user allowed to view.
    with database(path) as con:
        return profile_data.gather_profile(con, force, last, user=_user)


def document(force: str, last: pd.Timestamp) -> profile_data.ProfileDocument:
    """The force's problem profile for the 12 months to `last`, with its partner figures and
    comparisons (cached per data version). Raises profile_data.ProfileRefused for a month the
    force's data does not cover."""
    return _document(db_path(), version(), force, pd.Timestamp(last), session.current_user())


@st.cache_data(show_spinner=False, max_entries=16)
def _latest(path: str, data_version: int, force: str) -> pd.Timestamp:
    with database(path) as con:
        return latest_full_month(con, force)


def latest_month(force: str) -> pd.Timestamp:
    """The latest month the force's data has fully covered: a profile ends there at the latest."""
    return _latest(db_path(), version(), force)


def profile_download(force: str, last: pd.Timestamp, fmt: str) -> Callable[[], bytes]:
    """The profile document as `fmt` ("pdf" or "html"), built when clicked and audited as an
    export by `profile_data.export`, as `flightdeck problem-profile` writes it."""
    return download(lambda con, user: profile_data.export(con, user, force, last, fmt))


@st.cache_data(show_spinner=False, max_entries=32)
def _cohorts(path: str, data_version: int, force: str, offence_group: str):
    with database(path) as con:
        curves = cohorts.cohort_curves(con, force, offence_group=offence_group)
        table = cohorts.cohort_table(con, force, offence_group=offence_group)
    return curves, table


def cohort_outcomes(force: str, offence_group: str) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Outcomes by recording cohort for the force's crimes of the offence group: the curves by
    year of recording and the table by month (`flightdeck.profile.cohorts`). On the analyst's
    screen, like the KPI it sits beside: the downloaded profile suppresses its small numbers."""
    return _cohorts(db_path(), version(), force, offence_group)


@st.cache_data(show_spinner=False, max_entries=32)
def _partners(path: str, data_version: int, force: str, kpi_id: str) -> pd.DataFrame:
    with database(path) as con:
        return partner_figures.partner_totals(con, force, beside_kpi=kpi_id)


def partners_beside(force: str, kpi_id: str) -> pd.DataFrame:
    """The partner measures shown beside the KPI for the force, monthly totals as reported."""
    return _partners(db_path(), version(), force, kpi_id)
