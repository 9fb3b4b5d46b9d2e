"""A suspect's history on the Suspect lists page: the suspect's crimes to the month end (those
of the list's window marked) and the disruption in place, by pseudonymised references only; and
how the lists are made, from the same configuration the lists are scored with."""

import datetime as dt

import pandas as pd
import streamlit as st

from flightdeck.app.data import suspects as data
from flightdeck.present import formatting
from flightdeck.suspects import rfg

DISRUPTION_WORDS = {
    "crimes": "crimes in the 12 months",
    "harm": "harm (days)",
    "victims": "victims",
    "open_crimes": "open at the month end",
    "on_bail": "on pre-charge bail",
    "civil_order": "civil order",
    "ssrp": "referred to the SSRP",
    "s63g": "s63G DNA retention application",
    "breaches": "breaches of bail or order",
}


CRIME_LABELS = {
    "crime_id": st.column_config.TextColumn("Crime (pseudonymised)"),
    "recorded_date": st.column_config.DateColumn("Recorded", format="DD MMM YYYY"),
    "offence_code": st.column_config.TextColumn("Code", width="small"),
    "offence_title": st.column_config.TextColumn("Offence"),
    "offence_group": st.column_config.TextColumn("Group"),
    "in_window": st.column_config.CheckboxColumn("In the 12 months"),
    "open_at_month_end": st.column_config.CheckboxColumn("Open at month end"),
    "outcome_type": st.column_config.TextColumn("Outcome"),
    "outcome_date": st.column_config.DateColumn("Outcome date", format="DD MMM YYYY"),
    "first_contact_date": st.column_config.DateColumn("First contact", format="DD MMM YYYY"),
    "release_type": st.column_config.TextColumn("Release"),
    "s63g_application": st.column_config.CheckboxColumn("s63G"),
    "victim_id": st.column_config.TextColumn("Victim (pseudonymised)"),
    "harm": st.column_config.NumberColumn("Harm (days)"),
}


def _words(column: str, value) -> str:
    """A disruption figure in words: yes/no, a number, or what a blank means there."""
    if value is None or (not isinstance(value, str) and pd.isna(value)):
        return "not recorded" if column == "victims" else "none"
    if pd.api.types.is_bool(value):
        return "yes" if value else "no"
    if isinstance(value, float) and value.is_integer():
        return f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _disruption_line(disruption: pd.DataFrame) -> str:
    """The suspect's list figures as one line of words."""
    row = disruption.iloc[0]
    parts = [
        f"{words}: {_words(column, row[column])}"
        for column, words in DISRUPTION_WORDS.items()
        if column in disruption.columns
    ]
    return " · ".join(parts)


def render(force: str, month: dt.date, suspect_id: str) -> None:
    """The chosen suspect's history (audited as a view by the data layer)."""
    try:
        found = data.suspect_history(force, month, suspect_id)
    except data.Refused:
        return  # the list itself was refused before this is reached; nothing to show
    end = formatting.month_label(pd.Timestamp(month))
    st.subheader(f"Suspect {suspect_id}: history to the end of {end}")
    st.markdown(_disruption_line(found.disruption))
    st.markdown("**Crimes** (newest first; those in the list's 12 months are marked)")
    st.dataframe(
        found.crimes,
        hide_index=True,
        width="stretch",
        key="suspect_crimes",
        column_config={c: CRIME_LABELS[c] for c in found.crimes.columns if c in CRIME_LABELS},
    )
    if len(found.orders):
        st.markdown("**Civil orders, SSRP referrals and breaches**")
        st.dataframe(found.orders, hide_index=True, width="stretch", key="suspect_orders")
    else:
        st.caption("No civil order application, SSRP referral or breach recorded.")


def how_made(which: str) -> None:
    """The lists' rules and the RFG score's bands, read from the file that scores them."""
    with st.expander("How the lists are made", expanded=which == "rfg"):
        st.markdown(
            "The **window** holds the force's crimes with a named suspect recorded in the 365 "
            "days to the month end (cancelled crimes never count). **Highest frequency**: "
            "suspects with 2 or more crimes in the window, most crimes first. **Highest harm**: "
            "every suspect of the window, the largest sum of harm weights first (days, in the "
            "manner of the Cambridge Crime Harm Index; the weights are the editable "
            "`data/reference/harm_weights.csv`). Ties go to more crimes or more harm, then "
            "the latest crime, then the suspect reference. Disruption (open crimes, bail, "
            "civil orders, SSRP, s63G, breaches) reads all the suspect's crimes to the month "
            "end, not only the window's."
        )
        st.markdown(rfg.explained(rfg.load_config()))
