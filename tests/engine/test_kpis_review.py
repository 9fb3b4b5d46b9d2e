"""Adversarial review of the KPI engine against the catalogue's words, on input the synthetic
generator never produces: cancellations and un-cancellations across loads, two forces with
different as-of dates, a rolled-back load, blank ages, window edges, empty months in the middle
of a series, outcomes on the as-of date. Every expected figure is worked out here by hand.
"""

import csv
import datetime as dt

from flightdeck import access, vocabulary
from flightdeck.engine import refresh, results
from flightdeck.store import loads
from helpers import independent
from helpers.kpis import (
    FORCE,
    OTHER_FORCE,
    count,
    crime,
    load_and_refresh,
    median,
    rate,
    rows,
    totals,
)
from helpers.store import insert_case_load, insert_workforce_load

NOT_FEASIBLE = "not_feasible"


def _flag(con, force: str, kpi_id: str) -> str:
    return con.execute(
        "SELECT flag FROM kpi_feasibility WHERE force = ? AND kpi_id = ?", [force, kpi_id]
    ).fetchone()[0]


def _as_of(con) -> dict:
    return {f: d.isoformat() for f, d in con.execute("SELECT * FROM force_as_of").fetchall()}


# Scope: the current version, not cancelled ------------------------------------------------------
def test_cancelled_in_a_later_load_disappears_and_an_uncancelled_crime_counts(store):
    insert_case_load(
        store,
        [
            crime("a", "2024-01-05", outcome_type="1", outcome_date="2024-01-20"),
            crime("b", "2024-01-06", outcome_type="15", outcome_date="2024-01-25"),
            crime("c", "2024-01-07", outcome_type="14", outcome_date="2024-01-26", cancelled=True),
            crime("d", "2024-01-08", cancelled=True),
        ],
        as_of="2024-02-29",
    )
    # The later extract cancels a, un-cancels d, and leaves b and c out (kept as they were).
    insert_case_load(
        store,
        [
            crime("a", "2024-01-05", outcome_type="1", outcome_date="2024-01-20", cancelled=True),
            crime("d", "2024-01-08"),
        ],
        as_of="2024-03-31",
    )
    refresh.refresh(store)
    # In scope: b (outcome 15 on 25 Jan) and d (open). a is cancelled now, c still is.
    assert totals(store, "K01") == {"2024-01-01": count(2)}
    assert totals(store, "K02") == {"2024-01-01": rate(0, 1)}  # b only, not charged
    assert totals(store, "K03") == {"2024-01-01": rate(0, 1)}  # c's outcome 14 is cancelled
    assert totals(store, "K04") == {"2024-01-01": rate(1, 1)}  # b
    # Open at each month end from January to March (as of 31 March): d only.
    assert totals(store, "K06") == {
        "2024-01-01": rate(0, 1),
        "2024-02-01": rate(0, 1),
        "2024-03-01": rate(0, 1),
    }


def test_a_month_with_only_cancelled_crimes_and_empty_months_in_a_series_have_no_rows(store):
    load_and_refresh(
        store,
        [
            crime("u", "2024-01-10", outcome_type="16", outcome_date="2024-01-20"),
            crime("x", "2024-02-10", cancelled=True),  # February: only a cancelled crime
            crime("v", "2024-03-05"),  # open
        ],
        as_of="2024-03-31",
    )
    assert totals(store, "K01") == {"2024-01-01": count(1), "2024-03-01": count(1)}
    assert totals(store, "K03") == {"2024-01-01": rate(1, 1)}  # u, outcome 16
    # Open at 31 Jan: none (u closed on 20 Jan); 29 Feb: none; 31 Mar: v. No zero rows.
    assert totals(store, "K06") == {"2024-03-01": rate(0, 1)}


