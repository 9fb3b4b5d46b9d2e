"""Comparison arithmetic for counts: per 100,000 people, never raw counts across sizes."""

import math

import pandas as pd
import pytest

from flightdeck.peers import comparison, groups
from flightdeck.stats.funnel import PROPORTION, RATE

POPULATIONS = pd.DataFrame(
    {"force": ["a", "b"], "population": [200_000, 1_000_000], "year": [2023, 2023],
     "source": ["s", "s"]}
)  # fmt: skip


def _counts(values):
    return pd.DataFrame(
        {"force": list(values), "numerator": list(values.values()), "denominator": None,
         "value": list(values.values())}
    )  # fmt: skip


def test_counts_become_rates_per_person_and_a_force_without_a_population_is_left_out():
    figures, left_out = comparison.per_population(_counts({"a": 50, "b": 120, "c": 7}),
                                                  POPULATIONS)  # fmt: skip
    by = figures.set_index("force")
    # a: 50 of 200,000 people = 25 per 100,000; b: 120 of 1,000,000 = 12 per 100,000. The
    # bigger force has more crimes but the lower rate.
    assert by.loc["a", "value"] * comparison.PER == pytest.approx(25.0)
    assert by.loc["b", "value"] * comparison.PER == pytest.approx(12.0)
    assert by.loc["b", "denominator"] == 1_000_000
    assert left_out == {"c": "no population figure in the reference list"}


def test_ranked_rates_carry_exact_poisson_intervals():
    figures, _ = comparison.per_population(_counts({"a": 4, "b": 120}), POPULATIONS)
    ranked = comparison.ranked(figures, RATE).set_index("force")
    # Exact interval for 4 events: chi2(0.025, 8)/2 = 1.0899, chi2(0.975, 10)/2 = 10.2416
    # (Garwood; tabulated), over 200,000 people.
    assert ranked.loc["a", "lower"] * 200_000 == pytest.approx(1.0899, abs=1e-3)
    assert ranked.loc["a", "upper"] * 200_000 == pytest.approx(10.2416, abs=1e-3)
    assert list(ranked.index) == ["a", "b"]  # 2 then 12 per 100,000


def test_ranked_proportions_carry_wilson_intervals_and_medians_none():
    frame = pd.DataFrame({"force": ["a"], "numerator": [30], "denominator": [100], "value": [0.3]})
    ranked = comparison.ranked(frame, PROPORTION)
    # Wilson 95 %: centre (0.3 + 1.96²/200) / (1 + 1.96²/100), half-width as below.
    z = 1.959964
    centre = (0.3 + z * z / 200) / (1 + z * z / 100)
    half = z / (1 + z * z / 100) * math.sqrt(0.3 * 0.7 / 100 + z * z / 40000)
    assert ranked.loc[0, "lower"] == pytest.approx(centre - half, abs=1e-6)
    assert ranked.loc[0, "upper"] == pytest.approx(centre + half, abs=1e-6)
    assert comparison.ranked(frame, None)["lower"].isna().all()


def _rows(kpi, force, age_band, value, num=None, den=None, month="2025-01-01"):
    return {"kpi_id": kpi, "force": force, "month": pd.Timestamp(month), "age_band": age_band,
            "gender": "All", "numerator": num, "denominator": den, "value": value,
            "complete": True, "suppressed": False}  # fmt: skip


def test_counts_over_time_are_per_100000_people_pooled_over_the_peers():
    frame = pd.DataFrame(
        [_rows("K01", "a", "All", 10), _rows("K01", "b", "All", 150), _rows("K01", "c", "All", 9)]
    )
    pops = pd.DataFrame({"force": ["a", "b", "c"], "population": [100_000, 1_000_000, 200_000]})
    series = comparison.over_time(frame, "a", "count", pops).set_index("series")
    assert series.loc["a", "value"] == pytest.approx(10.0)
    # peers: (150 + 9) crimes over 1,200,000 people = 13.25 per 100,000, not the mean count 79.5
    assert series.loc["peer mean", "value"] == pytest.approx(159 / 12)


def test_count_breakdowns_are_each_sides_share_of_its_crimes():
    frame = pd.DataFrame(
        [_rows("K01", "f", "18-24", 2), _rows("K01", "f", "25-34", 6),
         _rows("K01", "p1", "18-24", 4), _rows("K01", "p2", "18-24", 6),
         _rows("K01", "p2", "25-34", 10)]
    )  # fmt: skip
    out = comparison.breakdown(frame, "f", [pd.Timestamp("2025-01-01")], "age_band", "count")
    shares = out.set_index(["side", "label"])["value"]
    assert shares[("force", "18-24")] == pytest.approx(2 / 8)
    assert shares[("peers", "18-24")] == pytest.approx(10 / 20)
    assert shares[("peers", "25-34")] == pytest.approx(10 / 20)


def test_measure_of_a_kpi():
    assert comparison.measure_of("rate", "fraction") == PROPORTION
    assert comparison.measure_of("count", "crimes") == RATE
    assert comparison.measure_of("median", "days") is None
    assert comparison.measure_of("rate", "crimes per investigator") is None


def test_a_group_member_without_data_is_named_not_dropped():
    listed = pd.DataFrame({"group": ["G", "G", "G"], "force": ["a", "b", "c"]})
    assert groups.without_data(listed, "G", "a", {"a", "b"}) == ["c"]
    assert groups.members(listed, "G", "a", {"a", "b"}) == ["a", "b"]
    assert groups.without_data(listed, groups.ALL_WITH_DATA, "a", {"a"}) == []
