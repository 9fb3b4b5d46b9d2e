"""What the KPI detail page shows beside a KPI that is not the KPI itself: partner agencies'
monthly counts beside the police figure they relate to (SARC attendances beside recorded crimes,
ISVA referrals received beside K16), and for the outcome-based charge rate (K02) the outcomes
of each recording cohort, which do not mix old and new crimes."""

import streamlit as st

from flightdeck.app.data import deck
from flightdeck.app.data import profile as profile_data
from flightdeck.partners import figures as partner_figures
from flightdeck.present import partner_charts, profile_charts
from flightdeck.present.style import CHART_CONFIG
from flightdeck.vocabulary import ALL, OFFENCE_GROUP_WORDS

COHORT_KPI = "K02"


def _partners(kpi, force: str, offence_group: str) -> None:
    partners = profile_data.partners_beside(force, kpi.id)
    if partners.empty:
        return
    st.subheader("Partner agencies' figures beside it")
    if offence_group != ALL:
        st.caption(
            "Partner agencies report all RASSO together, so they are shown beside the police "
            f"figure for all RASSO crimes, not for {OFFENCE_GROUP_WORDS[offence_group].lower()}."
        )
    series = deck.kpi_series(force, kpi)  # all RASSO crimes, as the partners count
    # a count's numerator is its count; a rate's, the crimes it counts
    police = series[["month", "numerator"]].rename(columns={"numerator": "figure"})
    first, last = partners["month"].min(), partners["month"].max()
    police = police[(police["month"] >= first) & (police["month"] <= last)]
    label = partner_figures.police_figure_words(kpi.id, kpi.name)
    fig = partner_charts.beside_figure(police, label, partners)
    st.plotly_chart(fig, config=CHART_CONFIG, key="partners_beside")
    st.caption(
        "Monthly counts the partner agencies report (loaded with `flightdeck load-partner` or on "
        "the Load data page), beside the police figure in the same months. They count "
        "different things and need not match: a SARC also sees people who do not report to the "
        "police, and an ISVA service takes referrals from elsewhere too."
    )


def _cohorts(force: str, offence_group: str) -> None:
    curves, table = profile_data.cohort_outcomes(force, offence_group)
    if table.empty:
        return
    st.subheader("Outcomes by recording cohort")
    st.caption(
        "The charge rate above counts the outcomes given in each month, whatever month their "
        "crimes were recorded in, so old and new crimes are mixed. Here each of the latest "
        "four years' recorded "
        "crimes are followed from the day of report: the share charged, and the share with any "
        "outcome, by days since report. Crimes still open are open, never 'not charged'; "
        "dashed, hollow points: not every crime of that year has been followed that long yet."
    )
    left, right = st.columns(2)
    with left:
        fig = profile_charts.cohort_figure(curves, "charged")
        st.plotly_chart(fig, config=CHART_CONFIG, key="cohort_charged")
    with right:
        fig = profile_charts.cohort_figure(curves, "outcome")
        st.plotly_chart(fig, config=CHART_CONFIG, key="cohort_outcome")
    recent = table.tail(12)
    fig = profile_charts.open_figure(recent, height=340, note=False)
    st.plotly_chart(fig, config=CHART_CONFIG, key="cohort_open")
    st.caption(
        "The last 12 recording months as they stand today: charged, another outcome, or "
        "still open (hatched)."
    )


def render(kpi, force: str, offence_group: str) -> None:
    """The partner figures and cohort outcomes that belong beside the KPI, if any."""
    _partners(kpi, force, offence_group)  # for a KPI any partner measure is set beside
    if kpi.id == COHORT_KPI:
        _cohorts(force, offence_group)
