"""Breakdowns over 12 months add up as the kind of KPI allows: a flow's numerators and
denominators are added up, a snapshot's month ends are averaged (never summed), and a median is
the month's only. Hand-built crimes run through the real KPI engine; every expected figure is
worked out below from the crimes."""

import json

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from flightdeck.app.data import db, deck
from flightdeck.engine import refresh
from flightdeck.engine.catalogue import by_id, catalogue
from flightdeck.store.connection import connect
from helpers.store import insert_case_load

AS_OF = "2025-06-30"
JUNE = pd.Timestamp("2025-06-01")  # 12 months to June: Jul 2024 to Jun 2025
# The KPI detail page's breakdown section on its own, for one force, KPI and month.
HARNESS = """
import pandas as pd
from flightdeck.app.pages import kpi_breakdowns
from flightdeck.engine.catalogue import by_id
kpi_breakdowns.render(by_id()[{kpi_id!r}], {force!r}, pd.Timestamp({month!r}))
"""


def crime(force, crime_id, recorded, age, gender="female", outcome=None, on=None):
    return {"force": force, "crime_id": crime_id, "recorded_date": recorded,
            "offence_code": "19C", "victim_age": age, "victim_gender": gender,
            "outcome_type": outcome, "outcome_date": on,
            "charge_date": on if outcome == "1" else None}  # fmt: skip


CRIMES = [
    # north (snapshots): three crimes recorded 10 Jan 2024, never closed, so open at each of
    # the 12 month ends Jul 2024 to Jun 2025; more than 365 days old from 31 Jan 2025 (E -
    # 10 Jan 2024 > 365), so at 6 of them (Jan to Jun 2025). All 18-24, female.
    *(crime("north", f"N{i}", "2024-01-10", 20) for i in (1, 2, 3)),
    # One 25-34 male crime open at the ends of March and April 2025 only (closed 10 May):
    # the other 10 month ends have no row for 25-34, and count as 0 open.
    crime("north", "N4", "2025-03-05", 30, "male", outcome="15", on="2025-05-10"),
    # short (a snapshot over a short history): first crime in February 2025, so it has only
    # 5 month ends in the 12 months (Feb to Jun). Two 35-44 crimes open at all five; one
    # closed within February, never open at a month end.
    crime("short", "S1", "2025-02-03", 40),
    crime("short", "S2", "2025-02-03", 40),
    crime("short", "S3", "2025-02-04", 40, outcome="15", on="2025-02-20"),
    # flow (flows and medians), all with an outcome in the month given:
    crime("flow", "F0", "2024-04-01", 20, outcome="1", on="2024-05-01"),  # before the window
    crime("flow", "F1", "2024-11-01", 20, outcome="1", on="2024-12-15"),  # charged, 44 days
    crime("flow", "F2", "2025-01-05", 20, outcome="14", on="2025-02-01"),  # withdrawn
    crime("flow", "F3", "2025-03-01", 20, outcome="1", on="2025-04-10"),  # charged, 40 days
    crime("flow", "F4", "2025-04-01", 30, "male", outcome="1", on="2025-04-20"),  # 19 days
]


