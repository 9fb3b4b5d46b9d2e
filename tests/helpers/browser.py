"""Headless Chromium for the end-to-end tests, one way for every test file: Debian's browser at
/usr/bin/chromium driven by Playwright (never a downloaded one), waiting for Streamlit to finish
a run, and screenshots of whole pages in test-artifacts/ for a person to look at."""

import contextlib
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers.paths import ROOT

CHROMIUM = "/usr/bin/chromium"
ARTIFACTS = ROOT / "test-artifacts"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@contextlib.contextmanager
def chromium() -> Iterator[object]:
    """The system Chromium, headless; fails the test (never skips it) when it is missing."""
    sync_api = pytest.importorskip("playwright.sync_api")
    if not Path(CHROMIUM).exists():
        pytest.fail(
            f"{CHROMIUM} is missing: install Debian's chromium package (./scripts/test does)"
        )
    ARTIFACTS.mkdir(exist_ok=True)
    with sync_api.sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=ARGS)
        try:
            yield browser
        finally:
            browser.close()


def new_tab(browser, width: int = 1400, height: int = 1100):
    tab = browser.new_page(viewport={"width": width, "height": height})
    tab.set_default_timeout(60_000)
    return tab


def settle(page) -> None:
    """Wait until Streamlit has finished running the script."""
    page.wait_for_timeout(500)
    page.wait_for_selector("[data-testid='stStatusWidget']", state="detached", timeout=120_000)


def shot(page, name: str) -> Path:
    """A screenshot of the whole page. Streamlit scrolls inside its own container, so the
    window is made tall for it and then put back."""
    size = page.viewport_size
    page.set_viewport_size({"width": size["width"], "height": 3200})
    page.wait_for_timeout(2000)  # let the charts draw
    path = ARTIFACTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    page.set_viewport_size(size)
    return path
