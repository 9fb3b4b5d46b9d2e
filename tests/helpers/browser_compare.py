"""Browser check of the compare page, for tests/test_browser.py to call with a running app.

    check_compare_page(page, base_url, artifacts_dir)

`page` is a Playwright page; the app at `base_url` must hold at least two forces with
figures for the charge rate (the demo database does). Asserts the funnel plot is drawn with its
limits, the chosen force ringed, the plain-words verdict and the limits drawn are there,
the ranked plot never comes as a bare table, and the feasibility grid shows every KPI;
saves a full-page screenshot as `compare.png` in `artifacts_dir`.
"""

import re
from pathlib import Path

TIMEOUT_MS = 60_000


def check_compare_page(page, base_url: str, artifacts_dir: Path) -> Path:
    """Open the compare page on the charge rate and check what a board member would read."""
    page.goto(f"{base_url.rstrip('/')}/compare", timeout=TIMEOUT_MS)
    page.get_by_role("heading", name="Compare with similar forces").wait_for(timeout=TIMEOUT_MS)
    kpi = page.get_by_role("combobox", name=re.compile(r"^KPI")).first
    kpi.wait_for(timeout=TIMEOUT_MS)
    kpi.click()
    page.get_by_role("option", name=re.compile(r"^K02 ")).first.click()
    page.get_by_role("heading", name="Funnel plot").wait_for(timeout=TIMEOUT_MS)
    # The page reruns after the choice: wait for the charge-rate funnel itself, not whichever
    # chart was drawn before the rerun finished.
    funnel = page.locator(".js-plotly-plot", has_text="Charge/summons rate").first
    funnel.wait_for(timeout=TIMEOUT_MS)
    page.locator(".js-plotly-plot", has_text="99.8 % limits").first.wait_for(timeout=TIMEOUT_MS)
    legend = funnel.inner_text()
    assert "95 % limits" in legend and "99.8 % limits" in legend, legend
    assert "Group value" in legend, legend
    assert "(ringed)" in legend, "the chosen force is not ringed"
    body = page.locator("section.main, [data-testid='stMain']").first.inner_text()
    verdict = re.search(r"(is (above|below) the (95|99\.8) % limit)|(within the 95 % limits)", body)
    assert verdict, "the page does not say in words which forces lie outside the limits"
    assert re.search(r"(Limits widened for overdispersion|Exact binomial limits)", body), body
    assert "Rolling 12 months to the month" in body
    assert "not a league table" in body
    grid = page.locator("table.fd-feas").first
    for kpi in ("K01", "K11", "K21"):  # every KPI is a visible column, none behind a scroll
        assert grid.get_by_role("columnheader", name=kpi).is_visible()
    assert page.locator(".js-plotly-plot").count() >= 3  # funnel, ranked, over time
    artifacts_dir = Path(artifacts_dir)
    artifacts_dir.mkdir(parents=True, exist_ok=True)
    shot = artifacts_dir / "compare.png"
    page.screenshot(path=str(shot), full_page=True)
    return shot
