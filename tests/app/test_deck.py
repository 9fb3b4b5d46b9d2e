"""The data layer works out what the KPI pages draw: breakdowns for a month or pooled over 12
months, and the summary of what a load recomputed."""

import datetime as dt

import pandas as pd
import pytest

from flightdeck.app.data import db, deck
from flightdeck.engine import refresh
from flightdeck.engine.catalogue import by_id
from flightdeck.store.connection import connect
from helpers.store import insert_case_load, insert_workforce_load

FORCE = "demo-northmoor"
# K16 (ISVA referral within 7 days), by age band: two complete months and one still open.
# kpi, month, age_band, gender, numerator, denominator, value, complete
K16 = [
    ("2025-04-01", "All", "All", 3, 10, 0.3, True),
    ("2025-04-01", "18-24", "All", 1, 4, 0.25, True),
    ("2025-04-01", "25-34", "All", 2, 6, 1 / 3, True),
    ("2025-05-01", "All", "All", 2, 6, 1 / 3, True),
    ("2025-05-01", "18-24", "All", 2, 6, 1 / 3, True),
    ("2025-06-01", "All", "All", 5, 5, None, False),
    ("2025-06-01", "18-24", "All", 5, 5, None, False),
]


@pytest.fixture
def results_db(tmp_path, monkeypatch):
    path = tmp_path / "deck.duckdb"
    con = connect(path)
    crime = {"force": FORCE, "crime_id": "c1", "recorded_date": "2025-04-02",
             "offence_code": "19C", "victim_age": 20, "victim_gender": "female"}  # fmt: skip
    insert_case_load(con, [crime], as_of="2025-06-30")
    con.executemany(
        "INSERT INTO kpi_results BY NAME SELECT 'K16' AS kpi_id, ? AS force, ? AS month, "
        "'All' AS offence_group, ? AS age_band, ? AS gender, ? AS numerator, ? AS denominator, "
        "? AS value, ? AS complete",
        [[FORCE, dt.date.fromisoformat(m), *rest] for m, *rest in K16],
    )
    con.close()
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    db.forget_version()
    return path


def test_twelve_months_pool_the_complete_months_counts(results_db):
    shown = deck.breakdown(FORCE, by_id()["K16"], pd.Timestamp("2025-06-01"), months=12)
    ages = shown.by_age.set_index("age_band")
    # 18-24: April 1 of 4 and May 2 of 6 -> 3 of 10; June is still open and left out.
    assert ages.loc["18-24", ["numerator", "denominator"]].tolist() == [3, 10]
    assert ages.loc["18-24", "value"] == pytest.approx(0.3)
    # 25-34: April only, 2 of 6.
    assert ages.loc["25-34", "value"] == pytest.approx(2 / 6)
    assert list(ages.index) == ["18-24", "25-34"]  # in the order of the age bands
    assert shown.complete and not shown.empty


def test_an_open_month_shows_its_counts_so_far(results_db):
    shown = deck.breakdown(FORCE, by_id()["K16"], pd.Timestamp("2025-06-01"))
    assert not shown.complete
    ages = shown.by_age.set_index("age_band")
    assert ages.loc["18-24", ["numerator", "denominator", "value"]].tolist() == [5, 5, 1.0]


def test_a_month_without_rows_has_nothing_to_break_down(results_db):
    assert deck.breakdown(FORCE, by_id()["K16"], pd.Timestamp("2025-01-01")).empty


def test_after_a_load_the_latest_complete_month_is_summarised(results_db):
    name, table = deck.recomputed(FORCE)
    assert name == "Northmoor Constabulary (synthetic)"
    # As of 30 June, June has ended, so it is the month shown; K16 is still being counted.
    rows = table.set_index("KPI")["Jun 2025"]
    assert rows["K16 ISVA referral within 7 days"] == "incomplete"
    assert rows["K01 Recorded RASSO crimes"] == "n/a"
    assert deck.recomputed("cheshire") is None


def test_a_groups_flight_deck_counts_the_group_and_shows_force_level_kpis_whole(
    tmp_path, monkeypatch
):
    """Northmoor in April 2025: 3 rapes (19C) and 2 other sexual offences (20A), and 8 of its
    10 investigators trained (K20, force-level)."""
    path = tmp_path / "groups.duckdb"
    con = connect(path)
    crimes = [
        {"force": FORCE, "crime_id": f"c{i}", "recorded_date": f"2025-04-{1 + i:02d}",
         "offence_code": code, "victim_age": 20, "victim_gender": "female"}
        for i, code in enumerate(["19C", "19C", "19C", "20A", "20A"])
    ]  # fmt: skip
    insert_case_load(con, crimes, as_of="2025-06-30")
    insert_workforce_load(
        con, [{"force": FORCE, "month": "2025-04-01", "in_post": 10, "trained": 8}]
    )
    refresh.refresh(con)
    con.close()
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    db.forget_version()
    april = pd.Timestamp("2025-04-01")

    def headline(group: str, kpi_id: str) -> str:
        tiles = {t.kpi_id: t.tile for t in deck.flight_deck(FORCE, april, offence_group=group)}
        return tiles[kpi_id].headline

    assert [headline(g, "K01") for g in ("All", "rape", "other_sexual")] == [
        "5 crimes",
        "3 crimes",
        "2 crimes",
    ]
    assert {headline(g, "K20") for g in ("All", "rape", "other_sexual")} == {"80.0%"}