# Two forces, different as-of dates, a rolled-back load ------------------------------------------
def test_two_forces_in_one_file_then_one_force_moves_on(store):
    identified = {"suspect_identified_date": "2024-03-12"}
    insert_case_load(
        store,
        [
            crime("x", "2024-03-10", suspect_id="s", **identified),
            crime("z", "2024-03-01", outcome_type="1", outcome_date="2024-04-15"),
            crime("y", "2024-03-10", force=OTHER_FORCE, suspect_id="s", **identified),
            crime("w", "2024-03-01", force=OTHER_FORCE, outcome_type="1",
                  outcome_date="2024-03-15"),
        ],
        as_of="2024-04-15",
    )  # fmt: skip
    # FORCE's next extract (as of 30 April) holds x only; z is kept as it was.
    insert_case_load(store, [crime("x", "2024-03-10", suspect_id="s", **identified)],
                     as_of="2024-04-30")  # fmt: skip
    refresh.refresh(store)
    assert _as_of(store) == {FORCE: "2024-04-30", OTHER_FORCE: "2024-04-15"}
    # K07 March (x, z / y, w): 31 Mar + 30 = 30 Apr <= 30 Apr for FORCE, not for OTHER_FORCE.
    assert totals(store, "K07") == {"2024-03-01": rate(1, 2)}
    assert totals(store, "K07", OTHER_FORCE) == {"2024-03-01": rate(1, 2, complete=False)}
    # The same suspect id in two forces is two different people: no repeat in either.
    assert totals(store, "K13") == {"2024-03-01": rate(0, 1)}
    assert totals(store, "K13", OTHER_FORCE) == {"2024-03-01": rate(0, 1)}
    # K06: FORCE 31 Mar open x, z; 30 Apr (= as_of) open x (z charged 15 Apr).
    assert totals(store, "K06") == {"2024-03-01": rate(0, 2), "2024-04-01": rate(0, 1)}
    # OTHER_FORCE: 31 Mar open y (w charged 15 Mar); April has not ended by 15 April.
    assert totals(store, "K06", OTHER_FORCE) == {"2024-03-01": rate(0, 1)}
    # Outcome-based: each crime in its own force, in its outcome month.
    assert totals(store, "K02") == {"2024-04-01": rate(1, 1)}
    assert totals(store, "K02", OTHER_FORCE) == {"2024-03-01": rate(1, 1)}


def test_a_rolled_back_latest_load_brings_back_the_earlier_as_of_and_versions(store):
    insert_case_load(
        store,
        [crime("a", "2024-03-05", isva_referral_date="2024-03-06"), crime("b", "2024-03-20")],
        as_of="2024-03-31",
    )
    insert_case_load(
        store,
        [
            crime("a", "2024-03-05", isva_referral_date="2024-03-06", cancelled=True),
            crime("c", "2024-04-02", isva_referral_date="2024-04-03"),
        ],
        as_of="2024-04-30",
        active=False,  # rolled back
    )
    refresh.refresh(store)
    assert _as_of(store) == {FORCE: "2024-03-31"}
    assert totals(store, "K01") == {"2024-03-01": count(2)}  # a (not cancelled again), b
    # 31 Mar + 7 = 7 Apr is after 31 Mar: counted so far, no value.
    assert totals(store, "K16") == {"2024-03-01": rate(1, 2, complete=False)}


# K06 window edges -------------------------------------------------------------------------------
def test_k06_edges_365_days_outcome_on_e_and_recorded_on_e(store):
    load_and_refresh(
        store,
        [
            crime("p", "2023-01-30"),  # open throughout; 31 Jan 2024 - 30 Jan 2023 = 366 days
            crime("q", "2023-01-31", outcome_type="1", outcome_date="2024-02-29"),  # 365 on 31 Jan
            crime("r", "2024-01-31", outcome_type="15", outcome_date="2024-02-01"),  # on E
        ],
        as_of="2024-04-30",
    )
    k06 = totals(store, "K06")
    # 31 Dec 2023: p (335 days), q (334 days); r not yet recorded.
    assert k06["2023-12-01"] == rate(0, 2)
    # 31 Jan 2024: p 366 > 365 (over), q 365 (not over), r recorded that day (0 days).
    assert k06["2024-01-01"] == rate(1, 3)
    # 29 Feb 2024: q's outcome is on E (closed), r closed 1 Feb: p only.
    assert k06["2024-02-01"] == rate(1, 1)
    # 30 April is the as-of date itself: that month counts.
    assert max(k06) == "2024-04-01"


def test_k06_month_ending_the_day_after_as_of_is_left_out(store):
    load_and_refresh(
        store,
        [crime("p", "2024-03-10"), crime("q", "2024-03-11", outcome_type="1",
                                          outcome_date="2024-04-01")],
        as_of="2024-04-29",
    )  # fmt: skip
    assert totals(store, "K06") == {"2024-03-01": rate(0, 2)}


