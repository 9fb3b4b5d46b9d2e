"""Statistical process control for one KPI series: XmR (individuals) charts and signal rules.

Pure functions over plain sequences of numbers, so a board's question "is this change real or
noise?" gets the same answer wherever it is asked. The approach follows the NHS "Making Data
Count" practice:

- **Period**: a chart or a verdict reads the last 36 months by default (the page offers 24, 36
  or all). Older months are left out because an extract's first year or two can be distorted by
  where its history starts (outcomes and open-case snapshots then hold only recent crimes), and
  a baseline sitting on that stretch would flag the whole later series.
- **Baseline**: the mean and limits are worked out over a stated stretch of points, by default
  the first 12 complete points of the period read (all of them when there are fewer). Only
  complete points are ever passed in: months whose cohort window is still open are drawn, but
  never analysed.
- **Limits**: mean ± 2.66 × the average moving range (the mean absolute difference between
  consecutive baseline points). A limit beyond what the measure can take is clipped to the
  possible range: a lower limit below 0 becomes 0 (counts, rates and days cannot be negative) and
  an upper limit above 100 % becomes 100 % for a fraction. A clipped limit cannot be crossed, so a
  lower limit of 0 never raises a "low" signal.
- **Rules** (each point may belong to several signals):
  1. a point beyond a limit (strictly above the upper or below the lower limit);
  2. a run of 7 or more consecutive points on the same side of the mean (a point exactly on the
     mean ends a run);
  3. a trend of 6 or more consecutive points each higher (or each lower) than the one before (an
     equal value ends a trend).
- **Assessment**: a "high" signal (above a limit, a run above the mean, a rising trend) is an
  improvement when higher is better, a concern when lower is better, and neutral for measures
  that are context only; "low" signals the other way round.
"""

from collections.abc import Sequence
from dataclasses import dataclass

LIMIT_FACTOR = 2.66
DEFAULT_PERIOD_MONTHS = 36
DEFAULT_BASELINE_POINTS = 12
RUN_LENGTH = 7
TREND_LENGTH = 6

BEYOND_LIMIT = "beyond_limit"
RUN = "run"
TREND = "trend"

IMPROVEMENT = "improvement"
CONCERN = "concern"
NEUTRAL = "neutral"


@dataclass(frozen=True)
class Limits:
    """Centre line and control limits worked out over a baseline."""

    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    points: int  # how many points the baseline held


@dataclass(frozen=True)
class Signal:
    """A special-cause signal over points start..end (inclusive indexes into the series)."""

    rule: str  # beyond_limit, run or trend
    start: int
    end: int
    side: str  # high or low
    assessment: str  # improvement, concern or neutral

    @property
    def length(self) -> int:
        return self.end - self.start + 1

    def covers(self, index: int) -> bool:
        return self.start <= index <= self.end


@dataclass(frozen=True)
class Analysis:
    """Limits (None when the baseline holds fewer than two points) and the signals found."""

    limits: Limits | None
    baseline: tuple[int, int]  # start index, end index exclusive
    signals: list[Signal]


def default_baseline(n_points: int) -> tuple[int, int]:
    """The first 12 points, or all of them if there are fewer: (start, end exclusive)."""
    return 0, min(n_points, DEFAULT_BASELINE_POINTS)


def xmr_limits(
    values: Sequence[float], *, lower_bound: float | None = 0.0, upper_bound: float | None = None
) -> Limits | None:
    """Mean and limits (mean ± 2.66 × mean moving range) of the baseline values.

    Limits are clipped to [lower_bound, upper_bound] when given. Returns None for fewer than two
    values, since a moving range needs two.
    """
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    mean_mr = sum(ranges) / len(ranges)
    upper = mean + LIMIT_FACTOR * mean_mr
    lower = mean - LIMIT_FACTOR * mean_mr
    if lower_bound is not None:
        lower = max(lower, lower_bound)
    if upper_bound is not None:
        upper = min(upper, upper_bound)
    return Limits(mean, mean_mr, upper, lower, len(values))


def assess(side: str, direction: str) -> str:
    """Improvement, concern or neutral for a high or low signal given the KPI's direction."""
    if direction == "up":
        return IMPROVEMENT if side == "high" else CONCERN
    if direction == "down":
        return CONCERN if side == "high" else IMPROVEMENT
    return NEUTRAL


def points_beyond_limits(values: Sequence[float], limits: Limits, direction: str) -> list[Signal]:
    """Rule 1: each point strictly above the upper or below the lower limit."""
    signals = []
    for i, x in enumerate(values):
        if x > limits.upper:
            signals.append(Signal(BEYOND_LIMIT, i, i, "high", assess("high", direction)))
        elif x < limits.lower:
            signals.append(Signal(BEYOND_LIMIT, i, i, "low", assess("low", direction)))
    return signals


def _stretches(flags: Sequence[str | None], min_length: int) -> list[tuple[int, int, str]]:
    """Maximal stretches of equal non-None flags at least min_length long: (start, end, flag)."""
    found, start = [], 0
    for i in range(1, len(flags) + 1):
        if i == len(flags) or flags[i] != flags[start]:
            if flags[start] is not None and i - start >= min_length:
                found.append((start, i - 1, flags[start]))
            start = i
    return found


