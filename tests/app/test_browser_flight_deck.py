"""In headless Chromium: the flight deck's summary matrix as a board member meets it. All 21
KPIs in rows, every icon an image named in words, a sort that puts the concerns first, and a
KPI's link that opens its chart on the KPI page for the same force and month, in the same
session. Screenshots go to test-artifacts/ for a person to look at."""

import datetime as dt
import re

import pytest

from flightdeck.present import icons, matrix
from helpers.browser import ARTIFACTS, chromium, new_tab, settle
from helpers.server import serving_demo

pytestmark = pytest.mark.browser
playwright = pytest.importorskip("playwright.sync_api")

AS_OF = dt.date(2025, 6, 30)
ROW = "[class*='st-key-matrix_row_']"


@pytest.fixture(scope="module")
def app_url(tmp_path_factory):
    """Three synthetic forces over two years after a two-year warm-up, served on a free port
    (the third force lacks some optional columns, so some of its KPIs are not feasible)."""
    with serving_demo(
        tmp_path_factory.mktemp("browser-deck"),
        forces=3,
        months=24,
        crimes_per_month=30,
        seed=5,
        as_of=AS_OF,
        warmup_months=24,
    ) as (url, db):
        yield url


@pytest.fixture(scope="module")
def page(app_url):
    with chromium() as browser:
        yield new_tab(browser)


def _open_deck(page, app_url: str) -> None:
    page.goto(app_url)
    page.locator(".st-key-matrix_row_K21 [data-testid='stPageLink']").wait_for(timeout=120_000)
    settle(page)


def _chosen(page, label: str) -> str:
    """What a selectbox shows (its combobox's value)."""
    return page.get_by_role("combobox", name=re.compile(f"^{label}")).first.input_value()


def _choose(page, label: str, option: str) -> None:
    page.get_by_role("combobox", name=re.compile(f"^{label}")).first.click()
    page.get_by_role("option", name=option, exact=True).click()
    settle(page)


def _row_ids(page) -> list[str]:
    keys = page.locator(ROW).evaluate_all(
        "rows => rows.map(r => [...r.classList].find(c => c.startsWith('st-key-matrix_row_')))"
    )
    return [k.removeprefix("st-key-matrix_row_") for k in keys]


def _shot_matrix(page, name: str) -> None:
    # Streamlit scrolls inside its own container: a tall window shows the whole matrix.
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 3200})
    page.wait_for_timeout(1000)
    page.locator(".st-key-matrix").screenshot(path=str(ARTIFACTS / f"{name}.png"))
    page.set_viewport_size(size)


def test_the_matrix_shows_every_kpi_with_icons_named_in_words(page, app_url):
    _open_deck(page, app_url)
    assert page.locator("[data-testid='stException']").count() == 0
    assert page.locator(ROW).count() == 21
    assert sorted(_row_ids(page)) == [f"K{i:02d}" for i in range(1, 22)]
    # it leads the page: above the first tile
    matrix_top = page.locator(".st-key-matrix").bounding_box()["y"]
    assert matrix_top < page.locator(".st-key-tile_K01").bounding_box()["y"]
    # each row: the KPI as a link, a variation icon (or words for screen readers)
    for row in page.locator(ROW).all():
        row.get_by_role("link").wait_for()
        assert row.get_by_role("link").count() == 1
        names = [img.get_attribute("aria-label") for img in row.get_by_role("img").all()]
        known = set(icons.VARIATION_WORDS.values()) | set(icons.ASSURANCE_WORDS.values())
        assert set(names) <= known, names
        if not any(n in icons.VARIATION_WORDS.values() for n in names):
            assert row.locator(".fd-sr").count() >= 1  # says why there is no icon
    common = page.get_by_role("img", name=icons.VARIATION_WORDS["common_cause"])
    assert common.count() >= 10
    assert page.locator(f"{ROW} >> text={matrix.NO_TARGET}").count() >= 1
    _shot_matrix(page, "flight-deck-matrix")
    page.set_viewport_size({"width": 1400, "height": 3200})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "flight-deck-icons.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1100})


def test_concerns_first_puts_the_signals_at_the_top(page, app_url):
    _open_deck(page, app_url)
    assert _row_ids(page)[0] == "K07"  # the model's first pillar, suspect-focused
    page.locator(".st-key-matrix").get_by_text("Concerns first", exact=True).click()
    # the rerun redraws the rows: wait for the new order (the first row's icon a signal)
    page.wait_for_function(
        """() => {
            const row = document.querySelector("[class*='st-key-matrix_row_']");
            const icon = row && row.querySelector("svg[role='img']");
            return icon !== null && icon.getAttribute("aria-label").startsWith("Special cause");
        }""",
        timeout=120_000,
    )
    settle(page)
    assert _row_ids(page)[0] != "K07"
    _shot_matrix(page, "flight-deck-matrix-concerns-first")


def test_a_kpi_link_opens_its_chart_for_the_same_force_and_month(page, app_url):
    _open_deck(page, app_url)
    _choose(page, "Force", "Westbury Police (synthetic)")
    _choose(page, "Month", "May 2025")
    page.get_by_text("Westbury Police (synthetic) · May 2025").wait_for()
    settle(page)
    page.locator(".st-key-matrix_row_K02").get_by_role("link").click()
    page.get_by_role("heading", name="K02 · Charge/summons rate").wait_for()
    settle(page)
    assert re.search(r"/kpi(\?|$)", page.url), page.url
    assert _chosen(page, "Force") == "Westbury Police (synthetic)"
    assert _chosen(page, "Month") == "May 2025"
    assert _chosen(page, "KPI") == "K02 · Charge/summons rate"
    assert page.locator(".js-plotly-plot").count() >= 1  # the chart
    assert page.locator("[data-testid='stException']").count() == 0
    page.set_viewport_size({"width": 1400, "height": 2200})
    page.wait_for_timeout(1500)
    page.screenshot(path=str(ARTIFACTS / "flight-deck-link-to-kpi.png"), full_page=True)
    page.set_viewport_size({"width": 1400, "height": 1100})
