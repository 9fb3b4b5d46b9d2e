"""The board pack's download on the flight deck."""

import pandas as pd
import streamlit as st

from flightdeck.app.data import actions


def render(force_row: pd.Series, month: pd.Timestamp) -> None:
    """A download of the pack; built only when clicked (a callable), so no rerun pays for it,
    and audited as an export then."""
    st.download_button(
        "Download board pack",
        actions.board_pack_download(force_row, month),
        file_name=f"board-pack-{force_row['force']}-{month:%Y-%m}.html",
        mime="text/html",
        icon=":material/download:",
        on_click="ignore",
        key="board_pack",
        help="One HTML file to circulate: this summary, every KPI and the charts of the KPIs "
        "with a signal. Small numbers are suppressed in it, as in any figure that leaves the "
        "analyst's screen.",
    )
