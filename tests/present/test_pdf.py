"""The board pack's PDF: printed offline by the system Chromium, one summary page then one page
per KPI (then the notes), the footer and the synthetic mark on every page of a demo force's
pack and on none of a real force's."""

import datetime as dt

import pandas as pd
import pytest

from flightdeck import access
from flightdeck.present import formatting, pack_data, pdf
from flightdeck.store import annotations
from flightdeck.store.connection import connect
from helpers.packs import DEMO_FORCE, REAL_FORCE, build_demo_db, build_real_db, pdf_pages

MAY_2025 = pd.Timestamp("2025-05-01")
ANALYST = access.User("analyst", "analyst")


@pytest.fixture(autouse=True)
def chromium():
    """The PDF is printed by the system's Chromium: these tests need it (./scripts/test)."""
    if not pdf.chromium_path().exists():
        pytest.fail(f"{pdf.chromium_path()} is missing: install Debian's chromium package")


def test_a_page_asking_for_anything_outside_is_printed_with_every_request_aborted():
    page = (
        "<html><head><link rel='stylesheet' href='https://cdn.example.org/pack.css'>"
        "<script src='http://cdn.example.org/plotly.min.js'></script></head><body>"
        "<p>Offline</p><img src='https://tracker.example.com/pixel.png'>"
        "<img src='data:image/gif;base64,R0lGODlhAQABAAAAACw='></body></html>"
    )
    blocked = []
    data = pdf.html_to_pdf(page, footer="A footer", on_blocked=blocked.append)
    assert sorted(blocked) == [
        "http://cdn.example.org/plotly.min.js",
        "https://cdn.example.org/pack.css",
        "https://tracker.example.com/pixel.png",
    ]  # the data: image is not a request to anywhere
    [text] = pdf_pages(data)
    assert "Offline" in text and "A footer" in text and "Page 1 of 1" in text


def test_without_chromium_the_pdf_is_refused_in_one_sentence(tmp_path, monkeypatch):
    missing = tmp_path / "no-chromium"
    with pytest.raises(pdf.PdfUnavailable) as refused:
        pdf.html_to_pdf("<p>x</p>", footer="f", chromium=missing)
    assert str(refused.value) == (
        f"The PDF board pack needs Chromium at {missing} (setting FLIGHTDECK_CHROMIUM), which "
        "is not there; the HTML board pack works without it."
    )
    monkeypatch.setenv("FLIGHTDECK_CHROMIUM", str(missing))  # the setting is what is read
    with pytest.raises(pdf.PdfUnavailable, match="no-chromium"):
        pdf.check_chromium()


@pytest.fixture(scope="module")
def demo_pack_db(tmp_path_factory):
    return build_demo_db(tmp_path_factory.mktemp("pack-demo") / "demo.duckdb")


@pytest.fixture(scope="module")
def real_pack_db(tmp_path_factory):
    return build_real_db(tmp_path_factory.mktemp("pack-real") / "real.duckdb")


def _pack(db, force: str, fmt: str) -> bytes:
    con = connect(db)
    try:
        return pack_data.export(con, ANALYST, force, MAY_2025, fmt)
    finally:
        con.close()


def test_a_demo_forces_pack_has_a_page_per_kpi_and_the_synthetic_mark_on_every_page(
    demo_pack_db,
):
    con = connect(demo_pack_db)
    annotations.record_annotation(
        con, DEMO_FORCE, "K10", dt.date(2024, 9, 1), "change_point", "New referral form",
        user=ANALYST,
    )  # fmt: skip
    con.close()
    pages = pdf_pages(_pack(demo_pack_db, DEMO_FORCE, "pdf"))
    assert len(pages) == 1 + 21 + 1  # the summary, each KPI, the notes
    for n, text in enumerate(pages, start=1):
        assert formatting.SYNTHETIC_BANNER in text, f"page {n}"
        assert f"Page {n} of {len(pages)}" in text
        assert "Northmoor Constabulary (synthetic) · May 2025" in text
    assert "May 2025 at a glance, all 21 KPIs" in pages[0]
    headings = sorted(text.split(" ", 1)[0] for text in pages[1:22])  # each page's heading
    assert headings == [f"K{i:02d}" for i in range(1, 22)]
    assert "Change points and notes" in pages[-1] and "New referral form" in pages[-1]


def test_a_real_forces_pack_has_no_synthetic_mark_and_accounts_for_every_kpi(real_pack_db):
    pages = pdf_pages(_pack(real_pack_db, REAL_FORCE, "pdf"))
    assert len(pages) == 1 + 21  # no notes recorded: no notes page
    assert not any("Synthetic" in text or "synthetic" in text for text in pages)
    assert all("Cheshire Constabulary · May 2025" in text for text in pages)
    # three crimes: every figure is a small number, yet every KPI has its page saying why
    assert all("No chart:" in text for text in pages[1:])
    assert sorted(text.split(" ", 1)[0] for text in pages[1:]) == [
        f"K{i:02d}" for i in range(1, 22)
    ]
