"""The suspect lists on small hand-built stores, each expected list worked out here from the
catalogue's rules: the window's edges, the order of each list and its tie-breaks, suspects in two
forces, cancelled crimes, and the disruption read from all of a suspect's crimes to the month
end. Month 2025-06: E = 2025-06-30, the window [2024-07-01, 2025-06-30]."""

import datetime as dt

import pytest

from flightdeck import access
from flightdeck.suspects import lists
from flightdeck.suspects.scope import SuspectsRefused
from helpers.kpis import FORCE, OTHER_FORCE, crime
from helpers.store import insert_case_load

ANALYST = access.User("ana", "analyst")
JUNE = dt.date(2025, 6, 1)
AS_OF = "2025-07-10"
RAPE, CHILD_RAPE, ASSAULT = 1825, 2920, 182  # 19C, 19E, 20A


def listed(con, which: str, force: str = FORCE, month: dt.date = JUNE) -> list[tuple]:
    frame = lists.suspect_list(con, ANALYST, force, month, which)
    return [tuple(row) for row in frame[["rank", "suspect_id", "crimes", "harm"]].to_numpy()]


def row_of(con, suspect: str, which: str = "harm") -> dict:
    frame = lists.suspect_list(con, ANALYST, FORCE, JUNE, which)
    return frame[frame["suspect_id"] == suspect].iloc[0].to_dict()


def test_the_columns_are_the_catalogues(store):
    insert_case_load(store, [crime("C1", "2025-06-01", suspect_id="A")], AS_OF)
    for which in lists.LISTS:
        frame = lists.suspect_list(store, ANALYST, FORCE, JUNE, which)
        extra = ("score",) if which == "rfg" else ()
        assert tuple(frame.columns) == lists.COLUMNS + extra


def test_the_window_runs_from_364_days_before_the_month_end_to_it(store):
    insert_case_load(
        store,
        [
            crime("C1", "2024-07-01", suspect_id="A"),  # E - 364: in
            crime("C2", "2025-06-30", suspect_id="A"),  # E: in
            crime("C3", "2024-06-30", suspect_id="B"),  # E - 365: out
            crime("C4", "2025-01-01", suspect_id="B"),
            crime("C5", "2025-07-01", suspect_id="C"),  # after E: out
            crime("C6", "2025-03-01"),  # no named suspect
        ],
        AS_OF,
    )
    assert listed(store, "frequency") == [(1, "A", 2, 2 * RAPE)]
    assert listed(store, "harm") == [(1, "A", 2, 2 * RAPE), (2, "B", 1, RAPE)]
    assert row_of(store, "B")["last_recorded"] == dt.date(2025, 1, 1)


def test_frequency_ties_go_to_harm_then_the_latest_crime_then_the_suspect_id(store):
    crimes = [
        *(crime(f"P{i}", f"2025-01-0{i}", suspect_id="P") for i in (1, 2, 3)),
        crime("Q1", "2025-02-01", suspect_id="Q"),
        crime("Q2", "2025-02-02", suspect_id="Q", offence_code="19E"),
        crime("R1", "2025-03-01", suspect_id="R"),
        crime("R2", "2025-06-01", suspect_id="R"),
        crime("S1", "2025-03-01", suspect_id="S"),
        crime("S2", "2025-05-01", suspect_id="S"),
        crime("T1", "2025-03-02", suspect_id="T"),
        crime("T2", "2025-05-01", suspect_id="T"),
        crime("U1", "2025-06-20", suspect_id="U", offence_code="19E"),  # one crime: not listed
    ]
    insert_case_load(store, crimes, AS_OF)
    assert listed(store, "frequency") == [
        (1, "P", 3, 3 * RAPE),  # most crimes
        (2, "Q", 2, RAPE + CHILD_RAPE),  # 2 crimes, more harm
        (3, "R", 2, 2 * RAPE),  # same harm, latest crime 2025-06-01
        (4, "S", 2, 2 * RAPE),  # same latest crime as T: suspect id
        (5, "T", 2, 2 * RAPE),
    ]


