"""A document's two downloads side by side: the PDF to circulate and print, and the HTML it is
printed from (which opens offline in any browser). Used by the board pack and the problem
profile."""

from collections.abc import Callable

import streamlit as st

from flightdeck.present import pdf


def pdf_and_html(
    name: str,
    build: Callable[[str], Callable[[], bytes]],
    *,
    what: str,
    key: str,
    about: str,
) -> None:
    """Buttons "Download <what> (PDF)" and "(HTML)" for the file `name`.pdf / .html; `build(fmt)`
    gives the callable that builds and audits the file when clicked, so no rerun pays for it.
    Without Chromium the PDF button is greyed out and says why; the HTML still works. `about`:
    what the document holds, in the buttons' help."""
    try:
        pdf.check_chromium()
        missing = None
    except pdf.PdfUnavailable as exc:
        missing = str(exc)
    left, right = st.columns(2)
    with left:
        st.download_button(
            f"Download {what} (PDF)",
            build("pdf") if missing is None else b"",
            file_name=f"{name}.pdf",
            mime="application/pdf",
            icon=":material/picture_as_pdf:",
            on_click="ignore",
            key=f"{key}_pdf",
            disabled=missing is not None,
            help=f"A4 landscape, ready to print. {about}",
            width="stretch",
        )
    with right:
        st.download_button(
            f"Download {what} (HTML)",
            build("html"),
            file_name=f"{name}.html",
            mime="text/html",
            icon=":material/download:",
            on_click="ignore",
            key=f"{key}_html",
            help=f"One HTML file that opens offline in any browser, printing like the PDF. {about}",
            width="stretch",
        )
    if missing is not None:
        st.caption(missing)
