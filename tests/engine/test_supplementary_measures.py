"""S01 to S06, the supplementary measures of suspect management, on hand-built crimes: the
same engine and results table as the 21 KPIs, force totals only; expected figures worked out
here."""

import datetime as dt
from pathlib import Path

import pytest

from flightdeck import access
from flightdeck.engine import catalogue
from flightdeck.engine.feasibility import FEASIBLE, NOT_FEASIBLE
from flightdeck.store import loads
from helpers.kpis import (
    FORCE,
    OTHER_FORCE,
    count,
    crime,
    load_and_refresh,
    rate,
    rows,
    totals,
)
from helpers.store import insert_case_load

ANALYST = access.User("ana", "analyst")


def month_counts(first: str, last: str, n: int = 1) -> dict:
    """{month: count(n)} for every month from `first` to `last` (first days), inclusive."""
    month, end, found = dt.date.fromisoformat(first), dt.date.fromisoformat(last), {}
    while month <= end:
        found[month.isoformat()] = count(n)
        month = (month + dt.timedelta(days=32)).replace(day=1)
    return found


def added(*counts: dict) -> dict:
    """Month-by-month sums of several {month: count(n)}."""
    total: dict[str, int] = {}
    for found in counts:
        for month, (n, *_) in found.items():
            total[month] = total.get(month, 0) + n
    return {month: count(n) for month, n in sorted(total.items())}


# The catalogue ---------------------------------------------------------------------------
def test_the_21_stay_the_flight_deck_and_s01_to_s06_are_supplementary():
    assert [k.id for k in catalogue.catalogue()] == [f"K{i:02d}" for i in range(1, 22)]
    supplementary = catalogue.supplementary()
    assert [k.id for k in supplementary] == [f"S{i:02d}" for i in range(1, 7)]
    assert all(k.force_level and k.pillar == "suspect management" for k in supplementary)
    assert {k.id: (k.kind, k.unit, k.direction) for k in supplementary} == {
        "S01": ("count", "suspects", "neutral"),
        "S02": ("count", "suspects", "up"),
        "S03": ("count", "suspects", "up"),
        "S04": ("rate", "fraction", "up"),
        "S05": ("count", "suspects", "neutral"),
        "S06": ("count", "suspects", "neutral"),
    }
    assert {k.id: k.requires for k in supplementary} == {
        "S01": ("suspect_id",),
        "S02": ("ssrp_referral_date",),
        "S03": ("civil_order_outcome", "civil_order_outcome_date"),
        "S04": ("civil_order_outcome", "civil_order_outcome_date"),
        "S05": ("bail_breach_date",),
        "S06": ("order_breach_date",),
    }
    s01 = catalogue.by_id()["S01"]
    assert s01.is_snapshot and s01.over_months == "mean"  # never summed over months
    assert s01.parameters == {"window_days": 365} and "365 days" in s01.definition
    assert all(k.complete_after_days is None for k in supplementary)


# S01 Repeat suspects (snapshot at month end) -------------------------------------------------
def test_s01_window_is_365_days_ending_at_the_month_end(store):
    load_and_refresh(
        store,
        [
            # 364 days apart: both in the window of 2024-12-31 ([2024-01-02, 2024-12-31]) only
            crime("a1", "2024-01-02", suspect_id="s1"),
            crime("a2", "2024-12-31", suspect_id="s1"),
            # 365 days apart: never in one window
            crime("b1", "2024-01-01", suspect_id="s2"),
            crime("b2", "2024-12-31", suspect_id="s2"),
        ],
        as_of="2025-06-30",
    )
    assert rows(store, "S01") == {("2024-12-01", "All", "All"): count(1)}


def test_s01_month_end_boundary_and_same_day_crimes(store):
    load_and_refresh(
        store,
        [
            # Not both by 2024-03-31; both from 2024-04-30 until 2025-03-30 (b1 + 364): the
            # month ends of April 2024 to February 2025.
            crime("b1", "2024-03-31", suspect_id="s3"),
            crime("b2", "2024-04-01", suspect_id="s3", offence_code="20A"),
            # The same day, a month end: May 2024 to April 2025 (2024-05-31 + 364 = 2025-05-30)
            crime("c1", "2024-05-31", suspect_id="s4"),
            crime("c2", "2024-05-31", suspect_id="s4", victim_gender="male"),
            crime("d", "2024-05-01"),  # no named suspect
        ],
        as_of="2025-06-30",
    )
    assert totals(store, "S01") == added(
        month_counts("2024-04-01", "2025-02-01"), month_counts("2024-05-01", "2025-04-01")
    )
    assert all(v[3] for v in totals(store, "S01").values())  # a snapshot of an ended month


