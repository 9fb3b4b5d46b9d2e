"""XmR limits and the four Making Data Count rules on worked series, each number worked out by
hand in the test (the peers' own cases are replayed in test_spc_reference_cases.py). These
also pin down what no peer case does: the two-thirds band, points beyond a limit not counting
as close, trend before shift, strict assurance boundaries."""

import pytest

from flightdeck.stats import spc, spc_icons, spc_words
from flightdeck.stats.spc import Options

# Eight baseline points alternating 12, 10: mean 11, every moving range 2, so AMR = 2,
# limits 11 ± 2.66 × 2 = 5.68 .. 16.32, "close" beyond 11 ± 1.7733 × 2 = 7.4533 .. 14.5467.
BASE = [12, 10, 12, 10, 12, 10, 12, 10]
EIGHT = Options(baseline_points=8, short_segment=8)


def _rules(values, direction="up", options=EIGHT, **kwargs):
    result = spc.analyse(values, direction=direction, options=options, **kwargs)
    return [p.rule for p in result.points], result


def test_limits_are_mean_plus_minus_2_66_average_moving_range():
    limits = spc.xmr_limits(BASE)
    assert limits.mean == pytest.approx(11)
    assert limits.mean_moving_range == pytest.approx(2)
    assert (limits.lower, limits.upper) == (pytest.approx(5.68), pytest.approx(16.32))
    assert limits.near_upper == pytest.approx(11 + 2.66 * 2 / 3 * 2)
    assert limits.points == 8


def test_screening_leaves_out_moving_ranges_of_3_267_times_the_average_or_more():
    values = [10, 12, 10, 12, 10, 12, 40, 12, 10, 12, 10, 12]
    # moving ranges: nine of 2 and two of 28 -> AMR 74 / 11 = 6.727; 3.267 x 6.727 = 21.98,
    # so both 28s go and AMR = 18 / 9 = 2; mean = 162 / 12 = 13.5
    raw = spc.xmr_limits(values)
    screened = spc.xmr_limits(values, screen_outliers=True)
    assert raw.mean_moving_range == pytest.approx(74 / 11)
    assert raw.upper == pytest.approx(13.5 + 2.66 * 74 / 11)
    assert screened.mean_moving_range == pytest.approx(2)
    assert screened.upper == pytest.approx(13.5 + 5.32)
    assert screened.screened == 2 and raw.screened == 0


def test_limits_are_clipped_to_what_the_measure_can_take_only_when_asked():
    assert spc.xmr_limits([1, 5, 1, 5]).lower == pytest.approx(3 - 10.64)
    assert spc.xmr_limits([1, 5, 1, 5], lower_bound=0).lower == 0
    assert spc.xmr_limits([0.9, 0.5, 0.9, 0.5], upper_bound=1.0).upper == 1.0


def test_a_shift_of_exactly_seven_is_a_signal_and_six_is_not():
    rules, result = _rules([*BASE, *[11.5] * 7])
    assert rules == [None] * 8 + ["shift"] * 7
    assert [(s.rule, s.start, s.end, s.side) for s in result.signals] == [("shift", 8, 14, "high")]
    rules, _ = _rules([*BASE, *[11.5] * 6])
    assert rules == [None] * 14


def test_a_point_exactly_on_the_mean_ends_a_shift():
    rules, _ = _rules([*BASE, 11.5, 11.5, 11.5, 11, 11.5, 11.5, 11.5, 11.5])
    assert set(rules) == {None}


def test_a_trend_of_seven_rising_points_and_an_equal_value_breaks_it():
    # 10 (the last baseline point), then 9 starts a rise of seven: 9 .. 12 by 0.5
    rising = [9, 9.5, 10, 10.5, 11, 11.5, 12]
    rules, result = _rules([*BASE, *rising])
    assert rules == [None] * 8 + ["trend"] * 7
    assert result.signals[0].side == "high" and result.signals[0].assessment == "improvement"
    # the same rise with one value repeated: two rises of four points, no trend
    rules, _ = _rules([*BASE, 9, 9.5, 10, 10.5, 10.5, 11, 11.5, 12])
    assert "trend" not in rules


def test_six_points_make_a_trend_when_six_is_chosen():
    six = [9, 9.5, 10, 10.5, 11, 11.5]
    assert "trend" not in _rules([*BASE, *six])[0]
    rules, _ = _rules([*BASE, *six], options=Options(baseline_points=8, trend_points=6))
    assert rules[8:] == ["trend"] * 6


def test_two_of_three_close_to_a_limit_on_one_side():
    # 14.8 is beyond two thirds of the way to the upper limit (14.5467) but inside it (16.32);
    # it would not be with a band of 2 x AMR (15), which no peer case tells apart
    rules, result = _rules([*BASE, 14.8, 11.5, 14.8])
    assert rules[8:] == ["two_in_three", None, "two_in_three"]
    assert [(s.rule, s.start, s.end) for s in result.signals] == [("two_in_three", 8, 10)]
    # on opposite sides of the mean: nothing
    assert set(_rules([*BASE, 14.8, 10.5, 14.8])[0]) == {None}
    # a point beyond the limit is not "close": one close point of three is no signal
    rules, _ = _rules([*BASE, 17, 14.8, 11.5])
    assert rules[8:] == ["beyond_limit", None, None]


