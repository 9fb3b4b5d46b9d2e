"""The overdispersion test and the adjusted limits, worked out step by step with plain `math`
for a small set of forces (Spiegelhalter 2005; FunnelPlotR's od_adjustment.R), and the details
no peer test pins down: Winsorising clamps rather than trims, tau2 is 0 when n.phi <= n - 1,
too few forces are never adjusted, the switch turns the adjustment off but not the test.
"""

import math

import numpy as np
import pandas as pd
import pytest

from flightdeck.stats.dispersion import (
    MIN_FORCES_FOR_ADJUSTMENT,
    dispersion,
    proportion_z,
    rate_z,
    shmi_dispersion,
    shmi_kept,
    shmi_z,
    winsorise,
)
from flightdeck.stats.funnel import PROPORTION, RATE, funnel
from flightdeck.stats.funnel_limits import proportion_limits_adjusted, rate_limits_adjusted

Z95, Z998 = 1.959963984540054, 3.090232306167813

# Twelve forces' rape investigations with a charge or summons outcome in a year: denominators
# from 40 to 900; two forces (K high, L low) stand out and the rest scatter more than chance.
FORCES = list("ABCDEFGHIJKL")
CRIMES = [40, 65, 90, 120, 150, 210, 260, 340, 420, 560, 700, 900]
CHARGED = [2, 10, 5, 17, 9, 28, 16, 46, 27, 47, 119, 45]
CHARGE_RATES = pd.DataFrame({"force": FORCES, "numerator": CHARGED, "denominator": CRIMES})


