"""Funnel-plot control limits and single-value intervals (pure, vectorised, from scipy.stats).

Every function takes numpy arrays or scalars and returns arrays, or floats for scalar input.
Limits for a proportion are proportions; limits for a rate are ratios to the target (O/E), so a
caller multiplies them by the target rate. The methods, and why the product uses which, are in
docs/funnels.md:

* `binomial_limits`: exact binomial quantiles, smoothed between whole counts by Spiegelhalter's
  interpolation (Statistics in Medicine 2005; 24:1185-1202). With r the smallest count whose
  cumulative probability F(r) reaches q, the limit is (r - a) / n with a = (F(r) - q) / P(R = r).
* `poisson_limits`: exact Poisson limits for O/E at expected count E from the chi-square
  distribution, as FunnelPlotR draws its unadjusted standardised-ratio funnels.
* `wilson_limits`: PHEindicatormethods' proportion limits (where a Wilson score interval ends
  exactly on the target).
* `proportion_limits_adjusted`, `rate_limits_adjusted`: the additive random-effects limits of
  Spiegelhalter (Quality and Safety in Health Care 2005; 14:347-351) on the arcsine and the
  square-root scale, widened by the between-force variance tau2.
* `wilson_interval`, `poisson_interval`: confidence intervals for one force's value.
"""

import numpy as np
from scipy.stats import binom, chi2, norm

LEVELS = (0.95, 0.998)


def z_for(level: float) -> float:
    """The two-sided standard normal multiplier for a level: 1.95996... for 0.95, 3.0902... for
    0.998 (exact, not FunnelPlotR's rounded 1.959964 and 3.090232)."""
    return float(norm.ppf(0.5 + level / 2.0))


def _tails(level: float) -> tuple[float, float]:
    tail = (1.0 - level) / 2.0
    return tail, 1.0 - tail


def _out(values):
    """A float for a scalar result, the array otherwise."""
    values = np.asarray(values, dtype=float)
    return float(values) if values.ndim == 0 else values


def _binomial_quantile(p, n, q):
    """The interpolated q-quantiles of Binomial(n, p), as proportions of n (q broadcasts
    against n, so both tails come from one call)."""
    r = binom.ppf(q, n, p)  # the smallest count whose cumulative probability reaches q
    cumulative = binom.cdf(r, n, p)
    mass = binom.pmf(r, n, p)
    step = np.divide(
        cumulative - q, mass, out=np.zeros(np.broadcast(r, mass).shape), where=mass > 0
    )
    return np.clip((r - step) / n, 0.0, 1.0)


def _both_tails(level: float, shape: tuple) -> np.ndarray:
    """The lower and upper tail probabilities, stacked on a first axis against `shape`."""
    return np.array(_tails(level)).reshape((2,) + (1,) * len(shape))


def binomial_limits(p, n, level: float):
    """(lower, upper) exact binomial limits around proportion p for whole denominators n."""
    n = np.asarray(n)
    if np.any(n < 1):
        raise ValueError("the denominator must be at least 1")
    both = _binomial_quantile(p, n, _both_tails(level, n.shape))  # one scipy call for both
    return _out(both[0]), _out(both[1])


def poisson_limits(expected, level: float):
    """(lower, upper) exact Poisson limits for the ratio O/E at expected count E > 0:
    chi2.ppf(a, 2E) / 2E and chi2.ppf(1 - a, 2(E + 1)) / 2E, with a the lower tail."""
    expected = np.asarray(expected, dtype=float)
    both = chi2.ppf(_both_tails(level, expected.shape), 2 * np.stack([expected, expected + 1]))
    return _out(both[0] / (2 * expected)), _out(both[1] / (2 * expected))


def wilson_limits(p, n, level: float):
    """(lower, upper) PHEindicatormethods' proportion limits around p at denominator n: the
    proportions whose Wilson score interval at this level has an end exactly at p."""
    n = np.asarray(n, dtype=float)
    q = z_for(level) ** 2
    first = p * (n / q + 1)
    last = 1 / q + 1 / n
    adj = np.sqrt(
        64 * p**2 * (n / q + 1) ** 2 - 64 * last * p * (n * (p * (n / q + 2) - 1) + q * (p - 1))
    )
    lower = (first - adj / 8) / last / n
    upper = (first + adj / 8) / last / n
    return _out(np.clip(lower, 0.0, 1.0)), _out(np.clip(upper, 0.0, 1.0))


def proportion_limits_adjusted(p, n, level: float, tau2: float):
    """(lower, upper) limits on the arcsine scale, sin^2(asin(sqrt p) -/+ z sqrt(1/(4n) + tau2)).

    With tau2 = 0 these are FunnelPlotR's unadjusted proportion limits (a normal approximation).
    The angle is kept within [0, pi/2], so a limit stops at 0 or 1 instead of turning back.
    """
    n = np.asarray(n, dtype=float)
    centre = np.arcsin(np.sqrt(p))
    half = z_for(level) * np.sqrt(1 / (4 * n) + tau2)
    lower = np.sin(np.clip(centre - half, 0.0, np.pi / 2)) ** 2
    upper = np.sin(np.clip(centre + half, 0.0, np.pi / 2)) ** 2
    return _out(lower), _out(upper)


def rate_limits_adjusted(expected, level: float, tau2: float):
    """(lower, upper) limits for O/E on the square-root scale, (1 -/+ z sqrt(1/(4E) + tau2))^2.

    The square-root-scale limit is squared back to the ratio scale (FunnelPlotR's "CQC" limits
    are not; its open issue #33). A lower limit whose root would be negative is 0.
    """
    expected = np.asarray(expected, dtype=float)
    half = z_for(level) * np.sqrt(1 / (4 * expected) + tau2)
    return _out(np.maximum(1 - half, 0.0) ** 2), _out((1 + half) ** 2)


def shmi_limits(expected, level: float, tau2: float):
    """(lower, upper) FunnelPlotR's log-scale ("SHMI") limits for O/E, exp(-/+ z sqrt(1/E + tau2)).

    The product does not draw these; they are here to replay the peer's SHMI cases.
    """
    expected = np.asarray(expected, dtype=float)
    half = z_for(level) * np.sqrt(1 / expected + tau2)
    return _out(np.exp(-half)), _out(np.exp(half))


def wilson_interval(numerator: float, denominator: float, level: float = 0.95):
    """Wilson score interval (lower, upper) for one proportion numerator / denominator."""
    if denominator <= 0:
        raise ValueError("the denominator must be positive")
    z = z_for(level)
    phat = numerator / denominator
    z2n = z * z / denominator
    centre = (phat + z2n / 2.0) / (1.0 + z2n)
    half = z / (1.0 + z2n) * np.sqrt(phat * (1 - phat) / denominator + z2n / (4 * denominator))
    return max(0.0, float(centre - half)), min(1.0, float(centre + half))


def poisson_interval(count, level: float = 0.95):
    """Exact (Garwood) interval (lower, upper) for the mean of a Poisson count k:
    chi2.ppf(a/2, 2k) / 2 and chi2.ppf(1 - a/2, 2k + 2) / 2, with lower 0 at k = 0."""
    count = np.asarray(count, dtype=float)
    both = chi2.ppf(_both_tails(level, count.shape), np.stack([2 * count, 2 * count + 2])) / 2
    return _out(np.where(count > 0, both[0], 0.0)), _out(both[1])
