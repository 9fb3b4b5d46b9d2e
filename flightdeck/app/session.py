"""Who is using this browser session: the sign-in gate every page passes, and the role checks
that grey out controls (the store and the guard check again, on the server side)."""

import streamlit as st

from flightdeck import access
from flightdeck.access import signin
from flightdeck.app.data.db import database
from flightdeck.store import busy

NOBODY = access.User(name="not signed in", role="none")


def sign_in() -> access.User:
    """The access gate every page passes (called by app.py): the user allowed to use this
    session, or the page stops (sign-in mode: sign-in button; local mode: loopback only)."""
    # The database is opened only when the session's sign-in row is written.
    try:
        return signin.sign_in_gate(database)
    except busy.DatabaseBusy as exc:
        st.warning(str(exc), icon=":material/hourglass_top:")
        st.stop()


def sign_out_button(user: access.User) -> None:
    """The sidebar sign-out button in sign-in mode (audited)."""
    signin.sign_out_button(database, user)


def current_user() -> access.User:
    """Who is using the app (local mode: the single local analyst); a role-less nobody when no
    one is signed in, so every permission check fails closed."""
    return signin.current_user() or NOBODY


def may(permission: str) -> bool:
    """Whether the current user's role allows an action (to grey out controls; the store
    checks again on the server side)."""
    return access.allowed(current_user(), permission)
