"""Overdispersion of forces around a funnel's target (pure, vectorised).

Forces often vary more than chance alone allows (case mix, recording practice), and plain funnel
limits then flag too many of them. Following Spiegelhalter (Statistics in Medicine 2005;
24:1185-1202, and Quality and Safety in Health Care 2005; 14:347-351), as FunnelPlotR does:

1. each force gets a z-score on a variance-stabilising scale: arcsine for proportions,
   square root for rates (within-force standard error s, weight w = 1/s^2);
2. the z-scores are Winsorised: those below the 10th percentile are set to it, those above the
   90th to that (the count of forces is unchanged), so outliers do not inflate the estimate;
3. the dispersion factor phi is the mean squared Winsorised z. With no overdispersion n.phi is
   roughly chi-square on n - 1 degrees of freedom, which gives the test's p-value;
4. the between-force variance tau2 is DerSimonian and Laird's moment estimate,
   (n.phi - (n - 1)) / (sum w - sum w^2 / sum w), and 0 when n.phi <= n - 1.
"""

from dataclasses import dataclass

import numpy as np
from scipy.stats import chi2, rankdata

MIN_FORCES_FOR_ADJUSTMENT = 10  # with fewer, tau2 cannot be estimated well enough to widen limits
SIGNIFICANCE = 0.05


def proportion_z(numerator, denominator, target: float):
    """z-scores on the arcsine scale: (asin sqrt(O/n) - asin sqrt(target)) / s, s = 1/(2 sqrt n)."""
    numerator = np.asarray(numerator, dtype=float)
    denominator = np.asarray(denominator, dtype=float)
    observed = np.arcsin(np.sqrt(numerator / denominator))
    return (observed - np.arcsin(np.sqrt(target))) * 2 * np.sqrt(denominator)


def rate_z(observed, expected):
    """z-scores on the square-root scale: (sqrt(O/E) - 1) / s with s = 1/(2 sqrt E),
    which is 2 (sqrt O - sqrt E)."""
    return 2 * (np.sqrt(np.asarray(observed, dtype=float)) - np.sqrt(np.asarray(expected, float)))


def shmi_z(observed, expected):
    """FunnelPlotR's log-scale ("SHMI") z-scores, sqrt(E) log(O/E); only to replay its cases."""
    expected = np.asarray(expected, dtype=float)
    return np.sqrt(expected) * np.log(np.asarray(observed, dtype=float) / expected)


def winsorise(z, trim: float = 0.1):
    """z with values below the `trim` quantile set to it and values above the 1 - `trim` quantile
    set to that (linear interpolation between order statistics, R's type 7). Nothing is
    dropped: the result has as many values as z."""
    z = np.asarray(z, dtype=float)
    low, high = np.quantile(z, [trim, 1 - trim])
    return np.clip(z, low, high)


def shmi_kept(z, trim: float = 0.1):
    """Which z-scores FunnelPlotR's SHMI truncation keeps (True) instead of Winsorising: with
    k = 1/trim groups by rank (ties averaged), those in the lowest and highest group are
    dropped."""
    z = np.asarray(z, dtype=float)
    groups = round(1 / trim)
    band = np.floor(rankdata(z) * groups / (len(z) + 1))
    return (band > 0) & (band < groups - 1)


@dataclass(frozen=True)
class Dispersion:
    """The overdispersion test for one funnel."""

    phi: float  # mean squared Winsorised z-score; about 1 when forces vary by chance alone
    tau2: float  # between-force variance on the z-scores' scale; 0 when n.phi <= n - 1
    forces: int  # forces whose z-scores were used
    p_value: float  # P(chi-square on n - 1 df >= n.phi)
    enough_forces: bool  # forces >= the minimum for an adjustment

    @property
    def present(self) -> bool:
        """Overdispersion shown, with enough forces to estimate it: adjust the limits."""
        return self.enough_forces and self.p_value < SIGNIFICANCE and self.tau2 > 0


def _dispersion(z, weights, min_forces: int) -> Dispersion:
    n = len(z)
    if n == 0:
        raise ValueError("no z-scores to test")
    weights = np.asarray(weights, dtype=float)
    phi = float(np.sum(z**2) / n)
    total = float(np.sum(weights))
    spread = total - float(np.sum(weights**2)) / total if n > 1 and total > 0 else 0.0
    excess = n * phi - (n - 1)
    tau2 = max(0.0, excess / spread) if excess > 0 and spread > 0 else 0.0
    p_value = float(chi2.sf(n * phi, n - 1)) if n > 1 else 1.0
    return Dispersion(phi, tau2, n, p_value, n >= min_forces)


def dispersion(
    z, weights, trim: float = 0.1, min_forces: int = MIN_FORCES_FOR_ADJUSTMENT
) -> Dispersion:
    """The dispersion test from z-scores and the forces' weights w = 1/s^2 (4n for proportions,
    4E for rates), Winsorising `trim` at each end."""
    return _dispersion(winsorise(z, trim), weights, min_forces)


def shmi_dispersion(
    z, weights, trim: float = 0.1, min_forces: int = MIN_FORCES_FOR_ADJUSTMENT
) -> Dispersion:
    """FunnelPlotR's SHMI variant: truncation (`shmi_kept`) instead of Winsorising, so phi, tau2
    and the count use only the forces kept. Weights are E for `shmi_z`."""
    z = np.asarray(z, dtype=float)
    kept = shmi_kept(z, trim)
    return _dispersion(z[kept], np.asarray(weights, dtype=float)[kept], min_forces)
