"""XmR limits and the three signal rules, each worked out by hand."""

import pytest

from flightdeck.stats import spc
from flightdeck.stats.spc import Signal


def test_limits_are_mean_plus_minus_2_66_mean_moving_range():
    # mean = 55 / 5 = 11; moving ranges 2, 1, 2, 4 -> mean 2.25; 2.66 * 2.25 = 5.985
    limits = spc.xmr_limits([10, 12, 11, 13, 9])
    assert limits.mean == pytest.approx(11)
    assert limits.mean_moving_range == pytest.approx(2.25)
    assert limits.upper == pytest.approx(16.985)
    assert limits.lower == pytest.approx(5.015)
    assert limits.points == 5


def test_lower_limit_is_clipped_at_zero_and_upper_at_the_bound():
    # mean 3, moving ranges all 4: 3 - 10.64 < 0 -> 0; upper 13.64
    limits = spc.xmr_limits([1, 5, 1, 5])
    assert limits.lower == 0
    assert limits.upper == pytest.approx(13.64)
    # a fraction: mean 0.7, moving range 0.4: 0.7 + 1.064 > 1 -> 1; 0.7 - 1.064 < 0 -> 0
    limits = spc.xmr_limits([0.9, 0.5, 0.9, 0.5], upper_bound=1.0)
    assert (limits.lower, limits.upper) == (0, 1.0)
    # without a lower bound the raw limit stays
    assert spc.xmr_limits([1, 5, 1, 5], lower_bound=None).lower == pytest.approx(-7.64)


def test_fewer_than_two_points_give_no_limits():
    assert spc.xmr_limits([]) is None
    assert spc.xmr_limits([4.0]) is None


def test_rule_1_point_beyond_a_limit():
    limits = spc.xmr_limits([10, 12, 11, 13, 9])  # 5.015 .. 16.985
    signals = spc.points_beyond_limits([10, 12, 11, 13, 9, 17, 5, 16.9], limits, "up")
    assert signals == [
        Signal("beyond_limit", 5, 5, "high", "improvement"),
        Signal("beyond_limit", 6, 6, "low", "concern"),
    ]


def test_a_point_on_a_clipped_lower_limit_of_zero_is_not_a_signal():
    limits = spc.xmr_limits([1, 5, 1, 5])  # lower clipped to 0
    assert spc.points_beyond_limits([0, 0, 1], limits, "down") == []


def test_rule_2_seven_points_on_one_side_of_the_mean():
    assert spc.runs_about_mean([11] * 7, 10, "up") == [Signal("run", 0, 6, "high", "improvement")]
    assert spc.runs_about_mean([11] * 6, 10, "up") == []
    # a point exactly on the mean ends the run: 3 + 4 points, neither reaches 7
    assert spc.runs_about_mean([11, 11, 11, 10, 11, 11, 11, 11], 10, "up") == []
    # 8 points below when lower is better: one signal spanning all 8, an improvement
    values = [12, 9, 9, 9, 9, 9, 9, 9, 9, 12]
    assert spc.runs_about_mean(values, 10, "down") == [Signal("run", 1, 8, "low", "improvement")]


def test_rule_3_six_points_rising_or_falling():
    assert spc.trends([1, 2, 3, 4, 5, 6], "down") == [Signal("trend", 0, 5, "high", "concern")]
    assert spc.trends([1, 2, 3, 4, 5], "down") == []
    # an equal value ends a trend: 1,2,3 then 3,4,5,6 (4 points)
    assert spc.trends([1, 2, 3, 3, 4, 5, 6], "up") == []
    # falling six, then a rise; neutral direction gives a neutral signal
    assert spc.trends([6, 5, 4, 3, 2, 1, 2], "neutral") == [Signal("trend", 0, 5, "low", "neutral")]


def test_assessment_follows_the_kpi_direction():
    assert spc.assess("high", "up") == "improvement"
    assert spc.assess("low", "up") == "concern"
    assert spc.assess("high", "down") == "concern"
    assert spc.assess("low", "down") == "improvement"
    assert spc.assess("high", "neutral") == "neutral"