def chi2_sf_odd(x: float, df: int) -> float:
    """P(chi-square on an odd df >= x) (Abramowitz and Stegun 26.4.4):
    erfc(sqrt(x/2)) + sqrt(2x/pi) e^(-x/2) sum_{j<(df-1)/2} x^j / (1.3.5...(2j+1))."""
    total, term = 0.0, 1.0
    for j in range((df - 1) // 2):
        term = 1.0 if j == 0 else term * x / (2 * j + 1)
        total += term
    return math.erfc(math.sqrt(x / 2)) + math.sqrt(2 * x / math.pi) * math.exp(-x / 2) * total


def test_the_odd_df_chi_square_tail_matches_published_critical_values():
    # chi-square tables: 11 df, upper 5 % point 19.675, upper 1 % point 24.725; 5 df, 11.070.
    assert chi2_sf_odd(19.675, 11) == pytest.approx(0.05, abs=1e-4)
    assert chi2_sf_odd(24.725, 11) == pytest.approx(0.01, abs=1e-4)
    assert chi2_sf_odd(11.070, 5) == pytest.approx(0.05, abs=1e-4)


def hand_worked_charge_rates() -> dict:
    n = len(CRIMES)
    target = sum(CHARGED) / sum(CRIMES)  # 371 / 3855 = 0.096239
    # 1. arcsine z-scores, s = 1 / (2 sqrt n)
    z = [
        (math.asin(math.sqrt(o / d)) - math.asin(math.sqrt(target))) * 2 * math.sqrt(d)
        for o, d in zip(CHARGED, CRIMES, strict=True)
    ]
    # 2. the 10 % and 90 % points (R's type 7): in the sorted list (0-based), h = (n - 1) p,
    #    so h = 11 x 0.1 = 1.1 and 11 x 0.9 = 9.9, interpolated between neighbours
    ordered = sorted(z)
    low = ordered[1] + 0.1 * (ordered[2] - ordered[1])
    high = ordered[9] + 0.9 * (ordered[10] - ordered[9])
    winsorised = [min(max(v, low), high) for v in z]
    # 3. phi and its chi-square test on n - 1 = 11 df
    phi = sum(v * v for v in winsorised) / n
    p_value = chi2_sf_odd(n * phi, n - 1)
    # 4. DerSimonian-Laird tau2 with weights w = 1/s^2 = 4n
    w = [4 * d for d in CRIMES]
    tau2 = (n * phi - (n - 1)) / (sum(w) - sum(x * x for x in w) / sum(w))
    return dict(
        target=target, z=z, low=low, high=high, winsorised=winsorised, phi=phi, p=p_value, tau2=tau2
    )


HAND = hand_worked_charge_rates()


def test_arcsine_z_scores_by_hand():
    got = proportion_z(CHARGED, CRIMES, HAND["target"])
    assert got == pytest.approx(HAND["z"], abs=1e-12)
    # K: 119 of 700 = 17 %; (asin(sqrt 0.17) - asin(sqrt 0.096239)) x 2 sqrt 700 = 5.797
    assert got[10] == pytest.approx(5.7974, abs=1e-4)


def test_winsorising_at_the_10_and_90_percent_points_by_hand():
    got = winsorise(HAND["z"])
    assert got == pytest.approx(HAND["winsorised"], abs=1e-12)
    assert (HAND["low"], HAND["high"]) == pytest.approx((-2.3883, 2.2017), abs=1e-4)
    # K and L are pulled in to the 90 % and 10 % points; the others keep their z
    assert got[10] == pytest.approx(HAND["high"]) and got[11] == pytest.approx(HAND["low"])


def test_phi_p_value_and_tau2_by_hand():
    found = dispersion(proportion_z(CHARGED, CRIMES, HAND["target"]), 4 * np.array(CRIMES))
    assert found.phi == pytest.approx(HAND["phi"], rel=1e-12)
    assert found.p_value == pytest.approx(HAND["p"], rel=1e-9)
    assert found.tau2 == pytest.approx(HAND["tau2"], rel=1e-12)
    # the hand steps give phi = 3.3305 (n.phi = 39.97 on 11 df, p = 0.000036), tau2 = 0.0021822
    assert (found.phi, found.tau2) == pytest.approx((3.3305, 0.0021822), rel=1e-4)
    assert found.p_value == pytest.approx(3.6255e-5, rel=1e-4)
    assert found.forces == 12 and found.enough_forces and found.present


@pytest.mark.parametrize("n", [100, 800])
def test_adjusted_limits_at_two_denominators_by_hand(n):
    centre = math.asin(math.sqrt(HAND["target"]))
    for level, z in ((0.95, Z95), (0.998, Z998)):
        half = z * math.sqrt(1 / (4 * n) + HAND["tau2"])
        lower, upper = proportion_limits_adjusted(HAND["target"], n, level, HAND["tau2"])
        assert lower == pytest.approx(math.sin(centre - half) ** 2, rel=1e-12)
        assert upper == pytest.approx(math.sin(centre + half) ** 2, rel=1e-12)


def test_the_funnel_draws_the_adjusted_limits_and_says_so():
    result = funnel(CHARGE_RATES)
    assert result.target == pytest.approx(HAND["target"])
    assert result.adjusted and result.adjustment_requested
    assert result.method == "random-effects adjusted (arcsine scale)"
    points = result.points.set_index("force")
    centre = math.asin(math.sqrt(HAND["target"]))
    half = Z95 * math.sqrt(1 / (4 * 340) + HAND["tau2"])
    assert points.loc["H", "upper_95"] == pytest.approx(math.sin(centre + half) ** 2)
    # unadjusted, H (46 of 340) and I (27 of 420) are beyond the 95 % limits and K and L beyond
    # the 99.8 % ones; adjusted, only K stays outside (above the 95 % limit)
    plain = funnel(CHARGE_RATES, adjust=False).points.set_index("force")["position"]
    assert plain[["H", "I", "K", "L"]].tolist() == [
        "above_95",
        "below_95",
        "above_998",
        "below_998",
    ]
    outside = points[points["position"] != "within"]["position"]
    assert outside.to_dict() == {"K": "above_95"}


def test_the_switch_turns_the_adjustment_off_but_still_reports_the_test():
    result = funnel(CHARGE_RATES, adjust=False)
    assert not result.adjusted and not result.adjustment_requested
    assert result.method == "exact binomial"
    assert result.dispersion.present
    assert result.dispersion.phi == pytest.approx(HAND["phi"])
    assert result.dispersion.tau2 == pytest.approx(HAND["tau2"])


def test_fewer_than_the_minimum_forces_are_never_adjusted_even_when_phi_is_large():
    few = CHARGE_RATES.iloc[2:]  # 10 forces
    assert funnel(few).adjusted
    assert MIN_FORCES_FOR_ADJUSTMENT == 10
    nine = CHARGE_RATES.iloc[3:]
    result = funnel(nine)
    assert result.dispersion.phi > 2 and result.dispersion.tau2 > 0
    assert not result.dispersion.enough_forces and not result.dispersion.present
    assert not result.adjusted and result.method == "exact binomial"
    assert funnel(nine, min_forces=9).adjusted


def test_winsorising_clamps_rather_than_trims():
    z = [-9.0, -1.0, -0.5, 0.0, 0.2, 0.4, 0.6, 1.0, 1.5, 2.0, 12.0]
    got = winsorise(z)
    assert len(got) == len(z)  # nothing dropped
    # 11 values: the 10 % and 90 % points are the 2nd and 10th sorted values, -1.0 and 2.0
    assert got[0] == -1.0 and got[-1] == 2.0
    assert list(got[1:-1]) == z[1:-1]
    # so phi counts all 11 forces, and a trimmed phi (9 forces) would differ
    assert dispersion(z, [40.0] * 11).forces == 11


def test_tau2_is_0_when_n_phi_is_below_n_minus_1():
    z = [-0.9, -0.6, -0.3, -0.1, 0.0, 0.1, 0.2, 0.4, 0.7, 0.8, 1.0, -1.0]
    found = dispersion(z, [400.0] * 12)
    assert 12 * found.phi < 11
    assert found.tau2 == 0.0
    assert not found.present
    assert found.p_value > 0.5


def test_a_significant_test_with_too_few_forces_is_not_present():
    found = dispersion([-5.0, -3.0, 0.0, 3.0, 5.0], [400.0] * 5, min_forces=10)
    assert found.p_value < 0.05 and found.tau2 > 0
    assert not found.present


# Six forces' RASSO crimes per person of population (hundreds of thousands to two million).
POPULATION = [520_000, 1_150_000, 870_000, 1_980_000, 1_040_000, 1_600_000]
RECORDED = [480, 1310, 760, 2150, 990, 1620]


def test_square_root_z_phi_and_tau2_for_rates_by_hand():
    target = sum(RECORDED) / sum(POPULATION)  # 7310 / 7,160,000 = 0.00102095 a person
    expected = [target * p for p in POPULATION]
    z = [2 * (math.sqrt(o) - math.sqrt(e)) for o, e in zip(RECORDED, expected, strict=True)]
    # 6 forces: h = 5 x 0.1 = 0.5 and 5 x 0.9 = 4.5
    ordered = sorted(z)
    low = ordered[0] + 0.5 * (ordered[1] - ordered[0])
    high = ordered[4] + 0.5 * (ordered[5] - ordered[4])
    winsorised = [min(max(v, low), high) for v in z]
    phi = sum(v * v for v in winsorised) / 6
    w = [4 * e for e in expected]
    tau2 = max(0.0, (6 * phi - 5) / (sum(w) - sum(x * x for x in w) / sum(w)))

    assert rate_z(RECORDED, expected) == pytest.approx(z, abs=1e-12)
    found = dispersion(z, w)
    assert found.phi == pytest.approx(phi, rel=1e-12)
    assert found.tau2 == pytest.approx(tau2, rel=1e-12)
    assert found.p_value == pytest.approx(chi2_sf_odd(6 * phi, 5), rel=1e-9)
    assert found.phi > 1 and tau2 > 0  # overdispersed, but only six forces
    assert not found.enough_forces

    for population in (600_000, 1_800_000):
        e = target * population
        half = Z95 * math.sqrt(1 / (4 * e) + tau2)
        lower, upper = rate_limits_adjusted(e, 0.95, tau2)
        assert target * lower == pytest.approx(target * (1 - half) ** 2, rel=1e-12)
        assert target * upper == pytest.approx(target * (1 + half) ** 2, rel=1e-12)

    result = funnel(
        pd.DataFrame({"force": list("UVWXYZ"), "numerator": RECORDED, "denominator": POPULATION}),
        measure=RATE,
    )
    assert result.target == pytest.approx(target)
    assert result.dispersion.tau2 == pytest.approx(tau2)
    assert not result.adjusted and result.method == "exact Poisson"


def test_shmi_truncation_drops_the_lowest_and_highest_tenth_by_rank():
    # 20 forces: sp = floor(rank x 10 / 21) is 0 for ranks 1-2 and 9 for rank 19-20
    z = np.arange(20, dtype=float)
    kept = shmi_kept(z)
    assert kept.tolist() == [False, False] + [True] * 16 + [False, False]
    # with 6 forces none is dropped (floor(rank x 10 / 7) runs from 1 to 8)
    assert shmi_kept(np.arange(6.0)).all()


def test_shmi_phi_uses_only_the_kept_forces():
    observed = np.arange(100.0, 120.0) + np.array([-30, 25] * 10)
    expected = np.full(20, 110.0)
    z = shmi_z(observed, expected)
    found = shmi_dispersion(z, expected)
    kept = shmi_kept(z)
    assert found.forces == 16
    assert found.phi == pytest.approx(float(np.mean(z[kept] ** 2)))


def test_proportion_measure_is_the_default():
    assert funnel(CHARGE_RATES).measure == PROPORTION
