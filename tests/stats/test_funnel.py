"""The funnel builder: the pooled target, each force's limits and position, the curve, the two
measures, the inputs it refuses. Limits are checked against figures worked out by hand or
published (the formulas themselves are checked in test_funnel_limits.py)."""

import pandas as pd
import pytest

from flightdeck.stats.funnel import PROPORTION, RATE, funnel, position


def frame(numerators, denominators, forces=None) -> pd.DataFrame:
    forces = forces or [f"force{i}" for i in range(len(numerators))]
    return pd.DataFrame({"force": forces, "numerator": numerators, "denominator": denominators})


def test_force_just_inside_the_95_limit():
    # Group rate (3 + 37) / (4 + 96) = 0.4; north's 3 of 4 = 0.75 is just under 0.7559
    # (Binomial(4, 0.4): a = 0.025 / 0.0256, (4 - a) / 4 = 0.755859375).
    result = funnel(frame([3, 37], [4, 96], ["north", "east"]))
    assert result.target == pytest.approx(0.4)
    north = result.points.set_index("force").loc["north"]
    assert north["upper_95"] == pytest.approx(0.755859375)
    assert north["value"] == 0.75
    assert north["position"] == "within"


def test_force_just_outside_the_998_limit():
    # Group rate (9 + 41) / (10 + 90) = 0.5; 9 of 10 = 0.9 is just above 0.89976.
    result = funnel(frame([9, 41], [10, 90], ["east", "west"]))
    east = result.points.set_index("force").loc["east"]
    assert east["upper_998"] == pytest.approx(0.89976)
    assert east["position"] == "above_998"


def test_force_between_the_95_and_998_limits():
    # 8 of 10 at group rate 0.5: above the 95 % limit 0.7676 but below the 99.8 % one 0.89976.
    result = funnel(frame([8, 42], [10, 90], ["a", "b"]))
    assert result.points.set_index("force").loc["a", "position"] == "above_95"


def test_points_and_curve_have_the_columns_the_pages_read():
    result = funnel(frame([30, 70], [100, 300]))
    assert list(result.points.columns) == [
        "force",
        "numerator",
        "denominator",
        "value",
        "z",
        "lower_95",
        "upper_95",
        "lower_998",
        "upper_998",
        "position",
    ]
    assert list(result.curve.columns) == [
        "denominator",
        "lower_95",
        "upper_95",
        "lower_998",
        "upper_998",
    ]


def test_curve_spans_the_denominators_and_stays_ordered():
    curve = funnel(frame([30, 70], [100, 300])).curve
    assert curve["denominator"].min() == 50  # half the smallest volume
    assert curve["denominator"].max() == 450  # one and a half times the largest
    assert curve["denominator"].is_monotonic_increasing
    assert (curve["lower_998"] <= curve["lower_95"]).all()
    assert (curve["upper_95"] <= curve["upper_998"]).all()


def test_a_value_exactly_on_a_limit_is_within_it():
    limits = {0.95: (0.2, 0.4), 0.998: (0.1, 0.5)}
    assert position(0.4, limits) == "within"
    assert position(0.2, limits) == "within"
    assert position(0.5, limits) == "above_95"
    assert position(0.1, limits) == "below_95"
    assert position(0.50001, limits) == "above_998"
    assert position(0.09999, limits) == "below_998"


def test_rate_limits_are_exact_poisson_in_the_units_of_the_value():
    # 60 crimes over 60,000 people: 0.001 a person. The first force expects 15 crimes, where
    # FunnelPlotR's test gives the exact Poisson limits 0.5596924 and 1.649348 (95 %), 0.386265
    # and 2.082907 (99.8 %) as ratios to the target.
    result = funnel(frame([15, 45], [15_000, 45_000]), measure=RATE)
    assert result.measure == RATE
    assert result.target == pytest.approx(0.001)
    first = result.points.iloc[0]
    assert first["value"] == pytest.approx(0.001)
    assert first["lower_95"] == pytest.approx(0.001 * 0.5596924, rel=1e-6)
    assert first["upper_95"] == pytest.approx(0.001 * 1.649348, rel=1e-6)
    assert first["lower_998"] == pytest.approx(0.001 * 0.386265, rel=1e-6)
    assert first["upper_998"] == pytest.approx(0.001 * 2.082907, rel=1e-6)
    assert result.method == "exact Poisson"
    curve = result.curve
    assert curve["denominator"].min() == pytest.approx(7_500)
    assert curve["denominator"].max() == pytest.approx(67_500)
    # the target is inside every limit of the curve, in the value's units
    assert (curve["lower_95"] < 0.001).all() and (curve["upper_95"] > 0.001).all()


def test_the_method_names_the_limits_drawn():
    numerators = [2, 10, 5, 17, 9, 28, 16, 46, 27, 47, 119, 45]  # overdispersed, 12 forces
    denominators = [40, 65, 90, 120, 150, 210, 260, 340, 420, 560, 700, 900]
    rows = frame(numerators, denominators)
    assert funnel(rows).method == "random-effects adjusted (arcsine scale)"
    assert funnel(rows, adjust=False).method == "exact binomial"
    people = frame([n * 10 for n in numerators], [d * 1000 for d in denominators])
    assert funnel(people, measure=RATE).method == "random-effects adjusted (square-root scale)"
    assert funnel(people, measure=RATE, adjust=False).method == "exact Poisson"


def test_rows_for_one_force_are_summed_first():
    rows = frame([100, 150, 180, 89], [102, 135, 165, 95], ["a", "a", "a", "b"])
    points = funnel(rows, measure=RATE).points
    assert points["force"].tolist() == ["a", "b"]
    assert points["numerator"].tolist() == [430, 89]
    assert points["value"].tolist() == pytest.approx([430 / 402, 89 / 95])


def test_no_events_anywhere_gives_limits_of_zero_and_every_force_within():
    for measure in (PROPORTION, RATE):
        result = funnel(frame([0, 0, 0], [50, 80, 120]), measure=measure)
        assert result.target == 0.0
        assert (result.points["position"] == "within").all()
        assert (result.curve.drop(columns="denominator") == 0).all().all()


@pytest.mark.parametrize(
    ("numerators", "denominators", "measure"),
    [
        ([65, 80, 30], [100, 100, 0], PROPORTION),  # a denominator of 0
        ([65, -80, 30], [100, 100, 200], PROPORTION),  # a negative numerator
        ([65, 80, 30], [100, 100, 20], PROPORTION),  # more outcomes than crimes
        ([65, None, 30], [100, 100, 200], PROPORTION),  # a missing numerator
        ([65, 80, 30], [100, None, 200], RATE),  # a missing denominator
        ([], [], PROPORTION),  # no forces
        ([1], [10], "ratio"),  # not a measure the product offers
    ],
)
def test_inputs_that_are_refused(numerators, denominators, measure):
    with pytest.raises(ValueError):
        funnel(frame(numerators, denominators), measure=measure)


def test_a_rate_numerator_may_exceed_its_denominator():
    # e.g. crimes per officer: more crimes than officers is fine for a rate
    assert funnel(frame([30, 50], [10, 20]), measure=RATE).target == pytest.approx(80 / 30)
