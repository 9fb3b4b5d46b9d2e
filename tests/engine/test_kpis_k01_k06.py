"""K01 to K06 on hand-built crimes: every expected figure is worked out in the test."""

import csv

import duckdb
import pytest

from flightdeck import vocabulary
from flightdeck.engine import refresh, results
from helpers.kpis import (
    OTHER_FORCE,
    count,
    crime,
    load_and_refresh,
    median,
    rate,
    rows,
    totals,
)
from helpers.store import insert_case_load


# K01 Recorded RASSO crimes -------------------------------------------------------------------
def test_k01_counts_crimes_by_recorded_month_with_every_breakdown(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-31"),  # last day of January: 25-34, Female
            crime("b", "2024-02-01", victim_age=14, victim_gender="male"),  # first day of Feb
            crime("c", "2024-02-29", victim_age=None, victim_gender="unknown"),
            crime("d", "2024-02-10", cancelled=True),  # cancelled: not counted
            crime("e", "2024-02-15", force=OTHER_FORCE),  # another force's crime
        ],
        as_of="2024-03-31",
    )
    assert rows(store, "K01") == {
        ("2024-01-01", "All", "All"): count(1),
        ("2024-01-01", "25-34", "All"): count(1),
        ("2024-01-01", "All", "Female"): count(1),
        ("2024-01-01", "25-34", "Female"): count(1),
        ("2024-02-01", "All", "All"): count(2),
        ("2024-02-01", "13-15", "All"): count(1),
        ("2024-02-01", "Unknown", "All"): count(1),
        ("2024-02-01", "All", "Male"): count(1),
        ("2024-02-01", "All", "Unknown"): count(1),
        ("2024-02-01", "13-15", "Male"): count(1),
        ("2024-02-01", "Unknown", "Unknown"): count(1),
    }
    assert totals(store, "K01", OTHER_FORCE) == {"2024-02-01": count(1)}


@pytest.mark.parametrize(
    ("age", "band"),
    [(0, "0-12"), (12, "0-12"), (13, "13-15"), (15, "13-15"), (16, "16-17"), (17, "16-17"),
     (18, "18-24"), (24, "18-24"), (25, "25-34"), (34, "25-34"), (35, "35-44"), (44, "35-44"),
     (45, "45-54"), (54, "45-54"), (55, "55+"), (120, "55+"), (None, "Unknown")],
)  # fmt: skip
def test_age_band_edges(store, age, band):
    load_and_refresh(store, [crime("a", "2024-01-05", victim_age=age)], as_of="2024-01-31")
    assert ("2024-01-01", band, "Female") in rows(store, "K01")


def test_other_gender_label(store):
    load_and_refresh(store, [crime("a", "2024-01-05", victim_gender="other")], as_of="2024-01-31")
    assert rows(store, "K01")[("2024-01-01", "All", "Other")] == count(1)


# K02-K04 outcome-based rates ----------------------------------------------------------------
OUTCOMES = [
    crime("a", "2024-01-10", victim_age=20, outcome_type="1", outcome_date="2024-03-31"),
    crime("b", "2024-01-15", outcome_type="1A", outcome_date="2024-04-01"),
    crime("c", "2024-02-01", victim_age=20, victim_gender="male", outcome_type="14",
          outcome_date="2024-03-15"),
    crime("d", "2024-02-02", victim_age=40, outcome_type="16", outcome_date="2024-03-20"),
    crime("e", "2024-02-03", victim_age=40, outcome_type="15", outcome_date="2024-03-21"),
    crime("f", "2024-02-04"),  # open: no outcome, in no month
    crime("g", "2024-02-05", outcome_type="1", outcome_date="2024-03-05", cancelled=True),
    crime("h", "2024-02-06", outcome_type="18", outcome_date="2024-04-15"),
]  # fmt: skip


def test_k02_charge_rate_by_outcome_month(store):
    load_and_refresh(store, OUTCOMES, as_of="2024-06-30")
    # March: a (charged, on the 31st), c, d, e; April: b (1A, on the 1st), h.
    assert totals(store, "K02") == {"2024-03-01": rate(1, 4), "2024-04-01": rate(1, 2)}
    march = {k[1:]: v for k, v in rows(store, "K02").items() if k[0] == "2024-03-01"}
    assert march == {
        ("All", "All"): rate(1, 4),
        ("18-24", "All"): rate(1, 2),  # a, c
        ("35-44", "All"): rate(0, 2),  # d, e
        ("All", "Female"): rate(1, 3),  # a, d, e
        ("All", "Male"): rate(0, 1),  # c
        ("18-24", "Female"): rate(1, 1),
        ("18-24", "Male"): rate(0, 1),
        ("35-44", "Female"): rate(0, 2),
    }


def test_k03_withdrawal_rate_counts_outcomes_14_and_16(store):
    load_and_refresh(store, OUTCOMES, as_of="2024-06-30")
    assert totals(store, "K03") == {"2024-03-01": rate(2, 4), "2024-04-01": rate(0, 2)}


