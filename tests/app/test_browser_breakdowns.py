"""In headless Chromium: the KPI detail page's breakdowns of a snapshot (K06, open over 365
days) offer the latest month end or the mean of the month ends, and the mean is said as such
on the page and beside every bar, never as a sum. Screenshots go to test-artifacts/ for a
person to look at."""

import datetime as dt
import re

import pytest

from helpers.browser import chromium, new_tab, settle, shot
from helpers.server import serving_demo

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """One synthetic force over two years (after a year's warm-up), served on a free port."""
    with serving_demo(
        tmp_path_factory.mktemp("browser-breakdowns"),
        forces=1,
        months=24,
        crimes_per_month=40,
        seed=11,
        as_of=AS_OF,
        warmup_months=12,
    ) as (url, db):
        yield url


@pytest.fixture(scope="module")
def page(app_url):
    with chromium() as browser:
        yield new_tab(browser)


def test_a_snapshots_breakdown_is_the_mean_of_its_month_ends(page, app_url):
    page.goto(f"{app_url}/kpi")
    kpi = page.get_by_role("combobox", name=re.compile(r"^KPI")).first
    kpi.click()
    page.get_by_role("option", name=re.compile(r"^K06 ")).first.click()
    page.get_by_role("heading", name="K06 · Open investigations over 365 days").wait_for()
    settle(page)
    main = page.locator("[data-testid='stMain']")
    main.get_by_text("Month end of Jun 2025.").wait_for()
    assert main.get_by_text("12 months to the month").count() == 0  # no sum to offer
    shot(page, "kpi-k06-latest-month-end")
    page.get_by_text("Mean of the 12 month ends").click()
    settle(page)
    main.get_by_text("Mean of 12 month ends (12 months to Jun 2025)").wait_for()
    bars = page.locator(".js-plotly-plot", has_text="By victim age band").first
    bars.wait_for()
    page.wait_for_timeout(1500)
    assert "on average" in bars.inner_text() and "at a month end" in bars.inner_text()
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, "kpi-k06-mean-of-month-ends")
