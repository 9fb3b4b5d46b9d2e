"""Compare with similar forces: funnel plot, ranked dot plot with intervals, the force against
the peer mean over time, breakdowns side by side, and what each peer can compute.

Every force with its own case data here and every imported peer is comparable; the peer group
picks which of them to show.
"""

import pandas as pd
import streamlit as st

from flightdeck.app import ui
from flightdeck.app.data import peers as peer_data
from flightdeck.peers import comparison, groups
from flightdeck.present import formatting, peer_charts, tiles
from flightdeck.present.style import CHART_CONFIG
from flightdeck.stats.funnel import describe_position, funnel
from flightdeck.vocabulary import AGE_BANDS, GENDERS

FIRST_SHOWN = "K02"


def _month_label(month) -> str:
    return pd.Timestamp(month).strftime("%B %Y")


def _choose_group(focus: str, members_with_data: set[str]) -> tuple[str, list[str]]:
    peer_groups = peer_data.peer_groups()
    options, default = groups.group_choices(peer_groups, focus)
    group = st.selectbox(
        "Peer group",
        options,
        index=options.index(default),
        key="compare_group",
        help="Edit the groups on the Peer groups page.",
    )
    return group, groups.members(peer_groups, group, focus, members_with_data)


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
        group, members = _choose_group(focus, set(forces["force"]))
    kpi = catalogue.set_index("kpi_id").loc[kpi_id]
    results = peer_data.results(kpi_id, members)
    months = comparison.months_compared(results)
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
                ["The month", "Rolling 12 months to the month"],
                horizontal=True,
                key="compare_period",
            )
            != "The month"
        )
    shown = forces[forces["force"].isin(members)]
    if shown["synthetic"].any():
        st.caption("Forces marked (synthetic) are fictional demo forces.")
    return focus, kpi_id, kpi, group, members, results, pd.Timestamp(month), rolling, names


def _period_words(month, rolling: bool) -> str:
    if rolling:
        first = comparison.window(month, True)[0]
        return f"the 12 months {_month_label(first)} to {_month_label(month)}"
    return _month_label(month)


def _funnel_section(figures, kpi, names, focus, period) -> None:
    st.subheader("Funnel plot")
    if len(figures) < 2:
        st.info("At least two forces with figures are needed for a funnel plot.")
        return
    result = funnel(figures)
    title = f"{kpi['name']}, {period}"
    fig = peer_charts.funnel_figure(result, names, focus, title, formatting.axis_title(kpi["unit"]))
    st.plotly_chart(fig, config=CHART_CONFIG, key="funnel_plot")
    st.caption(
        "Each dot is a force (the chosen force ringed and named in bold): its rate against the "
        "number of crimes it is based on. The lines "
        f"are the group rate ({result.group_rate:.1%}) and the limits within which 95 % and "
        "99.8 % of forces would fall by chance alone; they narrow as volume grows, because "
        "bigger forces' rates wobble less. Being outside a limit is what matters, not the rank."
    )
    sentences = [
        describe_position(names.get(p.force, p.force), p.position, kpi["direction"])
        for p in result.points.sort_values("rate", ascending=False).itertuples()
    ]
    outside = [s for s in sentences if s]
    if outside:
        for sentence in outside:
            st.markdown(f"- {sentence}")
    else:
        st.markdown(
            f"**All {len(result.points)} forces are within the 95 % limits:** the differences "
            "between them are what chance alone would produce."
        )


def _ranked_section(figures, kpi, names, focus, period) -> None:
    st.subheader("Forces in order, with their uncertainty")
    ranked = comparison.ranked(figures, kpi["kind"], kpi["unit"])
    percent = kpi["unit"] == "fraction"
    fig = peer_charts.ranked_figure(
        ranked,
        names,
        focus,
        f"{kpi['name']}, {period}",
        percent,
        formatting.axis_title(kpi["unit"]),
    )
    st.plotly_chart(fig, config=CHART_CONFIG, key="ranked_plot")
    if ranked["lower"].notna().any():
        st.caption(
            "The bars are 95 % intervals (Wilson): where two forces' bars overlap, the order "
            "between them may be chance. This is not a league table."
        )
    else:
        st.caption(
            f"No interval is shown for a {kpi['kind']} ({kpi['unit']}); read the order "
            "with care, small differences are usually noise."
        )


