"""Rape, other sexual offences or all RASSO crimes: one choice on every page that shows KPIs,
kept between pages, and what the KPI detail page sets beside a KPI (partner agencies' counts
beside recorded crimes and K16, outcomes by recording cohort beside the charge rate)."""

import datetime as dt

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from flightdeck.synthetic import demo

AS_OF = dt.date(2025, 6, 30)
HARNESS = """
import streamlit as st
from flightdeck.app import registry, session
session.sign_in()
st.navigation(registry.sections(default={page!r})).run()
"""
CHOICE = "_offence_group"


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("groups") / "demo.duckdb"
    demo.build_demo(
        path, forces=2, months=15, crimes_per_month=30, seed=5, as_of=AS_OF, warmup_months=0
    )
    return str(path)


def open_page(monkeypatch, db: str, page: str, **query: str) -> AppTest:
    monkeypatch.setenv("FLIGHTDECK_DB", db)
    at = AppTest.from_string(HARNESS.format(page=page), default_timeout=90)
    at.query_params.update(query)
    return at.run()


def go_to(at: AppTest, title: str) -> AppTest:
    """Open a page of the navigation by its title, as its sidebar link does."""
    pages = at._registered_pages  # noqa: SLF001 (no public way for callable pages)
    at._page_hash = next(h for h, p in pages.items() if p["page_name"] == title)  # noqa: SLF001
    return at.run()


def words(at: AppTest) -> str:
    kinds = ("markdown", "caption", "subheader", "header", "info")
    return "\n".join(str(e.value) for kind in kinds for e in getattr(at, kind))


def k01_count(db: str, group: str) -> int:
    """Eastvale's crimes recorded in May 2025 of the group, counted from the crimes."""
    con = duckdb.connect(db, read_only=True)
    try:
        where = "" if group == "All" else f"AND offence_group = '{group}'"
        return con.execute(
            "SELECT count(*) FROM crimes_in_scope WHERE force = 'demo-eastvale' "
            f"AND recorded_month = DATE '2025-05-01' {where}"
        ).fetchone()[0]
    finally:
        con.close()


def test_the_choice_changes_the_flight_deck_and_is_kept_on_the_kpi_and_compare_pages(
    monkeypatch, demo_db
):
    at = open_page(monkeypatch, demo_db, "flight_deck")
    assert at.segmented_control(key=CHOICE).value == "All"
    assert "Eastvale Police (synthetic) · Jun 2025 · All RASSO crimes" in words(at)
    at.selectbox(key="_month").select_index(1).run()  # May 2025
    at.segmented_control(key=CHOICE).set_value("rape").run()
    assert not at.exception
    assert "· May 2025 · Rape**" in words(at)
    assert "counted for all RASSO crimes only" in words(at)
    rapes, everything = k01_count(demo_db, "rape"), k01_count(demo_db, "All")
    assert 0 < rapes < everything
    assert f"## {rapes} crimes" in words(at)  # the K01 tile counts the rapes

    at = go_to(at, "KPI detail")
    assert at.segmented_control(key=CHOICE).value == "rape"
    at.selectbox(key="_kpi").select("K14").run()  # force-level: all RASSO crimes
    assert "measured for the force as a whole" in words(at)
    at = go_to(at, "Compare forces")
    assert not at.exception
    assert at.segmented_control(key=CHOICE).value == "rape"
    at.segmented_control(key=CHOICE).set_value("other_sexual").run()
    at = go_to(at, "Flight deck")
    assert at.segmented_control(key=CHOICE).value == "other_sexual"
    assert f"## {everything - rapes} crimes" in words(at)


def test_partner_counts_sit_beside_recorded_crimes(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, "kpi", kpi="K01")
    assert not at.exception
    assert "Partner agencies' figures beside it" in words(at)
    [chart] = [c for c in at.get("plotly_chart") if "partners_beside" in c.proto.id]
    assert '"name":"Crimes recorded (K01)"' in chart.proto.spec
    assert "Attendances at the sexual assault referral centre" in chart.proto.spec


def test_the_charge_rate_has_outcomes_by_recording_cohort_beside_it(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, "kpi", kpi="K02")
    assert not at.exception
    page = words(at)
    assert "Outcomes by recording cohort" in page
    assert "never 'not charged'" in page
    keys = {c.proto.id.rsplit("-", 1)[-1] for c in at.get("plotly_chart")}
    assert {"cohort_charged", "cohort_outcome", "cohort_open"} <= keys
