"""Funnel limits and intervals, checked against figures worked out by hand or with plain `math`
(sums of binomial and Poisson terms, bisection), and against published table values; never
against scipy, which the module uses."""

import math

import numpy as np
import pytest

from flightdeck.stats.funnel_limits import (
    binomial_limits,
    poisson_interval,
    poisson_limits,
    proportion_limits_adjusted,
    rate_limits_adjusted,
    shmi_limits,
    wilson_interval,
    wilson_limits,
    z_for,
)

Z95, Z998 = 1.959963984540054, 3.090232306167813  # published normal quantiles 0.975 and 0.999


def exact_binomial_limit(p: float, n: int, q: float) -> float:
    """Spiegelhalter's interpolated binomial quantile, by summing the binomial terms."""
    cumulative = 0.0
    for r in range(n + 1):
        mass = math.comb(n, r) * p**r * (1 - p) ** (n - r)
        cumulative += mass
        if cumulative >= q:
            return max(0.0, (r - (cumulative - q) / mass) / n)
    return 1.0


def poisson_cdf(k: int, mean: float) -> float:
    """P(X <= k) for X ~ Poisson(mean), summed term by term."""
    term, total = math.exp(-mean), 0.0
    for j in range(k + 1):
        total += term
        term *= mean / (j + 1)
    return total


def bisect(f, low: float, high: float) -> float:
    """The root of a monotone f between low and high."""
    f_low = f(low)
    for _ in range(200):
        middle = (low + high) / 2
        if (f(middle) > 0) == (f_low > 0):
            low, f_low = middle, f(middle)
        else:
            high = middle
    return (low + high) / 2


def test_z_for_is_the_exact_normal_quantile():
    assert z_for(0.95) == pytest.approx(Z95, abs=1e-12)
    assert z_for(0.998) == pytest.approx(Z998, abs=1e-12)
    assert z_for(0.95) != 1.959964  # not FunnelPlotR's rounded constant


def test_upper_95_limit_for_n4_p04_by_hand():
    # Binomial(4, 0.4) cumulative: 0.1296, 0.4752, 0.8208, 0.9744, 1.
    # q = 0.975: first r with F(r) >= q is 4; a = (1 - 0.975) / P(4) = 0.025 / 0.0256.
    # limit = (4 - 0.9765625) / 4 = 0.755859375
    lower, upper = binomial_limits(0.4, 4, 0.95)
    assert upper == pytest.approx(0.755859375)
    # q = 0.025: r = 0 (F(0) = 0.1296); a = (0.1296 - 0.025) / 0.1296; (0 - a) / 4 < 0 -> 0
    assert lower == 0.0


def test_limits_for_n10_p05_by_hand():
    # Binomial(10, 0.5) cumulative x 1024: 1, 11, 56, 176, 386, 638, 848, 968, 1013, 1023, 1024.
    # Upper 95 %: q*1024 = 998.4 -> r = 8, a = (1013 - 998.4) / 45 -> (8 - a) / 10
    lower95, upper95 = binomial_limits(0.5, 10, 0.95)
    assert upper95 == pytest.approx((8 - 14.6 / 45) / 10)
    # Lower 95 %: q*1024 = 25.6 -> r = 2, a = (56 - 25.6) / 45
    assert lower95 == pytest.approx((2 - 30.4 / 45) / 10)
    # 99.8 %: q*1024 = 1022.976 -> r = 9, a = 0.024 / 10 -> 0.89976; q*1024 = 1.024 -> r = 1,
    # a = (11 - 1.024) / 10 -> (1 - 0.9976) / 10 = 0.00024
    lower998, upper998 = binomial_limits(0.5, 10, 0.998)
    assert upper998 == pytest.approx(0.89976)
    assert lower998 == pytest.approx(0.00024)


def test_a_cumulative_probability_that_hits_q_exactly_needs_no_interpolation():
    # Binomial(2, 0.5): F(0) = 0.25 exactly, so the 0.25-quantile is 0 with a = 0.
    # At level 0.5 the tails are 0.25 and 0.75; F(1) = 0.75 exactly -> 1/2.
    assert binomial_limits(0.5, 2, 0.5) == pytest.approx((0.0, 0.5))


