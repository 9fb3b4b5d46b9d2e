"""Volumes, the pyramid and non-recent offences on hand-built crimes."""

import datetime as dt

import pandas as pd
import pytest

from flightdeck.profile.period import period_ending
from flightdeck.profile.volumes import non_recent, pyramid, volumes_by_code, volumes_by_group
from flightdeck.vocabulary import AGE_BANDS, GENDERS
from helpers.kpis import FORCE, OTHER_FORCE, crime
from helpers.store import insert_case_load

PERIOD = period_ending(pd.Timestamp("2024-12-01"))  # Jan to Dec 2024; previous: 2023
CRIMES = [
    crime("a", "2024-01-01"),  # 19C, current
    crime("b", "2024-12-31", offence_code="19D"),
    crime("c", "2024-06-15", offence_code="20A", victim_age=None, victim_gender="male"),
    crime("d", "2023-12-31"),  # previous
    crime("e", "2023-01-01", offence_code="21"),  # previous
    crime("f", "2022-12-31"),  # before both
    crime("g", "2025-01-02"),  # after the period
    crime("h", "2024-03-03", cancelled=True),
    {**crime("x", "2024-05-05"), "force": OTHER_FORCE},
]


@pytest.fixture
def con(store):
    insert_case_load(store, CRIMES, as_of="2025-01-15")
    return store


def test_volumes_by_group_current_and_previous(con):
    frame = volumes_by_group(con, FORCE, PERIOD)
    assert frame.values.tolist() == [["All", 3, 2], ["rape", 2, 1], ["other_sexual", 1, 1]]


def test_volumes_by_code_lists_codes_of_either_period(con):
    frame = volumes_by_code(con, FORCE, PERIOD)
    assert frame[["offence_group", "offence_code", "current", "previous"]].values.tolist() == [
        ["rape", "19C", 1, 1],
        ["rape", "19D", 1, 0],
        ["other_sexual", "20A", 1, 0],
        ["other_sexual", "21", 0, 1],
    ]
    assert frame["title"].iloc[0] == "Rape of a female aged 16 and over"


def test_pyramid_has_every_cell_in_order(con):
    frame = pyramid(con, FORCE, PERIOD)
    assert list(zip(frame["age_band"], frame["gender"], strict=True)) == [
        (a, g) for a in AGE_BANDS for g in GENDERS
    ]
    cells = {(a, g): n for a, g, n in frame.itertuples(index=False) if n}
    assert cells == {("25-34", "Female"): 2, ("Unknown", "Male"): 1}
    assert frame["crimes"].sum() == 3


def test_non_recent_boundary_365_days_is_recent(store):
    recent, old = dt.date(2023, 6, 16), dt.date(2023, 6, 15)
    assert (dt.date(2024, 6, 15) - recent).days == 365  # 2024 is a leap year
    insert_case_load(
        store,
        [
            crime("a", "2024-06-15", offence_date=recent.isoformat()),  # 365 days: recent
            crime("b", "2024-06-15", offence_date=old.isoformat()),  # 366: non-recent
            crime("c", "2024-06-15", offence_code="20A", offence_date="1990-01-01"),
            crime("d", "2024-06-15", offence_code="20A"),  # no offence date
            crime("e", "2023-06-15", offence_date="2000-01-01"),  # not in the period
        ],
        as_of="2024-12-31",
    )
    frame = non_recent(store, FORCE, PERIOD)
    assert frame.values.tolist() == [
        ["All", 4, 3, 2],
        ["rape", 2, 2, 1],
        ["other_sexual", 2, 1, 1],
    ]
