"""Page furniture shared by every page: header with the synthetic-data banner, the force and
month pickers (remembered across pages), and empty states."""

import pandas as pd
import streamlit as st

from flightdeck.app import registry
from flightdeck.app.data import deck
from flightdeck.app.data.actions import ActionResult
from flightdeck.present.formatting import SYNTHETIC_BANNER, month_label
from flightdeck.present.style import ASSESSMENT_TEXT_COLOURS
from flightdeck.vocabulary import ALL, OFFENCE_GROUP_WORDS, OFFENCE_GROUPS

OFFENCE_GROUP_HELP = (
    "Rape is reported separately in the national figures and asked about first by boards. "
    "The choice is kept on every page that shows KPIs. Force-level KPIs (civil orders, "
    "investigators) are counted for all RASSO crimes only."
)


def page_header(title: str, caption: str | None = None) -> None:
    """Title, a short caption, and the synthetic-data banner whenever a demo force is loaded."""
    st.title(title)
    if caption:
        st.caption(caption)
    if deck.any_synthetic():
        st.warning(
            f'**{SYNTHETIC_BANNER}** The forces marked "(synthetic)" and all their figures are '
            "invented to show how the flight deck works.",
            icon=":material/science:",
        )


def no_data_yet() -> None:
    """The empty state shown when no case extract has been loaded."""
    st.info(
        "**No data yet.** Load a month's case extract on the **Load data** page and the flight "
        "deck fills in here.",
        icon=":material/inbox:",
    )
    st.page_link(registry.page("load"), label="Go to Load data", icon=":material/upload_file:")


def remembered(key: str, options: list, default):
    """Keep a choice across pages: Streamlit forgets widget state on pages where the widget is
    not drawn, so the choice is kept under a plain key and copied into the widget's key."""
    chosen = st.session_state.get(key)
    if chosen not in options:
        chosen = default
    st.session_state[f"_{key}"] = chosen
    return chosen


def keep(key: str) -> None:
    st.session_state[key] = st.session_state[f"_{key}"]


def force_picker(forces: pd.DataFrame) -> str:
    """Choose a force (by name) among those with data; the choice is shared by every page."""
    ids = list(forces["force"])
    names = dict(zip(forces["force"], forces["name"], strict=True))
    remembered("force", ids, ids[0])
    return st.selectbox(
        "Force",
        ids,
        format_func=lambda f: names.get(f, f),
        key="_force",
        on_change=keep,
        args=("force",),
    )


FORCE_LEVEL_NOTE = (
    "Force-level KPIs (K14 civil orders, K20 trained investigators, K21 open investigations per "
    "investigator) are counted for all RASSO crimes only, whichever offences are chosen."
)


def offence_group_picker(key: str = "offence_group") -> str:
    """Rape, other sexual offences or all RASSO crimes: one choice shared by every page that
    shows KPIs (flight deck, KPI detail, comparisons, board pack), kept between pages."""
    options = list(OFFENCE_GROUPS)
    remembered(key, options, ALL)
    return st.segmented_control(
        "Offences",
        options,
        format_func=OFFENCE_GROUP_WORDS.get,
        required=True,
        key=f"_{key}",
        on_change=keep,
        args=(key,),
        help=OFFENCE_GROUP_HELP,
    )


def offence_group_for(kpi) -> tuple[str, str]:
    """The offences chosen (drawing the shared choice) and those the KPI's figures are for: a
    force-level KPI counts the force as a whole, so all RASSO crimes whatever is chosen."""
    chosen = offence_group_picker()
    return chosen, ALL if kpi.force_level else chosen


def month_picker(months: list[pd.Timestamp], as_of) -> pd.Timestamp:
    """Choose a month, latest first; defaults to the latest fully elapsed month."""
    options = sorted(months, reverse=True)
    remembered("month", options, deck.default_month(months, as_of))
    return st.selectbox(
        "Month",
        options,
        format_func=month_label,
        key="_month",
        on_change=keep,
        args=("month",),
    )


def force_and_month() -> tuple[pd.Series, pd.Timestamp | None] | None:
    """The force and month pickers side by side; None (after an empty state) if no data."""
    forces = deck.forces()
    if forces.empty:
        no_data_yet()
        return None
    left, right = st.columns(2)
    with left:
        force = force_picker(forces)
    row = forces[forces["force"] == force].iloc[0]
    months = deck.months(force)
    if not months:
        st.info(f"{row['name']} has no KPI results yet.")
        return row, None
    with right:
        month = month_picker(months, row["as_of"])
    return row, pd.Timestamp(month)


def refusal_or_result(result: ActionResult) -> None:
    """Show the outcome of a change politely."""
    if result.refused:
        st.warning(result.message, icon=":material/lock:")
    elif result.ok:
        st.success(result.message, icon=":material/check_circle:")
    else:
        st.error(result.message)


def signal_text(words: str, assessment: str) -> str:
    """A signal as highlighted markdown (wraps, unlike a badge): blue improvement, orange
    concern, violet for a measure that is context only; the words carry the meaning too."""
    return f":{ASSESSMENT_TEXT_COLOURS[assessment]}-background[{words}]"