# Cohorts ----------------------------------------------------------------------------------------
def test_k07_k08_cohort_edges_and_who_is_in_the_denominator(store):
    load_and_refresh(
        store,
        [
            # 31 Jan 2024 + 30 days = 1 Mar 2024 (leap year): within for both.
            crime("a", "2024-01-31", suspect_id="s1", suspect_identified_date="2024-03-01",
                  first_contact_date="2024-03-01"),
            # identified at + 31 (not within); first contact at + 30 (within).
            crime("b", "2024-01-10", suspect_id="s2", suspect_identified_date="2024-02-10",
                  first_contact_date="2024-02-09"),
            crime("c", "2024-01-15"),  # no named suspect: in K07's denominator, not K08's
            crime("d", "2024-01-20", suspect_id="s3"),  # blank dates: denominators only
        ],
        as_of="2024-03-01",  # 31 Jan + 30: January complete for K07 and K08
    )  # fmt: skip
    assert totals(store, "K07") == {"2024-01-01": rate(1, 4)}  # a of a, b, c, d
    assert totals(store, "K08") == {"2024-01-01": rate(2, 3)}  # a, b of a, b, d
    # K09 by first-contact month: b 30 days (Feb), a 30 days (Mar).
    assert totals(store, "K09") == {"2024-02-01": median(30, 1), "2024-03-01": median(30, 1)}


def test_a_crime_recorded_on_the_as_of_date(store):
    load_and_refresh(
        store,
        [crime("a", "2024-04-30", vcop_assessment_date="2024-04-30", outcome_type="1",
               outcome_date="2024-04-30", charge_date="2024-04-30")],
        as_of="2024-04-30",
    )  # fmt: skip
    assert totals(store, "K01") == {"2024-04-01": count(1)}
    assert totals(store, "K17") == {"2024-04-01": rate(1, 1, complete=False)}  # 30 Apr + 5 > as_of
    # Given an outcome on the as-of date: outcome-based KPIs are never provisional.
    assert totals(store, "K02") == {"2024-04-01": rate(1, 1)}
    assert totals(store, "K05") == {"2024-04-01": median(0, 1)}  # same-day charge: 0 days
    assert totals(store, "K06") == {}  # charged on E = 30 April: not open at E


# K05 --------------------------------------------------------------------------------------------
def test_k05_charge_event_date_zero_and_negative_differences_and_even_median(store):
    load_and_refresh(
        store,
        [
            # charge_date blank: the outcome date is the charge event; 0 days.
            crime("a", "2024-03-01", victim_age=None, outcome_type="1", outcome_date="2024-03-01"),
            # 1A counts as charged; charge_date (11 Mar) wins over the outcome date (April).
            # 1 Feb -> 1 Mar is 29 days (leap year), -> 11 Mar is 39.
            crime("b", "2024-02-01", outcome_type="1A", charge_date="2024-03-11",
                  outcome_date="2024-04-02"),
            # charge_date on a crime not charged (outcome 15): not a charge.
            crime("c", "2024-03-05", outcome_type="15", charge_date="2024-03-10",
                  outcome_date="2024-03-20"),
            # charged 2 days before it was recorded: a data error, left out.
            crime("d", "2024-03-10", outcome_type="1", charge_date="2024-03-08",
                  outcome_date="2024-03-12"),
            # 10 Jan -> 20 Mar: 21 + 29 + 20 = 70 days.
            crime("e", "2024-01-10", outcome_type="1", outcome_date="2024-03-20"),
            # charge_date 3 Mar, outcome in May: 2 days, in March.
            crime("f", "2024-03-01", outcome_type="1", charge_date="2024-03-03",
                  outcome_date="2024-05-01"),
        ],
        as_of="2024-06-30",
    )  # fmt: skip
    # March: 0, 2, 39, 70 -> median (2 + 39) / 2 = 20.5 over 4 crimes; no April or May row.
    assert totals(store, "K05") == {"2024-03-01": median(20.5, 4)}
    k05 = rows(store, "K05")
    assert k05[("2024-03-01", "Unknown", "All")] == median(0, 1)  # a
    assert k05[("2024-03-01", "25-34", "All")] == median(39, 3)  # b, e, f: 2, 39, 70
    # K02 by outcome month: March a, c, d, e (charged a, d, e); April b; May f.
    assert totals(store, "K02") == {
        "2024-03-01": rate(3, 4),
        "2024-04-01": rate(1, 1),
        "2024-05-01": rate(1, 1),
    }
    # charge_date on charged crimes: b, d, f of a, b, d, e, f = 60 % < 80 %.
    assert _flag(store, FORCE, "K05") == "partial"


