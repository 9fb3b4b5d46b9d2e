"""Every page in Streamlit's AppTest: on an empty database and on synthetic data, with the
controls changing what is shown, and every data-changing control behind the role check."""

import datetime as dt
import json

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access
from flightdeck.synthetic import demo

PAGES = ["flight_deck", "kpi", "profile", "suspects", "load", "quality", "definitions"]
SUPPLEMENTARY = [f"S{i:02d}" for i in range(1, 7)]  # suspect management, after the 21
AS_OF = dt.date(2025, 6, 30)
HARNESS = """
import streamlit as st
from flightdeck.app import registry, session
session.sign_in()
st.navigation(registry.sections(default={page!r})).run()
"""
VALID_CSV = (
    "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,outcome_type,"
    "outcome_date,charge_date\n"
    "cheshire,C1,2025-05-03,19C,24,female,1,2025-05-20,2025-05-20\n"
    "cheshire,C2,2025-05-10,19C,31,female,14,2025-05-28,\n"
    "cheshire,C3,2025-05-12,17A,15,male,,,\n"
)
BAD_CSV = (
    "force,crime_id,recorded_date,offence_code,victim_age,victim_gender\n"
    "cheshire,C1,2025-05-03,19C,24,female\n"
    "cheshire,C2,not a date,19C,31,female\n"
)


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> str:
    """Three synthetic forces over 15 months (the third lacks several optional columns)."""
    path = tmp_path_factory.mktemp("demo") / "demo.duckdb"
    demo.build_demo(
        path, forces=3, months=15, crimes_per_month=25, seed=5, as_of=AS_OF, warmup_months=0
    )
    return str(path)


@pytest.fixture(scope="module")
def long_db(tmp_path_factory) -> str:
    """One synthetic force over 48 months: 36 months after a 12-month warm-up."""
    path = tmp_path_factory.mktemp("long") / "long.duckdb"
    demo.build_demo(
        path, forces=1, months=36, crimes_per_month=30, seed=5, as_of=AS_OF, warmup_months=12
    )
    return str(path)


@pytest.fixture
def empty_db(tmp_path) -> str:
    return str(tmp_path / "empty.duckdb")


def open_page(monkeypatch, db: str, page: str, user: access.User | None = None) -> AppTest:
    monkeypatch.setenv("FLIGHTDECK_DB", db)
    at = AppTest.from_string(HARNESS.format(page=page), default_timeout=60)
    if user is not None:
        monkeypatch.setenv("FLIGHTDECK_TESTING", "1")
        at.session_state["flightdeck_test_user"] = user
    return at.run()


def texts(at: AppTest) -> str:
    """Everything written on the page, as one string to search."""
    parts = [e.value for kind in ("markdown", "caption", "header", "title", "subheader")
             for e in getattr(at, kind)]  # fmt: skip
    parts += [
        e.value for kind in ("info", "warning", "error", "success") for e in getattr(at, kind)
    ]
    return "\n".join(str(p) for p in parts)


def frame_with(at: AppTest, column: str):
    """The first table on the page with that column."""
    return next(d.value for d in at.dataframe if column in d.value.columns)


def current_crimes(db: str) -> int:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM current_crimes").fetchone()[0]
    finally:
        con.close()


def tiles(at: AppTest) -> list[str]:
    return sorted(b.key.removeprefix("open_") for b in at.button if b.key.startswith("open_"))


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_an_empty_database(monkeypatch, empty_db, page):
    at = open_page(monkeypatch, empty_db, page)
    assert not at.exception
    assert "Synthetic demo data" not in texts(at)
    if page in {"flight_deck", "kpi", "profile", "suspects", "quality"}:
        assert "No data yet" in texts(at)


@pytest.mark.parametrize("page", PAGES)
def test_every_page_renders_on_the_demo_data_with_the_synthetic_banner(monkeypatch, demo_db, page):
    at = open_page(monkeypatch, demo_db, page)
    assert not at.exception
    assert "Synthetic demo data: fictional forces, not real cases." in texts(at)


def test_flight_deck_shows_all_21_kpis_and_follows_the_force_and_month(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, "flight_deck")
    assert tiles(at) == [f"K{i:02d}" for i in range(1, 22)] + SUPPLEMENTARY
    assert [h.value for h in at.header if h.value == "Suspect management"] == ["Suspect management"]
    # default: the latest month that had ended by the as-of date, for the first force
    assert "Eastvale Police (synthetic) · Jun 2025" in texts(at)
    # the summary matrix leads: all 21 KPIs counted in one line, each a link to its chart
    assert "Jun 2025 at a glance:" in texts(at)
    assert len(at.get("page_link")) == 21
    at.selectbox(key="_force").select("demo-westbury").run()
    assert "Westbury Police (synthetic) · Jun 2025" in texts(at)
    # Westbury's extract has no ISVA referral column: the tile says so instead of 0 %
    assert "n/a — not feasible" in texts(at)
    assert "does not record the ISVA referral date (isva_referral_date)" in texts(at)
    assert "cannot be computed" in texts(at)
    at.selectbox(key="_month").select_index(3).run()
    assert "Westbury Police (synthetic) · Mar 2025" in texts(at)
    assert not at.exception


