"""KPI detail: one KPI for one force as an XmR chart with its signals in words, breakdowns by
victim age band and gender, and the definition with the SQL behind it."""

import pandas as pd
import streamlit as st

from flightdeck import charts, data, spc, tiles, ui

MONTH_ONLY = "The month"
TWELVE_MONTHS = "12 months to the month"
# How much of the series the SPC chart reads: months back from the latest, or all of it.
PERIODS: dict[str, int | None] = {"Last 24 months": 24, "Last 36 months": 36, "All months": None}
DEFAULT_PERIOD = f"Last {spc.DEFAULT_PERIOD_MONTHS} months"


def _kpi_picker() -> object:
    catalogue = data.catalogue()
    ids = [k.id for k in catalogue]
    names = {k.id: f"{k.id} · {k.name}" for k in catalogue}
    ui.remembered("kpi", ids, ids[0])
    kpi_id = st.selectbox(
        "KPI", ids, format_func=names.get, key="_kpi", on_change=ui.keep, args=("kpi",)
    )
    return data.kpi_by_id()[kpi_id]


def _series(kpi, force: str) -> pd.DataFrame:
    totals = data.force_totals(force)
    series = totals[totals["kpi_id"] == kpi.id].sort_values("month")
    if tiles.is_count(kpi.kind):
        series = tiles.fill_count_months(series, data.months(force))
    return tiles.value_so_far(series.reset_index(drop=True), kpi.unit)


def _period(series: pd.DataFrame) -> pd.DataFrame:
    """The months the chart reads, as chosen (by default the last 36)."""
    choice = st.radio(
        "Period shown", list(PERIODS), index=list(PERIODS).index(DEFAULT_PERIOD),
        horizontal=True, key="shown_period",
        help="The months drawn and analysed. The first year or two of an extract can be "
        "distorted by where its history starts (outcomes and open cases then come only from "
        "recent crimes), so by default the chart reads the last 36 months.",
    )  # fmt: skip
    shown = tiles.shown_period(series, PERIODS[choice]).reset_index(drop=True)
    if len(shown) < len(series):
        st.caption(
            f"Showing {tiles.month_label(shown['month'].min())} to "
            f"{tiles.month_label(shown['month'].max())}: {len(shown)} of the {len(series)} "
            "months held. Choose **All months** to see the earlier ones."
        )
    return shown


def _spc_section(kpi, series: pd.DataFrame, month: pd.Timestamp) -> None:
    shown = _period(series)
    done = shown[shown["complete"] & shown["value"].notna()].reset_index(drop=True)
    labels = [tiles.month_label(m) for m in done["month"]]
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
        upper_bound=1.0 if charts.is_fraction(kpi.unit) else None,
    )
    title = f"{kpi.name}: month by month"
    in_view = len(shown) and shown["month"].min() <= month <= shown["month"].max()
    fig = charts.spc_chart(
        shown, result, title=title, unit=kpi.unit, direction=kpi.direction,
        noun=tiles.noun_for(kpi), chosen=month if in_view else None,
        month_title=charts.month_axis_title(kpi.basis),
    )  # fmt: skip
    st.plotly_chart(fig, config=charts.CHART_CONFIG, key="spc_chart")
    limits = result.limits
    if limits is None:
        st.info("Fewer than two complete months: no average or control limits yet.")
        return
    start, end = result.baseline
    st.markdown(
        f"**Average {charts.format_value(limits.mean, kpi.unit)}**, control limits "
        f"{charts.format_value(limits.lower, kpi.unit)} to "
        f"{charts.format_value(limits.upper, kpi.unit)}, from the {end - start} months "
        f"{labels[start]} to {labels[end - 1]}. {charts.direction_words(kpi.direction)}."
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
            + (" and one above 100 % at 100 %" if charts.is_fraction(kpi.unit) else "")
            + ". A signal is: **a month beyond a limit**; **7 or more months in a row on one "
            "side of the average**; or **6 or more months in a row each rising (or each "
            "falling)**. Months still being counted (hollow, dotted, with their counts so far) "
            "are never part of it. The thin vertical line marks the month chosen above."
        )


def _pooled(rows: pd.DataFrame, unit: str) -> pd.DataFrame:
    """Sum numerators and denominators over months (complete rows only) for each breakdown."""
    done = rows[rows["complete"]]
    pooled = done.groupby(["age_band", "gender"], as_index=False)[["numerator", "denominator"]].sum(
        min_count=1
    )
    if charts.is_fraction(unit):
        pooled["value"] = pooled["numerator"] / pooled["denominator"]
    else:
        pooled["value"] = pooled["numerator"]
    return pooled


