"""What a flight-deck tile says about one KPI for one force and month (pure functions).

A tile never shows a zero it does not mean: a KPI that is not feasible says which column is
missing, a month whose cohort window is still open says "incomplete" with the counts so far,
and a rate with nothing to divide says that there was nothing to count.
"""

from dataclasses import dataclass

import pandas as pd

from flightdeck import charts, spc

SPARK_MONTHS = 24


@dataclass(frozen=True)
class Change:
    text: str  # "+2.1 pts on Feb 2025"
    verdict: str  # better, worse, no change, or "" when direction is neutral


@dataclass(frozen=True)
class Tile:
    headline: str  # the value as shown, or "n/a"
    status: str  # value, incomplete, not_feasible, no_data
    note: str  # why there is no value, or the counts behind it
    previous: Change | None
    last_year: Change | None
    signal: str  # the SPC verdict in words
    assessment: str | None  # improvement, concern, neutral, or None for no signal
    spark: pd.DataFrame  # month, value, complete for the sparkline


def month_label(month: pd.Timestamp) -> str:
    return pd.Timestamp(month).strftime("%b %Y")


# The national operating model's pillars in the order boards know them, with their full names.
PILLARS: dict[str, str] = {
    "suspect-focused": "Suspect-focused investigation",
    "repeat suspects": "Repeat suspects and disruption",
    "victim engagement": "Victim engagement",
    "digital and forensics": "Digital, forensics and disclosure",
    "learning and wellbeing": "Learning, development and wellbeing",
    "outcomes and timeliness": "Outcomes and timeliness",
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


def _change(now: float, then: float | None, when: str, unit: str, direction: str) -> Change | None:
    if then is None or pd.isna(then) or pd.isna(now):
        return None
    delta = now - then
    if abs(delta) < 1e-12:
        return Change(f"no change on {when}", "no change")
    if direction == "neutral":
        verdict = ""
    else:
        verdict = "better" if (delta > 0) == (direction == "up") else "worse"
    return Change(f"{charts.format_change(delta, unit)} on {when}", verdict)


def _complete_value(series: pd.DataFrame, month: pd.Timestamp) -> float | None:
    row = series[(series["month"] == month) & series["complete"]]
    return None if row.empty else row["value"].iloc[0]


def spc_verdict(series: pd.DataFrame, month: pd.Timestamp, unit: str, direction: str):
    """(words, assessment) for the month, from an XmR analysis of the complete months up to it."""
    done = series[series["complete"] & series["value"].notna() & (series["month"] <= month)]
    done = done.sort_values("month").reset_index(drop=True)
    if len(done) < 2 or done["month"].iloc[-1] != month:
        return "Not enough complete months for a signal", None
    result = spc.analyse(
        list(done["value"]),
        direction=direction,
        upper_bound=1.0 if charts.is_fraction(unit) else None,
    )
    found = spc.signals_at(result, len(done) - 1)
    if not found:
        return "No signal: ordinary month-to-month variation", None
    labels = [month_label(m) for m in done["month"]]
    strongest = max(found, key=lambda s: (s.rule == spc.BEYOND_LIMIT, s.length))
    return "Signal: " + spc.describe(strongest, labels), strongest.assessment


def build_tile(
    series: pd.DataFrame,
    month: pd.Timestamp,
    *,
    unit: str,
    direction: str,
    flag: str | None,
    reason: str,
) -> Tile:
    """The tile for one KPI: series holds the force's `All`/`All` rows (month, numerator,
    denominator, value, complete) for every month; flag and reason are its feasibility."""
    month = pd.Timestamp(month)
    series = series.sort_values("month")
    spark = series[
        (series["month"] <= month) & (series["month"] > month - pd.DateOffset(months=SPARK_MONTHS))
    ][["month", "value", "complete"]]
    if flag == "not_feasible":
        return Tile(
            "n/a", "not_feasible", f"n/a — not feasible: {reason}", None, None, "", None, spark
        )
    row = series[series["month"] == month]
    if row.empty:
        note = "Nothing to count for this force in this month"
        return Tile("n/a", "no_data", note, None, None, "", None, spark)
    r = row.iloc[0]
    basis = _basis(r, unit)
    if not r["complete"]:
        so_far = f" ({basis} so far)" if basis else ""
        note = f"Incomplete: the time window for this month is still open{so_far}"
        return Tile("incomplete", "incomplete", note, None, None, "", None, spark)
    previous = _complete_value(series, month - pd.DateOffset(months=1))
    last_year = _complete_value(series, month - pd.DateOffset(years=1))
    words, assessment = spc_verdict(series, month, unit, direction)
    return Tile(
        headline=charts.format_value(r["value"], unit),
        status="value",
        note=basis,
        previous=_change(
            r["value"], previous, month_label(month - pd.DateOffset(months=1)), unit, direction
        ),
        last_year=_change(
            r["value"], last_year, month_label(month - pd.DateOffset(years=1)), unit, direction
        ),
        signal=words,
        assessment=assessment,
        spark=spark,
    )


def _basis(row: pd.Series, unit: str) -> str:
    """The counts behind a value: "12 of 40 crimes", "median of 15 crimes"."""
    num, den = row["numerator"], row["denominator"]
    if charts.is_fraction(unit) and pd.notna(den):
        return f"{0 if pd.isna(num) else num:,.0f} of {den:,.0f} crimes"
    if unit == "days" and pd.notna(den):
        return f"median of {den:,.0f} crimes"
    if unit == "cases per FTE" and pd.notna(den) and pd.notna(num):
        return f"{num:,.0f} open cases, {den:,.1f} investigators"
    return ""


def summary_line(feasibility: pd.DataFrame) -> str:
    """'feasible 14 · partial 3 · not feasible 4; declared: reported 2, ...' for one force
    (columns flag, declared_status)."""
    counts = feasibility["flag"].value_counts()
    flags = " · ".join(
        f"{charts.FLAG_STYLE[f][2].lower()} {int(counts.get(f, 0))}" for f in charts.FLAG_ORDER
    )
    declared = feasibility["declared_status"].fillna("none declared").replace("", "none declared")
    order = ["reported", "feasible", "under_assessment", "not_feasible", "none declared"]
    dcounts = declared.value_counts()
    parts = [f"{s.replace('_', ' ')} {int(dcounts[s])}" for s in order if s in dcounts]
    return f"{flags}; declared: {', '.join(parts)}"