def test_cohort_months_still_open_are_shown_as_incomplete(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, "flight_deck")
    # June 2025 with data as of 30 June: the 30-day cohort of K07 is still open
    assert "Incomplete: the time window for this month is still open" in texts(at)


def test_details_opens_the_kpi_page_for_that_kpi(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, "flight_deck")
    at.button(key="open_K02").click().run()
    assert not at.exception
    assert any(h.value == "K02 · Charge/summons rate" for h in at.header)


def test_kpi_page_says_a_short_history_is_all_warm_up(monkeypatch, demo_db):
    # 15 months of history, fewer than the 24 of the warm-up: drawn, never analysed
    at = open_page(monkeypatch, demo_db, "kpi")
    at.selectbox(key="_kpi").select("K02").run()
    assert any(h.value == "K02 · Charge/summons rate" for h in at.header)
    assert "No limits yet: the first 24 months are the warm-up" in texts(at)
    assert not [m.value for m in at.markdown if m.value.startswith("**Average")]
    at.radio(key="shown_period").set_value("All months").run()
    assert not at.exception


def spc_month_axis(at: AppTest) -> str:
    """The month axis title of the page's SPC chart (the first Plotly chart)."""
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    return spec["layout"]["xaxis"]["title"]["text"]


def test_kpi_page_baseline_stays_after_the_warm_up_whatever_the_period(monkeypatch, long_db):
    at = open_page(monkeypatch, long_db, "kpi")
    at.selectbox(key="_kpi").select("K01").run()
    # 48 months, Jul 2021 to Jun 2025: 24 of warm-up, then the baseline Jul 2023 to Jun 2024
    baseline = (
        "Average and limits from the 12 months Jul 2023 to Jun 2024 (after the warm-up), "
        "fixed since."
    )
    assert at.radio(key="shown_period").value == "Last 36 months"
    assert baseline in texts(at)
    assert "Drawing Jul 2022 to Jun 2025: 36 of the 48 months held" in texts(at)
    for period in ("All months", "Last 24 months"):
        at.radio(key="shown_period").set_value(period).run()
        assert baseline in texts(at), period
    spec = json.loads(at.get("plotly_chart")[0].proto.spec)
    assert "Jul 2023 to Jun 2024" in spec["layout"]["title"]["text"]
    assert not at.exception


@pytest.mark.parametrize(
    ("kpi", "axis"),
    [
        ("K01", "Month recorded"),
        ("K02", "Month of outcome"),
        ("K05", "Month of charge"),
        ("K21", "Month end"),
    ],
)
def test_kpi_chart_says_what_places_a_crime_in_a_month(monkeypatch, long_db, kpi, axis):
    at = open_page(monkeypatch, long_db, "kpi")
    at.selectbox(key="_kpi").select(kpi).run()
    assert spc_month_axis(at) == axis


def test_a_force_level_kpi_has_no_victim_breakdown(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, "kpi")
    at.selectbox(key="_kpi").select("K21").run()
    assert "measured for the force as a whole" in texts(at)


def test_load_page_uploads_validates_previews_and_loads(monkeypatch, empty_db):
    at = open_page(monkeypatch, empty_db, "load")
    at.date_input(key="as_of").set_value(dt.date(2025, 6, 30)).run()
    at.file_uploader[0].upload("cheshire.csv", VALID_CSV.encode(), "text/csv").run()
    assert not at.exception
    assert "**cheshire.csv** passed validation" in texts(at)
    changes = frame_with(at, "new crimes")
    assert changes.iloc[0].tolist()[:4] == ["cheshire", 3, 0, 0]
    at.button(key="confirm_cases").click().run()
    assert not at.exception
    assert "Loaded cheshire.csv" in texts(at)
    assert "KPIs recomputed for Cheshire Constabulary" in texts(at)
    assert current_crimes(empty_db) == 3


def test_load_page_names_the_failing_line_of_a_bad_file(monkeypatch, empty_db):
    at = open_page(monkeypatch, empty_db, "load")
    at.file_uploader[0].upload("bad.csv", BAD_CSV.encode(), "text/csv").run()
    assert "**bad.csv** was refused" in texts(at)
    report = frame_with(at, "line")
    assert 3 in set(report["line"])  # header is line 1, the bad date is on line 3
    assert not any(b.key == "confirm_cases" for b in at.button)


