"""The RASSO flight deck: `streamlit run app.py`. Navigation and shared settings only; each page
lives in flightdeck/pages/ and reads its data through flightdeck/data.py."""

import streamlit as st

from flightdeck import access, auth, data
from flightdeck.pages import registry

st.set_page_config(page_title="RASSO flight deck", page_icon=":material/flight:", layout="wide")
user = data.sign_in()  # stops here unless this person may use the app
with st.sidebar:
    auth.mode_banner(user)
    data.sign_out_button(user)
st.navigation(registry.sections(admin=access.allowed(user, access.MANAGE))).run()