def test_s01_in_each_force_with_its_own_crimes_up_to_the_as_of_date(store):
    load_and_refresh(
        store,
        [
            crime("a1", "2024-02-10", suspect_id="s5"),
            crime("a2", "2024-02-20", suspect_id="s5", cancelled=True),  # not in scope
            crime("b1", "2024-02-10", suspect_id="s6"),
            crime("b2", "2024-02-11", suspect_id="s6", force=OTHER_FORCE),  # another force
            crime("b3", "2024-04-01", suspect_id="s6"),  # s6's second crime in FORCE
            crime("c1", "2024-02-01", suspect_id="s7", force=OTHER_FORCE),
            crime("c2", "2024-03-01", suspect_id="s7", force=OTHER_FORCE),
            crime("d1", "2024-01-05", suspect_id="s8"),
            crime("d2", "2024-01-06", suspect_id="s8"),
        ],
        as_of="2024-06-15",  # June has not ended: no June row
    )
    # FORCE: s8 from January, s6 from April; OTHER_FORCE: s7 from March; up to May.
    assert totals(store, "S01") == added(
        month_counts("2024-01-01", "2024-05-01"), month_counts("2024-04-01", "2024-05-01")
    )
    assert totals(store, "S01", OTHER_FORCE) == month_counts("2024-03-01", "2024-05-01")


# S02, S05, S06: distinct suspects by one date ------------------------------------------------
@pytest.mark.parametrize(
    "kpi_id, column",
    [("S02", "ssrp_referral_date"), ("S05", "bail_breach_date"), ("S06", "order_breach_date")],
)
def test_distinct_suspects_with_the_date_in_the_month(store, kpi_id, column):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-01", suspect_id="s1", **{column: "2024-03-01"}),
            crime("b", "2024-01-02", suspect_id="s1", **{column: "2024-03-31"}),  # s1 again
            crime("c", "2024-01-03", suspect_id="s2", victim_age=14, **{column: "2024-03-15"}),
            crime("d", "2024-01-04", suspect_id="s3", cancelled=True, **{column: "2024-03-10"}),
            crime("e", "2024-01-05", suspect_id="s1", **{column: "2024-04-01"}),
            crime("f", "2024-01-06", suspect_id="s4", force=OTHER_FORCE, **{column: "2024-03-02"}),
            crime("g", "2024-01-07", suspect_id="s5"),  # no date
        ],
        as_of="2024-06-30",
    )
    assert rows(store, kpi_id) == {
        ("2024-03-01", "All", "All"): count(2),  # s1, s2
        ("2024-04-01", "All", "All"): count(1),  # s1
    }
    assert rows(store, kpi_id, OTHER_FORCE) == {("2024-03-01", "All", "All"): count(1)}


# S03 Civil orders granted, S04 grant rate: applications ----------------------------------------
def order(suspect, order_type, applied, outcome=None, decided=None, **columns) -> dict:
    return {
        "suspect_id": suspect,
        "civil_order_type": order_type,
        "civil_order_date": applied,
        "civil_order_outcome": outcome,
        "civil_order_outcome_date": decided,
        **columns,
    }


APPLICATIONS = [
    # s1's SHPO, on two crimes: one application
    crime("a", "2024-01-01", **order("s1", "SHPO", "2024-01-10", "granted", "2024-03-05")),
    crime("b", "2024-01-02", **order("s1", "SHPO", "2024-01-10", "granted", "2024-03-05")),
    # s1's SRO: a second application, granted in the same month (one suspect for S03)
    crime("c", "2024-01-03", **order("s1", "SRO", "2024-02-01", "granted", "2024-03-20")),
    crime("d", "2024-01-04", **order("s2", "SHPO", "2024-02-01", "refused", "2024-03-25")),
    crime("e", "2024-01-05", **order("s3", "SHPO", "2024-02-01", "withdrawn", "2024-03-26")),
    crime("f", "2024-01-06", **order("s4", "SHPO", "2024-02-15")),  # pending
    crime("g", "2024-01-07", **order("s5", "SRO", "2024-02-01", "granted", "2024-04-02")),
    crime("h", "2024-01-08", cancelled=True,
          **order("s6", "SHPO", "2024-02-01", "granted", "2024-03-15")),
    crime("i", "2024-01-09", victim_gender="male",
          **order("s7", "SHPO", "2024-01-20", "granted", "2024-03-31")),
]  # fmt: skip


def test_s03_distinct_suspects_granted_and_s04_share_of_decided_applications(store):
    load_and_refresh(store, APPLICATIONS, as_of="2024-06-30")
    assert rows(store, "S03") == {
        ("2024-03-01", "All", "All"): count(2),  # s1 (two orders), s7
        ("2024-04-01", "All", "All"): count(1),  # s5
    }
    # March: s1's SHPO (once, though on two crimes), s1's SRO, s7's granted; s2's refused.
    # Withdrawn (s3) and pending (s4) applications are not decided; s6's crime is cancelled.
    assert rows(store, "S04") == {
        ("2024-03-01", "All", "All"): rate(3, 4),
        ("2024-04-01", "All", "All"): rate(1, 1),
    }


