"""One KPI's SPC reading as the product makes it, the same on every tile, chart, matrix row and
board pack page: which months are the warm-up, where each baseline is, the change points, the
target, and the analysis of the complete months after the warm-up.

- **Warm-up.** The first months of a KPI's series (`FLIGHTDECK_SPC_WARMUP_MONTHS`, default 24;
  twice that for an open-case snapshot such as K06 and K21, whose oldest open cases take longest
  to be all there) are distorted by where the extract's history starts. They are drawn, marked
  "warm-up", and never analysed or used as a baseline, whatever period a page shows.
- **Baselines.** The average and limits are set over the first 12 complete months after the
  warm-up (`FLIGHTDECK_SPC_BASELINE_POINTS`) and then stay fixed as months are added. They are
  worked out again only from a recorded change point, whose month starts a new baseline (a
  change point inside the warm-up or after the month read is not used).
- **The month read.** A tile or a pack page reads the series up to its month (`until`), as it
  was known then; a chart reads it to the latest month and draws the period chosen.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np
import pandas as pd

from flightdeck import settings
from flightdeck.present.formatting import is_fraction, month_label
from flightdeck.stats import spc, spc_icons

WARMUP, ANALYSED, INCOMPLETE = "warm-up", "analysed", "incomplete"


def options_from_settings() -> spc.Options:
    """The SPC choices in force (trend length, screening, baseline length)."""
    return spc.Options(
        trend_points=settings.parsed(settings.SPC_TREND_POINTS),
        screen_outliers=settings.parsed(settings.SPC_SCREEN_OUTLIERS),
        baseline_points=settings.parsed(settings.SPC_BASELINE_POINTS),
    )


def warmup_months(kpi) -> int:
    """How many first months of the KPI's series are warm-up (twice as many for a snapshot)."""
    months = settings.parsed(settings.SPC_WARMUP_MONTHS)
    return months * 2 if getattr(kpi, "is_snapshot", False) else months


@dataclass(frozen=True)
class Baseline:
    first: pd.Timestamp
    last: pd.Timestamp
    points: int
    trial: bool
    after: str  # "the warm-up", "the start of the series" or "the change point of <month>"


@dataclass
class KpiAnalysis:
    """`frame` holds every month of the series read (month, value, complete and the counts)
    with `phase` (warm-up, analysed, incomplete) and, for analysed months, `segment`, `mean`,
    `upper`, `lower`, `rule` and `point_type`; `analysis` indexes the analysed rows in order.
    The frame is built only when asked for (a chart): a tile needs only the analysis."""

    series: pd.DataFrame  # the months read, in order, with `phase`
    analysis: spc.Analysis
    baselines: list[Baseline]
    warmup: int  # months of warm-up
    warmup_end: pd.Timestamp | None  # the first month after the warm-up
    unit: str
    direction: str
    target: float | None = None
    months: list[pd.Timestamp] = field(default_factory=list)  # the analysed months, in order

    @cached_property
    def frame(self) -> pd.DataFrame:
        frame = self.series.copy()
        _annotate(frame, frame.index[frame["phase"] == ANALYSED], self.analysis)
        return frame

    @property
    def analysed(self) -> pd.DataFrame:
        return self.frame[self.frame["phase"] == ANALYSED]

    @property
    def labels(self) -> list[str]:
        return [month_label(m) for m in self.months]

    @property
    def last_month(self) -> pd.Timestamp | None:
        return self.months[-1] if self.months else None

    @property
    def variation(self) -> str | None:
        return spc_icons.variation(self.analysis)

    @property
    def assurance(self) -> str | None:
        return spc_icons.assurance(self.analysis.limits, self.target, self.direction)

    def baseline_text(self) -> str:
        """Where the average and limits come from, for every chart: "Average and limits from
        the 12 months Jan 2022 to Dec 2022 (after the warm-up), fixed since"."""
        if not self.baselines:
            if self.warmup_end is not None and self.series["phase"].eq(WARMUP).any():
                return (
                    f"No limits yet: the first {self.warmup} months are the warm-up, and fewer "
                    "than two complete months follow it."
                )
            return "No limits yet: fewer than two complete months."
        parts = []
        for b in self.baselines:
            span = f"{month_label(b.first)} to {month_label(b.last)}"
            calendar = (b.last.year - b.first.year) * 12 + b.last.month - b.first.month + 1
            gaps = calendar - b.points
            # months without a figure (none to count, or suppressed in a pack) are left out
            left_out = f"; {gaps} months without a figure left out" if gaps > 0 else ""
            trial = "; trial limits, fewer than 12 months" if b.trial else ""
            parts.append(f"the {b.points} months {span} (after {b.after}{left_out}{trial})")
        fixed = "fixed since" if len(parts) == 1 else "each fixed until the next change point"
        return f"Average and limits from {'; then '.join(parts)}, {fixed}."


