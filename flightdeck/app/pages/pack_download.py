"""The board pack's downloads on the flight deck: the PDF to circulate and print, and the HTML
it is printed from (which opens offline in any browser)."""

import pandas as pd

from flightdeck.app.data import actions
from flightdeck.app.pages import downloads
from flightdeck.vocabulary import ALL

HELP = (
    "The summary, then one page for each of the 21 KPIs with its chart or the reason it has "
    "none. Small numbers are suppressed in it, as in any figure that leaves the analyst's screen."
)


def render(force_row: pd.Series, month: pd.Timestamp, offence_group: str = ALL) -> None:
    """Both downloads side by side, for the offence group chosen on the page, each built when
    clicked and audited as an export then."""
    group = "" if offence_group == ALL else f"-{offence_group.replace('_', '-')}"
    downloads.pdf_and_html(
        f"board-pack-{force_row['force']}-{month:%Y-%m}{group}",
        lambda fmt: actions.board_pack_download(force_row, month, fmt, offence_group=offence_group),
        what="board pack",
        key="board_pack",
        about=HELP,
    )
