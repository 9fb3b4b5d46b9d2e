"""Compare with every force in England and Wales, on the Home Office's published figures:
recorded rape and other sexual offences per 100,000 people, and the shares of outcomes that were
a charge or summons, the victim not supporting action (14, 16) and evidential difficulties (15),
each in a funnel, with the chosen force's own figure from its case data beside the published one.

A force alone, with no peers' results, can compare itself with every force here.
"""

import datetime as dt

import pandas as pd
import streamlit as st

from flightdeck.app import ui
from flightdeck.app.data import national as national_data
from flightdeck.app.data import peers as peer_data
from flightdeck.app.pages.compare_sections import PER_WORDS, adjustment_switch, population_note
from flightdeck.national import figures as national_figures
from flightdeck.national.measures import COUNT, MEASURES, Measure
from flightdeck.peers import comparison
from flightdeck.present import funnel_chart, funnel_words
from flightdeck.present.style import CHART_CONFIG
from flightdeck.reference import load_reference
from flightdeck.stats.funnel import PROPORTION, RATE, funnel
from flightdeck.vocabulary import ALL

YEAR, QUARTER = "Four quarters to the quarter", "The quarter alone"
PUBLISHED_AT = (
    "https://www.gov.uk/government/statistical-data-sets/"
    "police-recorded-crime-and-outcomes-open-data-tables"
)


def _no_figures() -> None:
    st.info(
        "**No published national figures yet.** An analyst imports the Home Office's police "
        "recorded crime and outcomes open-data tables (ODS, XLSX or CSV, as published at "
        f"{PUBLISHED_AT}) with `flightdeck import-national FILE... --db PATH`."
    )


def _quarter_words(start: dt.date) -> str:
    last = pd.Timestamp(start) + pd.DateOffset(months=2)
    return f"{national_figures.quarter_label(start)} ({pd.Timestamp(start):%B} to {last:%B %Y})"


def _controls(quarters):
    reference = load_reference()
    names = dict(zip(reference.forces["id"], reference.forces["name"], strict=True))
    forces = pd.DataFrame({"force": national_figures.territorial_forces()})
    own = peer_data.forces()
    own = own.loc[own["source"] == "own", "force"] if not own.empty else pd.Series(dtype=str)
    # The forces with their own case data here first: the chosen force is usually one of them.
    listed = list(dict.fromkeys([*own, *forces["force"]]))
    frame = pd.DataFrame({"force": listed, "name": [names.get(f, f) for f in listed]})
    top = st.columns(2)
    with top[0]:
        focus = ui.force_picker(frame)
    with top[1]:
        starts = [q[2] for q in quarters]
        end = st.selectbox(
            "Up to the quarter", starts, format_func=_quarter_words, key="national_quarter"
        )
    # On a row of its own, as on the other pages: in a third of the width its last choice
    # ("Other sexual offences") was cut off on a 1400-pixel screen.
    chosen = ui.offence_group_picker()
    span = st.radio(
        "Period",
        [YEAR, QUARTER],
        horizontal=True,
        key="national_period",
        help="One quarter is a noisy view; four quarters are the year to it.",
    )
    adjust = adjustment_switch("national_adjust")
    # The published figures' offence filter: None keeps both groups (all RASSO crimes).
    group = None if chosen == ALL else chosen
    return focus, names, end, 4 if span == YEAR else 1, group, adjust


def _period_words(end: dt.date, quarters: int) -> str:
    first, _ = national_figures.quarter_window(end, quarters)
    if quarters == 1:
        return _quarter_words(end)
    return f"the {quarters} quarters {national_figures.quarter_label(first)} to " + (
        national_figures.quarter_label(end)
    )


def _value_words(m: Measure, value: float) -> str:
    if m.kind == COUNT:
        return f"{value * comparison.PER:,.1f} {PER_WORDS}"
    return f"{value:.1%}"


def _beside(m: Measure, focus_name: str, published, own) -> None:
    """The chosen force's published figure and its own, side by side, with what differs."""
    rows = []
    if published is not None:
        rows.append(("Published (Home Office)", published))
    if own is not None:
        rows.append(("From its own case data here", own))
    if not rows:
        return
    table = pd.DataFrame(
        {
            "Figure for " + focus_name: [r[0] for r in rows],
            "Value": [_value_words(m, r[1].value) for r in rows],
            "Counted": [f"{r[1].numerator:,.0f}" for r in rows],
            "Of": [
                f"{r[1].denominator:,.0f} people" if m.kind == COUNT
                else f"{r[1].denominator:,.0f} outcomes"
                for r in rows
            ],
        }
    )  # fmt: skip
    # A plain table (two rows): its words are on the page, for a reader and a screen reader.
    st.table(table.set_index(table.columns[0]))
    if len(rows) == 2:
        st.caption(
            "The published figure is what the force reported to the Home Office at the time; "
            "the case data here counts the current version of each crime the way "
            f"{m.kpi_id} does. Small differences are normal; a large one is a data-quality "
            "question worth asking before either figure is used."
        )