# Outcome-based filters --------------------------------------------------------------------------
def test_k10_named_suspect_given_an_outcome_referred_on_or_before_it(store):
    base = {"recorded_date": "2024-04-01"}
    load_and_refresh(
        store,
        [
            crime("a", suspect_id="s1", outcome_type="1", outcome_date="2024-05-10",
                  cps_referral_date="2024-05-10", **base),  # referred on the day: yes
            crime("b", suspect_id="s2", outcome_type="15", outcome_date="2024-05-12",
                  cps_referral_date="2024-05-13", **base),  # referred after: no
            crime("c", suspect_id="s3", outcome_type="14", outcome_date="2024-05-15",
                  **base),  # never referred: no
            crime("d", outcome_type="14", outcome_date="2024-05-16",
                  cps_referral_date="2024-05-01", **base),  # no named suspect: left out
            crime("e", suspect_id="s4", cps_referral_date="2024-05-01", **base),  # open
            crime("f", suspect_id="s5", outcome_type="16", outcome_date="2024-06-30",
                  cps_referral_date="2024-06-01", **base),  # outcome on the as-of date
        ],
        as_of="2024-06-30",
    )  # fmt: skip
    assert totals(store, "K10") == {"2024-05-01": rate(1, 3), "2024-06-01": rate(1, 1)}
    # No early advice recorded anywhere: K12 is not feasible and has no rows.
    assert _flag(store, FORCE, "K12") == NOT_FEASIBLE
    assert totals(store, "K12") == {}


def test_k19_arrested_and_outcome_in_the_list_blank_s63g_is_not_true(store):
    arrested = {"suspect_id": "s", "first_contact_date": "2024-02-01",
                "first_contact_type": "arrest"}  # fmt: skip
    interviewed = {**arrested, "first_contact_type": "voluntary_interview"}
    out = {"outcome_date": "2024-04-10"}
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-05", outcome_type="9", s63g_application=True, **arrested, **out),
            crime("b", "2024-01-05", outcome_type="16", **arrested, **out),  # s63g blank
            crime("c", "2024-01-05", outcome_type="14", s63g_application=True, **arrested,
                  **out),  # 14 not in the list
            crime("d", "2024-01-05", outcome_type="10", s63g_application=True, **interviewed,
                  **out),  # not arrested
            crime("e", "2024-01-05", outcome_type="1", s63g_application=True, **arrested, **out),
            crime("f", "2024-01-05", suspect_id="t", outcome_type="12", s63g_application=True,
                  **out),  # first contact type blank
            crime("g", "2024-01-05", outcome_type="21", s63g_application=False, **arrested,
                  **out),
            crime("h", "2024-01-05", s63g_application=True, **arrested),  # no outcome
        ],
        as_of="2024-06-30",
    )  # fmt: skip
    assert totals(store, "K19") == {"2024-04-01": rate(1, 3)}  # a of a, b, g


def test_k15_only_bail_or_rui_after_a_first_contact_in_the_month(store):
    def contact(crime_id, day, release):
        return crime(crime_id, "2024-02-01", suspect_id="s", first_contact_date=day,
                     release_type=release)  # fmt: skip

    load_and_refresh(
        store,
        [
            contact("a", "2024-03-01", "bail"),
            contact("b", "2024-03-31", "rui"),
            contact("c", "2024-03-05", "charged"),
            contact("d", "2024-03-05", "nfa"),
            contact("e", "2024-03-05", None),
            contact("f", None, "bail"),  # no first contact date: no month
            contact("g", "2024-04-01", "rui"),
        ],
        as_of="2024-06-30",
    )
    assert totals(store, "K15") == {"2024-03-01": rate(1, 2), "2024-04-01": rate(0, 1)}


