"""The RASSO flight deck's page script. Navigation and shared settings only; each page lives in
flightdeck/app/pages/ and reads its data through flightdeck/app/data/.

Served by `streamlit run flightdeck/app/server.py` (see that module: it adds the request guard
and the error handler); `streamlit run app.py` also works, with the page gate's checks only.
"""

import streamlit as st

from flightdeck import access, files, resources
from flightdeck.access import signin
from flightdeck.app import errors, registry, session

files.private_umask()  # also when started as `streamlit run app.py`
# A local icon file: a Material icon name would make every browser fetch it from the internet.
st.set_page_config(page_title="RASSO flight deck", page_icon=resources.favicon(), layout="wide")
with errors.reported_on_page():  # a failure shows one sentence with a log reference
    user = session.sign_in()  # stops here unless this person may use the app
    with st.sidebar:
        signin.mode_banner(user)
        session.sign_out_button(user)
    navigation = registry.sections(
        admin=access.allowed(user, access.MANAGE),
        suspects=access.allowed(user, access.VIEW_SUSPECTS),
    )
    st.navigation(navigation).run()
