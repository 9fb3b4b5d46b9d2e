"""The problem profile page on a case extract loaded as a user would load it: the ethnicity
breakdown appears only when completeness reaches the threshold, a hidden count reads
"suppressed", and the page offers the document to download."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access
from flightdeck.store import connection, loads

AS_OF = dt.date(2025, 1, 31)
HEADER = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,victim_ethnicity\n"
HARNESS = """
import streamlit as st
from flightdeck.app import registry, session
session.sign_in()
st.navigation(registry.sections(default="profile")).run()
"""
BREAKDOWN_HEAD = "Victim's ethnicity (recorded)"


def extract(tmp_path, recorded: int, crimes: int = 50) -> str:
    """`crimes` rape crimes of Cheshire in 2024 (women of 30), the first `recorded` of them with
    the victim's ethnicity (white, else asian every fifth), into a new database."""
    rows = []
    for i in range(crimes):
        ethnicity = ("asian" if i % 5 == 0 else "white") if i < recorded else ""
        day = dt.date(2024, 1 + i % 12, 1 + i % 28)
        rows.append(f"cheshire,C{i},{day},19C,30,female,{ethnicity}\n")
    path = tmp_path / "cases.csv"
    path.write_text(HEADER + "".join(rows))
    db = tmp_path / "profile.duckdb"
    con = connection.connect(db)
    try:
        outcome = loads.load_case_files(con, [path], as_of=AS_OF, user=access.LOCAL_USER)
        assert outcome.status == "loaded", outcome.message
    finally:
        con.close()
    return str(db)


def open_profile(monkeypatch, db: str) -> AppTest:
    monkeypatch.setenv("FLIGHTDECK_DB", db)
    return AppTest.from_string(HARNESS, default_timeout=90).run()


def shown(at: AppTest) -> str:
    parts = [
        e.value for kind in ("markdown", "caption", "subheader", "info") for e in getattr(at, kind)
    ]
    parts += [h.proto.body for h in at.get("html")]
    return "\n".join(str(p) for p in parts)


@pytest.mark.parametrize("recorded", [20, 39])
def test_ethnicity_under_the_threshold_gives_no_breakdown_and_says_why(
    tmp_path, monkeypatch, recorded
):
    at = open_profile(monkeypatch, extract(tmp_path, recorded))
    assert not at.exception
    page = shown(at)
    # 20 of 50 = 40 %; 39 of 50 = 78 %: both under the default 80 %
    assert (
        f"recorded for {recorded / 50:.0%}".replace("%", " %") in page
        or f"{recorded / 50:.0%}" in page
    )
    assert "below the 80 %" in page
    assert BREAKDOWN_HEAD not in page


def test_ethnicity_at_the_threshold_gives_the_breakdown(tmp_path, monkeypatch):
    at = open_profile(monkeypatch, extract(tmp_path, 40))  # 40 of 50 = 80 %
    assert not at.exception
    page = shown(at)
    assert BREAKDOWN_HEAD in page
    # of the 40 recorded: every fifth crime (0, 5, ... 35) asian = 8, the other 32 white
    table = next(h.proto.body for h in at.get("html") if BREAKDOWN_HEAD in h.proto.body)
    assert "<td>White</td><td class='n'>32</td>" in table
    assert "<td>Asian</td><td class='n'>8</td>" in table


def test_the_page_names_the_period_and_offers_both_downloads(tmp_path, monkeypatch):
    at = open_profile(monkeypatch, extract(tmp_path, 40))
    page = shown(at)
    # the latest month with figures is Dec 2024 (the crimes are of 2024): the 12 months to it
    assert "Jan 2024 to Dec 2024** against Jan 2023 to Dec 2023" in page
    assert "Volumes by offence group" in page
    labels = [b.proto.label for b in at.get("download_button")]
    assert labels == ["Download problem profile (PDF)", "Download problem profile (HTML)"]