def _breakdowns(kpi, force: str, month: pd.Timestamp) -> None:
    st.subheader("By victim age and gender")
    if getattr(kpi, "force_level", False):
        st.info("This KPI is measured for the force as a whole: there is no breakdown by victim.")
        return
    rows = data.force_results(force)
    rows = rows[rows["kpi_id"] == kpi.id]
    pooling = charts.is_fraction(kpi.unit) or tiles.is_count(kpi.kind)
    period = (
        st.radio("Period", [TWELVE_MONTHS, MONTH_ONLY], horizontal=True, key="period")
        if pooling
        else MONTH_ONLY
    )
    if period == TWELVE_MONTHS:
        window = rows[(rows["month"] <= month) & (rows["month"] > month - pd.DateOffset(months=12))]
        table = _pooled(window, kpi.unit)
        when = f"12 months to {tiles.month_label(month)} (complete months only)"
    else:
        table = rows[rows["month"] == month]
        when = tiles.month_label(month)
        if len(table) and not table["complete"].all():
            st.info(f"{when} is still being counted: the breakdown below is incomplete.")
            table = table.assign(value=table["numerator"] / table["denominator"])
    if table.empty or table["value"].isna().all():
        st.info(f"Nothing to break down for {when}.")
        return
    st.caption(f"{when}. The counts behind each figure are shown; small numbers vary a lot.")
    by_age = table[(table["gender"] == data.TOTAL) & (table["age_band"] != data.TOTAL)]
    by_gender = table[(table["age_band"] == data.TOTAL) & (table["gender"] != data.TOTAL)]
    cross = table[(table["age_band"] != data.TOTAL) & (table["gender"] != data.TOTAL)]
    by_age = by_age.set_index("age_band").reindex(charts.AGE_BANDS).dropna(subset=["value"])
    by_gender = by_gender.set_index("gender").reindex(charts.GENDERS).dropna(subset=["value"])
    left, right = st.columns(2)
    with left:
        fig = charts.breakdown_bars(
            by_age.reset_index(), label="age_band", unit=kpi.unit, title="By victim age band"
        )
        st.plotly_chart(fig, config=charts.CHART_CONFIG, key="by_age")
    with right:
        fig = charts.breakdown_bars(
            by_gender.reset_index(), label="gender", unit=kpi.unit, title="By victim gender"
        )
        st.plotly_chart(fig, config=charts.CHART_CONFIG, key="by_gender")
    if len(cross):
        fig = charts.age_gender_heatmap(cross, unit=kpi.unit, title="Victim age band × gender")
        st.plotly_chart(fig, config=charts.CHART_CONFIG, key="age_gender")


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
        f"{kpi.definition}  \n:gray[{kpi.pillar} · {charts.direction_words(kpi.direction)}]"
    )
    feasibility = data.feasibility()
    f = feasibility[(feasibility["force"] == force) & (feasibility["kpi_id"] == kpi.id)]
    flag = f.iloc[0]["flag"] if len(f) else None
    if flag == "not_feasible":
        st.warning(
            f"**Not feasible for {force_row['name']}**: this KPI cannot be computed because "
            f"{tiles.plain_reason(f.iloc[0]['reason'])}. It is shown as n/a, never as zero.",
            icon=":material/block:",
        )
    elif flag == "partial":
        st.warning(f"**Partial for {force_row['name']}**: {f.iloc[0]['reason']}. Read the "
                   "figures with care.", icon=":material/warning:")  # fmt: skip
    series = _series(kpi, force)
    if series.empty or series["value"].notna().sum() == 0 and series["complete"].all():
        if flag != "not_feasible":
            st.info(f"No results for this KPI for {force_row['name']}.")
    else:
        _spc_section(kpi, series, month)
        _breakdowns(kpi, force, month)
    with st.expander("Definition and the SQL behind it"):
        st.markdown(kpi.definition)
        requires = ", ".join(f"`{c}`" for c in getattr(kpi, "requires", []) or [])
        if requires:
            st.markdown(f"Needs the columns: {requires}")
        st.code(kpi.sql, language="sql")
    with st.expander("The figures as a table"):
        shown = series.assign(month=series["month"].dt.strftime("%Y-%m"))
        st.dataframe(
            shown[["month", "numerator", "denominator", "value", "complete"]], hide_index=True
        )
