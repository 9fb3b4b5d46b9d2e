"""The pages of the app, by URL path, built as `st.Page` objects on demand.

Pages are callables (each module's `render()` in `flightdeck.app.pages`), looked up by name when
drawn: the pages link to one another through this table (`page("kpi")`), so it cannot import
them at the top without a cycle.
"""

import importlib
from collections.abc import Callable

import streamlit as st

from flightdeck.store import busy

# url path: (module in flightdeck.app.pages, title, icon)
PAGES: dict[str, tuple[str, str, str]] = {
    "flight_deck": ("flight_deck", "Flight deck", ":material/dashboard:"),
    "kpi": ("kpi_detail", "KPI detail", ":material/monitoring:"),
    "profile": ("profile", "Problem profile", ":material/summarize:"),
    "suspects": ("suspect_lists", "Suspect lists", ":material/person_search:"),
    "annotations": ("annotations", "Change points and targets", ":material/edit_note:"),
    "compare": ("compare", "Compare forces", ":material/compare_arrows:"),
    "national": ("national", "Compare with every force", ":material/public:"),
    "peer_groups": ("peer_groups", "Peer groups", ":material/groups:"),
    "load": ("load_data", "Load data", ":material/upload_file:"),
    "quality": ("data_quality", "Data quality and feasibility", ":material/fact_check:"),
    "definitions": ("definitions", "Definitions", ":material/menu_book:"),
    "admin": ("admin", "Administration", ":material/admin_panel_settings:"),
}
SECTIONS: dict[str, list[str]] = {
    "Flight deck": ["flight_deck", "kpi", "annotations", "profile", "suspects"],
    "Compare": ["compare", "national", "peer_groups"],
    "Data": ["load", "quality", "definitions"],
    "Administration": ["admin"],  # listed for admins only (the page checks again)
}
DEFAULT = "flight_deck"
# Pages listed only for the roles that may use them (each page checks again on the server).
ANALYST_PAGES = frozenset({"suspects"})


def _runner(module_name: str) -> Callable[[], None]:
    def run() -> None:
        module = importlib.import_module(f"flightdeck.app.pages.{module_name}")
        # Any other failure propagates to app.py's `errors.reported_on_page` (one sentence with
        # a log reference); a test that runs the pages without app.py sees the exception.
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
        _runner(module_name),
        title=title,
        icon=icon,
        url_path=url_path,
        default=url_path == default,
    )


def listed(
    default: str = DEFAULT, admin: bool = False, suspects: bool = False
) -> dict[str, list[str]]:
    """The URL paths the navigation lists, by section: the administration page only when
    `admin`; the suspect lists only when `suspects` (analysts and admins) or when it is the
    page asked for (its reads refuse a viewer on the server all the same)."""
    return {
        section: [p for p in paths if suspects or p not in ANALYST_PAGES or p == default]
        for section, paths in SECTIONS.items()
        if admin or section != "Administration"
    }


def sections(
    default: str = DEFAULT, admin: bool = False, suspects: bool = False
) -> dict[str, list[st.Page]]:
    """Navigation sections with their pages (see `listed`); `default` opens first (tests open
    each page this way)."""
    return {
        section: [page(p, default) for p in paths]
        for section, paths in listed(default, admin, suspects).items()
    }
