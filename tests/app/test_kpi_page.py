"""The KPI detail page reads the SPC the same way whatever is drawn, and shows what analysts
add to it: a change point starts a new baseline on the chart and in the words, a note is
listed under the chart, a target gives the assurance icon and its verdict."""

import datetime as dt
import json

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access
from flightdeck.store import annotations, targets
from flightdeck.synthetic import demo

AS_OF = dt.date(2025, 6, 30)
ANALYST = access.User(name="test analyst", role="analyst")
MARKDOWN_NOTE = "see **the** [review](http://example.invalid) :red[now]"
HARNESS = """
import streamlit as st
from flightdeck.app import registry, session
session.sign_in()
st.navigation(registry.sections(default="kpi")).run()
"""


@pytest.fixture(scope="module")
def marked_db(tmp_path_factory) -> str:
    """One synthetic force over 48 months (Jul 2021 to Jun 2025), with a change point for K01
    from Jan 2025, a note for all KPIs in Oct 2024, and a K02 target of 99.9 %."""
    path = tmp_path_factory.mktemp("marked") / "marked.duckdb"
    demo.build_demo(
        path, forces=1, months=36, crimes_per_month=30, seed=5, as_of=AS_OF, warmup_months=12
    )
    con = duckdb.connect(str(path))
    force = con.execute("SELECT min(force) FROM force_as_of").fetchone()[0]
    annotations.record_annotation(
        con, force, "K01", dt.date(2025, 1, 1), "change_point", "new RASSO team", user=ANALYST
    )
    annotations.record_annotation(
        con, force, None, dt.date(2024, 10, 1), "note", "inspection visit", user=ANALYST
    )
    annotations.record_annotation(
        con, force, "K04", dt.date(2025, 3, 1), "note", MARKDOWN_NOTE, user=ANALYST
    )
    targets.save_target(con, force, "K02", 0.999, user=ANALYST, source="test")
    con.close()
    return str(path)


def open_kpi(monkeypatch, db: str, kpi: str) -> AppTest:
    monkeypatch.setenv("FLIGHTDECK_DB", db)
    at = AppTest.from_string(HARNESS, default_timeout=60).run()
    at.selectbox(key="_kpi").select(kpi).run()
    assert not at.exception
    return at


def page_text(at: AppTest) -> str:
    kinds = ("markdown", "caption", "info", "text")
    parts = [e.value for kind in kinds for e in getattr(at, kind)]
    return "\n".join(str(p) for p in parts)


def test_a_change_point_starts_a_new_baseline_on_the_chart_and_in_words(monkeypatch, marked_db):
    at = open_kpi(monkeypatch, marked_db, "K01")
    # warm-up Jul 2021 to Jun 2023; the first baseline Jul 2023 to Jun 2024; from the change
    # point of Jan 2025 a second one, of the 6 months Jan to Jun 2025 (trial limits)
    words = (
        "Average and limits from the 12 months Jul 2023 to Jun 2024 (after the warm-up); then the "
        "6 months Jan 2025 to Jun 2025 (after the change point of Jan 2025; trial limits, fewer "
        "than 12 months), each fixed until the next change point."
    )
    assert words in page_text(at)
    assert "change point 2, Jan 2025, K01: new RASSO team (starts a new baseline)" in page_text(at)
    assert "note 1, Oct 2024, all KPIs: inspection visit" in page_text(at)
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    labels = {a.get("text") for a in spec["layout"].get("annotations", [])}
    assert {"note 1", "change point 2"} <= labels
    # the period drawn changes only what is drawn
    at.radio(key="shown_period").set_value("Last 24 months").run()
    assert words in page_text(at)


def test_a_target_gives_the_assurance_verdict_and_none_without_one(monkeypatch, marked_db):
    at = open_kpi(monkeypatch, marked_db, "K02")
    # a charge rate of 99.9 % lies far above any upper limit of the demo's charge rates
    assert (
        "Target 99.9%: the process will consistently miss it unless something changes"
        in page_text(at)
    )
    assert 'role="img"' in page_text(at)  # the icons, with their words for screen readers
    at = open_kpi(monkeypatch, marked_db, "K04")  # no demo target is shipped for K04
    assert "No target is set for this KPI: no assurance icon." in page_text(at)
    assert "Target " not in page_text(at)


def test_an_analysts_words_are_shown_exactly_as_typed(monkeypatch, marked_db):
    at = open_kpi(monkeypatch, marked_db, "K04")
    shown = [t.value for t in at.text]
    assert f"note 2, Mar 2025, K04: {MARKDOWN_NOTE}" in shown  # plain text, not markdown
    assert not any(MARKDOWN_NOTE in m.value for m in at.markdown)