def test_an_application_whose_rows_disagree_takes_its_row_of_the_newest_load(store):
    insert_case_load(
        store,
        [
            crime("x", "2024-01-01", **order("s1", "SHPO", "2024-01-10")),
            crime("y", "2024-01-02", **order("s1", "SHPO", "2024-01-10")),
            crime("p", "2024-01-03", **order("s2", "SRO", "2024-02-01", "granted", "2024-04-10")),
            crime("q", "2024-01-04", **order("s2", "SRO", "2024-02-01", "granted", "2024-04-10")),
        ],
        as_of="2024-04-30",
    )
    # The later load updates one crime of each application: s1's is granted, s2's corrected to
    # refused. y and q keep their versions of the first load.
    load_and_refresh(
        store,
        [
            crime("x", "2024-01-01", **order("s1", "SHPO", "2024-01-10", "granted", "2024-05-03")),
            crime("p", "2024-01-03", **order("s2", "SRO", "2024-02-01", "refused", "2024-05-20")),
        ],
        as_of="2024-05-31",
    )  # fmt: skip
    assert store.execute(
        "SELECT suspect_id, civil_order_type, civil_order_date, civil_order_outcome, "
        "civil_order_outcome_date FROM civil_order_applications ORDER BY suspect_id"
    ).fetchall() == [
        ("s1", "SHPO", dt.date(2024, 1, 10), "granted", dt.date(2024, 5, 3)),
        ("s2", "SRO", dt.date(2024, 2, 1), "refused", dt.date(2024, 5, 20)),
    ]
    assert totals(store, "S03") == {"2024-05-01": count(1)}  # s1; nothing in April
    assert totals(store, "S04") == {"2024-05-01": rate(1, 2)}


# Feasibility, force totals, the ordinary load -----------------------------------------------
def test_a_measure_whose_column_is_not_recorded_is_not_feasible_and_has_no_rows(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-01", suspect_id="s1", ssrp_referral_date="2024-02-01"),
            crime("b", "2024-01-02", suspect_id="s1"),
        ],
        as_of="2024-03-31",
    )
    flags = dict(
        store.execute(
            "SELECT kpi_id, flag FROM kpi_feasibility WHERE force = ? AND kpi_id LIKE 'S%'",
            [FORCE],
        ).fetchall()
    )
    assert flags == {
        "S01": FEASIBLE, "S02": FEASIBLE, "S03": NOT_FEASIBLE, "S04": NOT_FEASIBLE,
        "S05": NOT_FEASIBLE, "S06": NOT_FEASIBLE,
    }  # fmt: skip
    reason = store.execute(
        "SELECT reason FROM kpi_feasibility WHERE force = ? AND kpi_id = 'S03'", [FORCE]
    ).fetchone()[0]
    assert reason == (
        "civil_order_outcome, civil_order_outcome_date not recorded (absent or entirely blank)"
    )
    found = store.execute("SELECT DISTINCT kpi_id FROM kpi_results WHERE kpi_id LIKE 'S%'")
    assert sorted(k for (k,) in found.fetchall()) == ["S01", "S02"]


def test_force_totals_only(store):
    load_and_refresh(store, APPLICATIONS, as_of="2024-06-30")
    cuts = store.execute(
        "SELECT DISTINCT offence_group, age_band, gender FROM kpi_results WHERE kpi_id LIKE 'S%'"
    ).fetchall()
    assert cuts == [("All", "All", "All")]


HEADER = (
    "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,suspect_id,"
    "civil_order_type,civil_order_date,civil_order_outcome,civil_order_outcome_date,"
    "ssrp_referral_date"
)


def _extract(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_s_rows_reach_the_results_table_through_an_ordinary_load(store, tmp_path):
    first = _extract(
        tmp_path / "april.csv",
        [
            "demo-northmoor,C1,2024-01-10,19C,25,female,S1,SHPO,2024-02-01,,,2024-02-05",
            "demo-northmoor,C2,2024-03-11,20A,15,female,S1,SHPO,2024-02-01,,,",
        ],
    )
    outcome = loads.load_case_files(store, [first], as_of=dt.date(2024, 4, 30), user=ANALYST)
    assert outcome.status == "loaded", outcome.message
    assert totals(store, "S01") == {"2024-03-01": count(1), "2024-04-01": count(1)}
    assert totals(store, "S02") == {"2024-02-01": count(1)}
    # A later extract holds C1 only, now granted: the application takes that outcome.
    second = _extract(
        tmp_path / "may.csv",
        ["demo-northmoor,C1,2024-01-10,19C,25,female,S1,SHPO,2024-02-01,granted,2024-05-02,"],
    )
    outcome = loads.load_case_files(store, [second], as_of=dt.date(2024, 5, 31), user=ANALYST)
    assert outcome.status == "loaded", outcome.message
    assert totals(store, "S03") == {"2024-05-01": count(1)}
    assert totals(store, "S04") == {"2024-05-01": rate(1, 1)}
    assert set(totals(store, "S01")) == {"2024-03-01", "2024-04-01", "2024-05-01"}
