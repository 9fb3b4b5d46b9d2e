"""KPI detail: one KPI for one force as an XmR chart with its signals in words, breakdowns by
victim age band and gender, and the definition with the SQL behind it."""

import pandas as pd
import streamlit as st

from flightdeck.app import ui
from flightdeck.app.data import deck, quality
from flightdeck.app.pages import kpi_breakdowns
from flightdeck.engine.catalogue import by_id
from flightdeck.present import formatting, spc_charts, tiles
from flightdeck.present.style import CHART_CONFIG
from flightdeck.stats import spc

# How much of the series the SPC chart reads: months back from the latest, or all of it.
PERIODS: dict[str, int | None] = {"Last 24 months": 24, "Last 36 months": 36, "All months": None}
DEFAULT_PERIOD = f"Last {spc.DEFAULT_PERIOD_MONTHS} months"


def _kpi_picker() -> object:
    catalogue = deck.catalogue()
    ids = [k.id for k in catalogue]
    names = {k.id: f"{k.id} · {k.name}" for k in catalogue}
    ui.remembered("kpi", ids, ids[0])
    kpi_id = st.selectbox(
        "KPI", ids, format_func=names.get, key="_kpi", on_change=ui.keep, args=("kpi",)
    )
    return by_id()[kpi_id]


def _period(series: pd.DataFrame) -> pd.DataFrame:
    """The months the chart reads, as chosen (by default the last 36)."""
    choice = st.radio(
        "Period shown",
        list(PERIODS),
        index=list(PERIODS).index(DEFAULT_PERIOD),
        horizontal=True,
        key="shown_period",
        help="The months drawn and analysed. The first year or two of an extract can be "
        "distorted by where its history starts (outcomes and open cases then come only from "
        "recent crimes), so by default the chart reads the last 36 months.",
    )
    shown = tiles.shown_period(series, PERIODS[choice]).reset_index(drop=True)
    if len(shown) < len(series):
        st.caption(
            f"Showing {formatting.month_label(shown['month'].min())} to "
            f"{formatting.month_label(shown['month'].max())}: {len(shown)} of the {len(series)} "
            "months held. Choose **All months** to see the earlier ones."
        )
    return shown


def _spc_section(kpi, series: pd.DataFrame, month: pd.Timestamp) -> None:
    shown = _period(series)
    done = shown[shown["complete"] & shown["value"].notna()].reset_index(drop=True)
    labels = [formatting.month_label(m) for m in done["month"]]
    baseline = spc.default_baseline(len(done))
    if len(done) >= 3:
        chosen = st.select_slider(
            "Baseline for the average and limits",
            options=labels,
            value=(labels[baseline[0]], labels[baseline[1] - 1]),
            help="The months the average and control limits are worked out from. By default the "
            "first 12 complete months of the period shown. Move it to after a known change of "
            "practice.",
            # One slider per KPI and period: its months differ with the period.
            key=f"baseline_{kpi.id}_{PERIODS[st.session_state.shown_period] or 'all'}",
        )
        baseline = (labels.index(chosen[0]), labels.index(chosen[1]) + 1)
    result = spc.analyse(
        list(done["value"]),
        direction=kpi.direction,
        baseline=baseline,
        upper_bound=1.0 if formatting.is_fraction(kpi.unit) else None,
    )
    title = f"{kpi.name}: month by month"
    in_view = len(shown) and shown["month"].min() <= month <= shown["month"].max()
    fig = spc_charts.spc_chart(
        shown,
        result,
        title=title,
        unit=kpi.unit,
        direction=kpi.direction,
        noun=kpi.noun,
        chosen=month if in_view else None,
        month_title=formatting.month_axis_title(kpi.basis),
    )
    st.plotly_chart(fig, config=CHART_CONFIG, key="spc_chart")
    limits = result.limits
    if limits is None:
        st.info("Fewer than two complete months: no average or control limits yet.")
        return
    start, end = result.baseline
    st.markdown(
        f"**Average {formatting.format_value(limits.mean, kpi.unit)}**, control limits "
        f"{formatting.format_value(limits.lower, kpi.unit)} to "
        f"{formatting.format_value(limits.upper, kpi.unit)}, from the {end - start} months "
        f"{labels[start]} to {labels[end - 1]}. {formatting.direction_words(kpi.direction)}."
    )
    if result.signals:
        st.markdown("**Signals** (changes unlikely to be chance):")
        for words, assessment in spc.summarise(result.signals, labels):
            st.markdown(ui.signal_text(words, assessment))
    else:
        st.markdown("**No signals**: the months vary no more than chance would explain.")
    with st.expander("How signals are found"):
        st.markdown(
            "Limits are the average ± 2.66 × the average month-to-month change over the "
            "baseline (an XmR chart). A limit that would fall below 0 is drawn at 0"
            + (" and one above 100 % at 100 %" if formatting.is_fraction(kpi.unit) else "")
            + ". A signal is: **a month beyond a limit**; **7 or more months in a row on one "
            "side of the average**; or **6 or more months in a row each rising (or each "
            "falling)**. Months still being counted (hollow, dotted, with their counts so far) "
            "are never part of it. The thin vertical line marks the month chosen above."
        )


def render() -> None:
    ui.page_header("KPI detail", "One KPI for one force: is the change real, and who is affected?")
    chosen = ui.force_and_month()
    if chosen is None or chosen[1] is None:
        return
    force_row, month = chosen
    force = force_row["force"]
    kpi = _kpi_picker()
    st.header(f"{kpi.id} · {kpi.name}")
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
    series = deck.kpi_series(force, kpi)
    if series.empty or series["value"].notna().sum() == 0 and series["complete"].all():
        if flag != "not_feasible":
            st.info(f"No results for this KPI for {force_row['name']}.")
    else:
        _spc_section(kpi, series, month)
        kpi_breakdowns.render(kpi, force, month)
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
