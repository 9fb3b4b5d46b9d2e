"""The board pack's downloads on the flight deck: the PDF to circulate and print, and the HTML
it is printed from (which opens offline in any browser)."""

import pandas as pd
import streamlit as st

from flightdeck.app.data import actions
from flightdeck.present import pdf
from flightdeck.vocabulary import ALL

HELP = (
    "The summary, then one page for each of the 21 KPIs with its chart or the reason it has "
    "none. Small numbers are suppressed in it, as in any figure that leaves the analyst's screen."
)


def render(force_row: pd.Series, month: pd.Timestamp, offence_group: str = ALL) -> None:
    """Both downloads side by side, for the offence group chosen on the page; each is built
    only when clicked (a callable), so no rerun pays for it, and audited as an export then.
    Without Chromium the PDF button is greyed out and says why; the HTML still works."""
    group = "" if offence_group == ALL else f"-{offence_group.replace('_', '-')}"
    name = f"board-pack-{force_row['force']}-{month:%Y-%m}{group}"
    try:
        pdf.check_chromium()
        missing = None
    except pdf.PdfUnavailable as exc:
        missing = str(exc)
    left, right = st.columns(2)
    with left:
        st.download_button(
            "Download board pack (PDF)",
            actions.board_pack_download(force_row, month, "pdf", offence_group=offence_group)
            if missing is None
            else b"",
            file_name=f"{name}.pdf",
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            key="board_pack_pdf",
            disabled=missing is not None,
            help=f"A4 landscape, ready to print. {HELP}",
            width="stretch",
        )
    with right:
        st.download_button(
            "Download board pack (HTML)",
            actions.board_pack_download(force_row, month, "html", offence_group=offence_group),
            file_name=f"{name}.html",
            mime="text/html",
            icon=":material/download:",
            on_click="ignore",
            key="board_pack",
            help=f"One HTML file that opens offline in any browser and prints like the PDF. {HELP}",
            width="stretch",
        )
    if missing is not None:
        st.caption(missing)