@pytest.mark.parametrize("n", [40, 300, 900])
@pytest.mark.parametrize("level", [0.95, 0.998])
def test_binomial_limits_match_sums_of_binomial_terms(n, level):
    p = 371 / 3855  # the pooled charge rate of the worked example in test_dispersion.py
    tail = (1 - level) / 2
    lower, upper = binomial_limits(p, n, level)
    assert lower == pytest.approx(exact_binomial_limit(p, n, tail), abs=1e-12)
    assert upper == pytest.approx(exact_binomial_limit(p, n, 1 - tail), abs=1e-12)


def test_binomial_limits_take_arrays_and_narrow_as_volume_grows():
    lower, upper = binomial_limits(0.3, np.array([20, 80, 320, 1280]), 0.95)
    spans = upper - lower
    assert list(spans) == sorted(spans, reverse=True)
    assert spans[-1] < spans[0] / 4
    assert upper[1] == pytest.approx(exact_binomial_limit(0.3, 80, 0.975), abs=1e-12)


def test_binomial_limits_refuse_an_empty_denominator():
    with pytest.raises(ValueError):
        binomial_limits(0.3, 0, 0.95)


@pytest.mark.parametrize("expected", [5, 15, 20, 30, 120])
@pytest.mark.parametrize("level", [0.95, 0.998])
def test_poisson_limits_by_bisection_on_the_poisson_cdf(expected, level):
    # chi2.ppf(a, 2E) / 2 is the mean m with P(X >= E | m) = a, and chi2.ppf(1 - a, 2(E + 1)) / 2
    # the mean with P(X <= E | m) = a (the chi-square / Poisson identity, for whole E).
    a = (1 - level) / 2
    low_mean = bisect(lambda m: (1 - poisson_cdf(expected - 1, m)) - a, 1e-9, 5 * expected + 50)
    high_mean = bisect(lambda m: poisson_cdf(expected, m) - a, 1e-9, 5 * expected + 50)
    lower, upper = poisson_limits(expected, level)
    assert lower == pytest.approx(low_mean / expected, rel=1e-9)
    assert upper == pytest.approx(high_mean / expected, rel=1e-9)


def test_poisson_limits_between_whole_expected_counts_lie_between_them():
    lower, upper = poisson_limits(np.array([15.0, 15.5, 16.0]), 0.95)
    assert lower[0] < lower[1] < lower[2]
    assert upper[0] > upper[1] > upper[2]


@pytest.mark.parametrize(
    ("count", "published"),
    # Exact Poisson 95 % limits for a count, as printed in standard tables (e.g. Ulm 1990).
    [(0, (0.0, 3.689)), (1, (0.0253, 5.572)), (5, (1.623, 11.668)), (10, (4.795, 18.390))],
)
def test_poisson_interval_matches_published_tables(count, published):
    lower, upper = poisson_interval(count)
    assert lower == pytest.approx(published[0], abs=6e-4)
    assert upper == pytest.approx(published[1], abs=6e-4)


@pytest.mark.parametrize("count", [1, 7, 40])
def test_poisson_interval_by_bisection(count):
    a = 0.002 / 2
    low = bisect(lambda m: (1 - poisson_cdf(count - 1, m)) - a, 1e-9, 10 * count + 50)
    high = bisect(lambda m: poisson_cdf(count, m) - a, 1e-9, 10 * count + 50)
    assert poisson_interval(count, 0.998) == pytest.approx((low, high), rel=1e-9)


def test_wilson_interval_by_hand():
    # 3 of 10 at 95 %: z^2/n = 0.384146; centre = (0.3 + 0.192073) / 1.384146
    z2n = Z95 * Z95 / 10
    centre = (0.3 + z2n / 2) / (1 + z2n)
    half = Z95 / (1 + z2n) * math.sqrt(0.3 * 0.7 / 10 + z2n / 40)
    lower, upper = wilson_interval(3, 10)
    assert lower == pytest.approx(centre - half)
    assert upper == pytest.approx(centre + half)
    assert lower == pytest.approx(0.1078, abs=1e-4)
    assert upper == pytest.approx(0.6032, abs=1e-4)


def test_wilson_interval_at_zero_stays_in_range():
    lower, upper = wilson_interval(0, 20)
    assert lower == 0.0
    assert 0 < upper < 0.2


