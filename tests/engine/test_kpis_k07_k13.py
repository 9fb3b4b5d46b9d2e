"""K07 to K13 on hand-built crimes: every expected figure is worked out in the test."""

import dataclasses

from flightdeck.engine import catalogue, refresh, results
from helpers.kpis import OTHER_FORCE, crime, load_and_refresh, median, plain, rate, rows, totals

# K07 Suspect identified within 30 days (cohort) ------------------------------------------------
SUSPECTS_IDENTIFIED = [
    crime("a", "2024-01-01", suspect_id="s1", suspect_identified_date="2024-01-31"),  # +30: in
    crime("b", "2024-01-02", suspect_id="s2", suspect_identified_date="2024-02-02"),  # +31: out
    crime("c", "2024-01-03"),  # no suspect yet: counted, not within
    crime("d", "2024-01-31", suspect_id="s3", suspect_identified_date="2024-01-20"),  # before
    crime("e", "2024-02-01", suspect_id="s4", suspect_identified_date="2024-02-05"),
    crime("f", "2024-02-29"),
    crime("g", "2024-01-15", suspect_id="s5", suspect_identified_date="2024-01-16",
          cancelled=True),
]  # fmt: skip


def test_k07_january_is_complete_exactly_30_days_after_its_last_day(store):
    load_and_refresh(store, SUSPECTS_IDENTIFIED, as_of="2024-03-01")  # 2024-01-31 + 30
    assert totals(store, "K07") == {
        "2024-01-01": rate(2, 4),
        # February + 30 days is 2024-03-30: counted so far, no value yet
        "2024-02-01": rate(1, 2, complete=False),
    }


def test_k07_january_is_incomplete_one_day_earlier(store):
    load_and_refresh(store, SUSPECTS_IDENTIFIED, as_of="2024-02-29")
    assert totals(store, "K07")["2024-01-01"] == rate(2, 4, complete=False)
    assert totals(store, "K07")["2024-01-01"][2] is None


def test_k07_incomplete_breakdown_rows_carry_counts_so_far(store):
    load_and_refresh(store, SUSPECTS_IDENTIFIED, as_of="2024-03-01")
    assert rows(store, "K07")[("2024-02-01", "25-34", "Female")] == rate(1, 2, complete=False)


# K08 Suspect arrested or interviewed within 30 days, K09 days to first contact ------------------
CONTACTS = [
    crime("a", "2024-01-10", suspect_id="s1", first_contact_date="2024-02-09"),  # +30: within
    crime("b", "2024-01-10", suspect_id="s2", first_contact_date="2024-02-10"),  # +31
    crime("c", "2024-01-11", suspect_id="s3"),  # no contact yet
    crime("d", "2024-01-12"),  # no named suspect: not in K08
    crime("e", "2024-02-20", suspect_id="s5", first_contact_date="2024-02-20"),  # same day
    crime("f", "2024-02-25", suspect_id="s6", first_contact_date="2024-02-24"),  # day before
]


def test_k08_named_suspect_crimes_contacted_within_30_days(store):
    load_and_refresh(store, CONTACTS, as_of="2024-06-30")
    assert totals(store, "K08") == {"2024-01-01": rate(1, 3), "2024-02-01": rate(2, 2)}


def test_k09_median_days_to_first_contact_leaves_out_negative_differences(store):
    load_and_refresh(store, CONTACTS, as_of="2024-06-30")
    # February contacts: a 30 days, b 31 days, e 0 days; f (-1 day) is a data error.
    assert totals(store, "K09") == {"2024-02-01": median(30, 3)}


# K10 CPS referral rate ---------------------------------------------------------------------
def test_k10_referred_on_or_before_the_outcome(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-01", suspect_id="s1", outcome_type="1", outcome_date="2024-03-10",
                  cps_referral_date="2024-03-10"),  # same day: referred
            crime("b", "2024-01-02", suspect_id="s2", outcome_type="15",
                  outcome_date="2024-03-20", cps_referral_date="2024-03-21"),  # after: not
            crime("c", "2024-01-03", suspect_id="s3", outcome_type="16",
                  outcome_date="2024-03-25"),  # never referred
            crime("d", "2024-01-04", outcome_type="18", outcome_date="2024-03-26",
                  cps_referral_date="2024-03-01"),  # no named suspect: not counted
            crime("e", "2024-01-05", suspect_id="s4", cps_referral_date="2024-03-02"),  # open
        ],
        as_of="2024-06-30",
    )  # fmt: skip
    assert totals(store, "K10") == {"2024-03-01": rate(1, 3)}


