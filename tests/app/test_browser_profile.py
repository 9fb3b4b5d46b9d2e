"""In headless Chromium, on the demo database: the offence-group choice is one choice kept
between the flight deck and the KPI page, and the problem profile page reads as a board member
would read it, with its downloads. Screenshots go to test-artifacts/."""

import datetime as dt

import pytest

from helpers.browser import chromium, new_tab, settle, shot
from helpers.server import serving_demo

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

AS_OF = dt.date(2025, 6, 30)


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """Three synthetic forces over two years, with partner figures and ethnicity as the demo
    records them (the first force, Eastvale, records ethnicity for most crimes)."""
    with serving_demo(
        tmp_path_factory.mktemp("browser-profile"),
        forces=3,
        months=24,
        crimes_per_month=60,
        seed=5,
        as_of=AS_OF,
        warmup_months=0,
    ) as (url, db):
        yield url


@pytest.fixture(scope="module")
def page(app_url):
    with chromium() as browser:
        yield new_tab(browser)


def _main(page):
    return page.locator("[data-testid='stMain']")


def test_the_offence_group_chosen_on_the_flight_deck_is_kept_on_the_kpi_page(page, app_url):
    page.goto(app_url)  # the flight deck is the home page
    rape = page.get_by_role("radio", name="Rape", exact=True).first
    rape.wait_for()
    rape.click()
    _main(page).get_by_text("· Rape").first.wait_for()
    settle(page)
    shot(page, "flight-deck-rape")
    page.get_by_role("link", name="KPI detail").first.click()
    page.get_by_role("heading", name="KPI detail").wait_for()
    page.get_by_role("heading", name="K01 · Recorded RASSO crimes · Rape").wait_for()
    settle(page)
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, "kpi-detail-rape")


def test_the_problem_profile_page_reads_in_order_with_its_downloads(page, app_url):
    page.goto(f"{app_url}/profile")
    page.get_by_role("heading", name="Problem profile").wait_for()
    for heading in (
        "Volumes by offence group",
        "Victims by age band and gender",
        "Outcomes by cohort",
        "Partner agencies' figures",
        "Comparison with the peer group",
        "Victims' ethnicity: how complete the data is",
    ):
        page.get_by_role("heading", name=heading).wait_for()
    page.locator(".js-plotly-plot").nth(4).wait_for()
    settle(page)
    body = _main(page).inner_text()
    assert "Synthetic demo data" in body
    assert "Download problem profile (PDF)" in body and "Download problem profile (HTML)" in body
    assert "Attendances at the sexual assault referral centre" in body
    assert "never 0" in body  # hidden counts read "suppressed"
    # the ethnicity section either breaks down (enough recorded) or says why not
    assert ("Victim's ethnicity (recorded)" in body) != ("profile shows completeness only" in body)
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, "problem-profile")
