"""The four Making Data Count rules, one function each, over plain sequences.

The shapes follow NHSRplotthedots (R/ptd_calculate_point_type.R) so that its published unit
tests can be replayed against these functions (tests/stats/test_spc_reference_cases.py):

- `relative_to_mean`: +1 above the mean, -1 below, 0 exactly on it (a point on the mean belongs
  to neither side, so it ends a shift and never counts towards 2-in-3);
- `shift_markers` ("seven points one side of the mean"): 1 at each point that completes a run of
  `length` or more points with the same non-zero side;
- `trend_markers` ("seven point trend"): +1 (or -1) at each point that completes `length`
  points each strictly higher (or lower) than the one before; an equal value breaks a trend;
- `part_of_run`: flags (1) the `length` points of the run that each end-of-run marker ends;
- `two_in_three` / `part_of_two_in_three`: a window of 3 consecutive points qualifies when at
  least 2 are close to a limit (beyond two thirds of the way from the mean, but not beyond the
  limit) and all 3 have the same non-zero side; only the close points are flagged;
- `point_rules`: one rule per point, by precedence: beyond a limit, then trend, then 2-in-3,
  then shift, then common cause, with the side (+1 high, -1 low) that the rule gives.
"""

from collections.abc import Sequence

BEYOND_LIMIT = "beyond_limit"
TREND = "trend"
TWO_IN_THREE = "two_in_three"
SHIFT = "shift"
PRECEDENCE = (BEYOND_LIMIT, TREND, TWO_IN_THREE, SHIFT)


def sign(x: float) -> int:
    return (x > 0) - (x < 0)


def relative_to_mean(values: Sequence[float], mean: float) -> list[int]:
    return [sign(v - mean) for v in values]


def shift_markers(relative: Sequence[int], length: int = 7) -> list[int]:
    """1 where a run of `length` or more equal, non-zero sides has reached that point."""
    out, run = [], 0
    for i, side in enumerate(relative):
        run = run + 1 if side != 0 and i > 0 and relative[i - 1] == side else int(side != 0)
        out.append(int(run >= length))
    return out


def trend_markers(values: Sequence[float], length: int = 7) -> list[int]:
    """+1 or -1 where `length` points, each above (or below) the one before, end at that point."""
    out, run, way = [0] * len(values), 0, 0
    for i in range(1, len(values)):
        step = sign(values[i] - values[i - 1])
        run = run + 1 if step != 0 and step == way else int(step != 0)
        way = step
        if run >= length - 1:
            out[i] = step
    return out


def part_of_run(markers: Sequence[int], length: int = 7) -> list[int]:
    """1 at every point of a run: each end-of-run marker (+1 or -1) spread back over the
    `length` points that make the run."""
    out = [0] * len(markers)
    for i, marker in enumerate(markers):
        if marker:
            for j in range(max(0, i - length + 1), i + 1):
                out[j] = 1
    return out


def two_in_three(close: Sequence[bool | int], relative: Sequence[int]) -> list[int]:
    """1 at every point of each qualifying window of 3 (at least 2 close, all 3 on one side)."""
    n = len(close)
    out = [0] * n
    for start in range(n - 2):
        sides = [relative[j] if j < len(relative) else 0 for j in range(start, start + 3)]
        same_side = sides[0] != 0 and sides.count(sides[0]) == 3
        if same_side and sum(bool(close[j]) for j in range(start, start + 3)) >= 2:
            for j in range(start, start + 3):
                out[j] = 1
    return out


def part_of_two_in_three(marks: Sequence[int], close: Sequence[bool | int]) -> list[int]:
    """Of the points in qualifying windows, only the close ones are flagged."""
    return [int(bool(m) and bool(c)) for m, c in zip(marks, close, strict=True)]


def trend_side(values: Sequence[float], part_trend: Sequence[int], i: int) -> int:
    """The direction of the trend at point i: the step to the next point when that point is in
    the trend too, else the step from the previous point (NHSRplotthedots' rule)."""
    if i + 1 < len(values) and part_trend[i + 1]:
        return sign(values[i + 1] - values[i])
    return sign(values[i] - values[i - 1]) if i > 0 else 0


def point_rules(
    values: Sequence[float],
    relative: Sequence[int],
    outside: Sequence[bool | int],
    part_trend: Sequence[int],
    part_two_in_three: Sequence[int],
    part_shift: Sequence[int],
) -> list[tuple[str | None, int]]:
    """(rule, side) of each point by precedence; (None, 0) for common cause. The side of a
    point beyond a limit, in a 2-in-3 or in a shift is its side of the mean; a trend's side is
    its direction."""
    out: list[tuple[str | None, int]] = []
    for i in range(len(values)):
        if outside[i]:
            out.append((BEYOND_LIMIT, relative[i]))
        elif part_trend[i]:
            out.append((TREND, trend_side(values, part_trend, i)))
        elif part_two_in_three[i]:
            out.append((TWO_IN_THREE, relative[i]))
        elif part_shift[i]:
            out.append((SHIFT, relative[i]))
        else:
            out.append((None, 0))
    return out


def stretches(flags: Sequence[int], gap: int = 1) -> list[tuple[int, int, int]]:
    """(start, end inclusive, flag) of each group of equal non-zero flags, where points of one
    group are at most `gap` apart (1: consecutive; 2: the close points of overlapping 2-in-3
    windows, which may skip one point)."""
    found: list[tuple[int, int, int]] = []
    for i, flag in enumerate(flags):
        if not flag:
            continue
        if found and found[-1][2] == flag and i - found[-1][1] <= gap:
            found[-1] = (found[-1][0], i, flag)
        else:
            found.append((i, i, flag))
    return found
