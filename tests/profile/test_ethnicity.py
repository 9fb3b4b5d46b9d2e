"""Victim ethnicity: completeness first, a breakdown only at or above the threshold."""

import pandas as pd
import pytest

from flightdeck.profile.ethnicity import ethnicity
from flightdeck.profile.period import period_ending
from helpers.kpis import FORCE, crime
from helpers.store import insert_case_load

PERIOD = period_ending(pd.Timestamp("2024-12-01"))


def crimes(values: list[str | None], month: str = "2024-03") -> list[dict]:
    return [
        crime(f"{month}-{i}", f"{month}-{1 + i % 28:02d}", victim_ethnicity=v)
        for i, v in enumerate(values)
    ]


def test_forty_percent_complete_gives_no_breakdown(store):
    insert_case_load(store, crimes(["white", "asian", "not_stated", "black"] + [None] * 6),
                     as_of="2025-01-31")  # fmt: skip
    found = ethnicity(store, FORCE, PERIOD, threshold=0.8)
    assert (found.crimes, found.recorded, found.share) == (10, 4, 0.4)
    assert (found.passes, found.breakdown) == (False, None)
    assert found.reason == (
        "Victim ethnicity is recorded for 40 % of crimes in the period, below the 80 % this "
        "force set as reliable enough to break figures down by; the profile shows completeness "
        "only."
    )


def test_eighty_five_percent_complete_gives_the_breakdown(store):
    values = ["white"] * 10 + ["asian"] * 4 + ["black"] * 2 + ["not_stated"] + [None, "", " "]
    insert_case_load(store, crimes(values), as_of="2025-01-31")
    found = ethnicity(store, FORCE, PERIOD, threshold=0.8)
    assert (found.crimes, found.recorded, found.share, found.passes) == (20, 17, 0.85, True)
    assert found.breakdown.values.tolist() == [
        ["white", 10], ["mixed", 0], ["asian", 4], ["black", 2], ["other", 0], ["not_stated", 1],
    ]  # fmt: skip
    assert "at or above the 80 %" in found.reason


def test_completeness_equal_to_the_threshold_passes(store):
    insert_case_load(store, crimes(["white"] * 8 + [None] * 2), as_of="2025-01-31")
    assert ethnicity(store, FORCE, PERIOD, threshold=0.8).passes


def test_completeness_by_month_and_the_setting(store, monkeypatch):
    insert_case_load(
        store,
        crimes(["white", None], "2024-01") + crimes(["mixed"] * 3, "2024-02")
        + [crime("old", "2023-12-31", victim_ethnicity="white")],
        as_of="2025-01-31",
    )  # fmt: skip
    monkeypatch.setenv("FLIGHTDECK_ETHNICITY_THRESHOLD", "0.9")
    found = ethnicity(store, FORCE, PERIOD)
    assert found.threshold == 0.9 and not found.passes  # 4 of 5 = 80 %
    months = found.by_month
    assert len(months) == 12 and months["month"].iloc[0] == pd.Timestamp("2024-01-01")
    assert months[["crimes", "recorded"]].values.tolist()[:3] == [[2, 1], [3, 3], [0, 0]]
    assert months["share"].tolist()[:3] == [0.5, 1.0, None]


def test_no_crimes_in_the_period(store):
    insert_case_load(store, [crime("a", "2023-01-01")], as_of="2025-01-31")
    found = ethnicity(store, FORCE, PERIOD, threshold=0.8)
    assert (found.crimes, found.share, found.passes) == (0, None, False)
    assert found.reason.startswith("No crimes were recorded in the period")


@pytest.mark.parametrize("share, words", [(0.7996, "79.9 %"), (0.85, "85 %")])
def test_a_share_is_never_rounded_up_to_the_threshold(share, words):
    from flightdeck.profile.ethnicity import reason

    assert words in reason(share, 0.8)
