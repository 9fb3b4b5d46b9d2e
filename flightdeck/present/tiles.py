"""What a flight-deck tile says about one KPI for one force and month (pure functions).

A tile never shows a zero it does not mean: a KPI that is not feasible says which column is
missing, a month whose cohort window is still open says "incomplete" with the counts so far,
and a rate with nothing to divide says that there was nothing to count.
"""

from dataclasses import dataclass

import pandas as pd

from flightdeck.present import formatting, verdict
from flightdeck.present.formatting import month_label
from flightdeck.present.style import FLAG_ORDER, FLAG_STYLE
from flightdeck.stats import spc

SPARK_MONTHS = 24
# How many months a chart draws by default (the KPI page offers 24, 36 or all): only what is
# drawn; the analysis always reads the whole series after its warm-up.
DEFAULT_PERIOD_MONTHS = 36


@dataclass(frozen=True)
class Change:
    """A change on an earlier month, as context only: two points are never a verdict, so there
    is no "better" or "worse" here (a signal says that, or nothing does)."""

    text: str  # "+2.1 pts on Feb 2025", "no change on Feb 2025"


@dataclass(frozen=True)
class Tile:
    headline: str  # the value as shown, or "n/a"
    status: str  # value, incomplete, not_feasible, no_data; suppressed (board pack only)
    note: str  # why there is no value, or the counts behind it
    previous: Change | None
    last_year: Change | None
    signal: str  # the SPC verdict in words
    assessment: str | None  # improvement, concern, neutral, or None for no signal
    spark: pd.DataFrame  # month, value, complete for the sparkline
    latest: str = ""  # for an incomplete month: the latest complete month's value, in words
    variation: str | None = None  # the variation icon (spc_icons.VARIATION_KEYS), None: no analysis
    assurance: str | None = None  # the assurance icon (spc_icons.ASSURANCE_KEYS), None: no target
    target: float | None = None
    assurance_words: str = ""  # "Target 60 %: hit and miss ...", "" without an icon


# The national operating model's pillars in the order boards know them, with their full names.
PILLARS: dict[str, str] = {
    "suspect-focused": "Suspect-focused investigation",
    "repeat suspects": "Repeat suspects and disruption",
    "victim engagement": "Victim engagement",
    "digital and forensics": "Digital, forensics and disclosure",
    "learning and wellbeing": "Learning, development and wellbeing",
    "outcomes and timeliness": "Outcomes and timeliness",
    # the supplementary measures S01..S06, beside the 21 and never among them
    "suspect management": "Suspect management",
}


def by_pillar(catalogue: list) -> dict[str, list]:
    """KPIs grouped under their pillar's full name, pillars in the model's order."""
    order = list(PILLARS)
    groups: dict[str, list] = {}
    for kpi in sorted(
        catalogue, key=lambda k: (order.index(k.pillar) if k.pillar in order else 99, k.id)
    ):
        groups.setdefault(PILLARS.get(kpi.pillar, kpi.pillar), []).append(kpi)
    return groups


def is_count(kind: str) -> bool:
    """Count KPIs (crimes, suspects): a month without a row is a true zero, not a gap."""
    return kind == "count"


def fill_count_months(series: pd.DataFrame, months: list[pd.Timestamp]) -> pd.DataFrame:
    """For a count KPI, months of the force's data with no row get a count of zero."""
    spine = pd.DataFrame({"month": pd.to_datetime(months)})
    out = spine.merge(series, on="month", how="left")
    missing = out["value"].isna() & out["complete"].isna()
    out.loc[missing, ["value", "numerator"]] = 0.0
    out["complete"] = out["complete"].fillna(True).astype(bool)
    return out


def kpi_series(totals: pd.DataFrame, kpi, months: list[pd.Timestamp]) -> pd.DataFrame:
    """One KPI's headline rows out of a force's `totals` (kpi_id, month, numerator,
    denominator, value, complete), by month. For a count KPI, a month of `months` (the force's
    months with any result) without a row is a true zero; for any other KPI it is a gap."""
    series = totals[totals["kpi_id"] == kpi.id].sort_values("month")
    if is_count(kpi.kind):
        series = fill_count_months(series.drop(columns="kpi_id"), months)
    return series.reset_index(drop=True)


