"""The RASSO flight deck: `streamlit run app.py`. Navigation and shared settings only; each page
lives in flightdeck/app/pages/ and reads its data through flightdeck/app/data/."""

import streamlit as st

from flightdeck import access
from flightdeck.access import signin
from flightdeck.app import registry, session

st.set_page_config(page_title="RASSO flight deck", page_icon=":material/flight:", layout="wide")
user = session.sign_in()  # stops here unless this person may use the app
with st.sidebar:
    signin.mode_banner(user)
    session.sign_out_button(user)
st.navigation(registry.sections(admin=access.allowed(user, access.MANAGE))).run()