def test_k04_evidential_difficulties_counts_outcome_15(store):
    load_and_refresh(store, OUTCOMES, as_of="2024-06-30")
    assert totals(store, "K04") == {"2024-03-01": rate(1, 4), "2024-04-01": rate(0, 2)}


def test_a_later_load_supersedes_and_cancels(store):
    insert_case_load(
        store,
        [
            crime("x", "2024-01-05"),
            crime("y", "2024-01-06", outcome_type="15", outcome_date="2024-02-10"),
            crime("z", "2024-01-07", outcome_type="1", outcome_date="2024-03-01"),
        ],
        as_of="2024-03-31",
    )
    load_and_refresh(
        store,
        [
            crime("x", "2024-01-05", outcome_type="1", outcome_date="2024-04-10"),
            crime("z", "2024-01-07", outcome_type="1", outcome_date="2024-03-01", cancelled=True),
        ],  # y is missing from the later load: its earlier version still counts
        as_of="2024-04-30",
    )
    assert totals(store, "K02") == {"2024-02-01": rate(0, 1), "2024-04-01": rate(1, 1)}
    assert totals(store, "K01") == {"2024-01-01": count(2)}


# K05 Days from report to charge ----------------------------------------------------------------
def test_k05_median_days_to_charge_event(store):
    load_and_refresh(
        store,
        [
            # charge_date wins over outcome_date: 2024-03-01 -> 05-11 is 71 days (May)
            crime("a", "2024-03-01", outcome_type="1", charge_date="2024-05-11",
                  outcome_date="2024-05-20"),
            # no charge_date: the outcome date 05-31 is the charge event, 31 days (May)
            crime("b", "2024-04-30", outcome_type="1A", outcome_date="2024-05-31"),
            # 1 day, in May although the outcome is dated in June
            crime("c", "2024-05-01", victim_age=16, victim_gender="male", outcome_type="1",
                  charge_date="2024-05-02", outcome_date="2024-06-01"),
            # 20 days (May)
            crime("h", "2024-05-05", victim_age=16, victim_gender="male", outcome_type="1",
                  charge_date="2024-05-25", outcome_date="2024-05-25"),
            # charged before recorded: -5 days, a data error left out
            crime("d", "2024-05-10", outcome_type="1", charge_date="2024-05-05",
                  outcome_date="2024-05-12"),
            # 2024 is a leap year: Feb 1 -> Jun 1 is 121 days (June)
            crime("e", "2024-02-01", outcome_type="1", charge_date="2024-06-01",
                  outcome_date="2024-06-15"),
            # a charge_date without a charge outcome does not count
            crime("f", "2024-04-01", outcome_type="15", charge_date="2024-05-15",
                  outcome_date="2024-05-15"),
            crime("g", "2024-03-15", outcome_type="1", charge_date="2024-05-19",
                  outcome_date="2024-05-19", cancelled=True),
        ],
        as_of="2024-12-31",
    )  # fmt: skip
    # May: 1, 20, 31, 71 -> median (20 + 31) / 2 = 25.5 over n = 4; June: 121 over 1.
    assert totals(store, "K05") == {"2024-05-01": median(25.5, 4), "2024-06-01": median(121, 1)}
    may = rows(store, "K05")
    assert may[("2024-05-01", "25-34", "All")] == median(51, 2)  # 31, 71
    assert may[("2024-05-01", "16-17", "Male")] == median(10.5, 2)  # 1, 20
    assert may[("2024-05-01", "All", "Female")] == median(51, 2)
    # The left-out crime is listed for the data-quality page.
    listed = results.negative_day_differences(store)
    assert listed[["kpi_id", "crime_id", "days"]].values.tolist() == [["K05", "d", -5]]


# K06 Open investigations over 365 days -------------------------------------------------------
OPEN_CASES = [
    crime("a", "2024-01-31"),  # open throughout; 366 days old at 2025-01-31
    crime("b", "2024-02-01", victim_age=14, victim_gender="male"),  # 365 days at 2025-01-31
    crime("c", "2024-03-10", outcome_type="1", outcome_date="2024-04-30"),  # closed on April's E
    crime("d", "2024-03-10", outcome_type="15", outcome_date="2024-05-01"),  # closed on E + 1
    crime("e", "2024-03-31", cancelled=True),
    crime("f", "2024-03-01", force=OTHER_FORCE, outcome_type="18", outcome_date="2024-05-10"),
]


