"""Cached reads for the national comparison page: the quarters with published figures, each
measure's published and own figures. Recomputed only after a change (an import writes an audit
row, which changes the data version)."""

import datetime as dt

import pandas as pd
import streamlit as st

from flightdeck.app.data.db import database, db_path, version
from flightdeck.national import figures


@st.cache_data(show_spinner=False, max_entries=4)
def _quarters(path: str, data_version: int) -> tuple[list, bool]:
    with database(path) as con:
        return figures.latest_quarters(con), figures.figures_synthetic(con)


def quarters() -> list[tuple[str, int, dt.date]]:
    """(financial_year, quarter, period_start) with published figures, latest first."""
    return _quarters(db_path(), version())[0]


def synthetic() -> bool:
    """Whether the published figures held come from a synthetic fixture."""
    return _quarters(db_path(), version())[1]


@st.cache_data(show_spinner=False, max_entries=64)
def _measure(path, data_version, measure_id, end, quarters_, group):
    with database(path) as con:
        published, left_out = figures.published(con, measure_id, end, quarters_, group)
        own = figures.own(con, measure_id, end, quarters_, group)
    return published, left_out, own


def measure(
    measure_id: str, end: dt.date, quarters_: int, group: str | None
) -> tuple[pd.DataFrame, pd.DataFrame, pd.DataFrame]:
    """(published, left_out, own) for one measure over the window: see
    `flightdeck.national.figures.published` and `own`."""
    return _measure(db_path(), version(), measure_id, end, quarters_, group)
