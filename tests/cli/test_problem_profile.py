"""`flightdeck problem-profile`: the demo force's profile as a PDF (every page marked synthetic)
or an HTML file, written owner-only and audited as an export; no crime, suspect or victim id
anywhere in it; an unknown force or a month past the data refused in one line."""

import re
import shutil

import duckdb
import pytest

from flightdeck.cli.main import main
from flightdeck.present import formatting
from helpers.modes import mode, open_umask  # noqa: F401 (a fixture)
from helpers.packs import pdf_pages

FORCE = "demo-northmoor"


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    path = tmp_path_factory.mktemp("cli-profile") / "built.duckdb"
    assert main(["demo", "--db", str(path), "--quiet"]) == 0
    return path


@pytest.fixture
def db(built, tmp_path):
    """A fresh copy per test, so each sees only its own audit rows."""
    return shutil.copy(built, tmp_path / "fd.duckdb")


def profile(db, out, fmt: str, *extra: str, force: str = FORCE) -> int:
    args = ["problem-profile", "--db", str(db), "--force", force, "--format", fmt]
    return main([*args, "--out", str(out), "--quiet", *extra])


def exports(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT role, detail, outcome FROM audit_log WHERE action = 'export' ORDER BY audit_id"
        ).fetchall()
    finally:
        con.close()


def identifiers(db) -> set[str]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute(
            "SELECT crime_id, suspect_id, victim_id FROM crimes_in_scope WHERE force = ?", [FORCE]
        ).fetchall()
    finally:
        con.close()
    return {value for row in rows for value in row if value}


@pytest.mark.usefixtures("open_umask")
def test_the_pdf_profile_has_every_page_marked_synthetic_and_is_audited(db, tmp_path, capsys):
    out = tmp_path / "profiles" / "northmoor.pdf"
    assert profile(db, out, "pdf") == 0
    body = out.read_bytes()
    assert body.startswith(b"%PDF")
    pages = pdf_pages(body)
    assert len(pages) >= 11 and all(formatting.SYNTHETIC_BANNER in text for text in pages)
    assert "Victims by age band and gender" in "".join(pages)
    assert mode(out) == 0o600
    assert exports(db) == [("analyst", f"problem profile of {FORCE} to 2026-11 (PDF)", "ok")]
    assert "Dec 2025 to Nov 2026 (PDF" in capsys.readouterr().out


@pytest.mark.usefixtures("open_umask")
def test_the_html_profile_names_no_crime_suspect_or_victim(db, tmp_path):
    out = tmp_path / "northmoor.html"
    assert profile(db, out, "html", "--month", "2026-06") == 0
    text = out.read_text(encoding="utf-8")
    assert "Jul 2025 to Jun 2026" in text and mode(out) == 0o600
    # the figures' data and the page, without the plotly.js library itself
    scripts = re.findall(r"<script[^>]*>(.*?)</script>", text, re.S)
    library = max(scripts, key=len)
    shown = text.replace(library, "")
    ids = identifiers(db)
    assert len(ids) > 1000
    found = set(re.findall(r"\b[CSV][0-9a-f]{10,12}\b", shown)) & ids
    assert found == set() and not any(i in shown for i in list(ids)[:500])
    assert exports(db) == [("analyst", f"problem profile of {FORCE} to 2026-06 (HTML)", "ok")]


def test_an_unknown_force_or_a_month_past_the_data_is_refused_in_one_line(db, tmp_path, capsys):
    assert profile(db, tmp_path / "p.html", "html", force="atlantis") == 1
    assert "no case data for the force 'atlantis' here" in capsys.readouterr().err
    assert profile(db, tmp_path / "p.html", "html", "--month", "2027-01") == 1
    err = capsys.readouterr().err
    assert "complete only to 2026-11, so there is no profile to 2027-01" in err
    assert not (tmp_path / "p.html").exists() and exports(db) == []


def test_a_format_that_is_not_pdf_or_html_is_a_usage_error(db, tmp_path):
    with pytest.raises(SystemExit) as stopped:
        profile(db, tmp_path / "p.docx", "docx")
    assert stopped.value.code == 2


@pytest.mark.usefixtures("open_umask")
def test_the_format_follows_the_files_suffix_as_the_board_packs_does(db, tmp_path):
    out = tmp_path / "northmoor.html"
    assert main(["problem-profile", "--db", str(db), "--force", FORCE, "--out", str(out),
                 "--quiet"]) == 0  # fmt: skip
    assert out.read_text(encoding="utf-8").lower().startswith("<!doctype html>")
    assert exports(db) == [("analyst", f"problem profile of {FORCE} to 2026-11 (HTML)", "ok")]


@pytest.mark.parametrize(
    ("name", "fmt"), [("northmoor.txt", None), ("northmoor.html", "pdf")], ids=["none", "clash"]
)
def test_a_file_whose_suffix_names_no_format_or_another_is_refused(db, tmp_path, capsys, name,
                                                                    fmt):  # fmt: skip
    extra = ["--format", fmt] if fmt else []
    out = tmp_path / name
    args = ["problem-profile", "--db", str(db), "--force", FORCE, "--out", str(out), *extra]
    assert main(args) == 2
    assert "--out must end in .pdf or .html" in capsys.readouterr().err
    assert not out.exists() and exports(db) == []
