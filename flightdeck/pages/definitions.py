"""Definitions: the catalogue of the 21 KPIs, from the same metadata the KPI engine runs on."""

import pandas as pd
import streamlit as st

from flightdeck import charts, data, ui

_UNITS = {"fraction": "percentage", "days": "days (median)"}


def catalogue_frame(catalogue: list) -> pd.DataFrame:
    """One row per KPI in words a board member reads."""
    return pd.DataFrame(
        {
            "KPI": [k.id for k in catalogue],
            "name": [k.name for k in catalogue],
            "pillar": [k.pillar for k in catalogue],
            "shown as": [_UNITS.get(k.unit, k.unit) for k in catalogue],
            "direction": [charts.direction_words(k.direction) for k in catalogue],
            "definition": [k.definition for k in catalogue],
            "needs columns": [", ".join(k.requires or []) for k in catalogue],
        }
    )


def render() -> None:
    ui.page_header(
        "Definitions",
        "The 21 KPIs exactly as the flight deck computes them. Each is one SQL file and one "
        "metadata file in the product, so a force can read and adjust a definition in one place.",
    )
    catalogue = data.catalogue()
    pillars = sorted({k.pillar for k in catalogue})
    chosen = st.multiselect("Pillars", pillars, placeholder="All pillars", key="def_pillars")
    shown = [k for k in catalogue if not chosen or k.pillar in chosen]
    st.dataframe(catalogue_frame(shown), hide_index=True, key="catalogue")
    st.caption(
        'Month: a calendar month. Cohort KPIs ("within N days of report") follow the crimes '
        "recorded in the month and are incomplete until N days after the month ends. Crimes "
        "later cancelled are never counted. Breakdowns use the victim's age band and gender."
    )
    for kpi in shown:
        with st.expander(f"{kpi.id} · {kpi.name}"):
            st.markdown(kpi.definition)
            st.caption(f"{kpi.pillar} · {charts.direction_words(kpi.direction)} · {kpi.kind}")
            st.code(kpi.sql, language="sql")
