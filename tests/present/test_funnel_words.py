"""The words and colours of a funnel plot: better or worse only outside a limit and only for a KPI
with a direction; the chosen force ringed, never coloured for itself."""

import pandas as pd
import pytest

from flightdeck.present import funnel_chart, funnel_words
from flightdeck.present.style import BLUE, GREY, ORANGE, PURPLE
from flightdeck.stats.funnel import funnel


@pytest.mark.parametrize(
    ("position", "direction", "expected"),
    [
        ("within", "up", None),
        ("above_95", "up", "better"),
        ("above_998", "down", "worse"),
        ("below_95", "down", "better"),
        ("below_998", "up", "worse"),
        ("above_998", "neutral", "neutral"),  # recorded crime: never better or worse
        ("below_95", "neutral", "neutral"),
    ],
)
def test_verdict_follows_the_direction(position, direction, expected):
    assert funnel_words.verdict(position, direction) == expected


def test_a_force_below_a_limit_of_a_lower_is_better_kpi_is_drawn_blue_not_orange():
    # The old page drew "below" in sky blue and "above" in orange whatever the direction.
    colour, symbol = funnel_chart.marker_style("above_998", funnel_words.verdict("above_998", "up"))
    assert (colour, symbol) == (BLUE, "triangle-up")
    colour, symbol = funnel_chart.marker_style("above_95", funnel_words.verdict("above_95", "down"))
    assert (colour, symbol) == (ORANGE, "triangle-up-open")
    assert funnel_chart.marker_style("below_95", "neutral") == (PURPLE, "triangle-down-open")
    assert funnel_chart.marker_style("within", None) == (GREY, "circle")


def test_sentences_name_other_reasons_before_performance_and_do_not_overclaim():
    far = funnel_words.describe("Eastvale", "above_998", "up")
    assert far.startswith("**Eastvale** is above the 99.8 % limit, better than the group")
    assert "recording practice, case mix or data completeness" in far
    assert "before reading it as performance" in far
    assert "real difference" not in far
    near = funnel_words.describe("Southdown", "below_95", "up")
    assert "worse than the group" in near and "one force in 20" in near
    assert "not a finding" in near
    context = funnel_words.describe("Westbury", "above_998", "neutral")
    assert "neither better nor worse" in context and "performance" not in context
    assert "offending and reporting" in context
    assert funnel_words.describe("Northmoor", "within", "up") is None


def test_chance_expected_counts_forces_outside_by_chance():
    assert funnel_words.chance_expected(43) == (
        "With 43 forces, about 2 would lie outside the 95 % limits by chance alone."
    )
    assert "fewer than one" in funnel_words.chance_expected(8)


def _forces(pairs):
    return pd.DataFrame(
        [
            {"force": f"f{i}", "numerator": num, "denominator": den}
            for i, (num, den) in enumerate(pairs)
        ]
    )


def test_the_limits_sentence_says_which_limits_and_why():
    # Twelve forces of 200 outcomes each with shares from 5 % to 60 %: far more spread than
    # chance (the binomial SE at 200 is about 3 points), so the limits are widened.
    spread = _forces([(k, 200) for k in (10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120)])
    adjusted = funnel(spread)
    assert adjusted.adjusted
    assert funnel_words.limits_drawn(adjusted).startswith("**Limits widened for overdispersion.**")
    off = funnel(spread, adjust=False)
    assert funnel_words.limits_drawn(off).startswith(
        "**Exact binomial limits, adjustment switched off.**"
    )
    few = funnel(spread.head(4))
    assert "too few to estimate" in funnel_words.limits_drawn(few)
    # Twelve forces all at exactly 30 %: no overdispersion at all.
    alike = funnel(_forces([(60, 200)] * 12))
    assert funnel_words.limits_drawn(alike).startswith(
        "**Exact binomial limits.** No overdispersion"
    )


def test_funnel_labels_name_the_chosen_force_and_those_outside_only():
    names = {"a": "Ashdale Constabulary (synthetic)", "b": "Bexley Police", "c": "Carr Police"}
    labels = funnel_chart.funnel_labels(
        ["a", "b", "c"], ["within", "above_95", "within"], names, "a"
    )
    assert labels == ["<b>Ashdale</b>", "Bexley", ""]


def test_the_chosen_force_is_ringed_in_black_not_given_a_verdict_colour():
    frame = _forces([(30, 100), (60, 100), (28, 100), (22, 100)])
    fig = funnel_chart.funnel_figure(funnel(frame), {"f0": "Focus"}, "f0", "t", "up")
    ring = next(t for t in fig.data if t.name == "Focus (ringed)")
    assert ring.marker.symbol == "circle-open" and ring.marker.color == "#222222"
    # Focus is within the limits: its own marker is the grey of every force within.
    within = next(t for t in fig.data if t.name == "Within the limits")
    assert "<b>Focus</b>" in within.text and within.marker.color == GREY
