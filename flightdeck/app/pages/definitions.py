"""Definitions: the catalogue of the 21 KPIs, from the same metadata the KPI engine runs on,
grouped by pillar with each definition written out, and the words the pages use explained."""

import pandas as pd
import streamlit as st

from flightdeck.app import ui
from flightdeck.app.data import deck
from flightdeck.present import formatting, tiles

_UNITS = {"fraction": "percentage", "days": "days (median)"}

GLOSSARY = {
    "Counts behind a rate": "a rate such as 30 % is 12 crimes out of 40; the tables call the 12 "
    "the *numerator* and the 40 the *denominator*. A rate on a handful of crimes moves a lot by "
    "chance.",
    "Median": "the middle value: half the crimes took longer, half took less time. Used for "
    "days, where a few very long cases would distort an average.",
    "Incomplete month": "a month whose time window is still open (e.g. 'within 30 days' for "
    "crimes recorded at the end of the month). Shown hollow with its counts so far, never as "
    "a final figure or a zero.",
    "SPC chart (XmR or individuals chart)": "the month-by-month chart with an average and "
    "control limits (NHS England's Making Data Count method). Months inside the limits vary by "
    "chance (*common cause*); a month beyond a limit, a trend of 7 months rising or falling, 2 "
    "of 3 months close to a limit, or a shift of 7 months on one side of the average is a "
    "*signal* (*special cause*): unlikely to be chance.",
    "Warm-up": "the first 24 months of a series (48 for open-case snapshots), distorted by where "
    "the extract's history starts: drawn, never analysed.",
    "Baseline": "the months the average and limits are worked out from: the first 12 complete "
    "months after the warm-up, or after a change point. The limits then stay fixed.",
    "Change point": "a month an analyst records when practice changed (a new team, a new way of "
    "recording): a new baseline starts there.",
    "Variation icon": "the latest month's reading: common cause (grey), special cause "
    "improvement (blue), concern (orange), or a change in a context measure (violet); H or L "
    "for high or low.",
    "Assurance icon": "where a target is set: whether the process will consistently meet it "
    "(P), consistently miss it (F), or hit and miss (the target lies within the limits).",
    "Feasible / partial / not feasible": "whether the force's extract records what the KPI "
    "needs: fully, only partly, or not at all (then the KPI shows n/a with the reason).",
    "Declared status": "what the force has told its board about the KPI (reported, feasible, "
    "under assessment, not feasible).",
    "Funnel plot": "on the compare page: each force's rate against its number of crimes, with "
    "limits that narrow as volume grows. Outside the limits is unlikely to be chance.",
}


def catalogue_frame(catalogue: list) -> pd.DataFrame:
    """One row per KPI in words a board member reads."""
    return pd.DataFrame(
        {
            "KPI": [k.id for k in catalogue],
            "name": [k.name for k in catalogue],
            "pillar": [tiles.PILLARS.get(k.pillar, k.pillar) for k in catalogue],
            "shown as": [_UNITS.get(k.unit, k.unit) for k in catalogue],
            "direction": [formatting.direction_words(k.direction) for k in catalogue],
        }
    )


def render() -> None:
    ui.page_header(
        "Definitions",
        "The 21 KPIs exactly as the flight deck computes them, and the supplementary measures of "
        "suspect management (S01 to S06) beside them. Each is one SQL file and one metadata "
        "file in the product, so a force can read and adjust a definition in one place.",
    )
    catalogue = deck.measures()
    pillars = list(tiles.by_pillar(catalogue))
    chosen = st.multiselect("Pillars", pillars, placeholder="All pillars", key="def_pillars")
    shown = [k for k in catalogue if not chosen or tiles.PILLARS.get(k.pillar) in chosen]
    st.dataframe(catalogue_frame(shown), hide_index=True, key="catalogue")
    st.caption(
        'Month: a calendar month. Cohort KPIs ("within N days of report") follow the crimes '
        "recorded in the month and are incomplete until N days after the month ends. Crimes "
        "later cancelled are never counted. Breakdowns use the victim's age band and gender."
    )
    for pillar, kpis in tiles.by_pillar(shown).items():
        st.subheader(pillar)
        for kpi in kpis:
            shown_as = _UNITS.get(kpi.unit, kpi.unit)
            st.markdown(
                f"**{kpi.id} · {kpi.name}**  \n:gray[{formatting.direction_words(kpi.direction)} · "
                f"shown as {shown_as}]  \n{kpi.definition}"
            )
            needs = ", ".join(f"`{c}`" for c in kpi.requires)
            with st.expander(
                f"{kpi.id}: the SQL behind it" + (" and the columns it needs" if needs else "")
            ):
                if needs:
                    st.markdown(f"Needs the columns: {needs}")
                st.code(kpi.sql, language="sql")
    st.subheader("Words used on these pages")
    st.markdown("\n".join(f"- **{term}**: {words}" for term, words in GLOSSARY.items()))