def _change(now: float, then: float | None, when: str, unit: str) -> Change | None:
    if then is None or pd.isna(then) or pd.isna(now):
        return None
    delta = now - then
    if abs(delta) < 1e-12:
        return Change(f"no change on {when}")
    return Change(f"{formatting.format_change(delta, unit)} on {when}")


def value_so_far(series: pd.DataFrame, unit: str) -> pd.DataFrame:
    """The series with a value for each incomplete month of a rate where the cohort's counts so
    far allow one (numerator / denominator), so that charts can draw it hollow as "so far".
    Complete months and other units are left as they are."""
    if not formatting.is_fraction(unit) or series.empty:
        return series
    out = series.copy()
    open_ = ~out["complete"].astype(bool) & out["value"].isna() & (out["denominator"] > 0)
    out.loc[open_, "value"] = out.loc[open_, "numerator"].fillna(0) / out.loc[open_, "denominator"]
    return out


def _complete_value(series: pd.DataFrame, month: pd.Timestamp) -> float | None:
    row = series[(series["month"] == month) & series["complete"]]
    return None if row.empty else row["value"].iloc[0]


def shown_period(
    series: pd.DataFrame, months: int | None, end: pd.Timestamp | None = None
) -> pd.DataFrame:
    """The rows of `series` (a `month` column of month starts) in the `months` calendar months
    ending with `end` (default: the latest month in the series); all rows up to `end` when
    `months` is None."""
    if series.empty:
        return series
    end = pd.Timestamp(end) if end is not None else series["month"].max()
    keep = series["month"] <= end
    if months is not None:
        keep &= series["month"] > end - pd.DateOffset(months=months)
    return series[keep]


def build_tile(
    series: pd.DataFrame,
    month: pd.Timestamp,
    *,
    kpi,
    flag: str | None,
    reason: str,
    change_points=(),
    target: float | None = None,
    options: spc.Options | None = None,
) -> Tile:
    """The tile for one KPI: series holds the force's `All`/`All` rows (month, numerator,
    denominator, value, complete) for every month; flag and reason are its feasibility.

    An incomplete month shows the counts so far and, as `latest`, the latest complete month's
    value with its signal, so a board still sees where the KPI stood."""
    unit, noun = kpi.unit, kpi.noun
    month = pd.Timestamp(month)
    series = value_so_far(series.sort_values("month"), unit)
    spark = series[
        (series["month"] <= month) & (series["month"] > month - pd.DateOffset(months=SPARK_MONTHS))
    ][["month", "value", "complete"]]
    if flag == "not_feasible":
        note = f"n/a — not feasible: {formatting.plain_reason(reason)}"
        return Tile("n/a", "not_feasible", note, None, None, "", None, spark)
    row = series[series["month"] == month]
    if row.empty:
        note = "Nothing to count for this force in this month"
        return Tile("n/a", "no_data", note, None, None, "", None, spark)
    r = row.iloc[0]
    basis = _basis(r, unit, noun)
    spc_args = {"change_points": change_points, "target": target, "options": options}
    if not r["complete"]:
        so_far = f" ({basis} so far)" if basis else ""
        note = f"Incomplete: the time window for this month is still open{so_far}"
        done = series[series["complete"] & series["value"].notna() & (series["month"] < month)]
        if done.empty:
            return Tile("incomplete", "incomplete", note, None, None, "", None, spark)
        last = done.iloc[-1]
        latest = f"Latest complete month, {month_label(last['month'])}: "
        latest += formatting.format_value(last["value"], unit)
        v = verdict.spc_verdict(series, last["month"], kpi, **spc_args)
        return Tile(
            "incomplete",
            "incomplete",
            note,
            None,
            None,
            v.words,
            v.assessment,
            spark,
            latest,
            v.variation,
            v.assurance,
            target,
            v.assurance_words,
        )
    previous = _complete_value(series, month - pd.DateOffset(months=1))
    last_year = _complete_value(series, month - pd.DateOffset(years=1))
    v = verdict.spc_verdict(series, month, kpi, **spc_args)
    return Tile(
        headline=formatting.format_value(r["value"], unit),
        status="value",
        note=basis,
        previous=_change(r["value"], previous, month_label(month - pd.DateOffset(months=1)), unit),
        last_year=_change(r["value"], last_year, month_label(month - pd.DateOffset(years=1)), unit),
        signal=v.words,
        assessment=v.assessment,
        spark=spark,
        variation=v.variation,
        assurance=v.assurance,
        target=target,
        assurance_words=v.assurance_words,
    )