def test_k18_returned_at_most_one_day_later_and_complete_the_day_after_month_end(store):
    def device(crime_id, seized, returned):
        return crime(crime_id, "2024-02-01", device_seized_date=seized,
                     device_returned_date=returned)  # fmt: skip

    devices = [
        device("a", "2024-03-10", "2024-03-10"),  # 0 days: within
        device("b", "2024-03-10", "2024-03-11"),  # 1 day: within
        device("c", "2024-03-10", "2024-03-12"),  # 2 days: not
        device("d", "2024-03-31", None),  # not returned: not within
        device("e", "2024-02-28", "2024-03-01"),  # 2 days (29 Feb between): not
        device("f", "2024-02-29", "2024-03-01"),  # 1 day: within
    ]
    load_and_refresh(store, devices, as_of="2024-04-01")
    assert totals(store, "K18") == {"2024-02-01": rate(1, 2), "2024-03-01": rate(2, 4)}


def test_k18_month_incomplete_on_its_last_day(store):
    load_and_refresh(
        store,
        [crime("a", "2024-03-01", device_seized_date="2024-03-30",
               device_returned_date="2024-03-31")],
        as_of="2024-03-31",
    )  # fmt: skip
    assert totals(store, "K18") == {"2024-03-01": rate(1, 1, complete=False)}


# K13 and K14 ------------------------------------------------------------------------------------
def test_k13_window_edges_same_day_later_cancelled_and_other_force(store):
    # 1 Mar 2024 minus 1,094 days is 3 Mar 2021 (the span holds 29 Feb 2024); minus 1,095 is
    # 2 Mar 2021. The window is the 1,095 days 3 Mar 2021 .. 1 Mar 2024, inclusive.
    day = "2024-03-01"
    load_and_refresh(
        store,
        [
            crime("x1", "2021-03-03", suspect_id="s1"),
            crime("x", day, suspect_id="s1"),  # x1 is 1,094 days back: repeat
            crime("y1", "2021-03-02", suspect_id="s2"),
            crime("y", day, suspect_id="s2"),  # y1 is 1,095 days back: outside
            crime("z", day, suspect_id="s3"),
            crime("z2", day, suspect_id="s3"),  # same day: both repeats
            crime("w", day, suspect_id="s4"),  # w2 is later: w is not a repeat
            crime("w2", "2024-03-02", suspect_id="s4"),  # w one day back: repeat
            crime("v0", "2024-02-01", suspect_id="s5", cancelled=True),
            crime("v", day, suspect_id="s5"),  # only earlier crime cancelled: not a repeat
            crime("u0", "2024-02-01", suspect_id="s6", force=OTHER_FORCE),
            crime("u", day, suspect_id="s6"),  # earlier crime in another force: not a repeat
            crime("t", day),  # no named suspect: not counted
        ],
        as_of="2024-03-31",
    )
    assert totals(store, "K13") == {
        "2021-03-01": rate(0, 2),  # x1, y1
        "2024-03-01": rate(4, 8),  # x, z, z2, w2 of x, y, z, z2, w, w2, v, u
    }
    assert totals(store, "K13", OTHER_FORCE) == {"2024-02-01": rate(0, 1)}


def test_k14_distinct_suspects_per_force_and_month_force_total_only(store):
    def order(crime_id, suspect, kind, day, **more):
        return crime(crime_id, "2024-02-01", suspect_id=suspect, civil_order_type=kind,
                     civil_order_date=day, **more)  # fmt: skip

    load_and_refresh(
        store,
        [
            order("a", "s1", "SHPO", "2024-03-05"),
            order("b", "s1", "SRO", "2024-03-20"),  # same suspect, same month: once
            order("c", "s2", "SHPO", "2024-03-07"),
            order("d", "s1", "SHPO", "2024-04-02"),  # same suspect again in April
            order("e", "s3", "SHPO", "2024-03-09", cancelled=True),
            order("g", "s1", "SHPO", "2024-03-05", force=OTHER_FORCE),
        ],
        as_of="2024-06-30",
    )
    assert rows(store, "K14") == {
        ("2024-03-01", "All", "All"): count(2),  # s1, s2
        ("2024-04-01", "All", "All"): count(1),  # s1
    }
    assert rows(store, "K14", OTHER_FORCE) == {("2024-03-01", "All", "All"): count(1)}


