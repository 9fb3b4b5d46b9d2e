"""Funnel limits and Wilson intervals, checked against figures worked out by hand."""

import math

import pandas as pd
import pytest

from flightdeck.stats.funnel import (
    binomial_pmf,
    control_limits,
    describe_position,
    funnel,
    wilson_interval,
)


def test_pmf_matches_the_binomial_formula():
    # Binomial(4, 0.4): P(2) = 6 * 0.16 * 0.36 = 0.3456
    assert binomial_pmf(2, 4, 0.4) == pytest.approx(0.3456)
    assert binomial_pmf(5, 4, 0.4) == 0.0


def test_upper_95_limit_for_n4_p04_by_hand():
    # Binomial(4, 0.4) cumulative: 0.1296, 0.4752, 0.8208, 0.9744, 1.
    # q = 0.975: first r with F(r) >= q is 4; a = (1 - 0.975) / P(4) = 0.025 / 0.0256.
    # limit = (4 - 0.9765625) / 4 = 0.755859375
    lower, upper = control_limits(0.4, 4, 0.95)
    assert upper == pytest.approx(0.755859375)
    # q = 0.025: r = 0 (F(0) = 0.1296); a = (0.1296 - 0.025) / 0.1296; limit = (0 - a)/4 < 0 -> 0
    assert lower == 0.0


def test_limits_for_n10_p05_by_hand():
    # Binomial(10, 0.5) cumulative x 1024: 1, 11, 56, 176, 386, 638, 848, 968, 1013, 1023, 1024.
    # Upper 95 %: q*1024 = 998.4 -> r = 8, a = (1013 - 998.4) / 45 -> (8 - a) / 10
    lower95, upper95 = control_limits(0.5, 10, 0.95)
    assert upper95 == pytest.approx((8 - 14.6 / 45) / 10)
    # Lower 95 %: q*1024 = 25.6 -> r = 2, a = (56 - 25.6) / 45
    assert lower95 == pytest.approx((2 - 30.4 / 45) / 10)
    # Upper 99.8 %: q*1024 = 1022.976 -> r = 9, a = (1023 - 1022.976) / 10 = 0.0024 -> 0.89976
    _, upper998 = control_limits(0.5, 10, 0.998)
    assert upper998 == pytest.approx(0.89976)


def test_limits_narrow_as_volume_grows():
    widths = [control_limits(0.3, n, 0.95) for n in (20, 80, 320, 1280)]
    spans = [hi - lo for lo, hi in widths]
    assert spans == sorted(spans, reverse=True)
    assert spans[-1] < spans[0] / 4


def test_force_just_inside_the_95_limit():
    # Group rate (3 + 37) / (4 + 96) = 0.4; Northmoor's 3 of 4 = 0.75 is just under 0.7559.
    frame = pd.DataFrame({"force": ["north", "east"], "numerator": [3, 37], "denominator": [4, 96]})
    result = funnel(frame)
    assert result.group_rate == pytest.approx(0.4)
    north = result.points.set_index("force").loc["north"]
    assert north["upper_95"] == pytest.approx(0.755859375)
    assert north["rate"] == 0.75
    assert north["position"] == "within"


def test_force_just_outside_the_998_limit():
    # Group rate (9 + 41) / (10 + 90) = 0.5; 9 of 10 = 0.9 is just above 0.89976.
    frame = pd.DataFrame({"force": ["east", "west"], "numerator": [9, 41], "denominator": [10, 90]})
    result = funnel(frame)
    east = result.points.set_index("force").loc["east"]
    assert east["upper_998"] == pytest.approx(0.89976)
    assert east["position"] == "above_998"
    assert "west" in set(result.points["force"])


def test_force_between_the_95_and_998_limits():
    # 8 of 10 at group rate 0.5: above the 95 % limit 0.7676 but below the 99.8 % one 0.89976.
    frame = pd.DataFrame({"force": ["a", "b"], "numerator": [8, 42], "denominator": [10, 90]})
    assert funnel(frame).points.set_index("force").loc["a", "position"] == "above_95"


def test_curve_spans_the_denominators_and_stays_ordered():
    frame = pd.DataFrame({"force": ["a", "b"], "numerator": [30, 70], "denominator": [100, 300]})
    curve = funnel(frame).curve
    assert curve["denominator"].min() == 50  # half the smallest volume
    assert curve["denominator"].max() == 450  # one and a half times the largest
    assert (curve["lower_998"] <= curve["lower_95"]).all()
    assert (curve["upper_95"] <= curve["upper_998"]).all()


def test_wilson_interval_by_hand():
    # 3 of 10 at 95 %: z = 1.959964, z^2/n = 0.384146; centre = (0.3 + 0.192073) / 1.384146
    z = 1.959963984540054
    z2n = z * z / 10
    centre = (0.3 + z2n / 2) / (1 + z2n)
    half = z / (1 + z2n) * math.sqrt(0.3 * 0.7 / 10 + z2n / 40)
    lower, upper = wilson_interval(3, 10)
    assert lower == pytest.approx(centre - half)
    assert upper == pytest.approx(centre + half)
    assert lower == pytest.approx(0.1078, abs=1e-4)
    assert upper == pytest.approx(0.6032, abs=1e-4)


def test_wilson_interval_at_zero_stays_in_range():
    lower, upper = wilson_interval(0, 20)
    assert lower == 0.0
    assert 0 < upper < 0.2


def test_sentences_say_better_or_worse_by_direction():
    assert describe_position("Eastvale", "within", "up") is None
    sentence = describe_position("Eastvale", "above_998", "up")
    assert sentence == (
        "Eastvale is above the 99.8 % limit (better than the group): a real difference, not chance."
    )
    assert "worse than the group" in describe_position("Eastvale", "above_95", "down")