def test_harm_ties_go_to_crimes_then_the_latest_crime_then_the_suspect_id(store):
    crimes = [
        # 8 rapes and 5 rapes of a child under 13 weigh the same: 14,600 days
        *(crime(f"HB{i}", f"2025-01-0{i + 1}", suspect_id="HB") for i in range(8)),
        *(crime(f"HA{i}", f"2025-02-0{i + 1}", suspect_id="HA", offence_code="19E")
          for i in range(5)),
        crime("HC", "2025-06-15", suspect_id="HC"),
        crime("HD", "2025-06-10", suspect_id="HD"),
        crime("HF", "2025-03-01", suspect_id="HF"),
        crime("HE", "2025-03-01", suspect_id="HE"),
        crime("HG", "2025-06-29", suspect_id="HG", offence_code="20A"),
    ]  # fmt: skip
    insert_case_load(store, crimes, AS_OF)
    assert 8 * RAPE == 5 * CHILD_RAPE
    assert listed(store, "harm") == [
        (1, "HB", 8, 8 * RAPE),  # same harm as HA, more crimes
        (2, "HA", 5, 5 * CHILD_RAPE),
        (3, "HC", 1, RAPE),  # latest crime first
        (4, "HD", 1, RAPE),
        (5, "HE", 1, RAPE),  # same day as HF: suspect id
        (6, "HF", 1, RAPE),
        (7, "HG", 1, ASSAULT),
    ]
    assert listed(store, "frequency") == [(1, "HB", 8, 8 * RAPE), (2, "HA", 5, 5 * CHILD_RAPE)]


def test_the_rfg_list_orders_by_score_then_as_for_harm(store):
    crimes = [
        # X: last crime 5 days before E (5), 2 crimes (2), 3,650 days (4): 11
        crime("X1", "2025-01-10", suspect_id="X"),
        crime("X2", "2025-06-25", suspect_id="X"),
        # Y: 200 days (2), 4 crimes (4), 7,300 days (5): 11; more harm than X
        *(crime(f"Y{i}", f"2024-12-1{i}", suspect_id="Y") for i in range(4)),
        # Z: 20 days (5), 1 crime (1), 2,920 days (3): 9
        crime("Z1", "2025-06-10", suspect_id="Z", offence_code="19E"),
    ]
    insert_case_load(store, crimes, AS_OF)
    frame = lists.suspect_list(store, ANALYST, FORCE, JUNE, "rfg")
    assert frame[["rank", "suspect_id", "score"]].values.tolist() == [
        [1, "Y", 11],
        [2, "X", 11],
        [3, "Z", 9],
    ]


def test_each_list_holds_the_first_10(store):
    crimes = [
        crime(f"C{n}-{i}", f"2025-0{i}-{10 + n:02d}", suspect_id=f"S{n:02d}")
        for n in range(12)
        for i in (1, 2)
    ]
    insert_case_load(store, crimes, AS_OF)
    for which in lists.LISTS:
        frame = lists.suspect_list(store, ANALYST, FORCE, JUNE, which)
        assert frame["rank"].tolist() == list(range(1, 11))
        # equal crimes and harm: the latest crime first
        assert frame["suspect_id"].tolist() == [f"S{n:02d}" for n in range(11, 1, -1)]


def test_a_suspect_id_in_two_forces_counts_only_the_forces_own_crimes(store):
    insert_case_load(
        store,
        [
            crime("C1", "2025-02-01", suspect_id="X"),
            crime("C2", "2025-03-01", suspect_id="X", force=OTHER_FORCE),
            crime("C3", "2025-04-01", suspect_id="X", force=OTHER_FORCE, offence_code="20A"),
        ],
        AS_OF,
    )
    assert listed(store, "frequency") == []
    assert listed(store, "harm") == [(1, "X", 1, RAPE)]
    assert listed(store, "frequency", OTHER_FORCE) == [(1, "X", 2, RAPE + ASSAULT)]


def test_cancelled_crimes_count_nowhere(store):
    insert_case_load(
        store,
        [
            crime("C1", "2025-02-01", suspect_id="X"),
            crime("C2", "2025-03-01", suspect_id="X", cancelled=True),
            crime("C3", "2024-01-01", suspect_id="X", cancelled=True, release_type="bail"),
            crime("C4", "2025-03-01", suspect_id="Y", cancelled=True),
        ],
        AS_OF,
    )
    assert listed(store, "harm") == [(1, "X", 1, RAPE)]
    assert row_of(store, "X")["open_crimes"] == 1
    assert row_of(store, "X")["on_bail"] is False