def test_beyond_a_limit_is_strict_and_labels_first():
    upper = 11 + 2.66 * 2
    rules, _ = _rules([*BASE, upper, upper + 0.01, 5.6])
    assert rules[8:] == [None, "beyond_limit", "beyond_limit"]


def test_a_trend_labels_before_a_shift():
    # seven rising points, all above the mean: both patterns are found, the trend labels them
    rising = [11.2, 11.4, 11.6, 11.8, 12.0, 12.2, 12.4]
    rules, result = _rules([*BASE, *rising])
    assert rules[8:] == ["trend"] * 7
    assert {s.rule for s in result.signals} == {"trend", "shift"}
    assert spc.signals_at(result, 14)[0].rule == "trend"


def test_a_change_point_starts_a_new_baseline_with_no_moving_range_across_it():
    after = [20, 24, 20, 24, 20, 24, 20, 24]  # mean 22, AMR 4
    rules, result = _rules([*BASE, *after], starts=[8])
    assert set(rules) == {None}
    second = result.segments[1]
    assert (second.start, second.baseline_end, second.end) == (8, 16, 16)
    assert second.limits.mean == pytest.approx(22)
    assert second.limits.mean_moving_range == pytest.approx(4)  # not (20 - 10) from across
    # without the change point, every later point is beyond the first baseline's limits
    rules, _ = _rules([*BASE, *after])
    assert rules[8:] == ["beyond_limit"] * 8


def test_limits_stay_fixed_as_months_are_added():
    values = [*BASE, 11, 12, 10, 11, 13, 9, 12, 11, 10, 12]
    options = Options(baseline_points=12)
    early = spc.analyse(values[:14], direction="up", options=options)
    later = spc.analyse(values, direction="up", options=options)
    assert early.limits == later.limits
    assert later.segments[0].baseline_end == 12


def test_fewer_than_twelve_baseline_points_are_trial_limits():
    result = spc.analyse(BASE, direction="up")
    assert result.segments[0].trial
    assert not spc.analyse([*BASE, *BASE], direction="up").segments[0].trial


def test_variation_icon_follows_the_last_point_and_the_direction():
    shifted = [*BASE, *[11.5] * 7]
    icon = {
        d: spc_icons.variation(spc.analyse(shifted, direction=d, options=EIGHT))
        for d in ("up", "down", "neutral")
    }
    assert icon == {"up": "improvement_high", "down": "concern_high", "neutral": "neutral_high"}
    low = [*BASE, *[10.5] * 7]
    assert spc_icons.variation(spc.analyse(low, direction="up", options=EIGHT)) == "concern_low"
    assert spc_icons.variation(spc.analyse(BASE, direction="up")) == "common_cause"
    assert spc_icons.variation(spc.analyse([], direction="up")) is None


def test_assurance_compares_the_target_with_the_limits_strictly():
    limits = spc.xmr_limits(BASE)  # 5.68 .. 16.32
    assert spc_icons.assurance(limits, 17, "up") == "consistent_fail"
    assert spc_icons.assurance(limits, 17, "down") == "consistent_pass"
    assert spc_icons.assurance(limits, 5, "up") == "consistent_pass"
    assert spc_icons.assurance(limits, 5, "down") == "consistent_fail"
    assert spc_icons.assurance(limits, limits.upper, "up") == "inconsistent"  # on a limit: inside
    assert spc_icons.assurance(limits, 11, "up") == "inconsistent"
    assert spc_icons.assurance(limits, 11, "neutral") is None
    assert spc_icons.assurance(limits, None, "up") is None
    assert spc_icons.assurance(None, 11, "up") is None


def test_signals_in_words():
    labels = [f"M{i}" for i in range(15)]
    _, result = _rules([*BASE, *[11.5] * 7])
    assert spc_words.summarise(result.signals, labels) == [
        ("7 months in a row above the average (M8 to M14): an improvement", "improvement")
    ]
    assert spc_words.latest_words(result, labels) == (
        "Signal: 7 months in a row above the average (M8 to M14): an improvement",
        "improvement",
    )
    _, result = _rules([*BASE, 14.8, 11.5, 14.8], direction="down")
    words = spc_words.describe(result.signals[0], labels)
    assert words == "2 of 3 months close to the upper control limit (M8 to M10): a concern"
    _, result = _rules([*BASE, 17, 11, 18])
    assert spc_words.summarise(result.signals, labels) == [
        ("Above the upper control limit in 2 months (M8; M10): an improvement", "improvement")
    ]
