"""The sections of the compare page, each drawing prepared figures (`flightdeck.peers.comparison`,
`flightdeck.stats.funnel`) with the words of `flightdeck.present.funnel_words`."""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from flightdeck import access
from flightdeck.app import session
from flightdeck.app.data import peers as peer_data
from flightdeck.peers import comparison
from flightdeck.present import (
    feasibility_grid,
    formatting,
    funnel_chart,
    funnel_words,
    peer_charts,
    tiles,
)
from flightdeck.present.style import CHART_CONFIG
from flightdeck.stats.funnel import PROPORTION, RATE, funnel
from flightdeck.vocabulary import AGE_BANDS, ALL, GENDERS

PER_WORDS = "per 100,000 people"


@dataclass(frozen=True)
class Choice:
    """What the reader chose at the top of the page."""

    focus: str
    kpi_id: str
    kpi: pd.Series  # name, unit, direction, kind
    group: str
    members: list[str]
    names: dict[str, str]
    month: pd.Timestamp
    rolling: bool
    offence_group: str = ALL  # all RASSO crimes, rape or other sexual offences

    @property
    def measure(self) -> str | None:
        return comparison.measure_of(self.kpi["kind"], self.kpi["unit"])

    @property
    def focus_name(self) -> str:
        return self.names.get(self.focus, self.focus)


def compared_figures(choice: Choice, results: pd.DataFrame):
    """(figures, left_out) over the period: counts become rates per person of population;
    a member with no rows at all for the KPI is left out with why, not dropped."""
    figures, left_out = comparison.window_totals(
        results,
        choice.month,
        choice.rolling,
        choice.kpi["kind"],
        offence_group=choice.offence_group,
    )
    if choice.measure == RATE:
        figures, no_population = comparison.per_population(figures, peer_data.populations())
        left_out |= no_population
    for force in set(choice.members) - set(figures["force"]) - set(left_out):
        left_out[force] = f"no figures for {choice.kpi_id} (not computed or not exported)"
    return figures, left_out


def not_compared(choice: Choice, figures, left_out: dict, no_data: list[str], period) -> None:
    """Name every member of the group that is not on the charts, and why."""
    why = dict(left_out) | {
        f: "no figures in this database (import its exported results on the Peer groups page)"
        for f in no_data
    }
    if why:
        listed = "; ".join(f"{choice.names.get(f, f)} ({w})" for f, w in sorted(why.items()))
        st.markdown(f"**Not compared for {period}:** {listed}")


def _scale(choice: Choice) -> funnel_chart.Scale:
    if choice.measure == RATE:
        return funnel_chart.Scale(
            factor=comparison.PER,
            percent=False,
            y_title=f"{choice.kpi['name']} {PER_WORDS}",
            x_title="Population (log scale: bigger forces to the right)",
        )
    return funnel_chart.Scale(
        y_title=formatting.axis_title(choice.kpi["unit"]),
        x_title="Crimes the share is based on (log scale: bigger forces to the right)",
    )


def adjustment_switch(key: str) -> bool:
    """The analyst's switch for the overdispersion adjustment (on for everyone else)."""
    if not session.may(access.LOAD):
        return True
    return st.toggle(
        "Adjust the limits for overdispersion",
        value=True,
        key=key,
        help="On: when forces differ more than chance allows (and there are enough of them), "
        "the limits include the usual between-force variation. Off: limits for chance alone.",
    )


def funnel_words_section(result, names: dict, direction: str) -> None:
    """What the funnel shows, in words: the limits drawn, chance, and each force outside."""
    st.markdown(funnel_words.limits_drawn(result))
    st.caption(
        "Each dot is a force: its figure against the size it is based on, around the group "
        "value. The limits narrow as size grows, because bigger forces' figures wobble less. "
        "Colour means better or worse only outside a limit, and only for a KPI with a "
        "direction. " + funnel_words.chance_expected(len(result.points))
    )
    sentences = [
        funnel_words.describe(names.get(p.force, p.force), p.position, direction)
        for p in result.points.sort_values("value", ascending=False).itertuples()
    ]
    outside = [s for s in sentences if s]
    for sentence in outside:
        st.markdown(f"- {sentence}")
    if not outside:
        st.markdown(
            f"**All {len(result.points)} forces are within the 95 % limits:** the differences "
            "between them are no larger than chance alone would produce."
        )


def funnel_section(choice: Choice, figures: pd.DataFrame, period: str) -> None:
    st.subheader("Funnel plot")
    if choice.measure is None:
        st.info(
            f"{choice.kpi_id} is a {choice.kpi['kind']} in {choice.kpi['unit']}, neither a "
            "proportion nor a count: there is no funnel for it, so forces are shown in order "
            "below, without a verdict."
        )
        return
    adjust = adjustment_switch("compare_adjust")
    result = funnel(figures, measure=choice.measure, adjust=adjust)
    noun = f" {PER_WORDS}" if choice.measure == RATE else ""
    fig = funnel_chart.funnel_figure(
        result,
        choice.names,
        choice.focus,
        f"{choice.kpi['name']}{noun}, {period}",
        choice.kpi["direction"],
        _scale(choice),
    )
    st.plotly_chart(fig, config=CHART_CONFIG, key="funnel_plot")
    funnel_words_section(result, choice.names, choice.kpi["direction"])
    if choice.measure == RATE:
        st.caption(population_note(figures["force"]))