@pytest.fixture(scope="module")
def store_path(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("breakdowns") / "breakdowns.duckdb"
    con = connect(path)
    insert_case_load(con, CRIMES, as_of=AS_OF)
    refresh.refresh(con)
    con.close()
    return str(path)


@pytest.fixture
def store_db(store_path, monkeypatch) -> str:
    monkeypatch.setenv("FLIGHTDECK_DB", store_path)
    db.forget_version()
    return store_path


def cells(frame: pd.DataFrame, key: str) -> dict:
    frame = frame.set_index(key)
    return {k: tuple(frame.loc[k, ["numerator", "denominator", "value"]]) for k in frame.index}


def test_the_kind_decision_is_made_once_from_the_metadata():
    over = {k.id: k.over_months for k in catalogue()}
    assert {i for i, how in over.items() if how == "mean"} == {"K06", "K21"}
    assert {i for i, how in over.items() if how is None} == {"K05", "K09"}
    assert all(how == "sum" for i, how in over.items() if i not in {"K05", "K06", "K09", "K21"})
    assert by_id()["K06"].is_snapshot and not by_id()["K02"].is_snapshot


def test_a_snapshot_over_12_month_ends_is_their_mean_not_their_sum(store_db):
    shown = deck.breakdown("north", by_id()["K06"], JUNE, months=12)
    assert (shown.over, shown.months, shown.complete) == ("mean", 12, True)
    ages = cells(shown.by_age, "age_band")
    # 18-24: 3 open at each of 12 month ends -> a mean of 3 (a sum would say 36); over 365
    # days at 6 of them -> 18 / 12 = 1.5; the rate 1.5 / 3.
    assert ages["18-24"] == pytest.approx((1.5, 3.0, 0.5))
    # 25-34: open at 2 of the 12 month ends and at none of the other 10: 2 / 12.
    assert ages["25-34"] == pytest.approx((0.0, 2 / 12, 0.0))
    assert cells(shown.by_gender, "gender")["Male"] == pytest.approx((0.0, 2 / 12, 0.0))
    total = shown.table.set_index(["age_band", "gender"]).loc[("All", "All")]
    # 36 + 2 = 38 open crime-month-ends over 12 month ends; 18 of them over 365 days.
    assert total[["numerator", "denominator"]].tolist() == pytest.approx([18 / 12, 38 / 12])
    assert total["value"] == pytest.approx(18 / 38)


def test_the_mean_divides_by_the_month_ends_the_force_has(store_db):
    shown = deck.breakdown("short", by_id()["K06"], JUNE, months=12)
    # February to June 2025: 5 month ends, 2 open at each -> a mean of 2 (not 10, not 10/12).
    assert shown.months == 5
    assert cells(shown.by_age, "age_band") == {"35-44": pytest.approx((0.0, 2.0, 0.0))}


def test_the_latest_month_end_of_a_snapshot_is_the_months_own_figures(store_db):
    shown = deck.breakdown("north", by_id()["K06"], JUNE)
    assert (shown.over, shown.months) == ("month", 1)
    # At 30 June 2025: the three January 2024 crimes, all over 365 days; N4 closed in May.
    assert cells(shown.by_age, "age_band") == {"18-24": (3.0, 3.0, 1.0)}


def test_a_flow_pools_the_complete_months_exactly(store_db):
    shown = deck.breakdown("flow", by_id()["K02"], JUNE, months=12)
    assert shown.over == "sum"
    ages = cells(shown.by_age, "age_band")
    # 18-24: charged Dec 2024 (1 of 1), withdrawn Feb 2025 (0 of 1), charged Apr 2025 (1 of 1)
    # -> 2 of 3; F0 (May 2024) is before the window. 25-34: F4, 1 of 1.
    assert ages == {"18-24": pytest.approx((2.0, 3.0, 2 / 3)), "25-34": (1.0, 1.0, 1.0)}
    total = shown.table.set_index(["age_band", "gender"]).loc[("All", "All")]
    assert total[["numerator", "denominator"]].tolist() == [3.0, 4.0]


def test_a_count_pools_its_counts(store_db):
    shown = deck.breakdown("flow", by_id()["K01"], JUNE, months=12)
    # Recorded Jul 2024 to Jun 2025: F1, F2, F3 (18-24) and F4 (25-34); F0 is from April 2024.
    assert {k: v[2] for k, v in cells(shown.by_age, "age_band").items()} == {
        "18-24": 3.0,
        "25-34": 1.0,
    }


def test_a_median_is_never_pooled(store_db):
    with pytest.raises(ValueError, match="never pooled"):
        deck.breakdown("flow", by_id()["K05"], JUNE, months=12)
    # April 2025 alone: F3 charged after 40 days (18-24), F4 after 19 (25-34), n = 1 each.
    shown = deck.breakdown("flow", by_id()["K05"], pd.Timestamp("2025-04-01"))
    ages = shown.by_age.set_index("age_band")
    assert ages[["value", "denominator"]].to_dict("index") == {
        "18-24": {"value": 40.0, "denominator": 1.0},
        "25-34": {"value": 19.0, "denominator": 1.0},
    }


# The KPI page ------------------------------------------------------------------------------


def kpi_page(monkeypatch, path: str, force: str, kpi_id: str, month: str = "2025-06-01"):
    monkeypatch.setenv("FLIGHTDECK_DB", path)
    script = HARNESS.format(kpi_id=kpi_id, force=force, month=month)
    at = AppTest.from_string(script, default_timeout=60).run()
    assert not at.exception
    return at


def captions(at: AppTest) -> str:
    return "\n".join(c.value for c in at.caption)


def chart_texts(at: AppTest) -> list[str]:
    """The texts of every trace of every chart of the section."""
    texts = []
    for chart in at.get("plotly_chart"):
        for trace in json.loads(chart.proto.spec)["data"]:
            text = trace.get("text") or []
            texts += [t for row in text for t in (row if isinstance(row, list) else [row])]
    return texts


def test_the_page_offers_a_snapshot_its_latest_month_end_or_the_mean(monkeypatch, store_db):
    at = kpi_page(monkeypatch, store_db, "north", "K06")
    radio = at.radio(key="snapshot_period")
    assert list(radio.options) == ["Latest month end", "Mean of the 12 month ends"]
    assert radio.value == "Latest month end"
    assert "period" not in [r.key for r in at.radio]  # no "12 months to the month" sum
    assert "Month end of Jun 2025." in captions(at)
    assert "100.0%  3 of 3" in chart_texts(at)  # 18-24 at 30 June: 3 open, all over 365 days
    radio.set_value("Mean of the 12 month ends").run()
    assert not at.exception
    assert "Mean of 12 month ends (12 months to Jun 2025)" in captions(at)
    assert "added up" not in captions(at)
    texts = chart_texts(at)
    assert "50.0%  on average 1.5 of 3 open crimes at a month end" in texts
    assert "0.0%  on average 0 of 0.2 open crimes at a month end" in texts  # 25-34: 2 / 12


def test_the_page_says_how_many_month_ends_a_mean_is_of(monkeypatch, store_db):
    at = kpi_page(monkeypatch, store_db, "short", "K06")
    at.radio(key="snapshot_period").set_value("Mean of the 12 month ends").run()
    assert "Mean of 5 month ends (12 months to Jun 2025, all the force has" in captions(at)
    assert "0.0%  on average 0 of 2 open crimes at a month end" in chart_texts(at)


def test_the_page_pools_a_flow_over_12_months(monkeypatch, store_db):
    at = kpi_page(monkeypatch, store_db, "flow", "K02")
    assert at.radio(key="period").value == "12 months to the month"
    assert "snapshot_period" not in [r.key for r in at.radio]
    words = "12 months to Jun 2025: numerators and denominators added up (complete months only)"
    assert words in captions(at)
    assert "66.7%  2 of 3" in chart_texts(at)


def test_the_page_offers_a_median_no_pooled_option(monkeypatch, store_db):
    at = kpi_page(monkeypatch, store_db, "flow", "K05", month="2025-04-01")
    assert not [r for r in at.radio if r.key in {"period", "snapshot_period"}]
    assert "Apr 2025 (a median is never pooled over months)." in captions(at)
    assert "40 days  of 1 crime" in chart_texts(at)  # 18-24: F3 alone, the month's own
