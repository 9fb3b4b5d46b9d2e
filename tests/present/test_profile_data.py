"""Gathering the problem profile document from the demo database: the peer and national
comparisons, police figures beside the partners', and the export checked and audited."""

import duckdb
import pandas as pd
import pytest

from flightdeck import access
from flightdeck.cli.main import main
from flightdeck.present import profile_data
from flightdeck.store.connection import connect

FORCE = "demo-northmoor"


@pytest.fixture(scope="module")
def con(tmp_path_factory):
    path = tmp_path_factory.mktemp("profile-data") / "demo.duckdb"
    assert main(["demo", "--db", str(path), "--quiet"]) == 0
    con = connect(path)
    yield con
    con.close()


def test_the_document_compares_the_force_with_its_peers_and_every_force(con):
    doc = profile_data.gather_profile(con, FORCE, None, user=access.LOCAL_USER)
    assert doc.last == pd.Timestamp("2026-11-01")
    peers, national = doc.comparison, doc.national
    assert peers.period == "the 12 months Dec 2025 to Nov 2026"
    assert [f.heading[-5:] for f in peers.funnels] == ["(K01)", "(K02)"]
    assert all(FORCE in set(f.result.points["force"]) for f in peers.funnels)
    # the latest financial quarter ending by November 2026 is July to September 2026
    assert national.period == "the four financial quarters 2025/26 Q3 to 2026/27 Q2"
    assert national.note.startswith("SYNTHETIC national figures")
    assert all(f.own is not None for f in national.funnels)


def test_police_figures_are_the_headline_rows_with_small_numbers_hidden(con):
    rule = profile_data.SuppressionRule(count_max=10_000)  # every count becomes small
    police = profile_data.police_figures(con, FORCE, ["K01"], rule)
    assert police["figure_hidden"].all() and police["figure"].isna().all()
    total = con.execute(
        "SELECT sum(value) FROM kpi_results WHERE kpi_id = 'K01' AND force = ? AND month "
        "BETWEEN '2025-12-01' AND '2026-11-01' AND offence_group = 'All' AND age_band = 'All' "
        "AND gender = 'All'",
        [FORCE],
    ).fetchone()[0]
    shown = profile_data.police_figures(con, FORCE, ["K01"], profile_data.SuppressionRule())
    window = shown[shown["month"].between("2025-12-01", "2026-11-01")]
    assert window["figure"].sum() == total and len(window) == 12


def test_an_export_by_a_role_without_export_is_refused_and_audited(con):
    nobody = access.User(name="visitor", role="guest")
    with pytest.raises(access.PermissionDenied):
        profile_data.export(con, nobody, FORCE, None, "html")
    last = con.execute(
        "SELECT action, detail, outcome FROM audit_log ORDER BY audit_id DESC LIMIT 1"
    ).fetchone()
    assert last == ("export", f"problem profile of {FORCE}", "refused")


def test_an_export_is_the_html_document_audited(con):
    body = profile_data.export(con, access.LOCAL_USER, FORCE, pd.Timestamp("2026-11-01"), "html")
    assert body.startswith(b"<!doctype html>") and b"RASSO problem profile" in body
    with pytest.raises(ValueError, match="not 'docx'"):
        profile_data.export(con, access.LOCAL_USER, FORCE, None, "docx")
    assert isinstance(con, duckdb.DuckDBPyConnection)