def test_a_viewer_can_look_but_not_load_or_roll_back(monkeypatch, demo_db):
    viewer = access.User(name="board member", role="viewer")
    at = open_page(monkeypatch, demo_db, "load", user=viewer)
    assert not at.exception
    # no control a viewer may not use, a polite word instead, and the history still readable
    assert not at.file_uploader and not at.button
    assert "Viewers cannot load or roll back data" in texts(at)
    assert "file_name" in frame_with(at, "file_name").columns
    # the server-side check, whatever the page shows: the gate refuses and the store audits
    script = """
import streamlit as st
from flightdeck.app import ui
from flightdeck.app.data import actions
ui.refusal_or_result(actions.rollback(1))
"""
    at = AppTest.from_string(script, default_timeout=30)
    at.session_state["flightdeck_test_user"] = viewer
    at.run()
    assert "Sorry, your role does not allow this" in at.warning[0].value
    con = duckdb.connect(demo_db)
    try:
        assert con.execute("SELECT active FROM loads WHERE load_id = 1").fetchone()[0]
        refusals = con.execute(
            "SELECT count(*) FROM audit_log WHERE action = 'rollback' AND outcome = 'refused'"
        ).fetchone()[0]
    finally:
        con.close()
    assert refusals == 1


def test_the_entry_point_opens_the_flight_deck(monkeypatch, demo_db):
    monkeypatch.setenv("FLIGHTDECK_DB", demo_db)
    at = AppTest.from_file("../../app.py", default_timeout=60).run()
    assert not at.exception
    assert len(tiles(at)) == 21 + len(SUPPLEMENTARY)


def test_definitions_write_out_every_kpi_and_explain_the_jargon(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, "definitions")
    written = texts(at)
    assert all(f"**K{i:02d} · " in written for i in range(1, 22))
    assert "the *numerator*" in written and "XmR" in written
    at.multiselect(key="def_pillars").select("Victim engagement").run()
    assert "**K16 · " in texts(at) and "**K02 · " not in texts(at)


def test_flight_deck_offers_a_board_pack(monkeypatch, demo_db):
    at = open_page(monkeypatch, demo_db, "flight_deck")
    buttons = at.get("download_button")
    assert [b.proto.label for b in buttons] == [
        "Download board pack (PDF)",
        "Download board pack (HTML)",
    ]


def test_load_preview_names_the_optional_columns_a_file_lacks(monkeypatch, empty_db):
    at = open_page(monkeypatch, empty_db, "load")
    at.date_input(key="as_of").set_value(dt.date(2025, 6, 30)).run()
    at.file_uploader[0].upload("cheshire.csv", VALID_CSV.encode(), "text/csv").run()
    shown = texts(at)
    # VALID_CSV has outcome_type, outcome_date and charge_date of the optional columns.
    assert "cheshire.csv has no column cancelled, offence_date, suspect_id," in shown
    absent = shown.split("cheshire.csv has no column ", 1)[1].split(":", 1)[0]
    assert "outcome_type" not in absent and "charge_date" not in absent


def test_a_likely_wrong_extract_is_a_danger_with_its_own_confirmation(monkeypatch, empty_db):
    at = open_page(monkeypatch, empty_db, "load")
    at.date_input(key="as_of").set_value(dt.date(2025, 6, 30)).run()
    at.file_uploader[0].upload("cheshire.csv", VALID_CSV.encode(), "text/csv").run()
    at.button(key="confirm_cases").click().run()
    assert "Loaded cheshire.csv" in texts(at)
    # A file whose crimes share no id with the force's data: three missing, three new.
    other = VALID_CSV.replace(",C", ",X")
    at.file_uploader[0].upload("other.csv", other.encode(), "text/csv").run()
    [danger] = [e.value for e in at.error]
    assert danger.startswith("**This does not look like the right extract.** cheshire: 3 of the 3")
    assert at.button(key="confirm_cases").disabled
    at.checkbox(key="confirm_wrong_extract").check().run()
    assert not at.button(key="confirm_cases").disabled
    at.button(key="confirm_cases").click().run()
    assert not at.exception
    assert "Loaded other.csv" in texts(at)
    assert current_crimes(empty_db) == 6


def test_a_file_refused_before_reading_is_said_on_the_page_and_audited(monkeypatch, empty_db):
    at = open_page(monkeypatch, empty_db, "load")
    at.file_uploader[0].upload("june.csv", b"%PDF-1.7 a report", "text/csv").run()
    assert not at.exception
    assert "june.csv is a PDF, not a CSV file" in [e.value for e in at.error][0]
    at.file_uploader[1].upload("staff.csv", b"PK\x03\x04 workbook", "text/csv").run()
    at.button(key="confirm_workforce").click().run()
    assert "staff.csv is a zip archive or an Excel" in texts(at)
    con = duckdb.connect(empty_db, read_only=True)
    try:
        audited = con.execute(
            "SELECT action, outcome FROM audit_log WHERE action LIKE 'load_%' ORDER BY audit_id"
        ).fetchall()
    finally:
        con.close()
    assert audited == [("load_cases", "refused"), ("load_workforce", "refused")]
