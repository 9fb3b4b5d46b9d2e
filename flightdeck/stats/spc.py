"""Statistical process control for one KPI series: XmR (individuals) charts, the four Making
Data Count rules, and the variation and assurance icons.

Pure functions over plain sequences of numbers, so a board's question "is this change real or
noise?" gets the same answer wherever it is asked. The method is NHS England's Making Data
Count, exactly as NHSRplotthedots implements it (its published tests are replayed against this
module, see tests/stats/test_spc_reference_cases.py):

- **Segments.** A series is split at its change points (index `starts`); everything restarts
  in each segment: mean, moving ranges (none spans a change point), limits and every rule.
- **Baseline.** A segment's mean and limits are worked out over its first `baseline_points`
  points (all of them when it has fewer, or when `baseline_points` is None) and then stay fixed
  for the rest of the segment: later points are judged against them, never fold into them.
  Fewer than `short_segment` (12) points give *trial limits*, said so wherever shown.
- **Limits.** mean ± 2.66 × the average moving range (AMR). With `screen_outliers` (off by
  default, as in the Making Data Count tool), moving ranges of 3.267 × AMR or more are left out
  once and AMR is worked out again. A limit beyond what the measure can take is clipped to
  `lower_bound`/`upper_bound` for showing (0 for counts, rates and days; 100 % for a fraction);
  a clipped limit cannot be crossed, so it never raises a signal. "Close to a limit" means
  beyond mean ± 2/3 × 2.66 × AMR (1.7733 × AMR) but not beyond the limit itself.
- **Rules**, for each point, in this order of precedence (a point gets the first that applies):
  1. beyond a limit: strictly above the upper or below the lower limit (a point exactly on a
     limit is inside);
  2. a trend: `trend_points` (7; 6 selectable) or more points in a row, each strictly higher
     (or lower) than the one before; an equal value ends a trend; its direction, not its side
     of the mean, says high or low;
  3. two of three: two of three consecutive points close to a limit, all three on the same side
     of the mean; only the close points are flagged;
  4. a shift: `shift_points` (7) or more points in a row on the same side of the mean; a point
     exactly on the mean ends a shift.
- **Point types and icons.** A high signal is an improvement when higher is better (direction
  "up"), a concern when lower is better ("down"), and neutral for a context measure. The
  variation and assurance icons are in `spc_icons`.
"""

from collections.abc import Sequence
from dataclasses import dataclass, field

from flightdeck.stats import spc_rules
from flightdeck.stats.spc_rules import BEYOND_LIMIT, SHIFT, TREND, TWO_IN_THREE

LIMIT_FACTOR = 2.66
SCREEN_FACTOR = 3.267
NEAR_FACTOR = LIMIT_FACTOR * 2 / 3

IMPROVEMENT = "improvement"
CONCERN = "concern"
NEUTRAL = "neutral"

COMMON_CAUSE = "common_cause"

__all__ = ["BEYOND_LIMIT", "SHIFT", "TREND", "TWO_IN_THREE"]  # re-exported rule names


@dataclass(frozen=True)
class Options:
    """The choices a force may make (settings), with the Making Data Count defaults."""

    trend_points: int = 7
    shift_points: int = 7
    screen_outliers: bool = False
    baseline_points: int | None = 12  # None: every point of the segment
    short_segment: int = 12  # a baseline of fewer points gives trial limits


@dataclass(frozen=True)
class Limits:
    """Centre line and limits of one segment, from its baseline."""

    mean: float
    mean_moving_range: float
    upper: float
    lower: float
    near_upper: float
    near_lower: float
    points: int  # how many points the baseline held
    screened: int = 0  # moving ranges left out by screening


@dataclass(frozen=True)
class Segment:
    start: int
    end: int  # exclusive
    baseline_end: int  # exclusive: points start..baseline_end-1 set the limits
    limits: Limits | None  # None when the baseline holds fewer than two points
    trial: bool  # the baseline holds fewer than Options.short_segment points


@dataclass(frozen=True)
class Signal:
    """A special-cause pattern over points start..end (inclusive indexes into the series)."""

    rule: str  # beyond_limit, trend, two_in_three or shift
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
class Point:
    value: float
    segment: int
    relative_to_mean: int  # +1 above the mean, -1 below, 0 on it
    outside: bool
    close: bool
    rule: str | None  # the rule that labels the point (by precedence), None: common cause
    side: int  # +1 high, -1 low, 0 common cause
    point_type: str  # common_cause, special_cause_improvement/_concern/_neutral_high/_low


@dataclass(frozen=True)
class Analysis:
    points: list[Point]
    segments: list[Segment]
    signals: list[Signal]  # every pattern found, for words (points carry the precedence)
    direction: str
    options: Options = field(default_factory=Options)

    @property
    def limits(self) -> Limits | None:
        """The latest segment's limits (None without points or with a one-point baseline)."""
        return self.segments[-1].limits if self.segments else None


def assess(side: str, direction: str) -> str:
    """Improvement, concern or neutral for a high or low signal given the KPI's direction."""
    if direction == "up":
        return IMPROVEMENT if side == "high" else CONCERN
    if direction == "down":
        return CONCERN if side == "high" else IMPROVEMENT
    return NEUTRAL


def _side_word(side: int) -> str:
    return "high" if side > 0 else "low"


