"""Compare with similar forces: a funnel plot (proportions; counts per 100,000 people), forces in
order with their uncertainty, the force against its peers over time, breakdowns side by side,
and what each peer can compute.

Every force with its own case data here and every imported peer is comparable; the peer group
picks which of them to show, and a group member with no figures here is named as such. The
period is rolling 12 months unless a single month is chosen: one month is the noisiest view.
"""

import pandas as pd
import streamlit as st

from flightdeck.app import ui
from flightdeck.app.data import peers as peer_data
from flightdeck.app.pages import compare_sections as sections
from flightdeck.engine.catalogue import by_id
from flightdeck.peers import comparison, groups
from flightdeck.reference import load_reference

FIRST_SHOWN = "K02"
ROLLING, SINGLE = "Rolling 12 months to the month", "The month alone"


def _month_label(month) -> str:
    return pd.Timestamp(month).strftime("%B %Y")


def _choose_group(focus: str, with_data: set[str]) -> tuple[str, list[str], list[str]]:
    peer_groups = peer_data.peer_groups()
    options, default = groups.group_choices(peer_groups, focus)
    group = st.selectbox(
        "Peer group",
        options,
        index=options.index(default),
        key="compare_group",
        help="Edit the groups on the Peer groups page.",
    )
    members = groups.members(peer_groups, group, focus, with_data)
    return group, members, groups.without_data(peer_groups, group, focus, with_data)


def _controls():
    forces = peer_data.forces()
    if forces.empty:
        ui.no_data_yet()
        return None
    catalogue = peer_data.kpi_table()
    names = dict(zip(forces["force"], forces["name"], strict=True))
    own = forces[forces["source"] == "own"]
    top = st.columns(3)
    with top[0]:
        focus = ui.force_picker(own if not own.empty else forces)
    with top[1]:
        kpi_names = dict(zip(catalogue["kpi_id"], catalogue["name"], strict=True))
        ids = list(kpi_names)
        kpi_id = st.selectbox(
            "KPI",
            ids,
            format_func=lambda k: f"{k} {kpi_names[k]}",
            key="compare_kpi",
            # The charge rate: the comparison boards ask for first, and a rate gets the funnel.
            index=ids.index(FIRST_SHOWN) if FIRST_SHOWN in ids else 0,
        )
    with top[2]:
        group, members, no_data = _choose_group(focus, set(forces["force"]))
    kpi = catalogue.set_index("kpi_id").loc[kpi_id]
    chosen_group, offence_group = ui.offence_group_for(by_id()[kpi_id])
    if offence_group != chosen_group:
        st.caption(f"{kpi_id} is counted for all RASSO crimes only: {ui.FORCE_LEVEL_NOTE}")
    results = peer_data.results(kpi_id, members, offence_group=offence_group)
    months = comparison.months_compared(results, offence_group=offence_group)
    if not months:
        st.info(f"No complete figures for {kpi_id} among the forces of {group}.")
        return None
    bottom = st.columns(2)
    with bottom[0]:
        month = st.selectbox("Month", months, format_func=_month_label, key="compare_month")
    with bottom[1]:
        rolling = (
            st.radio(
                "Period",
                [ROLLING, SINGLE],
                horizontal=True,
                key="compare_period",
                help="A single month is the noisiest view: small forces' figures swing "
                "from month to month by chance.",
            )
            == ROLLING
        )
    if forces[forces["force"].isin(members)]["synthetic"].any():
        st.caption("Forces marked (synthetic) are fictional demo forces.")
    choice = sections.Choice(
        focus=focus,
        kpi_id=kpi_id,
        kpi=kpi,
        group=group,
        members=members,
        names=names | _reference_names(no_data),
        month=pd.Timestamp(month),
        rolling=rolling,
        offence_group=offence_group,
    )
    return choice, results, no_data


def _reference_names(forces: list[str]) -> dict[str, str]:
    reference = load_reference()
    return {f: reference.force_name(f) for f in forces}


def _period_words(month, rolling: bool) -> str:
    if rolling:
        first = comparison.window(month, True)[0]
        return f"the 12 months {_month_label(first)} to {_month_label(month)}"
    return _month_label(month)


def render() -> None:
    ui.page_header(
        "Compare with similar forces",
        "How do we compare with forces like us? Proportions, and counts per 100,000 people, "
        "are compared on a funnel plot, never a league table.",
    )
    chosen = _controls()
    if chosen is None:
        return
    choice, results, no_data = chosen
    period = _period_words(choice.month, choice.rolling)
    figures, left_out = sections.compared_figures(choice, results)
    sections.not_compared(choice, figures, left_out, no_data, period)
    if len(figures) < 2:
        st.info(
            f"Fewer than two forces of {choice.group} have figures for {period}. Import peers' "
            "results on the Peer groups page, choose another group, or a longer period."
        )
    else:
        sections.funnel_section(choice, figures, period)
        sections.ranked_section(choice, figures, period)
    sections.over_time_section(choice, results)
    sections.breakdown_section(choice, results)
    sections.feasibility_section(choice)