def test_disruption_reads_every_crime_to_the_month_end_not_only_the_window(store):
    before = dict(first_contact_date="2023-01-05", release_type="bail")
    insert_case_load(
        store,
        [
            # before the window: still open, on bail, referred, s63G, a bail breach
            crime("D1", "2023-01-01", suspect_id="D", ssrp_referral_date="2023-02-01",
                  s63g_application=True, bail_breach_date="2023-03-01", **before),
            crime("D2", "2025-06-01", suspect_id="D"),  # in the window, open
            # closed by E; its bail no longer counts
            crime("D3", "2025-01-01", suspect_id="D", release_type="bail", outcome_type="16",
                  outcome_date="2025-05-01", bail_breach_date="2025-02-01"),
            # closed only after E: open at E
            crime("D4", "2025-02-01", suspect_id="D", outcome_type="1",
                  outcome_date="2025-07-05"),
            # recorded after E: counts nowhere
            crime("D5", "2025-07-02", suspect_id="D", ssrp_referral_date="2025-07-03",
                  s63g_application=True),
            crime("E1", "2025-06-02", suspect_id="E", s63g_application=False,
                  ssrp_referral_date="2025-07-01", bail_breach_date="2025-07-01"),
        ],
        AS_OF,
    )  # fmt: skip
    d = row_of(store, "D")
    assert (d["crimes"], d["harm"], d["last_recorded"]) == (3, 3 * RAPE, dt.date(2025, 6, 1))
    assert (d["open_crimes"], d["on_bail"], d["ssrp"], d["s63g"], d["breaches"]) == (
        3, True, True, True, 2,
    )  # fmt: skip
    e = row_of(store, "E")  # a referral and a breach after E, no s63G application
    assert (e["open_crimes"], e["on_bail"], e["ssrp"], e["s63g"], e["breaches"]) == (
        1, False, False, False, 0,
    )  # fmt: skip


def test_breaches_count_bail_and_order_breach_dates_once_each(store):
    order = dict(civil_order_type="SHPO", civil_order_date="2024-10-01",
                 civil_order_outcome="granted", civil_order_outcome_date="2024-11-01")  # fmt: skip
    insert_case_load(
        store,
        [
            crime("B1", "2024-09-01", suspect_id="B", bail_breach_date="2024-09-20",
                  order_breach_date="2025-01-10", **order),
            # the same order breach on a second crime of the application: one date
            crime("B2", "2024-09-15", suspect_id="B", bail_breach_date="2024-09-25",
                  order_breach_date="2025-01-10", **order),
            crime("B3", "2025-03-01", suspect_id="B", order_breach_date="2025-08-01", **order),
        ],
        "2025-08-05",
    )  # fmt: skip
    assert row_of(store, "B")["breaches"] == 3  # 2 bail breach dates + 1 order breach date


def test_a_civil_order_granted_by_the_month_end_else_applied_else_blank(store):
    def application(outcome=None, outcome_date=None, date="2025-03-01") -> dict:
        return dict(civil_order_type="SHPO", civil_order_date=date,
                    civil_order_outcome=outcome, civil_order_outcome_date=outcome_date)  # fmt: skip

    insert_case_load(
        store,
        [
            crime("G1", "2025-02-01", suspect_id="G", **application("granted", "2025-06-30")),
            crime("A1", "2025-02-01", suspect_id="A", **application()),  # pending
            crime("L1", "2025-02-01", suspect_id="L", **application("granted", "2025-07-01")),
            crime("R1", "2025-02-01", suspect_id="R", **application("refused", "2025-05-01")),
            crime("F1", "2025-02-01", suspect_id="F", **application(date="2025-07-02")),
            crime("N1", "2025-02-01", suspect_id="N"),
            # an application before the window, granted: still in place
            crime("O1", "2023-02-01", suspect_id="O",
                  **application("granted", "2023-06-01", date="2023-03-01")),
            crime("O2", "2025-02-01", suspect_id="O"),
        ],
        AS_OF,
    )  # fmt: skip
    frame = lists.suspect_list(store, ANALYST, FORCE, JUNE, "harm")
    orders = dict(zip(frame["suspect_id"], frame["civil_order"], strict=True))
    assert orders == {
        "G": "granted",
        "A": "applied",
        "L": "applied",  # granted only after E
        "R": "applied",  # refused: an application all the same
        "F": None,  # applied only after E
        "N": None,
        "O": "granted",
    }