# K11 CPS charge rate on referral ---------------------------------------------------------------
def test_k11_charge_share_of_charge_or_nfa_decisions(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-01", cps_decision="charge", cps_decision_date="2024-04-01"),
            crime("b", "2024-01-02", cps_decision="nfa", cps_decision_date="2024-04-30"),
            crime("c", "2024-01-03", cps_decision="further_work", cps_decision_date="2024-04-15"),
            crime("d", "2024-01-04", cps_decision="charge", cps_decision_date="2024-05-01"),
            crime("e", "2024-01-05", cps_decision="nfa", cps_decision_date="2024-04-02",
                  cancelled=True),
        ],
        as_of="2024-06-30",
    )  # fmt: skip
    assert totals(store, "K11") == {"2024-04-01": rate(1, 2), "2024-05-01": rate(1, 1)}


# K12 Early investigative advice sought -----------------------------------------------------------
def test_k12_early_advice_on_or_before_referral(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-01", cps_referral_date="2024-04-10",
                  cps_early_advice_date="2024-04-01"),
            crime("b", "2024-01-02", cps_referral_date="2024-04-11",
                  cps_early_advice_date="2024-04-11"),  # same day counts
            crime("c", "2024-01-03", cps_referral_date="2024-04-12",
                  cps_early_advice_date="2024-04-13"),  # asked after referral
            crime("d", "2024-01-04", cps_referral_date="2024-04-13"),  # never asked
            crime("e", "2024-01-05", cps_early_advice_date="2024-04-13"),  # not referred
        ],
        as_of="2024-06-30",
    )  # fmt: skip
    assert totals(store, "K12") == {"2024-04-01": rate(2, 4)}


# K13 Repeat suspect share -------------------------------------------------------------------
REPEATS = [
    crime("a", "2021-01-01", suspect_id="s1"),
    crime("b", "2023-12-31", suspect_id="s1"),  # a is 1,094 days earlier: repeat
    crime("c", "2024-01-01", suspect_id="s1"),  # a is 1,095 days back (out); b 1 day: repeat
    crime("d", "2024-01-15", suspect_id="s2", victim_gender="male"),  # same-day pair: both
    crime("e", "2024-01-15", suspect_id="s2"),
    crime("f", "2024-01-20", suspect_id="s3"),  # s3's other crime is another force's
    crime("g", "2024-01-10", suspect_id="s3", force=OTHER_FORCE),
    crime("h", "2024-01-25", suspect_id="s4"),  # s4's other crime is cancelled
    crime("i", "2024-01-05", suspect_id="s4", cancelled=True),
    crime("j", "2024-01-28", suspect_id="s5"),  # s5's other crime comes later: not yet
    crime("k", "2024-02-05", suspect_id="s5"),  # ... but j counts for k
    crime("l", "2024-01-29"),  # no named suspect: not counted
    crime("m", "2021-01-01", suspect_id="s6"),
    crime("n", "2024-01-01", suspect_id="s6"),  # m is exactly 1,095 days back: not a repeat
]


def test_k13_repeat_suspects_within_1095_days(store):
    load_and_refresh(store, REPEATS, as_of="2024-06-30")
    assert totals(store, "K13") == {
        "2021-01-01": rate(0, 2),  # a, m
        "2023-12-01": rate(1, 1),  # b
        "2024-01-01": rate(3, 7),  # c, d, e of c, d, e, f, h, j, n
        "2024-02-01": rate(1, 1),  # k
    }
    assert rows(store, "K13")[("2024-01-01", "All", "Male")] == rate(1, 1)  # d
    assert totals(store, "K13", OTHER_FORCE) == {"2024-01-01": rate(0, 1)}


