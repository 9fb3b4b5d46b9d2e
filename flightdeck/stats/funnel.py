"""Funnel plots: each force's value against its volume, with control limits around the group.

A funnel is a proportion (outcomes per crime) or a rate (crimes per person). Its target is the
pooled group value, sum of numerators over sum of denominators. The limits are:

* unadjusted: exact binomial for proportions, exact Poisson for rates (`funnel_limits`);
* adjusted, when the analyst leaves the adjustment on and the forces are overdispersed with at
  least `MIN_FORCES_FOR_ADJUSTMENT` of them (`dispersion`): additive random-effects limits on
  the arcsine scale (proportions) or the square-root scale (rates), widened by tau2.

A force is outside a limit when its value is strictly beyond it. The method and the reasons for
it are in docs/funnels.md.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from flightdeck.stats.dispersion import (
    MIN_FORCES_FOR_ADJUSTMENT,
    Dispersion,
    dispersion,
    proportion_z,
    rate_z,
)
from flightdeck.stats.funnel_limits import (
    LEVELS,
    binomial_limits,
    poisson_interval,
    poisson_limits,
    proportion_limits_adjusted,
    rate_limits_adjusted,
    wilson_interval,
    wilson_limits,
    z_for,
)

PROPORTION, RATE = "proportion", "rate"
MEASURES = (PROPORTION, RATE)

__all__ = [
    "LEVELS",
    "MIN_FORCES_FOR_ADJUSTMENT",
    "PROPORTION",
    "RATE",
    "Dispersion",
    "Funnel",
    "binomial_limits",
    "funnel",
    "poisson_interval",
    "poisson_limits",
    "position",
    "proportion_limits_adjusted",
    "rate_limits_adjusted",
    "wilson_interval",
    "wilson_limits",
    "z_for",
]

_METHODS = {
    (PROPORTION, False): "exact binomial",
    (RATE, False): "exact Poisson",
    (PROPORTION, True): "random-effects adjusted (arcsine scale)",
    (RATE, True): "random-effects adjusted (square-root scale)",
}


@dataclass(frozen=True)
class Funnel:
    measure: str  # PROPORTION or RATE
    target: float  # pooled group value: sum of numerators / sum of denominators
    points: pd.DataFrame  # force, numerator, denominator, value, z, limits per level, position
    curve: pd.DataFrame  # denominator, lower_95, upper_95, lower_998, upper_998
    dispersion: Dispersion
    adjusted: bool  # the limits drawn include tau2
    adjustment_requested: bool  # the analyst's switch

    @property
    def method(self) -> str:
        """The limits drawn, in plain words."""
        return _METHODS[(self.measure, self.adjusted)]


def _suffix(level: float) -> str:
    return f"{level * 100:g}".replace(".", "")


def position(value: float, limits: dict[float, tuple[float, float]]) -> str:
    """Where a value lies: above_998, above_95, within, below_95 or below_998 (strictly beyond
    a limit; the widest level first)."""
    for level in sorted(limits, reverse=True):
        lower, upper = limits[level]
        if value > upper:
            return f"above_{_suffix(level)}"
        if value < lower:
            return f"below_{_suffix(level)}"
    return "within"


def _validated(frame: pd.DataFrame, measure: str) -> pd.DataFrame:
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, not {measure!r}")
    if frame.empty:
        raise ValueError("no forces to compare")
    numerator = frame["numerator"].to_numpy(dtype=float)
    denominator = frame["denominator"].to_numpy(dtype=float)
    if np.isnan(numerator).any() or np.isnan(denominator).any():
        raise ValueError("every force needs a numerator and a denominator, even when zero")
    if (denominator <= 0).any():
        raise ValueError("denominators must be greater than zero")
    if (numerator < 0).any():
        raise ValueError("numerators must be zero or more")
    if measure == PROPORTION and (numerator > denominator).any():
        raise ValueError("a proportion's numerator cannot exceed its denominator")
    data = frame[["force", "numerator", "denominator"]]
    if data["force"].duplicated().any():  # rows for one force are summed, as FunnelPlotR does
        data = data.groupby("force", sort=False, as_index=False)[["numerator", "denominator"]].sum()
    return data


def _limits(measure, target, denominator, level, tau2, adjusted):
    """(lower, upper) arrays in the units of the value, at the given denominators."""
    denominator = np.asarray(denominator, dtype=float)
    if measure == PROPORTION:
        if adjusted:
            lower, upper = proportion_limits_adjusted(target, denominator, level, tau2)
        else:
            lower, upper = binomial_limits(target, np.maximum(1, np.round(denominator)), level)
        return np.asarray(lower), np.asarray(upper)
    if target == 0:  # no events anywhere: every limit is 0
        return np.zeros_like(denominator), np.zeros_like(denominator)
    expected = target * denominator
    if adjusted:
        lower, upper = rate_limits_adjusted(expected, level, tau2)
    else:
        lower, upper = poisson_limits(expected, level)
    return target * np.asarray(lower), target * np.asarray(upper)


def _grid(measure: str, denominators: np.ndarray, curve_points: int) -> np.ndarray:
    # The curve spans the forces' volumes with some room either side, not from 1: limits at
    # tiny denominators are near 0 and 100 % and squash the part of the plot that matters.
    if measure == RATE:
        return np.geomspace(denominators.min() / 2, denominators.max() * 1.5, curve_points)
    bottom = max(1, int(denominators.min() // 2))
    top = max(int(round(denominators.max() * 1.5)), bottom + 10)
    return np.unique(np.geomspace(bottom, top, curve_points).round().astype(int))


def funnel(
    frame: pd.DataFrame,
    measure: str = PROPORTION,
    adjust: bool = True,
    levels=LEVELS,
    curve_points: int = 80,
    min_forces: int = MIN_FORCES_FOR_ADJUSTMENT,
) -> Funnel:
    """Funnel of each force's value against its denominator, around the pooled target.

    `frame` has columns force, numerator, denominator (denominator > 0). For PROPORTION the
    value is a proportion and the unadjusted limits are exact binomial at the denominator
    rounded to a whole number; for RATE the value is events per unit of denominator, each force
    expects target x denominator events, and the unadjusted limits are exact Poisson. With
    `adjust` on and overdispersion present, the limits are random-effects adjusted instead.
    """
    data = _validated(frame, measure)
    numerator = data["numerator"].to_numpy(dtype=float)
    denominator = data["denominator"].to_numpy(dtype=float)
    target = float(numerator.sum() / denominator.sum())
    if measure == PROPORTION:
        z, weights = proportion_z(numerator, denominator, target), 4 * denominator
    else:
        expected = target * denominator
        z, weights = rate_z(numerator, expected), 4 * expected
    found = dispersion(z, weights, min_forces=min_forces)
    adjusted = bool(adjust and found.present)

    columns = {
        "force": data["force"].to_numpy(),
        "numerator": data["numerator"].to_numpy(),
        "denominator": data["denominator"].to_numpy(),
        "value": numerator / denominator,
        "z": z,
    }
    grid = _grid(measure, denominator, curve_points)
    curve = {"denominator": grid}
    limits = {}
    for level in levels:
        # the forces' limits and the curve's in one call
        both = _limits(
            measure, target, np.concatenate([denominator, grid]), level, found.tau2, adjusted
        )
        lower, upper = (bound[: len(denominator)] for bound in both)
        columns[f"lower_{_suffix(level)}"], columns[f"upper_{_suffix(level)}"] = lower, upper
        curve[f"lower_{_suffix(level)}"], curve[f"upper_{_suffix(level)}"] = (
            bound[len(denominator) :] for bound in both
        )
        limits[level] = (lower, upper)
    columns["position"] = [
        position(value, {lv: (lo[i], hi[i]) for lv, (lo, hi) in limits.items()})
        for i, value in enumerate(columns["value"])
    ]
    return Funnel(
        measure,
        target,
        pd.DataFrame(columns),
        pd.DataFrame(curve),
        found,
        adjusted,
        bool(adjust),
    )