def kpi_tile(
    kpi,
    series: pd.DataFrame,
    month: pd.Timestamp,
    flags: pd.DataFrame,
    *,
    change_points=(),
    target: float | None = None,
    options: spc.Options | None = None,
) -> Tile:
    """The tile for one KPI from its series and the force's feasibility (rows indexed by
    kpi_id, with flag and reason; a KPI without a row has not been assessed), with the change
    points that touch it and its target, if any."""
    row = flags.loc[kpi.id] if kpi.id in flags.index else None
    return build_tile(
        series,
        month,
        kpi=kpi,
        flag=None if row is None else row["flag"],
        reason="" if row is None else row["reason"],
        change_points=change_points,
        target=target,
        options=options,
    )


def _basis(row: pd.Series, unit: str, noun: str = "crimes") -> str:
    """The counts behind a value: "12 of 40 crimes", "median of 15 crimes"."""
    num, den = row["numerator"], row["denominator"]
    if formatting.is_fraction(unit) and pd.notna(den):
        return f"{0 if pd.isna(num) else num:,.0f} of {formatting.counted(den, noun)}"
    if unit == "days" and pd.notna(den):
        return f"median of {formatting.counted(den)}"
    if unit == "cases per FTE" and pd.notna(den) and pd.notna(num):
        return f"{num:,.0f} open cases, {den:,.1f} investigators"
    return ""


def summary_line(feasibility: pd.DataFrame) -> str:
    """'feasible 14 · partial 3 · not feasible 4; declared: reported 2, ...' for one force
    (columns flag, declared_status)."""
    counts = feasibility["flag"].value_counts()
    flags = " · ".join(f"{FLAG_STYLE[f][2].lower()} {int(counts.get(f, 0))}" for f in FLAG_ORDER)
    declared = feasibility["declared_status"].fillna("none declared").replace("", "none declared")
    if (declared == "none declared").all():
        return f"{flags}; declared: none yet"
    order = ["reported", "feasible", "under_assessment", "not_feasible", "none declared"]
    dcounts = declared.value_counts()
    parts = [f"{s.replace('_', ' ')} {int(dcounts[s])}" for s in order if s in dcounts]
    return f"{flags}; declared: {', '.join(parts)}"


# What the overview calls each kind of tile, in the order a board reads them.
OVERVIEW = {
    spc.CONCERN: "Concerns",
    spc.IMPROVEMENT: "Improvements",
    spc.NEUTRAL: "Changes in context measures",
    "no_signal": "No signal (ordinary variation)",
    "incomplete": "Still being counted",
    # Only a board pack has these (the screen shows small numbers): listed, never dropped.
    "suppressed": "Suppressed (small numbers)",
    "not_feasible": "Cannot be computed",
    "no_data": "Nothing to count",
}


def overview(deck: list[tuple[str, Tile]]) -> dict[str, list[str]]:
    """KPI ids by what their tile says this month, keys in OVERVIEW's order (only those with
    any KPI): a concern, an improvement or a context signal for a month with a value; otherwise
    no signal, still being counted, suppressed, not computable, or nothing to count. Every KPI
    of `deck` is in exactly one group."""
    groups: dict[str, list[str]] = {}
    for kpi_id, tile in deck:
        key = (tile.assessment or "no_signal") if tile.status == "value" else tile.status
        groups.setdefault(key, []).append(kpi_id)
    return {key: groups[key] for key in OVERVIEW if key in groups}
