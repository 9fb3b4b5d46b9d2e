"""The pages of the app, by URL path, built as `st.Page` objects on demand.

Pages are callables (each module's `render()`), imported only when drawn: a page that is missing
or fails to import (the comparison pages are written separately) shows a message instead of
taking the whole app down.
"""

import importlib
import importlib.util
from collections.abc import Callable

import streamlit as st

from flightdeck import busy, errors

# url path: (module in flightdeck.pages, title, icon)
PAGES: dict[str, tuple[str, str, str]] = {
    "flight_deck": ("flight_deck", "Flight deck", ":material/dashboard:"),
    "kpi": ("kpi_detail", "KPI detail", ":material/monitoring:"),
    "compare": ("compare", "Compare forces", ":material/compare_arrows:"),
    "peer_groups": ("peer_groups", "Peer groups", ":material/groups:"),
    "load": ("load_data", "Load data", ":material/upload_file:"),
    "quality": ("data_quality", "Data quality and feasibility", ":material/fact_check:"),
    "definitions": ("definitions", "Definitions", ":material/menu_book:"),
    "admin": ("admin", "Administration", ":material/admin_panel_settings:"),
}
SECTIONS: dict[str, list[str]] = {
    "Flight deck": ["flight_deck", "kpi"],
    "Compare": ["compare", "peer_groups"],
    "Data": ["load", "quality", "definitions"],
    "Administration": ["admin"],  # listed for admins only (the page checks again)
}
DEFAULT = "flight_deck"


def available(url_path: str) -> bool:
    """Whether the page's module exists (without importing it)."""
    return importlib.util.find_spec(f"flightdeck.pages.{PAGES[url_path][0]}") is not None


def _runner(module_name: str) -> Callable[[], None]:
    def run() -> None:
        try:
            module = importlib.import_module(f"flightdeck.pages.{module_name}")
        except Exception as exc:  # a broken page must not take the others down
            # One sentence with a log reference: an import error names file paths.
            errors.show_error(exc)
            return
        # A failure inside a page reaches Streamlit, which (client.showErrorDetails = "none")
        # shows a redacted notice without trace or path; tests still see it as an exception.
        try:
            module.render()
        except busy.DatabaseBusy as exc:  # a command line load holds the file: say so
            st.warning(str(exc), icon=":material/hourglass_top:")

    run.__name__ = module_name
    return run


def page(url_path: str, default: str = DEFAULT) -> st.Page:
    """The st.Page for a URL path (usable with st.switch_page and st.page_link)."""
    module_name, title, icon = PAGES[url_path]
    return st.Page(
        _runner(module_name), title=title, icon=icon, url_path=url_path,
        default=url_path == default,
    )  # fmt: skip


def sections(default: str = DEFAULT, admin: bool = False) -> dict[str, list[st.Page]]:
    """Navigation sections with every available page; `default` opens first (tests open
    each page this way); the administration page only when `admin`."""
    out = {}
    for section, paths in SECTIONS.items():
        if section == "Administration" and not admin:
            continue
        pages = [page(p, default) for p in paths if available(p)]
        if pages:
            out[section] = pages
    return out
