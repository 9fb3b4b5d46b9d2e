"""K14 to K21 on hand-built crimes and workforce figures: expected figures worked out here."""

import pytest

from flightdeck.engine import refresh
from helpers.kpis import (
    FORCE,
    OTHER_FORCE,
    count,
    crime,
    load_and_refresh,
    plain,
    rate,
    rows,
    totals,
)
from helpers.store import insert_case_load, insert_workforce_load

THIRD_FORCE = "demo-westbury"


# K14 Civil order applications (force level) --------------------------------------------------
def test_k14_counts_distinct_suspects_per_month_force_total_only(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-01", suspect_id="s1", civil_order_type="SHPO",
                  civil_order_date="2024-03-01"),
            crime("b", "2024-01-02", suspect_id="s1", civil_order_type="SRO",
                  civil_order_date="2024-03-31", victim_age=14),  # s1 again in March: once
            crime("c", "2024-01-03", suspect_id="s2", civil_order_type="SHPO",
                  civil_order_date="2024-03-15", victim_gender="male"),
            crime("d", "2024-01-04", suspect_id="s3", civil_order_type="SHPO",
                  civil_order_date="2024-04-01"),
            crime("e", "2024-01-05", suspect_id="s4", civil_order_type="SRO",
                  civil_order_date="2024-03-10", cancelled=True),
            crime("g", "2024-01-06", suspect_id="s1", civil_order_type="SHPO",
                  civil_order_date="2024-04-20"),
        ],
        as_of="2024-06-30",
    )  # fmt: skip
    assert rows(store, "K14") == {
        ("2024-03-01", "All", "All"): count(2),  # s1, s2
        ("2024-04-01", "All", "All"): count(2),  # s3, s1
    }


# K15 Pre-charge bail rather than RUI ---------------------------------------------------------
def test_k15_bail_share_of_bail_or_rui_by_first_contact_month(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-04-01", suspect_id="s1", first_contact_date="2024-05-01",
                  release_type="bail"),
            crime("b", "2024-04-02", suspect_id="s2", first_contact_date="2024-05-31",
                  release_type="rui"),
            crime("c", "2024-04-03", suspect_id="s3", first_contact_date="2024-05-10",
                  release_type="charged"),  # neither bail nor RUI
            crime("d", "2024-04-04", suspect_id="s4", first_contact_date="2024-05-12",
                  release_type="bail", victim_gender="male"),
            crime("e", "2024-04-05", suspect_id="s5", release_type="bail"),  # no contact date
            crime("f", "2024-04-06", suspect_id="s6", first_contact_date="2024-06-01",
                  release_type="rui"),
        ],
        as_of="2024-06-30",
    )  # fmt: skip
    assert totals(store, "K15") == {"2024-05-01": rate(2, 3), "2024-06-01": rate(0, 1)}
    assert rows(store, "K15")[("2024-05-01", "All", "Male")] == rate(1, 1)


# K16 ISVA referral within 7 days, K17 needs assessment within 5 days (cohorts) -------------------
VICTIM_SERVICES = [
    crime("a", "2024-01-24", isva_referral_date="2024-01-31", vcop_assessment_date="2024-01-29"),
    crime("b", "2024-01-24", isva_referral_date="2024-02-01", vcop_assessment_date="2024-01-30"),
    crime("c", "2024-01-25"),  # neither: counted, not within
    crime("d", "2024-02-01", isva_referral_date="2024-02-02"),
]
# a: ISVA +7 (in), needs assessment +5 (in); b: ISVA +8 (out), assessment +6 (out).


def test_k16_isva_within_7_days_complete_on_the_seventh_day(store):
    load_and_refresh(store, VICTIM_SERVICES, as_of="2024-02-07")  # 2024-01-31 + 7
    assert totals(store, "K16") == {
        "2024-01-01": rate(1, 3),
        "2024-02-01": rate(1, 1, complete=False),
    }


def test_k16_incomplete_the_day_before(store):
    load_and_refresh(store, VICTIM_SERVICES, as_of="2024-02-06")
    assert totals(store, "K16")["2024-01-01"] == rate(1, 3, complete=False)
    assert totals(store, "K17")["2024-01-01"] == rate(1, 3)  # 5 days have passed


def test_k17_needs_assessment_within_5_days(store):
    load_and_refresh(store, VICTIM_SERVICES, as_of="2024-02-07")
    assert totals(store, "K17") == {
        "2024-01-01": rate(1, 3),
        "2024-02-01": rate(0, 1, complete=False),
    }


def test_k17_incomplete_until_five_days_after_month_end(store):
    load_and_refresh(store, VICTIM_SERVICES, as_of="2024-02-04")
    assert totals(store, "K17")["2024-01-01"] == rate(1, 3, complete=False)


# K18 Victim devices returned within 24 hours -------------------------------------------------
DEVICES = [
    crime("a", "2024-02-01", device_seized_date="2024-03-01", device_returned_date="2024-03-02"),
    crime("b", "2024-02-02", device_seized_date="2024-03-10", device_returned_date="2024-03-12"),
    crime("c", "2024-02-03", device_seized_date="2024-03-31"),  # not returned
    crime("d", "2024-02-04", device_seized_date="2024-03-15", device_returned_date="2024-03-15"),
]