def _figures(m: Measure, end, quarters, group, populations):
    published, left_out, own = national_data.measure(m.id, end, quarters, group)
    published, no_population = comparison.valued(published, m.kind == COUNT, populations)
    own, _ = comparison.valued(own, m.kind == COUNT, populations)
    why = dict(zip(left_out["force"], left_out["reason"], strict=True)) | no_population
    return published, own, why


def _section(m: Measure, choice, period: str, populations) -> None:
    focus, names, end, quarters, group, adjust = choice
    st.subheader(m.name)
    published, own, left_out = _figures(m, end, quarters, group, populations)
    if len(published) < 2:
        st.info(f"Fewer than two forces have published figures for {period}.")
        return
    result = funnel(published[["force", "numerator", "denominator"]],
                    measure=RATE if m.kind == COUNT else PROPORTION, adjust=adjust)  # fmt: skip
    scale = funnel_chart.Scale(
        factor=comparison.PER if m.kind == COUNT else 1.0,
        percent=m.kind != COUNT,
        y_title=PER_WORDS.capitalize() if m.kind == COUNT else "% of outcomes",
        x_title="Population (log scale)" if m.kind == COUNT else "Outcomes (log scale)",
    )
    fig = funnel_chart.funnel_figure(
        result, names, focus, f"{m.name}, {period}", m.direction, scale
    )
    own_row = own[own["force"] == focus]
    if not own_row.empty and own_row.iloc[0]["denominator"] > 0:
        row = own_row.iloc[0]
        funnel_chart.add_own_figure(fig, row["value"], row["denominator"], names[focus], scale)
    st.plotly_chart(fig, config=CHART_CONFIG, key=f"national_{m.id}")
    st.markdown(funnel_words.limits_drawn(result))
    point = result.points[result.points["force"] == focus]
    focus_name = names.get(focus, focus)
    if point.empty:
        st.markdown(f"**{focus_name}** is not on this funnel ({left_out.get(focus, 'no figure')}).")
    else:
        said = funnel_words.describe(focus_name, point.iloc[0]["position"], m.direction)
        st.markdown(said or f"**{focus_name}** is within the 95 % limits.")
    _beside(m, focus_name, point.iloc[0] if not point.empty else None,
            own_row.iloc[0] if not own_row.empty else None)  # fmt: skip
    outside = [
        funnel_words.describe(names.get(p.force, p.force), p.position, m.direction)
        for p in result.points.sort_values("value", ascending=False).itertuples()
        if p.position != "within" and p.force != focus
    ]
    with st.expander(f"Forces outside the limits ({len(outside)})"):
        st.caption(funnel_words.chance_expected(len(result.points)))
        for sentence in outside:
            st.markdown(f"- {sentence}")
    notes = [population_note(published["force"])] if m.kind == COUNT else []
    if left_out:
        notes.append(
            "Not compared: "
            + "; ".join(f"{names.get(f, f)} ({w})" for f, w in sorted(left_out.items()))
        )
    for note in notes:
        st.caption(note)


def render() -> None:
    ui.page_header(
        "Compare with every force",
        "Every force in England and Wales on the Home Office's published figures, each in a "
        "funnel plot, with the chosen force's own figure from its case data beside its "
        "published one.",
    )
    quarters = national_data.quarters()
    if not quarters:
        _no_figures()
        return
    if national_data.synthetic():
        st.warning(
            "**The published figures here are a synthetic fixture**, made up in the Home "
            "Office's layout to show how the comparison works: they are not Home Office "
            "figures, for any force.",
            icon=":material/science:",
        )
    choice = _controls(quarters)
    period = _period_words(choice[2], choice[3])
    populations = peer_data.populations()
    for m in MEASURES:
        _section(m, choice, period, populations)
    st.caption(
        f"Published at {PUBLISHED_AT}. Rates per resident overstate forces whose areas draw "
        "many visitors or commuters, the City of London most of all."
    )
