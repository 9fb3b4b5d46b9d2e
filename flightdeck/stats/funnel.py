"""Funnel-plot control limits and confidence intervals for rates (pure functions).

Control limits are exact binomial quantiles around the group rate, computed from the binomial
probability mass function with `math.lgamma` (no scipy), and smoothed between whole counts with
Spiegelhalter's interpolation (Statistics in Medicine 2005, as in the Public Health England
funnel-plot guidance): with r the smallest count whose cumulative probability reaches q,

    limit = (r - a) / n,   a = (F(r) - q) / P(R = r)

so the limits narrow smoothly as the denominator n grows. A force is outside a limit when its
rate is strictly beyond it. Confidence intervals for single rates are Wilson score intervals.
"""

import math
from dataclasses import dataclass
from statistics import NormalDist

import numpy as np
import pandas as pd

LEVELS = (0.95, 0.998)


def binomial_pmf(k: int, n: int, p: float) -> float:
    """P(R = k) for R ~ Binomial(n, p)."""
    if k < 0 or k > n:
        return 0.0
    if p <= 0.0:
        return 1.0 if k == 0 else 0.0
    if p >= 1.0:
        return 1.0 if k == n else 0.0
    log_pmf = (
        math.lgamma(n + 1)
        - math.lgamma(k + 1)
        - math.lgamma(n - k + 1)
        + k * math.log(p)
        + (n - k) * math.log1p(-p)
    )
    return math.exp(log_pmf)


def binomial_limit(p: float, n: int, q: float) -> float:
    """The interpolated q-quantile of Binomial(n, p), as a proportion of n."""
    if n <= 0:
        raise ValueError("the denominator must be at least 1")
    cumulative = 0.0
    for r in range(n + 1):
        mass = binomial_pmf(r, n, p)
        cumulative += mass
        # A small tolerance keeps floating-point sums from skipping an exact hit.
        if cumulative >= q - 1e-12:
            a = (cumulative - q) / mass if mass > 0 else 0.0
            return max(0.0, (r - a) / n)
    return 1.0


def control_limits(p: float, n: int, level: float) -> tuple[float, float]:
    """(lower, upper) funnel limits at a two-sided level (0.95 or 0.998) for denominator n."""
    tail = (1.0 - level) / 2.0
    return binomial_limit(p, n, tail), binomial_limit(p, n, 1.0 - tail)


def wilson_interval(numerator: float, denominator: float, level: float = 0.95):
    """Wilson score interval (lower, upper) for a proportion numerator / denominator."""
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    z = NormalDist().inv_cdf(0.5 + level / 2.0)
    phat = numerator / denominator
    z2n = z * z / denominator
    centre = (phat + z2n / 2.0) / (1.0 + z2n)
    half = z / (1.0 + z2n) * math.sqrt(phat * (1 - phat) / denominator + z2n / (4 * denominator))
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class Funnel:
    group_rate: float
    points: pd.DataFrame  # force, numerator, denominator, rate, limits per level, position
    curve: pd.DataFrame  # denominator, lower_95, upper_95, lower_998, upper_998


def _suffix(level: float) -> str:
    return f"{level * 100:g}".replace(".", "")


def position(rate: float, limits: dict[float, tuple[float, float]]) -> str:
    """Where a rate lies: above_998, above_95, within, below_95 or below_998."""
    for level in sorted(limits, reverse=True):
        lower, upper = limits[level]
        if rate > upper:
            return f"above_{_suffix(level)}"
        if rate < lower:
            return f"below_{_suffix(level)}"
    return "within"


def funnel(frame: pd.DataFrame, levels=LEVELS, curve_points: int = 80) -> Funnel:
    """Funnel of each force's rate against its denominator, around the pooled group rate.

    `frame` has columns force, numerator, denominator (one row per force, denominator >= 1).
    Denominators that are not whole numbers (full-time equivalents) are rounded for the limits.
    """
    if frame.empty:
        raise ValueError("no forces to compare")
    group_rate = float(frame["numerator"].sum() / frame["denominator"].sum())
    rows = []
    for r in frame.itertuples():
        n = max(1, round(r.denominator))
        limits = {lv: control_limits(group_rate, n, lv) for lv in levels}
        rate = r.numerator / r.denominator
        row = {"force": r.force, "numerator": r.numerator, "denominator": r.denominator}
        row["rate"] = rate
        for lv, (lower, upper) in limits.items():
            row[f"lower_{_suffix(lv)}"], row[f"upper_{_suffix(lv)}"] = lower, upper
        row["position"] = position(rate, limits)
        rows.append(row)
    points = pd.DataFrame(rows)
    # The curve spans the forces' volumes with some room either side, not from 1: limits at
    # tiny denominators are near 0 and 100 % and squash the part of the plot that matters.
    bottom = max(1, int(frame["denominator"].min() // 2))
    top = max(int(round(frame["denominator"].max() * 1.5)), bottom + 10)
    grid = np.unique(np.geomspace(bottom, top, curve_points).round().astype(int))
    curve = pd.DataFrame({"denominator": grid})
    for lv in levels:
        pairs = [control_limits(group_rate, int(n), lv) for n in grid]
        curve[f"lower_{_suffix(lv)}"] = [lo for lo, _ in pairs]
        curve[f"upper_{_suffix(lv)}"] = [hi for _, hi in pairs]
    return Funnel(group_rate=group_rate, points=points, curve=curve)


def describe_position(name: str, pos: str, direction: str) -> str | None:
    """A board member's sentence for a force outside a limit (None when within both)."""
    if pos == "within":
        return None
    side, level = pos.split("_")
    pct = "99.8 %" if level == "998" else "95 %"
    meaning = (
        "a real difference, not chance"
        if level == "998"
        else "probably a real difference; worth a look"
    )
    verdict = ""
    if direction in ("up", "down"):
        better = (side == "above") == (direction == "up")
        verdict = " (better than the group)" if better else " (worse than the group)"
    return f"{name} is {side} the {pct} limit{verdict}: {meaning}."
