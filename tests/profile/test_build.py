"""The whole profile of a hand-built force: every figure in it disclosure-controlled."""

import pandas as pd
import pytest

from flightdeck.peers.suppression import SuppressionRule
from flightdeck.profile.build import NoCaseData, build_profile, latest_full_month
from helpers.kpis import FORCE, crime, load_and_refresh
from helpers.store import insert_case_load

# 3 rapes in January (one victim, ethnicity asian), 12 other sexual offences in February
# (12 victims, white); no suspects, no outcomes.
CRIMES = [
    *(crime(f"r{i}", "2024-01-10", victim_id="v0", victim_ethnicity="asian") for i in range(3)),
    *(crime(f"o{i}", "2024-02-10", offence_code="20A", victim_id=f"v{i + 1}",
            victim_ethnicity="white") for i in range(12)),
]  # fmt: skip


@pytest.fixture
def profile(store):
    load_and_refresh(store, CRIMES, as_of="2024-12-31")  # S01 comes from the results table
    return build_profile(store, FORCE, pd.Timestamp("2024-12-01"), rule=SuppressionRule())


def test_who_and_when(profile):
    assert (profile.force, profile.force_name, profile.synthetic) == (
        FORCE, "Northmoor Constabulary (synthetic)", True,
    )  # fmt: skip
    assert profile.as_of == pd.Timestamp("2024-12-31")
    assert profile.period.label == "Jan 2024 to Dec 2024"
    assert profile.rule == SuppressionRule()


def test_volumes_hide_the_small_group_and_its_complement(profile):
    assert profile.volumes_by_group["current"].tolist() == [15, None, None]
    assert profile.volumes_by_group["previous"].tolist() == [0, 0, 0]
    assert profile.volumes_by_code["current"].tolist() == [None, None]  # 19C 3, 20A 12
    # the groups hidden in the volumes are hidden in the non-recent table too
    assert profile.non_recent["crimes"].tolist() == [15, None, None]


def test_pyramid_is_not_small(profile):
    cells = profile.pyramid.set_index(["age_band", "gender"])["crimes"]
    assert cells[("25-34", "Female")] == 15 and cells.drop(("25-34", "Female")).eq(0).all()


def test_cohort_months_protect_each_other_through_the_period_total(profile):
    cohorts = profile.cohorts
    assert len(cohorts) == 12
    # January's 3 is small; February's 12 goes with it (the months add up to the 15 published)
    assert cohorts["crimes"].tolist() == [None, None, *[0] * 10]
    assert cohorts["open"].tolist()[:2] == [None, None]
    assert cohorts["charged"].tolist()[:2] == [0, 0]


def test_cohort_curves_by_year(profile):
    curves = profile.cohort_curves
    # followed by 2024-12-31: January's crimes 356 days, February's 325
    assert curves["day"].tolist() == [0, 7, 14, 30, 60, 90, 120, 180, 270]
    assert set(curves["followed"]) == {15} and set(curves["open"]) == {15}
    assert set(curves["cohort"]) == {2024}


def test_repeat_victims_and_suspects_are_counts_with_small_ones_hidden(profile):
    victims = profile.repeat_victims
    assert (victims.victims, victims.repeat_victims, victims.crimes) == (13, None, 15)
    assert victims.crimes_of_repeat_victims is None
    suspects = profile.repeat_suspects
    assert (suspects.k13_crimes, suspects.k13_repeat, suspects.repeat_suspects) == (0, 0, 0)
    assert suspects.named is False


def test_ethnicity_breakdown_is_protected_with_its_total(profile):
    found = profile.ethnicity
    assert (found.crimes, found.recorded, found.share, found.passes) == (15, 15, 1.0, True)
    # asian 3 is small, so white 12 goes too: the parts add up to the 15 recorded
    assert found.breakdown["crimes"].tolist() == [None, 0, None, 0, 0, 0]
    assert found.by_month["recorded"].tolist()[:3] == [None, None, 0]
    assert found.reason.startswith("Victim ethnicity is recorded for 100 % of crimes")


def test_rule_and_threshold_from_the_settings(store, monkeypatch):
    insert_case_load(store, CRIMES, as_of="2024-12-31")
    monkeypatch.setenv("FLIGHTDECK_SUPPRESS_COUNT_MAX", "2")
    monkeypatch.setenv("FLIGHTDECK_ETHNICITY_THRESHOLD", "1")
    profile = build_profile(store, FORCE, pd.Timestamp("2024-12-01"))
    assert profile.rule.count_max == 2
    assert profile.volumes_by_group["current"].tolist() == [15, 3, 12]
    assert profile.ethnicity.threshold == 1.0 and profile.ethnicity.passes


def test_latest_full_month(store):
    insert_case_load(store, [crime("a", "2024-01-10")], as_of="2024-11-30")
    assert latest_full_month(store, FORCE) == pd.Timestamp("2024-11-01")
    insert_case_load(store, [crime("a", "2024-01-10")], as_of="2024-12-30")
    assert latest_full_month(store, FORCE) == pd.Timestamp("2024-11-01")


def test_a_force_without_case_data(store):
    with pytest.raises(NoCaseData, match="demo-eastvale"):
        latest_full_month(store, "demo-eastvale")
    with pytest.raises(NoCaseData):
        build_profile(store, "demo-eastvale", pd.Timestamp("2024-12-01"))
