"""Every download a page offers goes through the audited export path (a role without EXPORT is
refused there: tests/access/test_access.py), withholds ids, and the data-quality page lists the
crimes a median left out by their dates, never their ids."""

import datetime as dt

import duckdb
import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access
from flightdeck.engine import refresh
from flightdeck.store.connection import connect
from helpers.store import insert_case_load

VIEWER = access.User("board member", "viewer")

# Each script builds one download as a click would, and shows how many bytes it holds.
DOWNLOAD = """
import pandas as pd
import streamlit as st
from flightdeck.app.data import actions, deck
{build}
st.markdown(f"bytes {{len(data)}}")
"""
TABLE = 'data = actions.table_download("load warnings", pd.DataFrame({"rule": ["x", "y"]}))()'
PACK = """
force = deck.forces().iloc[0]
data = actions.board_pack_download(force, pd.Timestamp("2025-05-01"))()
st.markdown(data.decode()[:200].replace("<", " "))
"""
PDF = """
force = deck.forces().iloc[0]
data = actions.board_pack_download(force, pd.Timestamp("2025-05-01"), "pdf")()
st.markdown(data[:5].decode())
"""
FLIGHT_DECK = """
from flightdeck.app import registry, session
import streamlit as st
session.sign_in()
st.navigation(registry.sections(default="flight_deck")).run()
"""
REPORT = """
from flightdeck.extracts.report import ERROR, ValidationReport
report = ValidationReport("june.csv")
report.add(ERROR, "crime_id_duplicate", "the same crime_id twice", column="crime_id",
           examples=[(3, "C-991")])
data = actions.report_download(report)()
st.markdown(data.decode())
"""


def crime(crime_id, recorded, **columns):
    base = {"force": "demo-northmoor", "crime_id": crime_id, "recorded_date": recorded,
            "offence_code": "19C", "victim_age": 30, "victim_gender": "female"}  # fmt: skip
    return {**base, **columns}


@pytest.fixture
def database(tmp_path, monkeypatch):
    path = tmp_path / "downloads.duckdb"
    con = connect(path)
    # C-7: first contact two days before the report, a data error K09 leaves out.
    crimes = [
        crime("C-7", "2025-05-10", suspect_id="S-1", first_contact_date=dt.date(2025, 5, 8)),
        crime("C-8", "2025-05-12", suspect_id="S-2", first_contact_date=dt.date(2025, 5, 20)),
    ]
    insert_case_load(con, crimes, as_of="2025-06-30")
    refresh.refresh(con)
    con.close()
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    monkeypatch.setenv("FLIGHTDECK_TESTING", "1")
    return path


def run(script: str, user: access.User) -> AppTest:
    at = AppTest.from_string(script, default_timeout=60)
    at.session_state["flightdeck_test_user"] = user
    return at.run()


def exports(path) -> list[tuple]:
    con = duckdb.connect(str(path))
    try:
        return con.execute(
            "SELECT user_name, detail, outcome FROM audit_log WHERE action = 'export' "
            "ORDER BY audit_id"
        ).fetchall()
    finally:
        con.close()


def test_a_table_download_is_audited_as_an_export(database):
    at = run(DOWNLOAD.format(build=TABLE), VIEWER)
    assert not at.exception
    assert at.markdown[0].value == "bytes 9"  # "rule\nx\ny\n"
    assert exports(database) == [("board member", "load warnings: 2 rows", "ok")]


def test_the_board_pack_download_is_audited_and_marks_synthetic_data(database):
    at = run(DOWNLOAD.format(build=PACK), VIEWER)
    assert not at.exception
    assert "RASSO board pack" in at.markdown[0].value
    assert exports(database) == [
        ("board member", "board pack of demo-northmoor for 2025-05 (HTML)", "ok")
    ]


def test_a_validation_report_download_withholds_ids(database):
    at = run(DOWNLOAD.format(build=REPORT), VIEWER)
    assert not at.exception
    shown = at.markdown[0].value
    assert "C-991" not in shown and "[id withheld]" in shown
    assert exports(database) == [("board member", "validation report of june.csv: 1 rows", "ok")]


def test_the_quality_page_lists_a_left_out_crime_by_its_dates_only(database):
    script = """
from flightdeck.app import registry, session
import streamlit as st
session.sign_in()
st.navigation(registry.sections(default="quality")).run()
"""
    at = run(script, VIEWER)
    assert not at.exception
    table = next(d.value for d in at.dataframe if "later_date_value" in d.value.columns)
    assert "crime_id" not in table.columns
    assert table[["kpi_id", "days"]].values.tolist() == [["K09", -2]]
    shown = "\n".join(str(d.value.to_dict()) for d in at.dataframe)
    assert "C-7" not in shown


def test_the_board_pack_pdf_download_is_audited_as_an_export_of_its_own(database):
    at = run(DOWNLOAD.format(build=PDF), VIEWER)
    assert not at.exception
    assert at.markdown[0].value == "%PDF-"
    assert exports(database) == [
        ("board member", "board pack of demo-northmoor for 2025-05 (PDF)", "ok")
    ]


def test_the_flight_deck_offers_both_packs_and_builds_neither_until_clicked(database):
    at = run(FLIGHT_DECK, VIEWER)
    assert not at.exception
    buttons = at.get("download_button")
    labels = [b.proto.label for b in buttons]
    assert labels[:2] == ["Download board pack (PDF)", "Download board pack (HTML)"]
    assert not any(b.proto.disabled for b in buttons[:2])
    assert exports(database) == []  # shown, not built: nothing is exported until a click


def test_without_chromium_the_pdf_button_is_greyed_out_and_says_why(database, monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_CHROMIUM", "/nowhere/chromium")
    at = run(FLIGHT_DECK, VIEWER)
    assert not at.exception
    pdf_button, html_button = at.get("download_button")[:2]
    assert pdf_button.proto.disabled and not html_button.proto.disabled
    said = " ".join(c.value for c in at.caption)
    assert (
        "The PDF board pack needs Chromium at /nowhere/chromium (setting FLIGHTDECK_CHROMIUM), "
        "which is not there; the HTML board pack works without it."
    ) in said
