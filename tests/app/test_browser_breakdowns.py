"""In headless Chromium: the KPI detail page's breakdowns of a snapshot (K06, open over 365
days) offer the latest month end or the mean of the month ends, and the mean is said as such
on the page and beside every bar, never as a sum. Screenshots go to test-artifacts/ for a
person to look at."""

import datetime as dt
import re
from pathlib import Path

import pytest

from flightdeck.synthetic import demo
from helpers.paths import ROOT
from helpers.server import serving

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """One synthetic force over two years (after a year's warm-up), served on a free port."""
    folder = tmp_path_factory.mktemp("browser-breakdowns")
    db = folder / "demo.duckdb"
    demo.build_demo(
        db, forces=1, months=24, crimes_per_month=40, seed=11, as_of=AS_OF, warmup_months=12
    )
    with serving(db, folder / "streamlit.log") as port:
        yield f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def page(app_url):
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package")
    ARTIFACTS.mkdir(exist_ok=True)
    with playwright.sync_playwright() as p:
        chromium = p.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run"],
        )  # fmt: skip
        tab = chromium.new_page(viewport={"width": 1400, "height": 1100})
        tab.set_default_timeout(60_000)
        yield tab
        chromium.close()


def _settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=120_000)


def _shot(page, name: str) -> Path:
    # Streamlit scrolls inside its own container, so a tall window shows the whole page.
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 3200})
    page.wait_for_timeout(2000)  # let the charts draw
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path


def test_a_snapshots_breakdown_is_the_mean_of_its_month_ends(page, app_url):
    page.goto(f"{app_url}/kpi")
    kpi = page.get_by_role("combobox", name=re.compile(r"^KPI")).first
    kpi.click()
    page.get_by_role("option", name=re.compile(r"^K06 ")).first.click()
    page.get_by_role("heading", name="K06 · Open investigations over 365 days").wait_for()
    _settle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Month end of Jun 2025.").wait_for()
    assert main.get_by_text("12 months to the month").count() == 0  # no sum to offer
    _shot(page, "kpi-k06-latest-month-end")
    page.get_by_text("Mean of the 12 month ends").click()
    _settle(page)
    main.get_by_text("Mean of 12 month ends (12 months to Jun 2025)").wait_for()
    bars = page.locator(".js-plotly-plot", has_text="By victim age band").first
    bars.wait_for()
    page.wait_for_timeout(1500)
    assert "on average" in bars.inner_text() and "at a month end" in bars.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    _shot(page, "kpi-k06-mean-of-month-ends")
