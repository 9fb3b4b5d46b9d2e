"""KPI detail: one KPI for one force as an XmR chart with its signals in words, breakdowns by
victim age band and gender, and the definition with the SQL behind it."""

import html

import pandas as pd
import streamlit as st

from flightdeck.app import ui
from flightdeck.app.data import deck, quality
from flightdeck.app.pages import kpi_breakdowns, kpi_context, links
from flightdeck.engine.catalogue import by_id
from flightdeck.present import analysis, formatting, icons, spc_charts, spc_marks, tiles, verdict
from flightdeck.present.style import CHART_CONFIG
from flightdeck.stats import spc_words
from flightdeck.vocabulary import ALL, OFFENCE_GROUP_WORDS

# How much of the series the chart draws: months back from the latest, or all of it. The
# analysis (warm-up, baselines, signals) is the same whichever is drawn.
PERIODS: dict[str, int | None] = {"Last 24 months": 24, "Last 36 months": 36, "All months": None}
DEFAULT_PERIOD = f"Last {tiles.DEFAULT_PERIOD_MONTHS} months"
ICON_SIZE = 40


def _kpi_picker() -> object:
    measures = deck.measures()
    ids = [k.id for k in measures]
    names = {
        k.id: f"{k.id} · {k.name}" + (" (suspect management)" if k.supplementary else "")
        for k in measures
    }
    ui.remembered("kpi", ids, ids[0])
    kpi_id = st.selectbox(
        "KPI", ids, format_func=names.get, key="_kpi", on_change=ui.keep, args=("kpi",)
    )
    return by_id()[kpi_id]


def _window(series: pd.DataFrame) -> tuple | None:
    """The months drawn, as chosen (by default the last 36): (first, last) or None for all."""
    choice = st.radio(
        "Period drawn",
        list(PERIODS),
        index=list(PERIODS).index(DEFAULT_PERIOD),
        horizontal=True,
        key="shown_period",
        help="Only what is drawn: the average, limits and signals are the same whichever you "
        "choose, worked out from the baseline after the warm-up (or the latest change point).",
    )
    shown = tiles.shown_period(series, PERIODS[choice])
    if shown.empty:
        return None
    if len(shown) < len(series):
        st.caption(
            f"Drawing {formatting.month_label(shown['month'].min())} to "
            f"{formatting.month_label(shown['month'].max())}: {len(shown)} of the {len(series)} "
            "months held. Choose **All months** to see the earlier ones, warm-up included."
        )
    return shown["month"].min(), shown["month"].max()


def _icons(reading: analysis.KpiAnalysis) -> None:
    """The latest month's variation icon and, with a target, the assurance icon, each with its
    words beside it (the icons carry them for screen readers too)."""
    parts = []
    if reading.variation:
        words = icons.VARIATION_WORDS[reading.variation]
        parts.append((icons.variation_svg(reading.variation, ICON_SIZE), f"Latest month: {words}"))
    if reading.assurance:
        parts.append(
            (icons.assurance_svg(reading.assurance, ICON_SIZE), verdict.assurance_words(reading))
        )
    if parts:
        row = "".join(
            f"<div style='display:flex;align-items:center;gap:8px;margin:4px 0'>{svg}"
            f"<span>{html.escape(words)}</span></div>"
            for svg, words in parts
        )
        st.markdown(row, unsafe_allow_html=True)


def _signals(reading: analysis.KpiAnalysis, window: tuple | None) -> None:
    """Every pattern found in the months drawn, in words; those before them counted."""
    labels = reading.labels
    found = reading.analysis.signals
    if window is not None:
        first = pd.Timestamp(window[0])
        months = reading.months
        shown = [s for s in found if months[s.end] >= first]
        earlier = len(found) - len(shown)
        found = shown
    else:
        earlier = 0
    if found:
        st.markdown("**Signals** (patterns unlikely to be chance):")
        for words, assessment in spc_words.summarise(found, labels):
            st.markdown(ui.signal_text(words, assessment))
    else:
        st.markdown(
            "**No signals** in the months drawn: they vary no more than chance would explain."
        )
    if earlier:
        st.caption(f"{earlier} earlier signal(s) before the months drawn: choose **All months**.")


