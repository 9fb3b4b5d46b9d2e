"""The problem profile page's sections, in the document's order and words: the tables are the
document's own (`present.profile_pages`), the charts the same figures drawn interactively, so the
page and the download never disagree."""

import pandas as pd
import streamlit as st

from flightdeck.present import profile_charts as charts
from flightdeck.present import profile_doc as doc_words
from flightdeck.present import profile_funnels, profile_pages
from flightdeck.present.style import CHART_CONFIG
from flightdeck.vocabulary import AGE_BANDS, GENDERS, UNKNOWN

HEADINGS = doc_words.HEADINGS


def _html(*parts: str) -> None:
    st.html(f"<style>{profile_pages.PROFILE_CSS}</style>" + "".join(parts))


def _chart(fig, key: str) -> None:
    st.plotly_chart(fig, config=CHART_CONFIG, key=key)


def _volumes(p) -> None:
    st.subheader(HEADINGS["volumes"])
    st.caption(
        "Crimes recorded in the latest 12 months against the 12 months before. The change is "
        "context, not a verdict: more recorded crimes can mean more offending or more victims "
        "coming forward."
    )
    left, right = st.columns([2, 3])
    with left:
        _html(profile_pages.group_table(p.volumes_by_group))
    with right:
        _chart(charts.volumes_figure(p.volumes_by_group, height=320), "profile_volumes")
    with st.expander(HEADINGS["codes"]):
        _html(profile_pages.code_table(p.volumes_by_code))


def _victims(p) -> None:
    st.subheader(HEADINGS["victims"])
    st.caption(
        "Victims of the crimes recorded in the 12 months, by age band and gender. The table "
        "gives every cell, including those the pyramid does not draw."
    )
    left, right = st.columns([3, 2])
    with left:
        _chart(charts.pyramid_figure(p.pyramid, height=430, note=False), "profile_pyramid")
        st.caption(charts.pyramid_note(p.pyramid))
    with right:
        bands = [*reversed([b for b in AGE_BANDS if b != UNKNOWN]), UNKNOWN]
        _html(profile_pages.pyramid_table(p.pyramid, bands, GENDERS))


def _cohorts(p) -> None:
    st.subheader(HEADINGS["cohorts"])
    st.caption(
        "Each month's recorded crimes followed to their outcomes. Unlike the outcome-based "
        "charge rate (K02), which counts the outcomes given in a month whenever their crimes "
        "were recorded, a cohort's charged share rises as it matures: recent months are low "
        "because their crimes are still open, not because fewer are charged. Open crimes are "
        "shown as open."
    )
    left, right = st.columns([3, 2])
    with left:
        _html(profile_pages.cohort_table(p.cohorts))
    with right:
        _chart(charts.open_figure(p.cohorts, height=360, note=False), "profile_open")
        st.caption(charts.open_note(p.cohorts))
    st.markdown(f"**{HEADINGS['curves']}**")
    st.caption(
        "One line for each of the latest four years of recording: the share of that year's "
        "crimes charged (left) and "
        "with any outcome (right) by days since report. Dashed, hollow points: not every crime "
        "of the year has been followed that long yet, so the share can still rise."
    )
    left, right = st.columns(2)
    with left:
        _chart(charts.cohort_figure(p.cohort_curves, "charged"), "profile_curve_charged")
    with right:
        _chart(charts.cohort_figure(p.cohort_curves, "outcome"), "profile_curve_outcome")


def _partners(p, partners: pd.DataFrame) -> None:
    st.subheader(HEADINGS["partners"])
    if partners is None or partners.empty:
        st.info("No partner agency figures (SARC, ISVA services) are loaded for this force.")
        return
    st.caption(
        "Counts the partner agencies report each month, each beside the police figure it "
        "relates to: SARC attendances beside crimes recorded (K01), ISVA referrals received "
        "beside the police's referrals to an ISVA within 7 days (K16). They count different "
        "things and need not match."
    )
    months = list(pd.date_range(p.period.first, p.period.last, freq="MS"))
    _html(profile_pages.partner_table(partners, months))


def _comparison(anchor: str, part, missing: str) -> None:
    st.subheader(HEADINGS[anchor])
    if part is None:
        st.info(missing)
        return
    st.caption(profile_funnels.intro(part))
    columns = st.columns(2)
    for i, (column, f) in enumerate(zip(columns, part.funnels, strict=False)):
        with column:
            st.markdown(f"**{f.heading}**")
            if f.result is None:
                st.info(f.reason)
                continue
            _chart(profile_funnels.figure(part, f), f"profile_{anchor}_{i}")
            _html(profile_funnels.caption_html(part, f))


def _ethnicity(p) -> None:
    e = p.ethnicity
    st.subheader(HEADINGS["ethnicity"])
    st.caption(
        f"The victim's ethnicity is recorded for {profile_pages.counted(e.recorded)} of "
        f"{profile_pages.counted(e.crimes)} crimes ({profile_pages.share_text(e.share)}) in the "
        f"12 months; the profile shows a breakdown only when at least {e.threshold:.0%} is "
        "recorded (FLIGHTDECK_ETHNICITY_THRESHOLD)."
    )
    fig = charts.ethnicity_completeness_figure(e.by_month, e.threshold, height=320)
    _chart(fig, "profile_ethnicity")
    if e.passes and e.breakdown is not None:
        _html(profile_pages.breakdown_table(e.breakdown))
    else:
        st.info(e.reason, icon=":material/visibility_off:")


def render_all(doc) -> None:
    """Every section of the profile `doc` (a `profile_data.ProfileDocument`)."""
    p = doc.profile
    _volumes(p)
    _victims(p)
    st.subheader(HEADINGS["repeat"])
    _html(profile_pages.repeat_section("repeat", "", p).replace("<h2></h2>", ""))
    _cohorts(p)
    _partners(p, doc.partners)
    _comparison("peers", doc.comparison, "No peer group with figures here: import the peers' "
                "exported KPI results on the Peer groups page to compare.")  # fmt: skip
    _comparison("national", doc.national, "No published national figures are imported here.")
    _ethnicity(p)
