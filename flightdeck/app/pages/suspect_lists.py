"""Suspect lists (analysts only): the force's top 10 suspects by frequency, by harm or by the RFG
threat score at a month end, and from a row the suspect's history, to prepare a tasking
meeting. Pseudonymised ids only. The role is checked on the server by every read (a viewer who
reaches the page is refused, and the refusal is audited); every view and export is audited."""

import datetime as dt

import pandas as pd
import streamlit as st

from flightdeck.app import ui
from flightdeck.app.data import deck
from flightdeck.app.data import suspects as data
from flightdeck.app.pages import suspect_history
from flightdeck.present import formatting
from flightdeck.suspects import lists

HANDLING = (
    "**OFFICIAL-SENSITIVE · pseudonymised suspect references.** For analysts preparing tasking "
    "and disruption; never for a board pack, a peer export or a viewer. Every list, history "
    "and download is recorded in the audit trail with your name, the force and the month."
)
REFUSED = (
    "Suspect lists are for analysts only: your role does not allow them. The attempt has "
    "been recorded in the audit trail."
)
COLUMN_HELP = {
    "rank": st.column_config.NumberColumn("Rank", width="small"),
    "suspect_id": st.column_config.TextColumn("Suspect (pseudonymised)"),
    "crimes": st.column_config.NumberColumn("Crimes", help="In the 365 days to the month end"),
    "harm": st.column_config.NumberColumn(
        "Harm (days)", help="Sum of the crimes' harm weights (data/reference/harm_weights.csv)"
    ),
    "victims": st.column_config.NumberColumn(
        "Victims", help="Distinct victim references; blank where the force does not record them"
    ),
    "last_recorded": st.column_config.DateColumn("Last recorded", format="DD MMM YYYY"),
    "open_crimes": st.column_config.NumberColumn("Open crimes", help="Open at the month end"),
    "on_bail": st.column_config.CheckboxColumn("On bail", help="An open crime with bail"),
    "civil_order": st.column_config.TextColumn("Civil order", help="granted, applied or blank"),
    "ssrp": st.column_config.CheckboxColumn("SSRP", help="Referred to the SSRP by the month end"),
    "s63g": st.column_config.CheckboxColumn("s63G", help="A DNA retention application"),
    "breaches": st.column_config.NumberColumn("Breaches", help="Of bail or of an order"),
    "score": st.column_config.NumberColumn("Score", help="RFG threat score", width="small"),
}


def _list_choice() -> str:
    options = list(lists.LISTS)
    ui.remembered("suspect_list", options, options[0])
    return st.segmented_control(
        "List",
        options,
        format_func=lists.LIST_TITLES.get,
        required=True,
        key="_suspect_list",
        on_change=ui.keep,
        args=("suspect_list",),
    )


def _month_choice(months: list[dt.date], as_of) -> dt.date:
    """The month end, shared with the other pages' month choice where it can be."""
    stamps = sorted(pd.Timestamp(m) for m in months)
    return ui.month_picker(stamps, as_of).date()


def _table(frame: pd.DataFrame) -> None:
    shown = frame.astype({c: "boolean" for c in ("on_bail", "ssrp", "s63g") if c in frame})
    if "civil_order" in shown:
        shown["civil_order"] = shown["civil_order"].fillna("")
    if lists.SCORE in shown:  # the score beside the rank it gives, not off to the right
        shown = shown[["rank", lists.SCORE, *[c for c in shown if c not in ("rank", lists.SCORE)]]]
    st.dataframe(
        shown,
        hide_index=True,
        column_config={c: COLUMN_HELP[c] for c in frame.columns if c in COLUMN_HELP},
        key="suspect_list_table",
        width="stretch",
    )


def _history_choice(frame: pd.DataFrame) -> str | None:
    """The suspect whose history to open, chosen by rank (a choice a keyboard reaches too)."""
    options = [None, *frame["suspect_id"].astype(str)]
    ranks = dict(zip(frame["suspect_id"].astype(str), frame["rank"], strict=True))
    return st.selectbox(
        "Open a suspect's history",
        options,
        format_func=lambda s: "Choose a suspect of the list" if s is None else f"{ranks[s]}. {s}",
        key="suspect_history_choice",
    )


def render() -> None:
    ui.page_header(
        "Suspect lists",
        "The force's repeat and high-harm suspects at a month end, and what is in place to "
        "disrupt them: for tasking meetings. Analysts only.",
    )
    forces = deck.forces()
    if forces.empty:
        ui.no_data_yet()
        return
    left, middle = st.columns(2)
    with left:
        force = ui.force_picker(forces)
    row = forces[forces["force"] == force].iloc[0]
    months = data.months(force)
    if not months:
        st.info(f"{row['name']} has no month with a named suspect to list yet.")
        return
    with middle:
        month = _month_choice(months, row["as_of"])
    which = _list_choice()
    try:
        frame = data.suspect_list(force, month, which)
    except data.Refused:
        st.error(REFUSED, icon=":material/lock:")
        return
    st.warning(HANDLING, icon=":material/shield_person:")
    end = formatting.month_label(pd.Timestamp(month))
    st.subheader(f"{lists.LIST_TITLES[which]}: {row['name']}, 12 months to the end of {end}")
    if frame.empty:
        st.info("No suspect meets this list's rule for the month.")
    else:
        _table(frame)
        st.download_button(
            "Download this list (CSV, official-sensitive)",
            data.list_csv(force, month, which),
            file_name=f"suspects-{which}-{force}-{month:%Y-%m}.csv",
            mime="text/csv",
            icon=":material/download:",
            on_click="ignore",
            key="suspects_csv",
            help="The handling line comes first; the download is recorded in the audit trail.",
        )
        chosen = _history_choice(frame)
        if chosen is None:
            st.caption("Choose a suspect to see their crimes and the disruption in place.")
        else:
            suspect_history.render(force, month, chosen)
    suspect_history.how_made(which)