def population_note(forces) -> str:
    """Where the populations come from, for the forces shown."""
    populations = peer_data.populations()
    used = populations[populations["force"].isin(set(forces))]
    # A source names the publication first, then the force area's own details after a ";".
    publication = used["source"].str.split(";").str[0]
    sources = "; ".join(
        f"{source} ({', '.join(str(y) for y in sorted(set(part['year'])))})"
        for source, part in used.groupby(publication)
    )
    return f"Populations: {sources}."


def ranked_section(choice: Choice, figures: pd.DataFrame, period: str) -> None:
    st.subheader("Forces in order, with their uncertainty")
    ranked = comparison.ranked(figures, choice.measure)
    percent = choice.measure == PROPORTION
    x_title = formatting.axis_title(choice.kpi["unit"])
    if choice.measure == RATE:
        ranked[["value", "lower", "upper"]] *= comparison.PER
        x_title = f"{choice.kpi['name']} {PER_WORDS}"
    noun = f" {PER_WORDS}" if choice.measure == RATE else ""
    title = f"{choice.kpi['name']}{noun}, {period}"
    fig = peer_charts.ranked_figure(ranked, choice.names, choice.focus, title, percent, x_title)
    st.plotly_chart(fig, config=CHART_CONFIG, key="ranked_plot")
    if ranked["lower"].notna().any():
        kind = "Wilson" if percent else "exact Poisson"
        st.caption(
            f"The bars are 95 % intervals ({kind}): where two forces' bars overlap, the order "
            "between them may be chance. This is not a league table; the funnel plot above "
            "says which differences are more than chance."
        )
    else:
        st.caption(
            f"No interval is shown for a {choice.kpi['kind']} ({choice.kpi['unit']}): read the "
            "order with care, small differences are usually noise. This is not a league table."
        )


def over_time_section(choice: Choice, results: pd.DataFrame) -> None:
    st.subheader(f"{choice.focus_name} against its peers, month by month")
    count = choice.kpi["kind"] == "count"
    populations = peer_data.populations() if count else None
    series = tiles.shown_period(
        comparison.over_time(
            results,
            choice.focus,
            choice.kpi["kind"],
            populations,
            offence_group=choice.offence_group,
        ),
        tiles.DEFAULT_PERIOD_MONTHS,
        choice.month,
    )
    if (
        series[series["series"] == "peer mean"].empty
        or series[series["series"] != "peer mean"].empty
    ):
        st.info("No figures to set this force against its peers month by month.")
        return
    percent = choice.kpi["unit"] == "fraction"
    y_title = (
        f"{choice.kpi['name']} {PER_WORDS}" if count else formatting.axis_title(choice.kpi["unit"])
    )
    fig = peer_charts.over_time_figure(
        series, choice.names, choice.focus, choice.kpi["name"], percent, y_title
    )
    st.plotly_chart(fig, config=CHART_CONFIG, key="over_time_plot")
    pooled = {
        "rate": "pooled rate (their numerators over their denominators)",
        "count": f"crimes {PER_WORDS} (their counts over their populations)",
    }.get(choice.kpi["kind"], "mean")
    st.caption(
        f"The last {tiles.DEFAULT_PERIOD_MONTHS} months to the chosen month. The peer line is "
        f"the other forces' {pooled} for each month; suppressed and incomplete months are left "
        "out. A single month's gap between the lines is usually noise."
    )


def breakdown_section(choice: Choice, results: pd.DataFrame) -> None:
    st.subheader("By victim age band and gender")
    months = comparison.window(choice.month, choice.rolling)
    count = choice.kpi["kind"] == "count"
    percent = choice.kpi["unit"] == "fraction" or count
    y_title = "Share of the side's crimes" if count else formatting.axis_title(choice.kpi["unit"])
    left, right = st.columns(2)
    any_shown = False
    for column, by, order, words in (
        (left, "age_band", list(AGE_BANDS), "age band"),
        (right, "gender", list(GENDERS), "gender"),
    ):
        frame = comparison.breakdown(
            results,
            choice.focus,
            months,
            by,
            choice.kpi["kind"],
            offence_group=choice.offence_group,
        )
        with column:
            if frame.empty:
                st.info(
                    f"No {words} where both {choice.focus_name} and its peers have figures "
                    "(breakdowns of peers are often suppressed)."
                )
                continue
            any_shown = True
            fig = peer_charts.breakdown_figure(
                frame, order, choice.focus_name, f"By victim {words}", percent, y_title
            )
            st.plotly_chart(fig, config=CHART_CONFIG, key=f"breakdown_{by}")
    if any_shown:
        shares = " Counts are shown as each side's share of its crimes." if count else ""
        st.caption(f"Only bands where both sides have unsuppressed figures are shown.{shares}")


def feasibility_section(choice: Choice) -> None:
    st.subheader("Which KPIs each force can compute")
    flags = peer_data.feasibility(choice.members)
    if flags.empty:
        st.info("No feasibility information for these forces.")
        return
    kpis = list(peer_data.kpi_table()["kpi_id"])
    st.markdown(feasibility_grid.grid_html(flags, choice.names, kpis), unsafe_allow_html=True)
    st.caption(
        f"{feasibility_grid.legend()}; a blank cell: not known. Own forces: computed here from "
        "their case data. Imported peers: as their export declared."
    )
