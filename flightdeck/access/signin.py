"""Sign-in for the Streamlit app: OpenID Connect through `st.login`, or local mode.

The decisions (role mapping, loopback check, banner wording) are the pure functions of
`flightdeck.access.identity`; this module reads Streamlit's secrets, session and signed-in user
and applies them. The first pass of a browser session through the gate, refused sign-ins and
sign-outs are written to the audit trail.
"""

import contextlib
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import duckdb
import streamlit as st

from flightdeck import access
from flightdeck.access import audit, roles
from flightdeck.access.identity import (
    LocalRoleError,
    auth_configured,
    banner_text,
    local_mode_refusal,
    local_request_refusal,
    local_user,
    no_role_message,
    test_user_override,
)

LOG = logging.getLogger(__name__)

_AUDITED_KEY = "flightdeck_sign_in_audited"
UNREADABLE = object()  # stands for an [auth] section in a secrets.toml that cannot be read


def _secrets() -> Mapping[str, Any]:
    """The `[auth]` section if any; UNREADABLE stands for it when secrets.toml cannot be read."""
    try:
        return {"auth": st.secrets["auth"]} if "auth" in st.secrets else {}
    except Exception:
        # Streamlit raises alike for a missing and a broken file. Missing means local mode; a
        # file that exists but cannot be parsed may hold [auth], so fail closed.
        files = st.get_option("secrets.files") or []
        if any(Path(f).is_file() for f in files):
            LOG.error("secrets.toml exists but cannot be read; sign-in is unavailable")
            return {"auth": UNREADABLE}
        return {}


def _session() -> Any:
    return st.session_state


def is_local_mode() -> bool:
    """True when no identity provider is configured (no `[auth]` in secrets.toml)."""
    return not auth_configured(_secrets())


def _claims() -> dict[str, Any]:
    return st.user.to_dict()


def _signed_in_identity() -> str | None:
    """The signed-in person's address, or None when nobody is signed in."""
    claims = _claims()
    if not claims.get("is_logged_in"):
        return None
    return roles.identity_from_claims(claims)


def current_user() -> access.User | None:
    """The person using this session, or None if they are not signed in or hold no role.

    Local mode: the local user of FLIGHTDECK_LOCAL_ROLE (None, so nothing is allowed, when
    that setting is invalid). Sign-in mode: the signed-in address mapped through the roles
    file. This does not check the loopback binding; pages reach it through `sign_in_gate`,
    which does.
    """
    override = test_user_override(os.environ, _session())
    if override is not None:
        return override
    if is_local_mode():
        try:
            return local_user(os.environ)
        except LocalRoleError:
            return None
    return roles.user_for(_signed_in_identity(), roles.load_roles())


def _request_headers() -> list[tuple[str, str]]:
    """The (name, value) pairs of the request that opened this session (its websocket)."""
    headers = st.context.headers
    return [(name, value) for name in headers for value in headers.get_all(name)]


def server_scheme() -> str:
    """`https` when the server itself serves TLS (server.sslCertFile), else `http`."""
    return "https" if st.get_option("server.sslCertFile") else "http"


def _foreign_request_refusal() -> str | None:
    headers = _request_headers()
    if not headers:
        # No request at all: an AppTest or a bare run, where nothing reaches the page from a
        # browser. A session a browser opened always has its websocket handshake's headers
        # (Upgrade, Sec-WebSocket-Key, ...), so a real one is never empty and never passes here.
        return None
    refusal = local_request_refusal(
        headers, int(st.get_option("server.port")), None, server_scheme()
    )
    if refusal:
        host = next((value for name, value in headers if name.lower() == "host"), None)
        LOG.warning("local mode refused a page opened through another address (Host %r)", host)
    return refusal


def local_mode_guard() -> None:
    """In local mode, stop the page with a clear message unless it is served on loopback only
    and was opened through this computer's own address (Host and Origin headers name localhost,
    127.0.0.1 or [::1] on the server's port: a foreign site reached through DNS rebinding is
    refused)."""
    if not is_local_mode():
        return
    refusal = local_mode_refusal(st.get_option("server.address"), st.context.ip_address)
    refusal = refusal or _foreign_request_refusal()
    if refusal:
        st.error(refusal)
        st.stop()


# A connection, or a function returning a context manager that yields one (opened only when a
# row is written, so a rerun of a signed-in session does not touch the database file).
Database = duckdb.DuckDBPyConnection | Callable[[], contextlib.AbstractContextManager] | None


def _record(con: Database, user: access.User, action: str, detail: str, outcome: str) -> None:
    if con is None:
        return
    if isinstance(con, duckdb.DuckDBPyConnection):
        audit.record(con, user, action, detail, outcome)
        return
    with con() as opened:
        audit.record(opened, user, action, detail, outcome)


def _audit_once(con: Database, user, detail: str, outcome: str) -> None:
    """One sign-in row per browser session (every rerun would otherwise write one)."""
    session = _session()
    if con is None or session.get(_AUDITED_KEY):
        return
    _record(con, user, "sign_in", detail, outcome)
    session[_AUDITED_KEY] = True


def sign_in_gate(con: Database = None) -> access.User:
    """Return the user allowed to use this session, or stop the page.

    Local mode: applies `local_mode_guard`, then returns the local user of
    FLIGHTDECK_LOCAL_ROLE (stops with an explanation when that setting is invalid, e.g. admin).
    `con` is a writable connection or a function opening one (see `Database`). Sign-in mode: shows
    a sign-in button and stops while nobody is signed in; stops with an explanation (and audits
    the refusal) when the signed-in person has no role. The first successful pass of a browser
    session writes a `sign_in` audit row when `con` (a writable connection) is given.
    """
    override = test_user_override(os.environ, _session())
    if override is not None:
        _audit_once(con, override, "test session", "ok")
        return override
    if is_local_mode():
        local_mode_guard()
        try:
            user = local_user(os.environ)
        except LocalRoleError as exc:
            st.error(str(exc))
            st.stop()
        _audit_once(con, user, "local mode session", "ok")
        return user
    if _secrets().get("auth") is UNREADABLE:
        st.error(
            "The sign-in settings cannot be read, so nobody can sign in. Tell the administrator."
        )
        st.stop()
    identity = _signed_in_identity()
    if identity is None:
        st.info("Sign in with your force account to use the flight deck.")
        if st.button("Sign in", type="primary"):
            st.login()
        st.stop()
    user = roles.user_for(identity, roles.load_roles())
    if user is None:
        stranger = access.User(name=roles.normalise_identity(identity), role="none")
        _audit_once(con, stranger, "no role in the roles file", "refused")
        st.error(no_role_message(identity))
        if st.button("Sign out"):
            st.logout()
        st.stop()
    _audit_once(con, user, "signed in", "ok")
    return user


def sign_out_button(con: Database, user: access.User) -> None:
    """A sidebar sign-out button (sign-in mode only); signing out is audited."""
    if is_local_mode():
        return
    if st.sidebar.button("Sign out"):
        _record(con, user, "sign_out", "signed out", "ok")
        _session().pop(_AUDITED_KEY, None)
        st.logout()


def mode_banner(user: access.User | None = None) -> None:
    """Show which mode the app runs in and who is signed in (local mode: a warning banner)."""
    local = is_local_mode()
    text = banner_text(user if user is not None else current_user(), local)
    if local:
        st.warning(text, icon=":material/computer:")
    else:
        st.caption(text)
