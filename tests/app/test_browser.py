"""End to end in headless Chromium: start the app as ./scripts/dashboard does (through
flightdeck/app/server.py), upload extracts through the Load data page, read the flight deck,
visit every page while recording every request the browser makes (nothing may leave this
computer), and see a failing page's one-sentence error. Screenshots go to test-artifacts/ for a
person to look at."""

import contextlib
import datetime as dt
import re
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from flightdeck import access
from flightdeck.app import registry
from flightdeck.store import connection, loads
from flightdeck.synthetic import generator
from helpers.browser import ARTIFACTS, chromium, new_tab, settle, shot
from helpers.server import LAUNCHER, serving

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

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
def _server(db: Path, log_path: Path, launcher: Path = LAUNCHER, **env_extra: str):
    """The app served by `launcher` on a free loopback port over `db`; yields its address."""
    with serving(db, log_path, launcher=launcher, **env_extra) as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def app_url(browser_db):
    """The app (local mode, analyst) on a free local port over the browser database."""
    with _server(browser_db, browser_db.with_name("streamlit.log")) as url:
        yield url


@pytest.fixture(scope="module")
def browser():
    with chromium() as launched:
        yield launched


@pytest.fixture(scope="module")
def page(app_url, browser):
    tab = new_tab(browser)
    yield tab
    tab.close()


def _open(page, url: str) -> None:
    page.goto(url)
    page.wait_for_selector("[data-testid='stMainBlockContainer'] h1")


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
    settle(page)
    page.locator("[data-testid='stFileUploaderDropzoneInput']").first.set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": content.encode()}
    )
    settle(page)


def test_the_compare_page_reads_for_a_board(page, app_url):
    # Runs first, while both forces have the same months (the upload below adds one force's).
    from helpers.browser_compare import check_compare_page

    check_compare_page(page, app_url, ARTIFACTS)


def test_upload_confirm_and_see_the_new_month_on_the_flight_deck(page, app_url):
    _upload_cases(page, app_url, "northmoor-june.csv", NEW_MONTH_CSV, "30/06/2025")
    page.get_by_text("passed validation").wait_for()
    shot(page, "load-preview")
    # Four crimes where the previous load had hundreds: the page holds the file as a likely
    # wrong extract until the analyst says it is the right one (the hold has its own tests).
    page.get_by_text("This does not look like the right extract").wait_for()
    page.get_by_text("I have checked: this is the right extract").click()
    settle(page)
    page.get_by_role("button", name="Confirm and load").click()
    page.get_by_text("KPIs recomputed for Northmoor").wait_for(timeout=120_000)
    shot(page, "load-done")
    page.get_by_role("link", name="Open the flight deck").click()
    page.locator("[class*='st-key-tile_K21']").wait_for()
    settle(page)
    assert page.locator("[class*='st-key-tile_K']").count() == 21
    assert page.get_by_text("Northmoor Constabulary (synthetic) · Jun 2025").is_visible()
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, "flight-deck")


def test_a_bad_file_is_refused_naming_the_failing_line(page, app_url):
    _upload_cases(page, app_url, "bad.csv", BAD_CSV, "30/06/2025")
    page.get_by_text("bad.csv was refused").wait_for()
    refusal = page.locator("[data-testid='stAlertContentError']").first.inner_text()
    assert "line 3" in refusal.lower() and "recorded_date" in refusal
    assert page.get_by_role("button", name="Confirm and load").count() == 0
    shot(page, "load-refused")


def test_the_other_pages_open_without_errors(page, app_url):
    for path in ("kpi", "quality", "definitions"):
        _open(page, f"{app_url}/{path}")
        settle(page)
        assert page.locator("[data-testid='stException']").count() == 0, path
        shot(page, path)


def test_a_local_viewer_finds_no_load_controls(page, browser_db):
    # A second server over the same database file, as a read-only display on a shared screen
    # (both servers open the file only for moments, so they can share it).
    log = browser_db.with_name("streamlit-viewer.log")
    with _server(browser_db, log, FLIGHTDECK_LOCAL_ROLE="viewer") as viewer_url:
        _open(page, f"{viewer_url}/load")
        settle(page)
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
        shot(page, "load-viewer")


# ---- nothing is fetched from outside this computer ------------------------------------------