@pytest.mark.parametrize(("as_of", "complete"), [("2024-03-31", False), ("2024-04-01", True)])
def test_k18_devices_back_within_a_day_complete_the_day_after_month_end(store, as_of, complete):
    load_and_refresh(store, DEVICES, as_of=as_of)
    assert totals(store, "K18") == {"2024-03-01": rate(2, 4, complete=complete)}


def test_k18_april_incomplete_while_march_complete(store):
    seized_in_april = crime(
        "e", "2024-02-05", device_seized_date="2024-04-01", device_returned_date="2024-04-01"
    )
    load_and_refresh(store, DEVICES + [seized_in_april], as_of="2024-04-01")
    assert totals(store, "K18") == {
        "2024-03-01": rate(2, 4),
        "2024-04-01": rate(1, 1, complete=False),
    }


# K19 DNA retention (s63G) applications -------------------------------------------------------
def test_k19_s63g_share_of_arrested_uncharged_outcomes(store):
    def arrested(crime_id, outcome, **extra):
        columns = {"suspect_id": "s" + crime_id, "first_contact_date": "2024-05-02",
                   "first_contact_type": "arrest", "outcome_type": outcome,
                   "outcome_date": "2024-06-10", **extra}  # fmt: skip
        return crime(crime_id, "2024-05-01", **columns)

    load_and_refresh(
        store,
        [
            arrested("a", "15", s63g_application=True),
            arrested("b", "9", s63g_application=False),
            arrested("c", "21"),  # blank: no application
            arrested("d", "15", s63g_application=True, first_contact_type="voluntary_interview"),
            arrested("e", "1", s63g_application=True),  # charged: not in scope
            arrested("f", "14", s63g_application=True),  # 14 is not in the list
            arrested("g", "18"),
        ],
        as_of="2024-06-30",
    )
    assert totals(store, "K19") == {"2024-06-01": rate(1, 3)}


# K20 Investigators with specialist training (force level) ---------------------------------------
def test_k20_trained_share_per_workforce_month(store):
    insert_case_load(store, [crime("a", "2024-01-05"), crime("b", "2024-01-06", force=OTHER_FORCE)],
                     as_of="2024-03-31")  # fmt: skip
    insert_workforce_load(
        store,
        [
            {"force": FORCE, "month": "2024-01-01", "in_post": 20, "trained": 5},
            {"force": FORCE, "month": "2024-02-01", "in_post": 0.5, "trained": 0.5},  # < 1 FTE
            {"force": FORCE, "month": "2024-03-01", "in_post": 12.5, "trained": 10},
            {"force": THIRD_FORCE, "month": "2024-01-01", "in_post": 4, "trained": 1},
        ],
    )
    # A later workforce load replaces FORCE's January.
    insert_workforce_load(store, [{"force": FORCE, "month": "2024-01-01", "in_post": 25,
                                   "trained": 10}])  # fmt: skip
    refresh.refresh(store)
    assert rows(store, "K20") == {
        ("2024-01-01", "All", "All"): rate(10, 25),
        ("2024-03-01", "All", "All"): plain((10, 12.5, 0.8, True)),
    }
    # Workforce figures count even for a force without case data here.
    assert rows(store, "K20", THIRD_FORCE) == {("2024-01-01", "All", "All"): rate(1, 4)}
    # A force with case data but no workforce figures: not feasible, so no rows.
    assert rows(store, "K20", OTHER_FORCE) == {}
    assert rows(store, "K21", OTHER_FORCE) == {}


# K21 Open investigations per investigator (force level) --------------------------------------
def test_k21_open_cases_at_month_end_per_fte(store):
    insert_case_load(
        store,
        [
            crime("a", "2024-01-10", victim_age=14),  # open throughout
            crime("b", "2024-01-20", outcome_type="1", outcome_date="2024-01-31"),  # closed on E
            crime("c", "2024-02-05", outcome_type="15", outcome_date="2024-03-01"),  # open at Feb E
            crime("d", "2024-02-29", cancelled=True),
        ],
        as_of="2024-03-15",
    )
    insert_workforce_load(
        store,
        [
            {"force": FORCE, "month": "2023-12-01", "in_post": 5, "trained": 1},  # no cases yet
            {"force": FORCE, "month": "2024-01-01", "in_post": 10, "trained": 2},
            {"force": FORCE, "month": "2024-02-01", "in_post": 8, "trained": 2},
            {"force": FORCE, "month": "2024-03-01", "in_post": 10, "trained": 2},  # E > as_of
        ],
    )
    refresh.refresh(store)
    assert rows(store, "K21") == {
        ("2023-12-01", "All", "All"): rate(0, 5),
        ("2024-01-01", "All", "All"): rate(1, 10),  # a
        ("2024-02-01", "All", "All"): rate(2, 8),  # a, c
    }