def test_victims_count_distinct_references_in_the_window(store):
    insert_case_load(
        store,
        [
            crime("C1", "2025-01-01", suspect_id="X", victim_id="V1"),
            crime("C2", "2025-02-01", suspect_id="X", victim_id="V1"),
            crime("C3", "2025-03-01", suspect_id="X", victim_id="V2"),
            crime("C4", "2025-04-01", suspect_id="X"),  # blank: not counted
            crime("C5", "2024-01-01", suspect_id="X", victim_id="V3"),  # before the window
            crime("C6", "2025-04-01", suspect_id="Y"),
        ],
        AS_OF,
    )
    assert row_of(store, "X")["victims"] == 2
    assert row_of(store, "Y")["victims"] == 0


def test_victims_are_blank_where_the_force_does_not_record_them(store):
    insert_case_load(
        store,
        [
            crime("C1", "2025-01-01", suspect_id="X"),
            crime("C2", "2025-02-01", suspect_id="X"),
            crime("C3", "2025-02-01", suspect_id="Z", force=OTHER_FORCE, victim_id="V1"),
        ],
        AS_OF,
    )
    for which in lists.LISTS:
        frame = lists.suspect_list(store, ANALYST, FORCE, JUNE, which)
        assert frame["victims"].isna().all()
    assert lists.list_csv(store, ANALYST, FORCE, JUNE, "harm").decode().splitlines()[2] == (
        "1,X,2,3650,,2025-02-01,2,False,,False,False,0"
    )


def test_a_month_not_ended_by_the_as_of_date_is_refused(store):
    insert_case_load(store, [crime("C1", "2025-06-01", suspect_id="X")], "2025-06-29")
    with pytest.raises(SuspectsRefused, match="2025-06 has not ended in demo-northmoor's case"):
        lists.suspect_list(store, ANALYST, FORCE, JUNE, "harm")
    # a month ending on the as-of date has ended
    insert_case_load(store, [crime("C1", "2025-06-01", suspect_id="X")], "2025-06-30")
    assert listed(store, "harm", month=dt.date(2025, 6, 30)) == [(1, "X", 1, RAPE)]


def test_a_force_without_case_data_and_an_unknown_list_are_refused(store):
    insert_case_load(store, [crime("C1", "2025-06-01", suspect_id="X")], AS_OF)
    with pytest.raises(SuspectsRefused, match="no case data for the force 'demo-eastvale'"):
        lists.suspect_list(store, ANALYST, OTHER_FORCE, JUNE, "harm")
    with pytest.raises(SuspectsRefused, match="no such list: choose frequency, harm, rfg"):
        lists.suspect_list(store, ANALYST, FORCE, JUNE, "worst")


def test_list_months_are_the_ended_months_with_a_named_suspect_in_their_window(store):
    insert_case_load(
        store,
        [
            crime("C1", "2024-03-15", suspect_id="X"),  # windows of 2024-03 .. 2025-02
            crime("C2", "2024-01-01"),  # no named suspect
            crime("C3", "2025-05-20", suspect_id="Y"),  # windows of 2025-05 ..
            crime("C4", "2025-05-20", suspect_id="W", force=OTHER_FORCE),
        ],
        "2025-07-30",  # July has not ended
    )
    months = lists.list_months(store, FORCE)
    expected = [dt.date(2025, 6, 1), dt.date(2025, 5, 1)] + [
        dt.date(2025 - (m <= 0), (m - 1) % 12 + 1, 1) for m in range(2, -10, -1)
    ]
    assert months == expected
    assert months[-1] == dt.date(2024, 3, 1) and dt.date(2025, 3, 1) not in months
    assert lists.list_months(store, "kent") == []


def test_an_applications_outcome_is_that_of_its_newest_load(store):
    pending = dict(civil_order_type="SRO", civil_order_date="2025-03-01")
    granted = pending | dict(civil_order_outcome="granted", civil_order_outcome_date="2025-06-15")
    insert_case_load(
        store,
        [crime("A1", "2025-02-01", suspect_id="A", **pending),
         crime("A2", "2025-02-10", suspect_id="A", **pending)],
        "2025-05-31",
    )  # fmt: skip
    # the later load updates only A2 (A1 is kept as it was): the newest row says granted
    insert_case_load(store, [crime("A2", "2025-02-10", suspect_id="A", **granted)], AS_OF)
    assert row_of(store, "A")["civil_order"] == "granted"
    assert row_of(store, "A")["crimes"] == 2