# The local analyst's navigation: every page but administration (admins only).
NAVIGATION = {path: title for path, (_, title, _) in registry.PAGES.items() if path != "admin"}


def _from_this_server(url: str, app_url: str) -> bool:
    """Whether the browser fetched `url` from the app's own server (data: and blob: URLs are
    made inside the page)."""
    if url.startswith(("data:", "blob:")):
        return True
    parts, server = urllib.parse.urlsplit(url), urllib.parse.urlsplit(app_url)
    return parts.scheme in ("http", "ws") and parts.netloc == server.netloc


def test_every_page_loads_only_from_this_computer(browser, app_url):
    tab = new_tab(browser)
    requested: list[str] = []
    tab.on("request", lambda request: requested.append(request.url))
    tab.on("websocket", lambda websocket: requested.append(websocket.url))
    _open(tab, app_url)
    tab.locator("[class*='st-key-tile_K21']").wait_for()
    settle(tab)
    for path, title in NAVIGATION.items():
        nav = tab.locator("[data-testid='stSidebarNav']")
        nav.get_by_role("link", name=title).click()
        tab.wait_for_url(re.compile(rf"/{path}$" if path != registry.DEFAULT else rf"/{path}$|/$"))
        tab.wait_for_selector("[data-testid='stMainBlockContainer'] h1")
        settle(tab)
        if path in ("kpi", "compare"):
            tab.locator(".js-plotly-plot").first.wait_for()
        tab.wait_for_timeout(1500)  # let the charts draw and fetch whatever they fetch
        assert tab.locator("[data-testid='stException']").count() == 0, path
    shot(tab, "requests-last-page")
    assert any("/_stcore/stream" in url for url in requested)  # the recording saw the websocket
    outside = sorted({url for url in requested if not _from_this_server(url, app_url)})
    assert not outside, f"fetched from outside this computer: {outside}"
    icon = urllib.parse.urljoin(
        app_url, tab.locator("link[rel='shortcut icon']").get_attribute("href")
    )
    assert _from_this_server(icon, app_url) and "/media/" in icon, icon
    # a look at the icon itself (a screenshot has no browser tab to show it in)
    assert tab.goto(icon).headers["content-type"] == "image/png"
    tab.screenshot(path=str(ARTIFACTS / "favicon.png"))
    tab.close()


# ---- a failing page in the real server ------------------------------------------------------

# A launcher like flightdeck/app/server.py whose page script fails: the server's own error
# handler (on_script_error) must show the sentence, as no page wrapper catches it.
FAILING_LAUNCHER = """
import streamlit as st

from flightdeck.app import errors, server

app = st.App(
    "failing_page.py", middleware=server.MIDDLEWARE, on_script_error=errors.on_script_error
)
"""
FAILING_PAGE = """
import streamlit as st

st.title("A page that fails")
raise RuntimeError("boom in /srv/flightdeck/failing_page.py")
"""


def test_a_failing_page_shows_one_sentence_and_a_reference_in_the_log(browser, tmp_path):
    (tmp_path / "failing_server.py").write_text(FAILING_LAUNCHER)
    (tmp_path / "failing_page.py").write_text(FAILING_PAGE)
    log = tmp_path / "failing.log"
    with _server(tmp_path / "failing.duckdb", log, launcher=tmp_path / "failing_server.py") as url:
        tab = new_tab(browser)
        _open(tab, url)
        alert = tab.locator("[data-testid='stAlertContentError']").first
        alert.wait_for()
        settle(tab)
        text = alert.inner_text()
        reference = re.fullmatch(
            r"Something went wrong and this page could not be shown in full "
            r"\(reference ([0-9a-f]{8})\)\. The details are in the server log\.",
            text.strip(),
        )
        assert reference, text
        assert tab.locator("[data-testid='stException']").count() == 0
        main = tab.locator("[data-testid='stMain']").first
        # no links to search the error on outside sites (the heading's own anchor stays)
        links = [
            urllib.parse.urljoin(url, a.get_attribute("href")) for a in main.locator("a").all()
        ]
        assert all(_from_this_server(link, url) for link in links), links
        assert "/srv" not in main.inner_text()
        shot(tab, "error-page")
        tab.close()
    assert f"error {reference.group(1)}: RuntimeError" in log.read_text()