def _bounds(unit: str) -> dict:
    return {"lower_bound": 0.0, "upper_bound": 1.0 if is_fraction(unit) else None}


def analyse_series(
    series: pd.DataFrame,
    kpi,
    *,
    until: pd.Timestamp | None = None,
    change_points: Sequence[pd.Timestamp] = (),
    target: float | None = None,
    options: spc.Options | None = None,
    warmup: int | None = None,
) -> KpiAnalysis:
    """The KPI's SPC reading of `series` (month, value, complete and the counts; one row per
    month) up to `until` (default: its last month)."""
    options = options or options_from_settings()
    warmup = warmup_months(kpi) if warmup is None else warmup
    frame = series if series["month"].is_monotonic_increasing else series.sort_values("month")
    if until is not None:
        frame = frame[frame["month"] <= pd.Timestamp(until)]
    frame = frame.reset_index(drop=True)
    month_values = frame["month"].to_numpy(dtype="datetime64[ns]")
    start = pd.Timestamp(month_values[0]) if len(frame) else None
    warmup_end = None if start is None or warmup == 0 else start + pd.DateOffset(months=warmup)
    done = frame["complete"].to_numpy(dtype=bool) & frame["value"].notna().to_numpy()
    in_warmup = (
        month_values < np.datetime64(warmup_end)
        if warmup_end is not None
        else np.zeros(len(frame), bool)
    )
    phase = np.where(done & in_warmup, WARMUP, np.where(done, ANALYSED, INCOMPLETE))
    frame = frame.assign(phase=phase)
    analysed = np.flatnonzero(phase == ANALYSED)
    months = [pd.Timestamp(m) for m in month_values[analysed]]
    cuts = sorted(
        {
            next(i for i, m in enumerate(months) if m >= pd.Timestamp(c))
            for c in change_points
            if months and months[0] < pd.Timestamp(c) <= months[-1]
        }
    )
    result = spc.analyse(
        frame["value"].to_numpy(dtype=float)[analysed].tolist(),
        direction=kpi.direction,
        starts=cuts,
        options=options,
        **_bounds(kpi.unit),
    )
    baselines = []
    for k, seg in enumerate(result.segments):
        if seg.limits is None:
            continue
        if k:
            after = f"the change point of {month_label(months[seg.start])}"
        else:
            after = "the warm-up" if warmup_end is not None else "the start of the series"
        first, last = months[seg.start], months[seg.baseline_end - 1]
        baselines.append(Baseline(first, last, seg.limits.points, seg.trial, after))
    return KpiAnalysis(
        frame, result, baselines, warmup, warmup_end, kpi.unit, kpi.direction, target, months
    )


def _annotate(frame: pd.DataFrame, index: pd.Index, result: spc.Analysis) -> None:
    """Each analysed row's segment limits, rule and point type, in place (one assignment per
    column: this runs for every tile of every rerun)."""
    limits = [result.segments[p.segment].limits for p in result.points]
    columns = {
        "segment": [p.segment for p in result.points],
        "rule": [p.rule for p in result.points],
        "point_type": [p.point_type for p in result.points],
        "mean": [None if lim is None else lim.mean for lim in limits],
        "upper": [None if lim is None else lim.upper for lim in limits],
        "lower": [None if lim is None else lim.lower for lim in limits],
    }
    for column, values in columns.items():
        numeric = column in ("mean", "upper", "lower")
        frame[column] = pd.Series(values, index=index, dtype=float if numeric else object)


def change_points_for(annotations: pd.DataFrame | None, kpi_id: str) -> list[pd.Timestamp]:
    """The months of the change points recorded for this KPI or for all KPIs."""
    mine = notes_for(annotations, kpi_id)
    return sorted(pd.to_datetime(mine.loc[mine["kind"] == "change_point", "month"]).unique())


def notes_for(annotations: pd.DataFrame | None, kpi_id: str) -> pd.DataFrame:
    """The annotations (change points and notes) that touch this KPI: its own and those for
    all KPIs (kpi_id empty)."""
    if annotations is None or annotations.empty:
        return pd.DataFrame(columns=["month", "kind", "text", "kpi_id"])
    touches = annotations["kpi_id"].isna() | (annotations["kpi_id"] == kpi_id)
    return annotations[touches].sort_values("month")
