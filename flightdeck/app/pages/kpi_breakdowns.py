"""The KPI detail page's breakdowns of one KPI by victim age band and gender, for the month or
over the 12 months to it, as the kind of KPI allows (`kpi.over_months`): a flow's counts are
added up over the 12 months; a snapshot's month ends never are (it shows the latest month end,
or the mean of the month ends, said as such); a median is the month's only."""

import pandas as pd
import streamlit as st

from flightdeck.app.data import deck
from flightdeck.present import breakdown_charts, formatting
from flightdeck.present.style import CHART_CONFIG
from flightdeck.vocabulary import ALL

MONTHS = 12
MONTH_ONLY = "The month"
TWELVE_MONTHS = f"{MONTHS} months to the month"
LATEST_END = "Latest month end"
MEAN_OF_ENDS = f"Mean of the {MONTHS} month ends"


def _months_chosen(kpi) -> int:
    """How many months the breakdown covers, as chosen where the KPI's kind allows a choice."""
    over = kpi.over_months
    if over == "sum":
        period = st.radio("Period", [TWELVE_MONTHS, MONTH_ONLY], horizontal=True, key="period")
        return MONTHS if period == TWELVE_MONTHS else 1
    if over == "mean":
        period = st.radio(
            "Period",
            [LATEST_END, MEAN_OF_ENDS],
            horizontal=True,
            key="snapshot_period",
            help="The state at a month end: the same open crime is in every month end, so month "
            "ends are never added up. The mean shows a typical month end.",
        )
        return MONTHS if period == MEAN_OF_ENDS else 1
    return 1


def _when(kpi, month: pd.Timestamp, shown: deck.Breakdown) -> str:
    """What the figures are, in words, for the caption."""
    label = formatting.month_label(month)
    if shown.over == "sum":
        added = "counts" if kpi.kind == "count" else "numerators and denominators"
        return f"{MONTHS} months to {label}: {added} added up (complete months only)"
    if shown.over == "mean":
        ends = "1 month end" if shown.months == 1 else f"{shown.months} month ends"
        held = "" if shown.months == MONTHS else f", all the force has in the {MONTHS} months"
        return (
            f"Mean of {ends} ({MONTHS} months to {label}{held}): each count is the mean "
            "month-end count (0 at a month end with none open) and each rate is the mean "
            "numerator over the mean denominator, never a sum"
        )
    if kpi.is_snapshot:
        return f"Month end of {label}"
    if kpi.over_months is None:
        return f"{label} (a median is never pooled over months)"
    return label


def render(kpi, force: str, month: pd.Timestamp, offence_group: str = ALL) -> None:
    st.subheader("By victim age and gender")
    if kpi.force_level:
        st.info("This KPI is measured for the force as a whole: there is no breakdown by victim.")
        return
    shown = deck.breakdown(
        force, kpi, month, months=_months_chosen(kpi), offence_group=offence_group
    )
    label = formatting.month_label(month)
    if shown.over == "month" and len(shown.table) and not shown.complete:
        st.info(f"{label} is still being counted: the breakdown below is incomplete.")
    if shown.empty:
        st.info(f"Nothing to break down for {label}.")
        return
    when = _when(kpi, month, shown)
    st.caption(f"{when}. The counts behind each figure are shown; small numbers vary a lot.")
    texts = {
        "unit": kpi.unit,
        "mean_of": shown.months if shown.over == "mean" else None,
        # A snapshot counts what is open at the month end.
        "noun": f"open {kpi.noun}" if kpi.is_snapshot else kpi.noun,
    }
    # The words beside a mean's bars are long: its two charts take the full width.
    left, right = st.columns(2) if texts["mean_of"] is None else (st.container(),) * 2
    with left:
        fig = breakdown_charts.breakdown_bars(
            shown.by_age, label="age_band", title="By victim age band", **texts
        )
        st.plotly_chart(fig, config=CHART_CONFIG, key="by_age")
    with right:
        fig = breakdown_charts.breakdown_bars(
            shown.by_gender, label="gender", title="By victim gender", **texts
        )
        st.plotly_chart(fig, config=CHART_CONFIG, key="by_gender")
    if len(shown.cross):
        title = "Victim age band × gender"
        fig = breakdown_charts.age_gender_heatmap(shown.cross, title=title, **texts)
        st.plotly_chart(fig, config=CHART_CONFIG, key="age_gender")
