"""In headless Chromium, on the demo database (which imports a synthetic national fixture): the
compare page's counts per 100,000 people, and the page comparing a force with every force on the
published figures, read as a board member would. Screenshots go to test-artifacts/."""

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
    """Four synthetic forces over two years, with the synthetic national figures."""
    with serving_demo(
        tmp_path_factory.mktemp("browser-national"),
        forces=4,
        months=24,
        crimes_per_month=60,
        seed=5,
        as_of=AS_OF,
        warmup_months=12,
    ) as (url, db):
        yield url


@pytest.fixture(scope="module")
def page(app_url):
    with chromium() as browser:
        yield new_tab(browser)


def _main(page):
    return page.locator("[data-testid='stMain']")


def test_a_count_is_compared_per_100000_people_never_ranked_raw(page, app_url):
    page.goto(f"{app_url}/compare")
    kpi = page.get_by_role("combobox", name=re.compile(r"^KPI")).first
    kpi.wait_for()
    kpi.click()
    page.get_by_role("option", name=re.compile(r"^K01 ")).first.click()
    funnel = page.locator(".js-plotly-plot", has_text="Recorded RASSO crimes per 100,000 people")
    funnel.first.wait_for()
    settle(page)
    body = _main(page).inner_text()
    assert "Populations: synthetic: fictional demo force" in body
    assert "context measure" in body or "within the 95 % limits" in body
    assert "better than the group" not in body and "worse than the group" not in body
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, "compare-k01-per-100000")


def test_every_force_on_the_published_figures(page, app_url):
    page.goto(f"{app_url}/national")
    page.get_by_role("heading", name="Compare with every force").wait_for()
    main = _main(page)
    main.get_by_text("The published figures here are a synthetic fixture").wait_for()
    for title in ("Recorded rape and other sexual offences per 100,000 people",
                  "Share of outcomes that were charge or summons (outcomes 1, 1A)"):  # fmt: skip
        page.get_by_role("heading", name=title).wait_for()
    page.locator(".js-plotly-plot").nth(3).wait_for()
    settle(page)
    charge = page.locator(".js-plotly-plot", has_text="charge or summons").first
    legend = charge.inner_text()
    assert "(ringed)" in legend and "from its own case data" in legend, legend
    body = main.inner_text()
    assert "Published (Home Office)" in body and "From its own case data here" in body
    assert re.search(r"(Limits widened for overdispersion|Exact binomial limits)", body)
    shot(page, "national-top")
    page.get_by_role("radio", name="Rape", exact=True).first.click()  # the Offences choice
    settle(page)
    page.locator(".js-plotly-plot").nth(3).wait_for()
    assert page.locator("[data-testid='stException']").count() == 0
    shot(page, "national-rape")


def test_every_offence_choice_is_shown_whole(page, app_url):
    """On a 1400-pixel screen the last choice ("Other sexual offences") was cut off when the
    control shared its row with the force and the quarter."""
    page.goto(f"{app_url}/national")
    page.get_by_role("heading", name="Compare with every force").wait_for()
    settle(page)
    control = page.locator("[data-testid='stElementContainer']", has_text="Other sexual offences")
    bounds = control.first.bounding_box()
    for name in ("All RASSO crimes", "Rape", "Other sexual offences"):
        box = page.get_by_role("radio", name=name, exact=True).first.bounding_box()
        assert (
            box["x"] >= bounds["x"]
            and box["x"] + box["width"] <= bounds["x"] + bounds["width"] + 0.5
        ), (name, box, bounds)
