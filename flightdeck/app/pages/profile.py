"""The annual RASSO problem profile for a force and 12 months: volumes by offence group and
code against the previous 12 months, victims by age and gender, non-recent reports, repeat
victims and suspects, outcomes by recording cohort, partner agencies' figures, the comparison
with the peer group and every force, and how complete victims' ethnicity is; with the same
profile to download as a PDF or HTML document. Small numbers are suppressed on the page as in
the document, so what is checked here is what leaves the force."""

import pandas as pd
import streamlit as st

from flightdeck import access
from flightdeck.app import session, ui
from flightdeck.app.data import deck
from flightdeck.app.data import profile as profile_data
from flightdeck.app.pages import downloads
from flightdeck.app.pages import profile_sections as sections
from flightdeck.present import formatting
from flightdeck.present.profile_data import ProfileRefused


def _downloads(force: str, last: pd.Timestamp) -> None:
    downloads.pdf_and_html(
        f"problem-profile-{force}-{last:%Y-%m}",
        lambda fmt: profile_data.profile_download(force, last, fmt),
        what="problem profile",
        key="profile",
        about="For the board. Small numbers suppressed, as on this page.",
    )


def render() -> None:
    ui.page_header(
        "Problem profile",
        "The force's annual RASSO problem profile: 12 months against the 12 before.",
    )
    if not session.may(access.VIEW):
        st.warning("Your role does not allow viewing figures.", icon=":material/lock:")
        return
    forces = deck.forces()
    if forces.empty:
        ui.no_data_yet()
        return
    left, right = st.columns(2)
    with left:
        force = ui.force_picker(forces)
    row = forces[forces["force"] == force].iloc[0]
    latest = profile_data.latest_month(force)
    months = [m for m in deck.months(force) if m <= latest]
    if not months:
        st.info(f"{row['name']} has no full month of data yet.")
        return
    with right:
        last = ui.month_picker(months, row["as_of"])
    last = pd.Timestamp(last)
    try:
        doc = profile_data.document(force, last)
    except ProfileRefused as exc:
        st.info(str(exc))
        return
    p = doc.profile
    st.markdown(
        f"**{p.force_name} · {p.period.label}** against {p.period.previous_label} · data as of "
        f"{p.as_of:%d %b %Y}  \nSmall numbers are suppressed: {p.rule.describe()}. A "
        "suppressed count reads “suppressed”, never 0."
    )
    _downloads(force, last)
    if p.synthetic:
        st.caption(formatting.SYNTHETIC_BANNER)
    sections.render_all(doc)