def test_k06_share_of_open_cases_over_365_days_at_month_end(store):
    load_and_refresh(store, OPEN_CASES, as_of="2025-02-15")
    expected = {"2024-01-01": rate(0, 1), "2024-02-01": rate(0, 2), "2024-03-01": rate(0, 4)}
    expected["2024-04-01"] = rate(0, 3)  # c closed on April's last day: no longer open
    for month in range(5, 13):
        expected[f"2024-{month:02d}-01"] = rate(0, 2)
    expected["2025-01-01"] = rate(1, 2)  # a is over 365 days; b is exactly 365
    # February 2025 has not ended by the as-of date: no snapshot.
    assert totals(store, "K06") == expected
    january = {k[1:]: v for k, v in rows(store, "K06").items() if k[0] == "2025-01-01"}
    assert january == {
        ("All", "All"): rate(1, 2),
        ("25-34", "All"): rate(1, 1),
        ("13-15", "All"): rate(0, 1),
        ("All", "Female"): rate(1, 1),
        ("All", "Male"): rate(0, 1),
        ("25-34", "Female"): rate(1, 1),
        ("13-15", "Male"): rate(0, 1),
    }
    assert totals(store, "K06", OTHER_FORCE) == {"2024-03-01": rate(0, 1), "2024-04-01": rate(0, 1)}


def test_k06_counts_every_crime_of_crimes_that_open_age_and_close_in_the_same_months(store):
    # a and b open in January 2024, pass 365 days in January 2025 and are still open; c and d
    # open in January 2024 too, and both close in March 2024. Each pair is one group of the
    # view's first count, and must count as two crimes.
    load_and_refresh(store, [
        crime("a", "2024-01-10"),
        crime("b", "2024-01-20"),
        crime("c", "2024-01-15", outcome_type="1", outcome_date="2024-03-05"),
        crime("d", "2024-01-25", outcome_type="15", outcome_date="2024-03-20"),
    ], as_of="2025-02-15")  # fmt: skip
    expected = {"2024-01-01": rate(0, 4), "2024-02-01": rate(0, 4)}
    for month in range(3, 13):
        expected[f"2024-{month:02d}-01"] = rate(0, 2)  # c and d closed in March
    # At 2025-01-31 a is 387 days old and b 377: both over 365.
    expected["2025-01-01"] = rate(2, 2)
    assert totals(store, "K06") == expected


def test_k06_month_ending_on_the_as_of_date_is_included(store):
    load_and_refresh(store, OPEN_CASES, as_of="2025-01-31")
    assert max(totals(store, "K06")) == "2025-01-01"


# The results CSV -------------------------------------------------------------------------------
def test_results_csv_formats_months_numbers_blanks_and_flags(store, tmp_path):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-10", outcome_type="1", outcome_date="2024-01-20"),
            crime("b", "2024-01-11", outcome_type="15", outcome_date="2024-01-21"),
            crime("c", "2024-01-12", outcome_type="14", outcome_date="2024-01-22"),
            crime("d", "2024-01-12", isva_referral_date="2024-01-13"),
        ],
        as_of="2024-02-05",
    )
    path = tmp_path / "results.csv"
    written = results.write_results_csv(store, path)
    with path.open(newline="") as f:
        lines = list(csv.DictReader(f))
    assert written == len(lines) == len(results.results(store))
    by_key = {
        (r["kpi_id"], r["age_band"], r["gender"]): r for r in lines if r["offence_group"] == "All"
    }
    k01 = by_key[("K01", "All", "All")]
    assert (k01["month"], k01["numerator"], k01["denominator"], k01["value"]) == (
        "2024-01-01", "4", "", "4",
    )  # fmt: skip
    k02 = by_key[("K02", "All", "All")]
    assert (k02["numerator"], k02["denominator"], k02["value"], k02["complete"]) == (
        "1", "3", "0.3333333333333333", "true",
    )  # fmt: skip
    k16 = by_key[("K16", "All", "All")]  # January + 7 days is after 2024-02-05
    assert (k16["numerator"], k16["denominator"], k16["value"], k16["complete"]) == (
        "1", "4", "", "false",
    )  # fmt: skip
    assert list(lines[0]) == vocabulary.RESULT_COLUMNS


# The engine ------------------------------------------------------------------------------------
def test_a_failed_refresh_reports_its_own_error_and_leaves_the_view_usable(store, monkeypatch):
    insert_case_load(store, [crime("a", "2024-01-05")], as_of="2024-01-31")
    monkeypatch.setattr(refresh, "result_query", lambda kpi: ("SELECT no_such_column", {}))
    store.execute("BEGIN TRANSACTION")
    with pytest.raises(duckdb.BinderException, match="no_such_column"):
        refresh.refresh(store)
    store.execute("ROLLBACK")
    # The materialised crimes are gone: a crime loaded now is seen at once.
    insert_case_load(store, [crime("b", "2024-01-06")], as_of="2024-01-31")
    assert store.execute("SELECT count(*) FROM crimes_in_scope").fetchone() == (2,)


def test_refresh_outside_a_transaction_leaves_no_stale_copy(store):
    load_and_refresh(store, [crime("a", "2024-01-05")], as_of="2024-01-31")
    insert_case_load(store, [crime("b", "2024-01-06")], as_of="2024-01-31")
    assert store.execute("SELECT count(*) FROM crimes_in_scope").fetchone() == (2,)