# Breakdown labels -------------------------------------------------------------------------------
def test_blank_age_and_other_gender_breakdowns(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-05", victim_age=None, victim_gender="other"),
            crime("b", "2024-01-06", victim_age=16, victim_gender="other"),
        ],
        as_of="2024-01-31",
    )
    assert rows(store, "K01") == {
        ("2024-01-01", "All", "All"): count(2),
        ("2024-01-01", "Unknown", "All"): count(1),
        ("2024-01-01", "16-17", "All"): count(1),
        ("2024-01-01", "All", "Other"): count(2),
        ("2024-01-01", "Unknown", "Other"): count(1),
        ("2024-01-01", "16-17", "Other"): count(1),
    }


# Workforce KPIs ---------------------------------------------------------------------------------
def test_k21_needs_at_least_one_fte_and_an_ended_month(store):
    insert_case_load(store, [crime("a", "2024-01-10", outcome_type="1",
                                   outcome_date="2024-03-20")], as_of="2024-03-31")  # fmt: skip
    insert_workforce_load(
        store,
        [
            {"force": FORCE, "month": "2024-01-01", "in_post": 0.5, "trained": 0},  # < 1 FTE
            {"force": FORCE, "month": "2024-02-01", "in_post": 4, "trained": 1},
            {"force": FORCE, "month": "2024-03-01", "in_post": 2, "trained": 2},
            {"force": FORCE, "month": "2024-04-01", "in_post": 2, "trained": 2},  # not ended
        ],
    )
    refresh.refresh(store)
    # Open at 29 Feb: a (1); at 31 Mar: none (charged 20 Mar), still a row with 0.
    assert rows(store, "K21") == {
        ("2024-02-01", "All", "All"): rate(1, 4),
        ("2024-03-01", "All", "All"): rate(0, 2),
    }
    # K20 has no as-of window: April counts.
    assert totals(store, "K20") == {
        "2024-02-01": rate(1, 4),
        "2024-03-01": rate(2, 2),
        "2024-04-01": rate(2, 2),
    }


# The whole odd data set against the independent implementation ----------------------------------
def test_odd_input_agrees_with_the_independent_implementation(store):
    """All the odd cases above in one store (two forces, two loads, a rolled-back load)."""
    insert_case_load(
        store,
        [
            crime("a", "2023-01-30", victim_age=None, victim_gender="other"),
            crime("b", "2023-01-31", suspect_id="s1", outcome_type="1", outcome_date="2024-02-29",
                  first_contact_date="2023-01-20", first_contact_type="arrest"),
            crime("c", "2024-01-31", suspect_id="s1", suspect_identified_date="2024-03-01",
                  outcome_type="15", outcome_date="2024-02-01", s63g_application=True,
                  first_contact_date="2024-01-31", first_contact_type="arrest",
                  release_type="bail"),
            crime("d", "2024-02-10", cancelled=True, outcome_type="14", outcome_date="2024-02-11"),
            crime("e", "2024-03-01", suspect_id="s2", outcome_type="1A", charge_date="2024-03-01",
                  outcome_date="2024-03-05", cps_referral_date="2024-03-02",
                  device_seized_date="2024-03-01", device_returned_date="2024-03-02",
                  civil_order_type="SHPO", civil_order_date="2024-03-03"),
            crime("f", "2024-03-01", force=OTHER_FORCE, suspect_id="s1",
                  isva_referral_date="2024-03-08", vcop_assessment_date="2024-03-06"),
        ],
        as_of="2024-03-31",
    )  # fmt: skip
    insert_case_load(
        store,
        [crime("a", "2023-01-30", victim_age=None, victim_gender="other",
               outcome_type="16", outcome_date="2024-04-30")],
        as_of="2024-04-30",
    )  # fmt: skip
    insert_case_load(store, [crime("c", "2024-01-31", cancelled=True)], as_of="2024-05-31",
                     active=False)  # fmt: skip
    insert_workforce_load(store, [{"force": FORCE, "month": "2024-02-01", "in_post": 3,
                                   "trained": 1}])  # fmt: skip
    refresh.refresh(store)
    engine = independent.engine_rows(store)
    naive = independent.naive_rows(store)
    assert [r[:6] for r in engine] == [r[:6] for r in naive]
    for mine, theirs in zip(engine, naive, strict=True):
        assert all(independent.same(x, y) for x, y in zip(mine[6:], theirs[6:], strict=True)), (
            mine,
            theirs,
        )
    assert {r[0] for r in engine} >= {"K01", "K05", "K06", "K13", "K18", "K21"}
    # FORCE's as-of moved to 30 April with a's outcome on that day (closed at April's end).
    assert ("K02", FORCE, dt.date(2024, 4, 1), "All", "All", "All") in {r[:6] for r in engine}


