"""In headless Chromium: an analyst records a change point with text that looks like markdown
and HTML, sees it listed exactly as typed, withdraws another, and sets a rate's target in
percent. Screenshots go to test-artifacts/ for a person to look at."""

import datetime as dt
import re

import duckdb
import pytest

from helpers.browser import chromium, new_tab, settle, shot
from helpers.server import serving_demo

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")
expect = playwright.expect

AS_OF = dt.date(2025, 6, 30)
TEXT = "New RASSO team from April 2025 **not bold** <b>not html</b>"


@pytest.fixture(scope="module")
def served(tmp_path_factory):
    """Two synthetic forces over 15 months, served on a free port (local mode: analyst)."""
    with serving_demo(
        tmp_path_factory.mktemp("browser-annotations"),
        forces=2,
        months=15,
        crimes_per_month=25,
        seed=3,
        as_of=AS_OF,
        warmup_months=0,
    ) as (url, db):
        yield url, db


@pytest.fixture(scope="module")
def page(served):
    with chromium() as browser:
        yield new_tab(browser)


def _choose(page, key: str, option: str) -> None:
    """Pick an option of a select box by typing it (the list is filtered to it); under load
    the list can close as a rerun redraws the box, so the pick is tried again."""
    box = page.locator(f".st-key-{key}").get_by_role("combobox")
    wanted = page.get_by_role("option", name=option, exact=True)
    for _ in range(3):
        box.click()
        box.fill(option)
        try:
            wanted.click(timeout=10_000)
            break
        except playwright.TimeoutError:
            page.keyboard.press("Escape")
            settle(page)
    else:
        raise AssertionError(f"{option!r} was never offered in {key}")
    settle(page)


def _record(page, kpi: str, month: str, text: str) -> None:
    _choose(page, "annotation_kpi", kpi)
    _choose(page, "annotation_month", month)
    page.locator(".st-key-annotation_text input").fill(text)
    page.get_by_role("button", name="Record").click()
    settle(page)


def test_an_analyst_records_withdraws_and_sets_a_target(page, served):
    url, db = served
    page.goto(f"{url}/annotations")
    page.get_by_role("heading", name="Change points, notes and targets").wait_for()
    settle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("No change points or notes").wait_for()

    _record(page, "All KPIs", "Jan 2025", "Force-wide note to withdraw")
    main.get_by_text("Change point recorded for all KPIs from Jan 2025.").wait_for()
    page.locator(".st-key-annotation_kind").get_by_text("Change point").first.wait_for()
    _record(page, "K02 Charge/summons rate", "Apr 2025", TEXT)
    main.get_by_text("Change point recorded for K02 from Apr 2025.").wait_for()
    rows = main.locator("[class*='st-key-annotation_row_']")
    listed = rows.filter(has_text="Apr 2025 · K02")
    expect(rows).to_have_count(2)
    expect(listed).to_have_count(1)
    assert TEXT in listed.inner_text()  # as typed: no bold, no HTML
    assert listed.locator("b, strong").filter(has_text="not").count() == 0

    first = rows.filter(has_text="Force-wide note")
    first.get_by_role("button", name="Withdraw").click()
    settle(page)
    main.get_by_text("Change point withdrawn.").wait_for()
    expect(rows).to_have_count(1)
    expect(main.get_by_text("Force-wide note to withdraw")).to_have_count(0)

    # K02, the first KPI that takes a target, is offered first, entered in percent
    target = page.locator(".st-key-target_value_K02 input")
    assert page.locator(".st-key-target_value_K02").get_by_text("Target (%)").count() == 1
    target.fill("12.5")
    target.press("Tab")
    settle(page)
    page.get_by_role("button", name="Save target").click()
    settle(page)
    main.get_by_text("Target for K02 saved.").wait_for()
    main.locator("[data-testid='stDataFrame']").first.wait_for()  # drawn on a canvas
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, "annotations")

    con = duckdb.connect(str(db), read_only=True)
    try:
        kept = con.execute(
            "SELECT text, withdrawn_by IS NOT NULL FROM spc_annotations ORDER BY annotation_id"
        ).fetchall()
        target_value = con.execute(
            "SELECT target FROM kpi_targets WHERE kpi_id = 'K02' AND force = ("
            "SELECT min(force) FROM spc_annotations)"
        ).fetchone()
        audited = [r[0] for r in con.execute("SELECT action FROM audit_log").fetchall()]
    finally:
        con.close()
    assert kept == [("Force-wide note to withdraw", True), (TEXT, False)]
    assert target_value == (pytest.approx(0.125),)
    assert re.search(
        "record_annotation.*record_annotation.*withdraw_annotation.*edit_targets", " ".join(audited)
    )
