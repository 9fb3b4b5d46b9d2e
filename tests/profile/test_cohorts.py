"""Outcomes by recording cohort on hand-built crimes: every figure worked out in the test."""

import pandas as pd
import pytest

from flightdeck.profile.cohorts import DAY_GRID, cohort_curves, cohort_table
from helpers.kpis import FORCE, crime
from helpers.store import insert_case_load

AS_OF = "2024-03-31"
# Days followed by 2024-03-31: a 90, b 76, c 60, d 10, e 50.
CRIMES = [
    # charged on day 9 (charge_date), outcome recorded on day 19: an outcome from day 9
    crime("a", "2024-01-01", outcome_type="1", charge_date="2024-01-10",
          outcome_date="2024-01-20"),
    crime("b", "2024-01-15", outcome_type="14", outcome_date="2024-02-14"),  # day 30
    crime("c", "2024-01-31"),  # open
    crime("d", "2024-03-21"),  # open, recorded 10 days before the as-of date
    crime("e", "2024-02-10", offence_code="20A", outcome_type="1A",
          outcome_date="2024-03-01"),  # other_sexual, charged on day 20
    crime("f", "2024-01-05", outcome_type="1", outcome_date="2024-01-06", cancelled=True),
]  # fmt: skip


@pytest.fixture
def cohorts(store):
    insert_case_load(store, CRIMES, as_of=AS_OF)
    return store


def by_day(frame: pd.DataFrame, cohort) -> dict:
    """{day: (followed, charged, any_outcome, open, complete)} of one cohort."""
    rows = frame[frame["cohort"] == cohort]
    return {
        int(r.day): (r.followed, r.charged, r.any_outcome, r.open, bool(r.complete))
        for r in rows.itertuples()
    }


def test_year_cohort_counts_only_crimes_followed_long_enough(cohorts):
    frame = cohort_curves(cohorts, FORCE)
    assert list(frame["cohort"].unique()) == [2024]
    assert set(frame["crimes"]) == {5}  # f is cancelled
    assert by_day(frame, 2024) == {
        0: (5, 0, 0, 5, True),
        7: (5, 0, 0, 5, True),
        14: (4, 1, 1, 3, False),  # d (10 days) is not followed at day 14; a charged on day 9
        30: (4, 2, 3, 1, False),  # e charged on day 20, b's outcome on day 30 itself
        60: (3, 1, 2, 1, False),  # c followed exactly 60 days; e (50) no longer
        90: (1, 1, 1, 0, False),  # a only
    }  # no row for 120 days and more: nobody followed


def test_shares_are_of_the_crimes_followed(cohorts):
    row = cohort_curves(cohorts, FORCE).set_index("day").loc[30]
    assert (row["charged_share"], row["outcome_share"], row["open_share"]) == (0.5, 0.75, 0.25)


def test_month_cohorts_and_the_default_grid(cohorts):
    frame = cohort_curves(cohorts, FORCE, by="month")
    january, march = pd.Timestamp("2024-01-01"), pd.Timestamp("2024-03-01")
    assert by_day(frame, january)[60] == (3, 1, 2, 1, True)
    assert by_day(frame, january)[90] == (1, 1, 1, 0, False)
    assert by_day(frame, march) == {0: (1, 0, 0, 1, True), 7: (1, 0, 0, 1, True)}
    assert set(frame["day"]) <= set(DAY_GRID)


def test_offence_group_filter(cohorts):
    rape = cohort_curves(cohorts, FORCE, offence_group="rape")
    other = cohort_curves(cohorts, FORCE, offence_group="other_sexual")
    assert set(rape["crimes"]) == {4} and set(other["crimes"]) == {1}
    assert by_day(rape, 2024)[30] == (3, 1, 2, 1, False)
    assert by_day(other, 2024) == {d: (1, int(d >= 30), int(d >= 30), int(d < 30), True)
                                   for d in (0, 7, 14, 30)}  # fmt: skip


def test_a_grid_of_ones_own(cohorts):
    frame = cohort_curves(cohorts, FORCE, days=(9, 10, 11))
    assert by_day(frame, 2024) == {
        9: (5, 1, 1, 4, True),  # a charged on day 9 exactly
        10: (5, 1, 1, 4, True),  # d followed exactly 10 days
        11: (4, 1, 1, 3, False),
    }


def test_other_force_and_bad_arguments(cohorts):
    assert cohort_curves(cohorts, "demo-eastvale").empty
    with pytest.raises(ValueError, match="offence_group"):
        cohort_curves(cohorts, FORCE, offence_group="burglary")
    with pytest.raises(ValueError, match="by"):
        cohort_curves(cohorts, FORCE, by="week")


def test_cohort_table_keeps_open_apart_from_not_charged(cohorts):
    table = cohort_table(cohorts, FORCE).set_index("month")
    assert list(table.index) == list(pd.to_datetime(["2024-01-01", "2024-02-01", "2024-03-01"]))
    counts = ["crimes", "charged", "other_outcome", "open", "days_followed_min"]
    assert table[counts].values.tolist() == [
        [3, 1, 1, 1, 60],  # a charged, b outcome 14, c open; 2024-03-31 - 2024-01-31 = 60
        [1, 1, 0, 0, 31],  # e; 2024-03-31 - 2024-02-29
        [1, 0, 0, 1, 0],  # d, in the as-of month
    ]
    january = table.loc["2024-01-01"]
    assert january["charged_share"] == pytest.approx(1 / 3)
    assert january["outcome_share"] == pytest.approx(2 / 3)  # c, still open, is not in it
    assert january["open_share"] == pytest.approx(1 / 3)


def test_cohort_table_months_given_with_an_empty_month(cohorts):
    table = cohort_table(
        cohorts, FORCE, offence_group="rape", first=pd.Timestamp("2023-12-01"),
        last=pd.Timestamp("2024-02-15"),
    )  # fmt: skip
    assert table["crimes"].tolist() == [0, 3, 0]  # e (February) is other_sexual
    assert table["charged_share"].isna().tolist() == [True, False, True]
    assert table["days_followed_min"].tolist() == [91, 60, 31]
