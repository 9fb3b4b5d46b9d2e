"""The board pack as a PDF: its HTML printed by headless Chromium, without the internet.

The HTML pack is the source; the PDF is that HTML printed by the Chromium installed on this
machine (the setting FLIGHTDECK_CHROMIUM, Debian's /usr/bin/chromium by default), driven through
Playwright. No browser is ever downloaded: Chromium is launched from its path, and a missing one
is said in one sentence (`PdfUnavailable`), never a stack trace; the HTML pack works without it.

Nothing leaves the computer while printing: the browser context is offline, every request that
is not `data:` or `about:` is aborted by a route (and reported to `on_blocked`), service workers
are blocked, host names resolve to nothing, and Chromium's background networking, component
updates and sync are switched off.

The page is A4 landscape with backgrounds printed. Every page has a footer (the caller's text,
then "Page X of Y") and, when given, a header band (the synthetic-data mark on a demo force's
pack), both drawn by Chromium's header and footer templates so they are on every page whatever
the content (the page's own CSS page-margin boxes, if any, are switched off so nothing prints
twice). Printing waits until every plotly chart of the page has drawn.
"""

import html as html_text
import os
from collections.abc import Callable
from pathlib import Path

from flightdeck import settings

CHROMIUM_FLAGS = (
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-default-apps",
    "--disable-extensions",
    "--disable-gpu",
    # Should anything slip past the route, no host name resolves.
    "--host-resolver-rules=MAP * ~NOTFOUND",
)
# A4 landscape is 297 x 210 mm; the header and footer sit in the top and bottom margins.
PAGE_MARGIN = {"top": "14mm", "bottom": "14mm", "left": "10mm", "right": "10mm"}
# The printable area at 96 px per inch, so the page is laid out on screen as it prints.
VIEWPORT = {"width": 1046, "height": 680}
TIMEOUT_MS = 120_000
LOCAL_SCHEMES = ("data:", "about:")
# True once every plotly chart on the page has drawn its SVG (a page without charts is ready).
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('.plotly-graph-div')).every(
    (div) => div._fullLayout !== undefined && div.querySelector('.main-svg') !== null)"""
# The page's own CSS page-margin boxes (the HTML pack's header and footer when printed from a
# browser) give way to Chromium's templates, which would otherwise print over them.
_MARGIN_BOXES = ("top", "bottom")
NO_MARGIN_BOXES = (
    "@page{"
    + "".join(
        f"@{edge}-{place}{{content:none}}"
        for edge in _MARGIN_BOXES
        for place in ("left-corner", "left", "center", "right", "right-corner")
    )
    + "}"
)
_TEMPLATE_STYLE = (
    "font-family:Arial,sans-serif;font-size:8.5pt;color:#333;width:100%;padding:0 10mm;"
    "box-sizing:border-box;-webkit-print-color-adjust:exact;print-color-adjust:exact"
)


class PdfUnavailable(RuntimeError):
    """The PDF cannot be printed here (no Chromium, or it failed); the message is one sentence
    for the user, and the HTML pack still works."""


def chromium_path(chromium: Path | None = None) -> Path:
    """The Chromium to print with: `chromium`, else the setting FLIGHTDECK_CHROMIUM."""
    return Path(chromium) if chromium is not None else settings.parsed(settings.CHROMIUM)


def check_chromium(chromium: Path | None = None) -> Path:
    """The Chromium's path, or PdfUnavailable saying that it is missing."""
    path = chromium_path(chromium)
    if not (path.is_file() and os.access(path, os.X_OK)):
        raise PdfUnavailable(
            f"The PDF board pack needs Chromium at {path} (setting {settings.CHROMIUM.name}), "
            "which is not there; the HTML board pack works without it."
        )
    return path


def footer_template(footer: str) -> str:
    """Chromium's footer: the text on the left, "Page X of Y" on the right."""
    return (
        f"<div style='{_TEMPLATE_STYLE};display:flex;justify-content:space-between'>"
        f"<span>{html_text.escape(footer)}</span><span>Page <span class='pageNumber'></span> "
        "of <span class='totalPages'></span></span></div>"
    )


def header_template(header: str) -> str:
    """Chromium's header: the text in a yellow band (the synthetic-data mark), or nothing."""
    if not header:
        return "<div></div>"
    return (
        f"<div style='{_TEMPLATE_STYLE}'><div style='background:#fff6d5;border:1px solid #e6c200;"
        f"padding:1.2mm 3mm;font-weight:bold'>{html_text.escape(header)}</div></div>"
    )


def html_to_pdf(
    html: str,
    *,
    footer: str,
    header: str = "",
    chromium: Path | None = None,
    on_blocked: Callable[[str], None] | None = None,
    timeout_ms: int = TIMEOUT_MS,
) -> bytes:
    """The PDF of a self-contained HTML page: A4 landscape, backgrounds printed, `footer`
    (plain text) and "Page X of Y" at the foot of every page, `header` (plain text, e.g. the
    synthetic-data mark) at the top of every page when given.

    `chromium` defaults to the setting FLIGHTDECK_CHROMIUM. Every request the page makes for
    anything not `data:` or `about:` is aborted, and its address passed to `on_blocked`.
    Raises PdfUnavailable (one sentence) when Chromium is missing, does not start, or a chart
    does not draw within `timeout_ms`.
    """
    path = check_chromium(chromium)
    # Imported here, not at the top: the driver takes up to a second or two to import, and
    # only printing a PDF needs it (every command and page imports this module's callers).
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import sync_playwright

    def refuse_outside(route) -> None:
        url = route.request.url
        if url.startswith(LOCAL_SCHEMES):
            route.continue_()
            return
        if on_blocked is not None:
            on_blocked(url)
        route.abort("blockedbyclient")

    try:
        with sync_playwright() as driver:
            browser = driver.chromium.launch(
                executable_path=str(path), headless=True, args=list(CHROMIUM_FLAGS)
            )
            try:
                context = browser.new_context(
                    offline=True, service_workers="block", viewport=VIEWPORT
                )
                context.route("**/*", refuse_outside)
                page = context.new_page()
                page.set_default_timeout(timeout_ms)
                page.set_content(html, wait_until="load")
                page.add_style_tag(content=NO_MARGIN_BOXES)
                page.wait_for_function(CHARTS_DRAWN, timeout=timeout_ms)
                page.evaluate("() => document.fonts.ready.then(() => true)")
                return page.pdf(
                    format="A4",
                    landscape=True,
                    print_background=True,
                    display_header_footer=True,
                    header_template=header_template(header),
                    footer_template=footer_template(footer),
                    margin=PAGE_MARGIN,
                    prefer_css_page_size=False,
                )
            finally:
                browser.close()
    except PlaywrightError as exc:
        first = (str(exc).strip().splitlines() or ["no reason given"])[0]
        raise PdfUnavailable(
            f"The PDF board pack could not be printed with Chromium at {path} ({first}); "
            "the HTML board pack works without it."
        ) from None
