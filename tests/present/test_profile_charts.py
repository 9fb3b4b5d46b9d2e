"""The problem profile's charts: a hidden count is drawn as nothing, never 0; what the pyramid
does not draw is said under it; young cohort points are dashed; open crimes are a share of
their own."""

import pandas as pd

from flightdeck.present import profile_charts
from helpers.profiles import LAST, hand_profile


def test_the_pyramid_draws_female_left_male_right_and_nothing_for_a_hidden_cell():
    fig = profile_charts.pyramid_figure(hand_profile().pyramid)
    female, male = fig.data
    assert list(female.y) == ["0-12", "13-15", "16-17", "18-24", "25-34", "35-44", "45-54", "55+"]
    assert list(female.x) == [-20, -21, -22, -23, -24, -25, -26, -27]
    # 0-12 and 13-15 male are hidden: no bar, labelled, never 0
    assert list(male.x)[:3] == [None, None, 12] and list(male.text)[:2] == ["suppressed"] * 2


def test_the_pyramid_says_what_it_does_not_draw():
    note = profile_charts.pyramid_note(hand_profile().pyramid)
    # other gender 0 in every band; unknown gender 6 in each of 9 bands; unknown age 28 + 18
    assert note == (
        "Not drawn: other gender: 0; unknown gender: 54; unknown age: 46. Suppressed (small "
        "numbers), drawn as no bar: 0-12 male, 13-15 male."
    )


def test_volumes_name_a_suppressed_count_instead_of_drawing_it():
    groups = hand_profile().volumes_by_group.copy()
    groups.loc[2, ["current", "current_hidden"]] = [None, True]
    previous, current = profile_charts.volumes_figure(groups).data
    assert list(previous.y) == [400, 150, 250]
    assert list(current.y) == [480, 200, None] and current.text[2] == "suppressed"


def test_a_cohort_point_not_followed_long_enough_is_dashed_and_hollow():
    fig = profile_charts.cohort_figure(hand_profile().cohort_curves, "charged")
    dashed = [t for t in fig.data if t.line.dash == "dash" and t.x[0] is not None]
    # 2025 is followed to day 365: the dashed part runs on from there to day 730
    assert [(t.name, list(t.x)) for t in dashed] == [("2025 (still being followed)", [365, 730])]
    assert dashed[0].marker.symbol == "circle-open"
    assert "not every crime followed this long yet" in fig.data[-1].name


def test_only_the_latest_four_cohort_years_are_drawn_each_with_its_own_marker():
    rows = [
        {"cohort": year, "day": day, "charged_share": 0.01 * (year - 2019) + day / 10_000,
         "outcome_share": 0.5, "complete": True}
        for year in range(2019, 2025) for day in (0, 30, 365)
    ]  # fmt: skip
    fig = profile_charts.cohort_figure(pd.DataFrame(rows), "charged")
    drawn = [t for t in fig.data if t.x[0] is not None]
    assert [t.name for t in drawn] == ["2021", "2022", "2023", "2024"]
    assert len({t.marker.symbol for t in drawn}) == 4
    assert drawn[-1].marker.color == "#222222"  # the latest year the darkest


def test_open_crimes_are_a_share_of_their_own_and_a_month_with_a_hidden_share_has_no_bar():
    cohorts = hand_profile().cohorts.copy()
    cohorts.loc[11, "charged_share"] = None  # Nov 2026
    charged, other, still_open = profile_charts.open_figure(cohorts).data
    assert [t.name for t in (charged, other, still_open)] == [
        "Charged or summonsed", "Another outcome", "Still open"
    ]  # fmt: skip
    # Dec 2025: 8 charged, 20 other, 12 open of 40
    assert (charged.y[0], round(other.y[0], 9), still_open.y[0]) == (0.2, 0.5, 0.3)
    assert pd.isna(charged.y[11]) and pd.isna(other.y[11]) and pd.isna(still_open.y[11])
    assert profile_charts.open_note(cohorts) == (
        "No bar (a share suppressed, small numbers): Nov 2026."
    )


def test_ethnicity_completeness_is_drawn_against_its_labelled_threshold():
    e = hand_profile().ethnicity
    fig = profile_charts.ethnicity_completeness_figure(e.by_month, e.threshold)
    assert list(fig.data[0].y) == [0.4] * 12 and pd.Timestamp(fig.data[0].x[-1]) == LAST
    line = fig.layout.shapes[0]
    assert (line.y0, line.y1) == (0.8, 0.8)
    assert fig.layout.annotations[0].text.startswith("Threshold 80%")