def test_analyse_uses_the_first_12_points_as_default_baseline():
    # baseline 10,12 x 6: mean 11, moving range 2, limits 11 +- 5.32 = 5.68 .. 16.32
    values = [10, 12] * 6 + [20, 20, 20]
    result = spc.analyse(values, direction="down")
    assert result.baseline == (0, 12)
    assert result.limits.mean == pytest.approx(11)
    assert result.limits.upper == pytest.approx(16.32)
    assert result.signals == [Signal("beyond_limit", i, i, "high", "concern") for i in (12, 13, 14)]
    assert [s.start for s in spc.signals_at(result, 14)] == [14]
    assert spc.signals_at(result, 3) == []


def test_analyse_with_a_stated_baseline_and_few_points():
    # baseline over points 2..4 only: 20, 22, 21 -> mean 21, moving ranges 2, 1 -> 1.5
    result = spc.analyse([1, 1, 20, 22, 21], direction="up", baseline=(2, 5))
    assert result.limits.mean == pytest.approx(21)
    assert result.limits.lower == pytest.approx(21 - 2.66 * 1.5)
    assert [(s.rule, s.start, s.side) for s in result.signals] == [
        ("beyond_limit", 0, "low"),
        ("beyond_limit", 1, "low"),
    ]
    # a single point: no limits, so no limit or run signals
    assert spc.analyse([5.0], direction="up") == spc.Analysis(None, (0, 1), [])


def test_signals_in_words():
    labels = [f"M{i}" for i in range(10)]
    assert (
        spc.describe(Signal("run", 1, 7, "high", "improvement"), labels)
        == "7 months in a row above the average (M1 to M7): an improvement"
    )
    assert (
        spc.describe(Signal("beyond_limit", 4, 4, "low", "concern"), labels)
        == "M4 below the lower control limit: a concern"
    )
    assert (
        spc.describe(Signal("trend", 0, 5, "high", "neutral"), labels)
        == "6 months in a row rising (M0 to M5): worth a look"
    )


def test_points_beyond_the_same_limit_are_summarised_in_one_line():
    labels = ["Jan", "Feb", "Mar", "Apr", "May", "Jun"]
    high = [spc.Signal(spc.BEYOND_LIMIT, i, i, "high", spc.CONCERN) for i in (1, 3, 4, 5)]
    low = spc.Signal(spc.BEYOND_LIMIT, 0, 0, "low", spc.IMPROVEMENT)
    run = spc.Signal(spc.RUN, 2, 5, "high", spc.CONCERN)  # shorter than 7 only for the wording
    lines = spc.summarise([low, *high[:2], run, *high[2:]], labels)
    assert lines == [
        ("Jan below the lower control limit: an improvement", spc.IMPROVEMENT),
        ("Above the upper control limit in 4 months (Feb; Apr to Jun): a concern", spc.CONCERN),
        ("4 months in a row above the average (Mar to Jun): a concern", spc.CONCERN),
    ]


def test_a_warm_up_stretch_in_the_baseline_flags_everything_after_it():
    # 24 points climbing 0, 0.5, ..., 11.5 (an extract warming up), then 36 alternating 10, 12.
    warm_up = [i / 2 for i in range(24)]
    steady = [10, 12] * 18
    # All 60: baseline 0..5.5 (average 2.75, moving range 0.5, upper limit 2.75 + 1.33 = 4.08),
    # so every steady point is above the upper limit: 36 false "signals".
    full = spc.analyse(warm_up + steady, direction="down")
    assert sum(s.rule == spc.BEYOND_LIMIT and s.start >= 24 for s in full.signals) == 36
    # The default period, the last 36 points: average 11, limits 5.68 to 16.32, no signal.
    shown = (warm_up + steady)[-spc.DEFAULT_PERIOD_MONTHS :]
    assert spc.DEFAULT_PERIOD_MONTHS == 36
    assert spc.analyse(shown, direction="down").signals == []