def hand_wilson(phat: float, n: float, z: float) -> tuple[float, float]:
    z2n = z * z / n
    centre = (phat + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(phat * (1 - phat) / n + z2n / (4 * n))
    return centre - half, centre + half


@pytest.mark.parametrize("n", [50, 400, 5000])
def test_wilson_limits_are_where_a_wilson_interval_ends_on_the_target(n):
    p = 0.12
    for level, z in ((0.95, Z95), (0.998, Z998)):
        lower, upper = wilson_limits(p, n, level)
        if lower == 0.0:  # clipped: even 0 of n has an interval reaching above p
            assert hand_wilson(0.0, n, z)[1] > p
        else:
            assert hand_wilson(lower, n, z)[1] == pytest.approx(p, abs=1e-12)
        assert hand_wilson(upper, n, z)[0] == pytest.approx(p, abs=1e-12)
    assert wilson_limits(p, 50, 0.998)[0] == 0.0  # the clipped case is exercised


def test_adjusted_proportion_limits_by_hand():
    # p = 0.1, n = 100, tau2 = 0.002: asin(sqrt 0.1) = 0.321751; 1.96 * sqrt(1/400 + 0.002)
    # = 0.131478; sin^2(0.190273) = 0.035769 and sin^2(0.453229) = 0.191731
    centre = math.asin(math.sqrt(0.1))
    half = Z95 * math.sqrt(1 / 400 + 0.002)
    lower, upper = proportion_limits_adjusted(0.1, 100, 0.95, 0.002)
    assert lower == pytest.approx(math.sin(centre - half) ** 2)
    assert upper == pytest.approx(math.sin(centre + half) ** 2)
    assert (lower, upper) == pytest.approx((0.035769, 0.191731), abs=1e-6)
    # tau2 = 0 is FunnelPlotR's unadjusted arcsine limit, narrower
    plain = proportion_limits_adjusted(0.1, 100, 0.95, 0.0)
    assert lower < plain[0] < plain[1] < upper


def test_adjusted_proportion_limits_stop_at_0_and_1_instead_of_turning_back():
    # p = 0.05 at n = 10: the angle asin(sqrt 0.05) - 3.09 * sqrt(1/40 + 0.05) is negative, so
    # sin^2 of it would rise again; the limit is 0. Near p = 1 the upper limit stops at 1.
    lower, _ = proportion_limits_adjusted(0.05, 10, 0.998, 0.05)
    assert lower == 0.0
    lowers, _ = proportion_limits_adjusted(0.05, np.array([2, 5, 10, 40]), 0.998, 0.05)
    assert list(lowers) == sorted(lowers)  # never falls as n grows
    _, upper = proportion_limits_adjusted(0.97, 10, 0.998, 0.05)
    assert upper == 1.0


def test_adjusted_rate_limits_by_hand():
    # E = 400, tau2 = 0.003: 1.96 * sqrt(1/1600 + 0.003) = 0.118006; 0.881994^2 = 0.777914 and
    # 1.118006^2 = 1.249937
    half = Z95 * math.sqrt(1 / 1600 + 0.003)
    lower, upper = rate_limits_adjusted(400, 0.95, 0.003)
    assert lower == pytest.approx((1 - half) ** 2)
    assert upper == pytest.approx((1 + half) ** 2)
    assert (lower, upper) == pytest.approx((0.777914, 1.249937), abs=1e-6)


def test_adjusted_rate_limits_are_squared_back_to_the_ratio_scale():
    # At tau2 = 0 the square-root-scale limits, squared, are close to the exact Poisson ones
    # (E = 100: 0.8136 and 1.2056 against 0.8136 and 1.2163); left unsquared
    # (1 -/+ 1.96/20 = 0.902, 1.098) they would be half as far from 1.
    lower, upper = rate_limits_adjusted(100, 0.95, 0.0)
    exact = poisson_limits(100, 0.95)
    assert lower == pytest.approx(exact[0], abs=2e-3)
    assert upper == pytest.approx(exact[1], abs=2e-2)
    assert 1 - lower > 1.9 * (Z95 / 20)


def test_adjusted_rate_lower_limit_is_0_when_its_root_would_be_negative():
    # E = 1, tau2 = 0.5: 3.09 * sqrt(0.25 + 0.5) = 2.68 > 1
    lower, upper = rate_limits_adjusted(1, 0.998, 0.5)
    assert lower == 0.0
    assert upper == pytest.approx((1 + Z998 * math.sqrt(0.75)) ** 2)


def test_shmi_limits_by_hand():
    lower, upper = shmi_limits(100, 0.95, 0.02)
    half = Z95 * math.sqrt(1 / 100 + 0.02)
    assert (lower, upper) == pytest.approx((math.exp(-half), math.exp(half)))
