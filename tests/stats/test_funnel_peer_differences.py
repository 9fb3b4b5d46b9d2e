"""Where the product's funnel methods differ from the peers' on the peers' own cases, and by how
much (the reasons are in docs/funnels.md, "Peer reference cases"). Each test states what the
difference is and asserts the pattern the reason predicts, so a change of method shows here."""

import json
import math
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from flightdeck.stats.dispersion import dispersion, rate_z
from flightdeck.stats.funnel import PROPORTION, funnel
from flightdeck.stats.funnel_limits import (
    binomial_limits,
    poisson_limits,
    rate_limits_adjusted,
    shmi_limits,
)

CASES = Path(__file__).parent / "reference_cases"
BANDS = ["Low (0.001)", "Low (0.025)", "Not significant", "High (0.025)", "High (0.001)"]


def _case(name: str) -> dict:
    return json.loads((CASES / f"{name}.json").read_text())


def _checks(case: dict) -> dict:
    return {c["path"]: c for c in case["checks"]}


def test_exact_binomial_and_pheim_wilson_limits_converge_only_at_large_denominators():
    """PHEindicatormethods' proportion limits are where a Wilson score interval ends on the
    target: an approximation to the binomial that is close for large denominators and not for
    small ones. On its 100-row table (target 80.6 %) exact binomial limits reproduce none of
    the rows to the peer's 6 decimal places; they agree within 0.1 percentage points from
    n = 2000, but at n <= 100 they differ by more than 0.05 points (95 %: more than 0.5), and
    by up to 29 points (at n = 3). The exact limits lie below Wilson's at every n here (the
    binomial is skewed at 80 %)."""
    case = _case("phe-prop-funnel-limits")
    args, checks = case["runs"]["t"]["args"], _checks(case)
    target = sum(args["numerator"]) / sum(args["denominator"])
    n = np.asarray(checks["t[*].Population"]["value"])
    for key, level in (("2s", 0.95), ("3s", 0.998)):
        lower, upper = binomial_limits(target, n.astype(int), level)
        wilson_lower = np.asarray(checks[f"t[*].lower_{key}_limit"]["value"]) / 100
        wilson_upper = np.asarray(checks[f"t[*].upper_{key}_limit"]["value"]) / 100
        gap = np.maximum(abs(lower - wilson_lower), abs(upper - wilson_upper)) * 100
        assert (gap > 5e-7).all()  # no row within the peer's tolerance
        assert gap[n >= 2000].max() < 0.1
        assert gap[n <= 100].min() > (0.5 if level == 0.95 else 0.05)
        assert gap.max() > 20
        assert (lower <= wilson_lower).all() and (upper < wilson_upper).all()


def test_exact_binomial_positions_agree_with_pheim_significance_for_every_area():
    """At the 303 areas' own denominators (16,000 to 103,000) the two methods' limits are
    within hundredths of a point, so the product's unadjusted funnel puts every area in the
    peer's band."""
    case = _case("phe-prop-significance")
    args = case["runs"]["s"]["args"]
    rows = pd.DataFrame(
        {"force": args["area"], "numerator": args["numerator"], "denominator": args["denominator"]}
    )
    labels = {
        "above_998": "High (0.001)",
        "above_95": "High (0.025)",
        "below_998": "Low (0.001)",
        "below_95": "Low (0.025)",
        "within": "Not significant",
    }
    result = funnel(rows, measure=PROPORTION, adjust=False)
    assert [labels[p] for p in result.points["position"]] == case["checks"][0]["value"]
    # the areas are overdispersed: with the adjustment on, fewer are flagged
    adjusted = funnel(rows, measure=PROPORTION)
    assert adjusted.adjusted
    assert (adjusted.points["position"] != "within").sum() < (
        result.points["position"] != "within"
    ).sum()


def test_exact_binomial_lower_limit_at_funnelplotr_first_grid_point_is_0():
    """FunnelPlotR's unadjusted proportion limits are the arcsine normal approximation; its
    lookup test asks that the lower 95 % limit at n = 3, p = 0.5 be above 0. The exact
    binomial limit there is 0: F(0) = 1/8, a = (0.125 - 0.025) / 0.125 = 0.8, (0 - 0.8) / 3 < 0."""
    assert binomial_limits(0.5, 3, 0.95)[0] == 0.0


def test_fpr_cqc_relation_rests_on_unsquared_limits():
    """fpr-funnel-plot-relations asserts that at E = 100 the SHMI-formula limit with tau2 = 0,
    100 exp(-1.96 / 10) = 82.2, is below the CQC (square-root) limit with the tau2 of a 5 %
    Winsorised fit. FunnelPlotR draws the CQC limit as 100 (1 - z sqrt(1/(4E) + tau2)), on the
    square-root scale (its open issue #33); squared back to the ratio scale, as the product
    draws it, it is about 81, and the relation reverses."""
    case = _case("fpr-funnel-plot-relations")
    args = case["runs"]["c"]["args"]
    observed = np.asarray(args["numerator"], dtype=float)
    expected = np.asarray(args["denominator"], dtype=float)
    tau2 = dispersion(rate_z(observed, expected), 4 * expected, trim=0.05).tau2
    shmi_lower = 100 * shmi_limits(100.0, 0.95, 0.0)[0]
    unsquared = 100 * (1 - 1.959964 * math.sqrt(1 / 400 + tau2))
    squared = 100 * rate_limits_adjusted(100.0, 0.95, tau2)[0]
    assert shmi_lower == pytest.approx(82.20, abs=0.01)
    assert shmi_lower < unsquared  # the peer's relation
    assert squared < shmi_lower  # the product's
    assert squared == pytest.approx((unsquared / 100) ** 2 * 100)


def test_rate_funnel_positions_and_pheim_ratio_significance_differ_by_a_band_at_the_edges():
    """PHEindicatormethods flags a unit when the exact interval of its observed count excludes
    the expected count E (an exact test of the count). The product's rate funnel draws
    FunnelPlotR's chi-square limits around E, which are the exact interval of a count equal to
    E: they sit one to three events higher than Poisson quantiles of E. So a unit above its
    expected count is flagged a little less readily than by the peer, one below a little more.
    On the peer's 300 units the two agree for all but 13 (287), each a single band apart and in
    that direction; the product's own intervals (`poisson_interval`) reproduce all 300
    (test_funnel_reference_cases.py)."""
    case = _case("phe-ratio-significance")
    args = case["runs"]["s"]["args"]
    peer = case["checks"][0]["value"]
    observed = np.asarray(args["numerator"], dtype=float)
    expected = np.asarray(args["denominator"], dtype=float)
    mine = []
    for o, e in zip(observed, expected, strict=True):
        (lo998, hi998), (lo95, hi95) = poisson_limits(e, 0.998), poisson_limits(e, 0.95)
        ratio = o / e
        band = 2 + (ratio > hi95) + (ratio > hi998) - (ratio < lo95) - (ratio < lo998)
        mine.append(band)
    theirs = [BANDS.index(label) for label in peer]
    differ = [(m, t) for m, t in zip(mine, theirs, strict=True) if m != t]
    assert len(differ) == 13
    # every difference is the funnel's band one step lower: less significant above E, more
    # significant below it, as limits a few events higher predict
    assert all(m == t - 1 for m, t in differ)