def _spc_section(kpi, force: str, series: pd.DataFrame, month: pd.Timestamp) -> None:
    notes, targets = deck.force_marks(force)
    mine = analysis.notes_for(notes, kpi.id)
    reading = analysis.analyse_series(
        series,
        kpi,
        change_points=analysis.change_points_for(notes, kpi.id),
        target=targets.get(kpi.id),
    )
    window = _window(series)
    in_view = window is not None and window[0] <= month <= window[1]
    fig = spc_charts.spc_chart(
        reading,
        title=f"{kpi.name}: month by month",
        noun=kpi.noun,
        chosen=month if in_view else None,
        month_title=formatting.month_axis_title(kpi.basis),
        window=window,
        notes=mine,
    )
    st.plotly_chart(fig, config=CHART_CONFIG, key="spc_chart")
    for line in spc_marks.mark_lines(mine):
        st.text(line)  # an analyst's words: shown exactly as typed, never read as markdown
    limits = reading.analysis.limits
    if limits is None:
        st.info(reading.baseline_text())
        return
    _icons(reading)
    st.markdown(
        f"**Average {formatting.format_value(limits.mean, kpi.unit)}**, control limits "
        f"{formatting.format_value(limits.lower, kpi.unit)} to "
        f"{formatting.format_value(limits.upper, kpi.unit)}. {reading.baseline_text()} "
        f"{formatting.direction_words(kpi.direction)}."
    )
    if reading.assurance:
        st.markdown(verdict.assurance_words(reading) + ".")
    elif kpi.direction != "neutral":
        st.caption("No target is set for this KPI: no assurance icon.")
    _signals(reading, window)
    with st.expander("How signals are found"):
        options = reading.analysis.options
        st.markdown(
            f"The first {reading.warmup} months of the series are the **warm-up**: drawn light "
            "grey, never analysed, because where the extract's history starts distorts them. "
            f"The average and control limits are then set over the next {options.baseline_points}"
            " complete months (the shaded **baseline**) and stay fixed as months are added; a "
            "**change point** recorded by an analyst starts a new baseline. Limits are the "
            "average ± 2.66 × the average month-to-month change over the baseline (an XmR "
            "chart); a limit below 0 is drawn at 0"
            + (" and one above 100 % at 100 %" if formatting.is_fraction(kpi.unit) else "")
            + ". "
            + spc_words.rules_explained(options)
            + " Months still being counted (hollow, dotted) are never part of it. Changes on "
            "the month before or the year before are context only: two months are never a "
            "verdict."
        )


def render() -> None:
    ui.page_header("KPI detail", "One KPI for one force: is the change real, and who is affected?")
    chosen = ui.force_and_month()
    if chosen is None or chosen[1] is None:
        return
    force_row, month = chosen
    force = force_row["force"]
    links.selected_kpi_from_query()  # arriving from a link such as the flight deck's matrix
    kpi = _kpi_picker()
    chosen_group, group = ui.offence_group_for(kpi)
    words = OFFENCE_GROUP_WORDS[group]
    st.header(f"{kpi.id} · {kpi.name}" + ("" if group == ALL else f" · {words}"))
    if group != chosen_group:
        st.info(
            f"{kpi.id} is measured for the force as a whole: its figures are for all RASSO "
            f"crimes, not {OFFENCE_GROUP_WORDS[chosen_group].lower()} alone.",
            icon=":material/info:",
        )
    st.markdown(
        f"{kpi.definition}  \n:gray[{kpi.pillar} · {formatting.direction_words(kpi.direction)}]"
    )
    flag, reason = quality.flag_of(force, kpi.id)
    if flag == "not_feasible":
        st.warning(
            f"**Not feasible for {force_row['name']}**: this KPI cannot be computed because "
            f"{formatting.plain_reason(reason)}. It is shown as n/a, never as zero.",
            icon=":material/block:",
        )
    elif flag == "partial":
        st.warning(
            f"**Partial for {force_row['name']}**: {reason}. Read the figures with care.",
            icon=":material/warning:",
        )
    series = deck.kpi_series(force, kpi, offence_group=group)
    if series.empty or series["value"].notna().sum() == 0 and series["complete"].all():
        if flag != "not_feasible":
            st.info(f"No results for this KPI for {force_row['name']}.")
    else:
        _spc_section(kpi, force, series, month)
        kpi_breakdowns.render(kpi, force, month, group)
    kpi_context.render(kpi, force, group)
    with st.expander("Definition and the SQL behind it"):
        st.markdown(kpi.definition)
        requires = ", ".join(f"`{c}`" for c in kpi.requires)
        if requires:
            st.markdown(f"Needs the columns: {requires}")
        st.code(kpi.sql, language="sql")
    with st.expander("The figures as a table"):
        shown = series.assign(month=series["month"].dt.strftime("%Y-%m"))
        st.dataframe(
            shown[["month", "numerator", "denominator", "value", "complete"]], hide_index=True
        )