def _over_time_section(results, kpi, names, focus, month) -> None:
    st.subheader(f"{names.get(focus, focus)} against the peer mean, month by month")
    # The same window as the KPI detail page: an extract's first months lack older cases.
    series = tiles.shown_period(
        comparison.over_time(results, focus, kpi["kind"]), tiles.DEFAULT_PERIOD_MONTHS, month
    )
    if series[series["series"] == "peer mean"].empty:
        st.info("No peer figures to set against this force.")
        return
    percent = kpi["unit"] == "fraction"
    fig = peer_charts.over_time_figure(
        series, names, focus, kpi["name"], percent, formatting.axis_title(kpi["unit"])
    )
    st.plotly_chart(fig, config=CHART_CONFIG, key="over_time_plot")
    pooled = "pooled rate" if kpi["kind"] == "rate" else "mean"
    st.caption(
        f"The last {tiles.DEFAULT_PERIOD_MONTHS} months to the chosen month. "
        f"The peer line is the other forces' {pooled} for each month; suppressed and "
        "incomplete months are left out."
    )


def _breakdown_section(results, kpi, names, focus, month, rolling) -> None:
    st.subheader("By victim age band and gender")
    months = comparison.window(month, rolling)
    percent = kpi["unit"] == "fraction"
    left, right = st.columns(2)
    any_shown = False
    for column, by, order, words in (
        (left, "age_band", list(AGE_BANDS), "age band"),
        (right, "gender", list(GENDERS), "gender"),
    ):
        frame = comparison.breakdown(results, focus, months, by, kpi["kind"])
        with column:
            if frame.empty:
                st.info(
                    f"No {words} where both {names.get(focus, focus)} and its peers have "
                    "figures (breakdowns of peers are often suppressed)."
                )
                continue
            any_shown = True
            fig = peer_charts.breakdown_figure(
                frame,
                order,
                names.get(focus, focus),
                f"By victim {words}",
                percent,
                formatting.axis_title(kpi["unit"]),
            )
            st.plotly_chart(fig, config=CHART_CONFIG, key=f"breakdown_{by}")
    if any_shown:
        st.caption("Only bands where both sides have unsuppressed figures are shown.")


def _feasibility_section(members, names) -> None:
    st.subheader("Which KPIs each force can compute")
    table = peer_data.feasibility_grid(members, names)
    if table.empty:
        st.info("No feasibility information for these forces.")
        return
    st.dataframe(table, key="peer_feasibility")
    st.caption(
        "Own forces: computed here from their case data. Imported peers: as their export "
        "declared. A blank cell: not known."
    )


def render() -> None:
    ui.page_header(
        "Compare with similar forces",
        "How do we compare with forces like us? Rates are compared with a funnel plot, never a "
        "league table.",
    )
    chosen = _controls()
    if chosen is None:
        return
    focus, kpi_id, kpi, group, members, results, month, rolling, names = chosen
    if len(members) < 2:
        st.info(
            f"{group} has fewer than two forces with figures here. Import peers' results "
            "on the Peer groups page, or choose another group."
        )
        return
    period = _period_words(month, rolling)
    figures, left_out = comparison.window_totals(results, month, rolling, kpi["kind"])
    is_proportion = kpi["kind"] == "rate" and kpi["unit"] == "fraction"
    if is_proportion:
        _funnel_section(figures, kpi, names, focus, period)
    elif kpi["kind"] == "count":
        st.info(
            "This KPI is a count: counts depend on a force's size, so forces are compared "
            "month by month rather than on a funnel plot."
        )
    else:
        st.info(
            f"This KPI is a {kpi['kind']} in {kpi['unit']}, not a proportion: there is no "
            "binomial funnel for it, so forces are shown in order."
        )
    if left_out:
        st.markdown(
            "**Not compared for "
            + period
            + ":** "
            + "; ".join(f"{names.get(f, f)} ({why})" for f, why in sorted(left_out.items()))
        )
    if not figures.empty:
        _ranked_section(figures, kpi, names, focus, period)
    _over_time_section(results, kpi, names, focus, month)
    _breakdown_section(results, kpi, names, focus, month, rolling)
    _feasibility_section(members, names)
