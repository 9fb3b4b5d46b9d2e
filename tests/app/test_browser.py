"""End to end in headless Chromium: start the app, upload extracts through the Load data page,
and read the flight deck. Screenshots go to test-artifacts/ for a person to look at."""

import contextlib
import datetime as dt
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from flightdeck import access
from flightdeck.store import connection, loads
from flightdeck.synthetic import generator
from helpers.paths import ROOT

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
HISTORY_AS_OF = dt.date(2025, 5, 31)
NEW_MONTH_CSV = (
    "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,outcome_type,"
    "outcome_date,charge_date\n"
    "demo-northmoor,NEW-1,2025-06-02,19C,24,female,1,2025-06-20,2025-06-20\n"
    "demo-northmoor,NEW-2,2025-06-05,19C,31,female,14,2025-06-25,\n"
    "demo-northmoor,NEW-3,2025-06-09,17A,15,male,,,\n"
    "demo-northmoor,NEW-4,2025-06-12,19E,11,female,,,\n"
)
BAD_CSV = (
    "force,crime_id,recorded_date,offence_code,victim_age,victim_gender\n"
    "demo-northmoor,BAD-1,2025-06-03,19C,24,female\n"
    "demo-northmoor,BAD-2,not a date,19C,31,female\n"
)


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_for(url: str, seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {seconds} s")


@pytest.fixture(scope="module")
def browser_db(tmp_path_factory) -> Path:
    """A database with a year of two synthetic forces."""
    folder = tmp_path_factory.mktemp("browser")
    db = folder / "browser.duckdb"
    files = generator.generate(
        folder / "files", forces=2, months=13, crimes_per_month=20, seed=7, as_of=HISTORY_AS_OF
    )
    con = connection.connect(db)
    loads.load_case_files(con, files.case_files, as_of=files.as_of, user=access.LOCAL_USER)
    loads.load_workforce_file(con, files.workforce_file, user=access.LOCAL_USER)
    con.close()
    return db


@contextlib.contextmanager
def _server(db: Path, log_path: Path, **env_extra: str):
    """The app served on a free loopback port over `db`; yields its address."""
    port = _free_port()
    env = {**os.environ, "FLIGHTDECK_DB": str(db), **env_extra}
    env.pop("FLIGHTDECK_TESTING", None)  # the real sign-in gate, no test override
    log = log_path.open("w")
    server = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
         "--server.port", str(port), "--server.address", "127.0.0.1"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    try:
        _wait_for(f"http://127.0.0.1:{port}/_stcore/health")
        yield f"http://127.0.0.1:{port}"
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture(scope="module")
def app_url(browser_db):
    """The app (local mode, analyst) on a free local port over the browser database."""
    with _server(browser_db, browser_db.with_name("streamlit.log")) as url:
        yield url


@pytest.fixture(scope="module")
def page(app_url):
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (./scripts/test does)"
        )
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        tab = browser.new_page(viewport={"width": 1400, "height": 1100})
        tab.set_default_timeout(60_000)
        yield tab
        browser.close()


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1")


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=120_000)


def _shot(page, name: str) -> None:
    # Streamlit scrolls inside its own container, so a tall window shows the whole page.
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 3200})
    page.wait_for_timeout(2000)  # let the charts draw
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
    page.set_viewport_size(size)


def _upload_cases(page, app_url: str, name: str, content: str, as_of: str) -> None:
    _open(page, f"{app_url}/load")
    # The date field has a day, a month and a year segment (DD/MM/YYYY).
    day, month, year = as_of.split("/")
    for part, value in (("day", day), ("month", month), ("year", year)):
        segment = page.get_by_role("spinbutton", name=f"{part}, Extract date (as of)")
        segment.click()
        page.keyboard.type(value)
    page.keyboard.press("Escape")  # close the calendar
    page.keyboard.press("Tab")
    _settle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    _settle(page)


def test_the_compare_page_reads_for_a_board(page, app_url):
    # Runs first, while both forces have the same months (the upload below adds one force's).
    from helpers.browser_compare import check_compare_page

    check_compare_page(page, app_url, ARTIFACTS)


def test_upload_confirm_and_see_the_new_month_on_the_flight_deck(page, app_url):
    _upload_cases(page, app_url, "northmoor-june.csv", NEW_MONTH_CSV, "30/06/2025")
    page.get_by_text("passed validation").wait_for()
    _shot(page, "load-preview")
    page.get_by_role("button", name="Confirm and load").click()
    page.get_by_text("KPIs recomputed for Northmoor").wait_for(timeout=120_000)
    _shot(page, "load-done")
    page.get_by_role("link", name="Open the flight deck").click()
    page.locator("[class*='st-key-tile_K21']").wait_for()
    _settle(page)
    assert page.locator("[class*='st-key-tile_K']").count() == 21
    assert page.get_by_text("Northmoor Constabulary (synthetic) · Jun 2025").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    _shot(page, "flight-deck")


def test_a_bad_file_is_refused_naming_the_failing_line(page, app_url):
    _upload_cases(page, app_url, "bad.csv", BAD_CSV, "30/06/2025")
    page.get_by_text("bad.csv was refused").wait_for()
    refusal = page.locator("[data-testid='stAlertContentError']").first.inner_text()
    assert "line 3" in refusal.lower() and "recorded_date" in refusal
    assert page.get_by_role("button", name="Confirm and load").count() == 0
    _shot(page, "load-refused")


def test_the_other_pages_open_without_errors(page, app_url):
    for path in ("kpi", "quality", "definitions"):
        _open(page, f"{app_url}/{path}")
        _settle(page)
        assert page.locator("[data-testid='stException']").count() == 0, path
        _shot(page, path)


def test_a_local_viewer_finds_no_load_controls(page, browser_db):
    # A second server over the same database file, as a read-only display on a shared screen
    # (both servers open the file only for moments, so they can share it).
    log = browser_db.with_name("streamlit-viewer.log")
    with _server(browser_db, log, FLIGHTDECK_LOCAL_ROLE="viewer") as viewer_url:
        _open(page, f"{viewer_url}/load")
        _settle(page)
        main = page.locator("[data-testid='stMainBlockContainer']")
        main.get_by_text("Viewers cannot load or roll back data").wait_for()
        assert page.get_by_text("Local mode: read-only display on this computer").is_visible()
        assert page.locator("[data-testid='stFileUploader']").count() == 0
        for label in ("Confirm and load", "Load workforce extract", "Roll back"):
            assert page.get_by_role("button", name=label).count() == 0, label
        # no Streamlit button of any kind on the page (tables keep their own toolbars)
        assert (
            main.locator("[data-testid='stButton'], [data-testid='stBaseButton-primary']").count()
            == 0
        )
        assert page.locator("[data-testid='stException']").count() == 0
        _shot(page, "load-viewer")
