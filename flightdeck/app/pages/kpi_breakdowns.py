"""The KPI detail page's breakdowns of one KPI by victim age band and gender, for the month or
over the 12 months to it."""

import pandas as pd
import streamlit as st

from flightdeck.app.data import deck
from flightdeck.present import breakdown_charts, formatting, tiles
from flightdeck.present.style import CHART_CONFIG

MONTH_ONLY = "The month"
TWELVE_MONTHS = "12 months to the month"


def render(kpi, force: str, month: pd.Timestamp) -> None:
    st.subheader("By victim age and gender")
    if kpi.force_level:
        st.info("This KPI is measured for the force as a whole: there is no breakdown by victim.")
        return
    pooling = formatting.is_fraction(kpi.unit) or tiles.is_count(kpi.kind)
    period = (
        st.radio("Period", [TWELVE_MONTHS, MONTH_ONLY], horizontal=True, key="period")
        if pooling
        else MONTH_ONLY
    )
    if period == TWELVE_MONTHS:
        shown = deck.breakdown(force, kpi, month, months=12)
        when = f"12 months to {formatting.month_label(month)} (complete months only)"
    else:
        shown = deck.breakdown(force, kpi, month)
        when = formatting.month_label(month)
        if len(shown.table) and not shown.complete:
            st.info(f"{when} is still being counted: the breakdown below is incomplete.")
    if shown.empty:
        st.info(f"Nothing to break down for {when}.")
        return
    st.caption(f"{when}. The counts behind each figure are shown; small numbers vary a lot.")
    left, right = st.columns(2)
    with left:
        fig = breakdown_charts.breakdown_bars(
            shown.by_age, label="age_band", unit=kpi.unit, title="By victim age band"
        )
        st.plotly_chart(fig, config=CHART_CONFIG, key="by_age")
    with right:
        fig = breakdown_charts.breakdown_bars(
            shown.by_gender, label="gender", unit=kpi.unit, title="By victim gender"
        )
        st.plotly_chart(fig, config=CHART_CONFIG, key="by_gender")
    if len(shown.cross):
        title = "Victim age band × gender"
        fig = breakdown_charts.age_gender_heatmap(shown.cross, unit=kpi.unit, title=title)
        st.plotly_chart(fig, config=CHART_CONFIG, key="age_gender")