def point_type(side: int, direction: str) -> str:
    if side == 0:
        return COMMON_CAUSE
    if direction == "neutral":
        return f"special_cause_neutral_{_side_word(side)}"
    return f"special_cause_{assess(_side_word(side), direction)}"


def xmr_limits(
    values: Sequence[float],
    *,
    screen_outliers: bool = False,
    lower_bound: float | None = None,
    upper_bound: float | None = None,
) -> Limits | None:
    """Mean and limits (mean ± 2.66 × AMR) of the baseline values; None for fewer than two."""
    if len(values) < 2:
        return None
    mean = sum(values) / len(values)
    ranges = [abs(b - a) for a, b in zip(values, values[1:], strict=False)]
    amr = sum(ranges) / len(ranges)
    screened = 0
    if screen_outliers and amr > 0:
        kept = [r for r in ranges if r < SCREEN_FACTOR * amr]
        screened = len(ranges) - len(kept)
        amr = sum(kept) / len(kept)
    upper, lower = mean + LIMIT_FACTOR * amr, mean - LIMIT_FACTOR * amr
    if lower_bound is not None:
        lower = max(lower, lower_bound)
    if upper_bound is not None:
        upper = min(upper, upper_bound)
    near = NEAR_FACTOR * amr
    return Limits(mean, amr, upper, lower, mean + near, mean - near, len(values), screened)


def segment_bounds(n_points: int, starts: Sequence[int]) -> list[tuple[int, int]]:
    """(start, end exclusive) of each segment; starts outside 1..n-1 are ignored."""
    cuts = sorted({s for s in starts if 0 < s < n_points})
    edges = [0, *cuts, n_points]
    return [(a, b) for a, b in zip(edges, edges[1:], strict=False) if b > a]


def _segment(values, k, start, end, direction, options, bounds):
    """The points, segment and signals of segment k, values[start:end] (indexes into the series)."""
    ys = list(values[start:end])
    baseline = len(ys) if options.baseline_points is None else min(len(ys), options.baseline_points)
    limits = xmr_limits(ys[:baseline], screen_outliers=options.screen_outliers, **bounds)
    segment = Segment(start, end, start + baseline, limits, baseline < options.short_segment)
    if limits is None:
        relative, outside, close = [0] * len(ys), [False] * len(ys), [False] * len(ys)
    else:
        relative = spc_rules.relative_to_mean(ys, limits.mean)
        outside = [y > limits.upper or y < limits.lower for y in ys]
        close = [
            not out and (y < limits.near_lower or y > limits.near_upper)
            for y, out in zip(ys, outside, strict=True)
        ]
    trend = spc_rules.part_of_run(
        spc_rules.trend_markers(ys, options.trend_points), options.trend_points
    )
    two = spc_rules.part_of_two_in_three(spc_rules.two_in_three(close, relative), close)
    shift = spc_rules.part_of_run(
        spc_rules.shift_markers(relative, options.shift_points), options.shift_points
    )
    labelled = spc_rules.point_rules(ys, relative, outside, trend, two, shift)
    points = [
        Point(y, k, relative[i], outside[i], close[i], rule, side, point_type(side, direction))
        for i, (y, (rule, side)) in enumerate(zip(ys, labelled, strict=True))
    ]
    # Each rule's own patterns, for words (the points above carry the precedence); the close
    # points of overlapping 2-in-3 windows may be 2 apart, each point beyond a limit stands alone.
    sides = {
        BEYOND_LIMIT: ([r * bool(o) for r, o in zip(relative, outside, strict=True)], 0),
        TREND: ([spc_rules.trend_side(ys, trend, i) * trend[i] for i in range(len(ys))], 1),
        TWO_IN_THREE: ([r * t for r, t in zip(relative, two, strict=True)], 2),
        SHIFT: ([r * s for r, s in zip(relative, shift, strict=True)], 1),
    }
    signals = [
        Signal(rule, start + a, start + b, _side_word(side), assess(_side_word(side), direction))
        for rule, (flags, gap) in sides.items()
        for a, b, side in spc_rules.stretches(flags, gap)
    ]
    return points, segment, signals


def analyse(
    values: Sequence[float],
    *,
    direction: str,
    starts: Sequence[int] = (),
    options: Options | None = None,
    lower_bound: float | None = None,
    upper_bound: float | None = None,
) -> Analysis:
    """Every point's rule and type, each segment's limits and every signal of the series.

    `direction` is up, down or neutral; `starts` are the indexes of the points where a change
    point starts a new segment (0 is always a start). Only complete points are ever passed in.
    """
    options = options or Options()
    bounds = {"lower_bound": lower_bound, "upper_bound": upper_bound}
    points: list[Point] = []
    segments: list[Segment] = []
    signals: list[Signal] = []
    for k, (start, end) in enumerate(segment_bounds(len(values), starts)):
        found, segment, patterns = _segment(values, k, start, end, direction, options, bounds)
        points += found
        segments.append(segment)
        signals += patterns
    order = {rule: n for n, rule in enumerate(spc_rules.PRECEDENCE)}
    signals.sort(key=lambda s: (s.start, order[s.rule], s.end))
    return Analysis(points, segments, signals, direction, options)


def signals_at(analysis: Analysis, index: int) -> list[Signal]:
    """Signals that include the point at index, the one that labels the point first."""
    order = {rule: n for n, rule in enumerate(spc_rules.PRECEDENCE)}
    found = [s for s in analysis.signals if s.covers(index)]
    return sorted(found, key=lambda s: (order[s.rule], -s.length))