# The latest as-of wins, not the latest loaded ---------------------------------------------------
def test_an_older_extract_loaded_later_does_not_move_as_of_back(store):
    insert_case_load(
        store, [crime("a", "2024-03-05", outcome_type="1", outcome_date="2024-04-10")],
        as_of="2024-04-30",
    )  # fmt: skip
    insert_case_load(store, [crime("a", "2024-03-05")], as_of="2024-03-31")  # loaded second
    refresh.refresh(store)
    assert _as_of(store) == {FORCE: "2024-04-30"}
    # a's current version is the 30 April one (charged 10 April): open at 31 March only.
    assert totals(store, "K02") == {"2024-04-01": rate(1, 1)}
    assert totals(store, "K06") == {"2024-03-01": rate(0, 1)}


def test_feasibility_reads_current_versions_only(store):
    insert_case_load(store, [crime("a", "2024-01-05", vcop_assessment_date="2024-01-06")],
                     as_of="2024-01-31")  # fmt: skip
    # The next extract blanks the column: the force no longer records it.
    insert_case_load(store, [crime("a", "2024-01-05")], as_of="2024-02-29")
    refresh.refresh(store)
    assert _flag(store, FORCE, "K17") == NOT_FEASIBLE
    assert totals(store, "K17") == {}


# End to end: a real file through the loader, out as CSV -----------------------------------------
def test_a_real_extract_with_blank_and_absent_columns_to_csv(store, tmp_path):
    extract = tmp_path / "extract.csv"
    extract.write_text(
        "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,outcome_type,"
        "outcome_date,s63g_application,first_contact_type,first_contact_date,suspect_id\n"
        f"{FORCE},a,05/01/2024,19C,,O,1,2024-02-10,,arrest,2024-01-20,s1\n"
        f"{FORCE},b,2024-01-06,19C,30,f,,,,,,\n",
        encoding="utf-8",
    )
    outcome = loads.load_case_files(
        store, [extract], as_of=dt.date(2024, 2, 29), user=access.User("ana", "analyst")
    )
    assert outcome.status == "loaded", outcome.message
    # s63g_application is present but entirely blank: K19 is not feasible (no rows).
    assert _flag(store, FORCE, "K19") == NOT_FEASIBLE
    # charge_date is absent: K05 still runs on the outcome date (partial: 0 % of 1).
    assert _flag(store, FORCE, "K05") == "partial"
    out = tmp_path / "results.csv"
    results.write_results_csv(store, out)
    with out.open(newline="", encoding="utf-8") as f:
        lines = list(csv.reader(f))
    assert lines[0] == vocabulary.RESULT_COLUMNS
    by_key = {tuple(r[:6]): r[6:] for r in lines[1:]}
    # a: blank age (Unknown), gender O (Other); b: 30 (25-34), female.
    assert by_key[("K01", FORCE, "2024-01-01", "All", "Unknown", "Other")] == ["1", "", "1", "true"]
    assert by_key[("K01", FORCE, "2024-01-01", "All", "All", "All")] == ["2", "", "2", "true"]
    # K05: 5 Jan -> 10 Feb = 36 days; K06 at 31 Jan: a and b open, at 29 Feb: b.
    assert by_key[("K05", FORCE, "2024-02-01", "All", "All", "All")] == ["", "1", "36", "true"]
    assert by_key[("K06", FORCE, "2024-01-01", "All", "All", "All")] == ["0", "2", "0", "true"]
    assert by_key[("K06", FORCE, "2024-02-01", "All", "All", "All")] == ["0", "1", "0", "true"]
    # K08 January: a (contact 15 days after report); 31 Jan + 30 > 29 Feb: provisional.
    assert by_key[("K08", FORCE, "2024-01-01", "All", "All", "All")] == ["1", "1", "", "false"]
    assert not any(k[0] == "K19" for k in by_key)
    assert [r[:6] for r in lines[1:]] == sorted(r[:6] for r in lines[1:])