def runs_about_mean(
    values: Sequence[float], mean: float, direction: str, length: int = RUN_LENGTH
) -> list[Signal]:
    """Rule 2: each maximal run of `length` or more consecutive points on one side of the mean."""
    sides = ["high" if x > mean else "low" if x < mean else None for x in values]
    return [
        Signal(RUN, s, e, side, assess(side, direction)) for s, e, side in _stretches(sides, length)
    ]


def trends(values: Sequence[float], direction: str, length: int = TREND_LENGTH) -> list[Signal]:
    """Rule 3: each maximal stretch of `length` or more points, each above (or each below) the
    one before."""
    signals = []
    # steps[i] says how point i+1 moved from point i; a trend of k points is k-1 equal steps.
    steps = [
        "high" if b > a else "low" if b < a else None
        for a, b in zip(values, values[1:], strict=False)
    ]
    for s, e, side in _stretches(steps, length - 1):
        signals.append(Signal(TREND, s, e + 1, side, assess(side, direction)))
    return signals


def analyse(
    values: Sequence[float],
    *,
    direction: str,
    baseline: tuple[int, int] | None = None,
    lower_bound: float | None = 0.0,
    upper_bound: float | None = None,
) -> Analysis:
    """Limits over the baseline and every signal in the series (complete points only).

    `baseline` is (start, end exclusive); the default is the first 12 points. The run and
    limit rules need limits; the trend rule does not.
    """
    start, end = baseline if baseline is not None else default_baseline(len(values))
    start, end = max(0, start), min(len(values), end)
    limits = xmr_limits(values[start:end], lower_bound=lower_bound, upper_bound=upper_bound)
    signals: list[Signal] = []
    if limits is not None:
        signals += points_beyond_limits(values, limits, direction)
        signals += runs_about_mean(values, limits.mean, direction)
    signals += trends(values, direction)
    signals.sort(key=lambda s: (s.start, s.end, s.rule))
    return Analysis(limits, (start, end), signals)


def signals_at(analysis: Analysis, index: int) -> list[Signal]:
    """Signals that include the point at index (e.g. the latest month, for a tile)."""
    return [s for s in analysis.signals if s.covers(index)]


_ASSESSMENT_WORDS = {IMPROVEMENT: "an improvement", CONCERN: "a concern", NEUTRAL: "worth a look"}


def describe(signal: Signal, labels: Sequence[str]) -> str:
    """The signal in plain words, e.g. "7 months in a row above the average (Jan 2024 to
    Jul 2024): an improvement". labels name the points (month names)."""
    span = (
        labels[signal.start]
        if signal.length == 1
        else f"{labels[signal.start]} to {labels[signal.end]}"
    )
    if signal.rule == BEYOND_LIMIT:
        where = "above the upper" if signal.side == "high" else "below the lower"
        text = f"{span} {where} control limit"
    elif signal.rule == RUN:
        where = "above" if signal.side == "high" else "below"
        text = f"{signal.length} months in a row {where} the average ({span})"
    else:
        way = "rising" if signal.side == "high" else "falling"
        text = f"{signal.length} months in a row {way} ({span})"
    return f"{text}: {_ASSESSMENT_WORDS[signal.assessment]}"


def _spans(indexes: Sequence[int], labels: Sequence[str]) -> str:
    """Consecutive indexes as ranges: "Nov 2024; Jan 2025 to Oct 2026"."""
    parts, start = [], None
    for k, i in enumerate(indexes):
        if start is None:
            start = i
        if k + 1 == len(indexes) or indexes[k + 1] != i + 1:
            parts.append(labels[start] if start == i else f"{labels[start]} to {labels[i]}")
            start = None
    return "; ".join(parts)


def summarise(signals: Sequence[Signal], labels: Sequence[str]) -> list[tuple[str, str]]:
    """The signals in words for a reader, as (words, assessment), one line per finding.

    Points beyond the same limit are gathered in one line ("Above the upper control limit in
    20 months (Nov 2024; Jan 2025 to Oct 2026): a concern") instead of one line per month; runs
    and trends keep a line each. Lines are in the order their first month appears.
    """
    lines: list[tuple[int, str, str]] = []
    beyond: dict[tuple[str, str], list[int]] = {}
    for s in signals:
        if s.rule == BEYOND_LIMIT:
            beyond.setdefault((s.side, s.assessment), []).append(s.start)
        else:
            lines.append((s.start, describe(s, labels), s.assessment))
    for (side, assessment), points in beyond.items():
        if len(points) == 1:
            lines.append(
                (
                    points[0],
                    describe(Signal(BEYOND_LIMIT, points[0], points[0], side, assessment), labels),
                    assessment,
                )
            )
            continue
        points = sorted(points)
        where = "Above the upper" if side == "high" else "Below the lower"
        words = (
            f"{where} control limit in {len(points)} months ({_spans(points, labels)}): "
            f"{_ASSESSMENT_WORDS[assessment]}"
        )
        lines.append((points[0], words, assessment))
    lines.sort(key=lambda line: line[0])
    return [(words, assessment) for _, words, assessment in lines]
