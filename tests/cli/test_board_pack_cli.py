"""`flightdeck board-pack`: the dashboard's pack as a PDF or an HTML file, written owner-only and
audited as an export; a wrong suffix is a usage error, an unknown force or month one line."""

import shutil

import duckdb
import pytest

from flightdeck.cli.main import main
from flightdeck.present import formatting
from helpers.modes import mode, open_umask  # noqa: F401 (a fixture)
from helpers.packs import DEMO_FORCE, build_demo_db, pdf_pages


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("cli-pack") / "built.duckdb")


@pytest.fixture
def db(built, tmp_path):
    """A fresh copy per test, so each sees only its own audit rows."""
    return shutil.copy(built, tmp_path / "fd.duckdb")


def pack(db, out, *extra: str, force: str = DEMO_FORCE, month: str = "2025-05") -> int:
    args = ["board-pack", "--db", str(db), "--force", force, "--month", month, "--out", str(out)]
    return main([*args, "--quiet", *extra])


def exports(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT role, detail, outcome FROM audit_log WHERE action = 'export' ORDER BY audit_id"
        ).fetchall()
    finally:
        con.close()


@pytest.mark.usefixtures("open_umask")
def test_a_pdf_pack_is_written_owner_only_and_audited(db, tmp_path, capsys):
    out = tmp_path / "packs" / "northmoor-may.pdf"
    assert pack(db, out) == 0
    pages = pdf_pages(out.read_bytes())
    assert len(pages) == 22 and all(formatting.SYNTHETIC_BANNER in text for text in pages)
    assert mode(out) == 0o600 and mode(out.parent) == 0o700
    assert exports(db) == [("analyst", f"board pack of {DEMO_FORCE} for 2025-05 (PDF)", "ok")]
    assert f"Wrote the board pack of {DEMO_FORCE} for May 2025 (PDF" in capsys.readouterr().out


@pytest.mark.usefixtures("open_umask")
def test_an_html_pack_is_the_same_pack_as_a_file_that_opens_offline(db, tmp_path):
    out = tmp_path / "northmoor-may.HTML"  # the suffix in any case
    assert pack(db, out) == 0
    text = out.read_text(encoding="utf-8")
    assert "RASSO flight deck: Northmoor Constabulary (synthetic), May 2025" in text
    assert text.count("<section class='page kpi'") == 21
    assert mode(out) == 0o600
    assert exports(db) == [("analyst", f"board pack of {DEMO_FORCE} for 2025-05 (HTML)", "ok")]


@pytest.mark.parametrize("name", ["pack.docx", "pack", "pack.pdf.txt"])
def test_a_suffix_that_is_not_pdf_or_html_is_a_usage_error(db, tmp_path, capsys, name):
    assert pack(db, tmp_path / name) == 2
    err = capsys.readouterr().err
    assert err.startswith("flightdeck: --out must end in .pdf or .html")
    assert not (tmp_path / name).exists() and exports(db) == []


def test_a_month_not_in_yyyy_mm_form_is_a_usage_error(db, tmp_path, capsys):
    with pytest.raises(SystemExit) as stopped:
        pack(db, tmp_path / "p.pdf", month="May 2025")
    assert stopped.value.code == 2
    assert "not a month in YYYY-MM form: 'May 2025'" in capsys.readouterr().err


def test_an_unknown_force_or_month_is_refused_in_one_line(db, tmp_path, capsys):
    assert pack(db, tmp_path / "p.pdf", force="atlantis") == 1
    err = capsys.readouterr().err
    assert (
        err
        == f"flightdeck: no case data for the force 'atlantis' here (forces held: {DEMO_FORCE})\n"
    )
    assert pack(db, tmp_path / "p.pdf", month="2031-01") == 1
    assert capsys.readouterr().err.startswith(
        f"flightdeck: {DEMO_FORCE} has no KPI results for 2031-01 (months: "
    )
    assert not (tmp_path / "p.pdf").exists() and exports(db) == []


def test_a_missing_database_is_a_usage_error(tmp_path, capsys):
    assert pack(tmp_path / "none.duckdb", tmp_path / "p.html") == 2
    assert capsys.readouterr().err == f"flightdeck: no such database: {tmp_path / 'none.duckdb'}\n"
    assert not (tmp_path / "none.duckdb").exists()


def test_without_chromium_the_pdf_is_refused_in_one_line_and_the_html_still_works(
    db, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("FLIGHTDECK_CHROMIUM", str(tmp_path / "no-chromium"))
    assert pack(db, tmp_path / "p.pdf") == 1
    err = capsys.readouterr().err
    assert err == (
        f"flightdeck: The PDF board pack needs Chromium at {tmp_path / 'no-chromium'} (setting "
        "FLIGHTDECK_CHROMIUM), which is not there; the HTML board pack works without it.\n"
    )
    assert not (tmp_path / "p.pdf").exists() and exports(db) == []
    assert pack(db, tmp_path / "p.html") == 0


def test_an_offence_group_pack_names_its_group_and_an_unknown_one_is_a_usage_error(
    db, tmp_path, capsys
):
    out = tmp_path / "northmoor-may-rape.html"
    assert pack(db, out, "--offence-group", "rape") == 0
    text = out.read_text(encoding="utf-8")
    assert "RASSO flight deck: Northmoor Constabulary (synthetic), Rape, May 2025" in text
    assert exports(db) == [
        ("analyst", f"board pack of {DEMO_FORCE} for 2025-05, rape (HTML)", "ok")
    ]
    assert f"Wrote the board pack of {DEMO_FORCE} (Rape) for May 2025" in capsys.readouterr().out
    with pytest.raises(SystemExit) as stopped:
        pack(db, tmp_path / "p.html", "--offence-group", "robbery")
    assert stopped.value.code == 2
    assert "invalid choice: 'robbery'" in capsys.readouterr().err


def _suspect_ids(db) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT DISTINCT suspect_id FROM crimes_in_scope WHERE force = ? AND named_suspect",
            [DEMO_FORCE],
        ).fetchall()
    finally:
        con.close()
    return {suspect for (suspect,) in rows}


def test_no_suspect_id_leaves_in_a_board_pack_or_a_peer_export(db, tmp_path):
    suspects = _suspect_ids(db)
    assert len(suspects) > 100  # the demo names suspects, repeat ones among them
    html_pack, results = tmp_path / "pack.html", tmp_path / "results.csv"
    assert pack(db, html_pack) == 0
    assert main(["export-results", "--db", str(db), "--force", DEMO_FORCE, "--out",
                 str(results), "--quiet"]) == 0  # fmt: skip
    for written in (html_pack, results):
        text = written.read_text(encoding="utf-8")
        assert not [s for s in suspects if s in text], written.name
    assert ",S01," not in results.read_text() and "Suspect management" not in html_pack.read_text()