def test_k13_and_s01_read_the_crimes_of_suspects_named_twice_in_a_force(store):
    load_and_refresh(store, REPEATS, as_of="2024-06-30")
    found = store.execute(
        "SELECT force, suspect_id, recorded_date::VARCHAR, previous_recorded::VARCHAR, "
        "next_recorded::VARCHAR FROM repeat_suspect_crimes ORDER BY ALL"
    ).fetchall()
    # s3 (once in each force), s4 (its other crime cancelled) and f, l's suspects are not here;
    # the same-day pair d, e has each as the other's neighbour, whichever comes first.
    assert found == [
        ("demo-northmoor", "s1", "2021-01-01", None, "2023-12-31"),
        ("demo-northmoor", "s1", "2023-12-31", "2021-01-01", "2024-01-01"),
        ("demo-northmoor", "s1", "2024-01-01", "2023-12-31", None),
        ("demo-northmoor", "s2", "2024-01-15", "2024-01-15", None),
        ("demo-northmoor", "s2", "2024-01-15", None, "2024-01-15"),
        ("demo-northmoor", "s5", "2024-01-28", None, "2024-02-05"),
        ("demo-northmoor", "s5", "2024-02-05", "2024-01-28", None),
        ("demo-northmoor", "s6", "2021-01-01", None, "2024-01-01"),
        ("demo-northmoor", "s6", "2024-01-01", "2021-01-01", None),
    ]


def test_repeat_suspect_crimes_are_exact_when_every_suspect_key_collides(store):
    # The view finds suspects named twice by a hash of force and suspect id; were every hash
    # the same, each suspect would pass that test, and the view must still list only the
    # crimes of suspects named twice (s1, s2, s5, s6) with the same neighbours, and K13 must
    # still read 3 of 7 for January.
    load_and_refresh(store, REPEATS, as_of="2024-06-30")
    query = (
        "SELECT force, suspect_id, recorded_date::VARCHAR, previous_recorded::VARCHAR, "
        "next_recorded::VARCHAR FROM repeat_suspect_crimes ORDER BY ALL"
    )
    by_hash = store.execute(query).fetchall()
    store.execute("CREATE OR REPLACE MACRO suspect_key(force, suspect_id) AS 0::UBIGINT")
    colliding = store.execute(query).fetchall()
    assert colliding == by_hash
    assert {s for _, s, *_ in colliding} == {"s1", "s2", "s5", "s6"}
    k13 = next(k for k in catalogue.catalogue() if k.id == "K13")
    sql, parameters = refresh.result_query(k13)
    january = [
        plain(rest)
        for _, f, m, o, a, g, *rest in store.execute(sql, parameters).fetchall()
        if f == "demo-northmoor" and m.isoformat() == "2024-01-01" and (o, a, g) == ("All",) * 3
    ]
    assert january == [rate(3, 7)]


def test_k13_window_is_one_parameter(store):
    load_and_refresh(store, REPEATS, as_of="2024-06-30")
    k13 = next(k for k in catalogue.catalogue() if k.id == "K13")
    assert k13.parameters["repeat_window_days"] == 1095
    assert "1,095 days" in k13.definition
    wider = dataclasses.replace(k13, parameters={"repeat_window_days": 1096})
    sql, parameters = refresh.result_query(wider)
    found = {
        (m.isoformat(), a, g): plain(rest)
        for _, f, m, o, a, g, *rest in store.execute(sql, parameters).fetchall()
        if f == "demo-northmoor" and o == "All"
    }
    # With one more day, n (1,095 days after m) and c (1,095 days after a) both qualify;
    # c already did, so January gains n only.
    assert found[("2024-01-01", "All", "All")] == rate(4, 7)


def test_no_row_for_a_month_whose_denominator_is_empty(store):
    # March has recorded crimes but none with a named suspect: K01 has a row, K08 does not.
    load_and_refresh(store, CONTACTS + [crime("y", "2024-03-05"), crime("z", "2024-03-06")],
                     as_of="2024-06-30")  # fmt: skip
    assert "2024-03-01" in totals(store, "K01")
    assert {m for m, _, _ in rows(store, "K08")} == {"2024-01-01", "2024-02-01"}


def test_negative_differences_are_listed_for_data_quality(store):
    load_and_refresh(store, CONTACTS, as_of="2024-06-30")
    listed = results.negative_day_differences(store)
    assert listed[["kpi_id", "crime_id", "days"]].values.tolist() == [["K09", "f", -1]]
