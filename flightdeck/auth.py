"""Who is using the app: OpenID Connect sign-in, or local mode on one computer.

Two modes, decided by `.streamlit/secrets.toml`:

* **Sign-in mode**: the file has an `[auth]` section, so Streamlit's OpenID Connect support
  (`st.login`, `st.user`, `st.logout`) signs people in through the force's identity provider.
  The person's e-mail address (from the identity token) is mapped to a role by the roles file
  (see `flightdeck.roles`); anyone not in it gets no access.
* **Local mode**: no `[auth]` section. The single person at this computer is
  `access.LOCAL_USER` (an analyst), or a read-only local viewer when the environment sets
  `FLIGHTDECK_LOCAL_ROLE=viewer` (a display on a shared screen). `admin` is refused in local
  mode: managing users needs sign-in. The app then refuses to serve unless the server is bound
  to a loopback address (127.0.0.1, ::1 or localhost) and the browser connects from this
  computer, so local mode can never be reached over the network.

Sign-ins, refused sign-ins and sign-outs are written to the audit trail.

Tests: AppTest cannot sign in, so `current_user()` honours
`st.session_state["flightdeck_test_user"]` (a `User` or a dict with name and role) ONLY when
the environment has `FLIGHTDECK_TESTING=1`. Without that variable the key is ignored (and a
warning logged), so a session cannot grant itself a role.

The decisions (role mapping, loopback check, banner wording) are pure functions; the Streamlit
calls sit in thin wrappers at the bottom.
"""

import contextlib
import ipaddress
import logging
import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import duckdb

from flightdeck import access, audit, roles

LOG = logging.getLogger(__name__)

TEST_ENV = "FLIGHTDECK_TESTING"
TEST_USER_KEY = "flightdeck_test_user"
LOCAL_BANNER = "Local mode: single analyst on this computer, no sign-in"
LOCAL_VIEWER_BANNER = "Local mode: read-only display on this computer, no sign-in"
LOCAL_ROLE_ENV = "FLIGHTDECK_LOCAL_ROLE"
LOCAL_VIEWER = access.User(name="local viewer", role="viewer")
_AUDITED_KEY = "flightdeck_sign_in_audited"
UNREADABLE = object()  # stands for an [auth] section in a secrets.toml that cannot be read


# ---- pure decisions -------------------------------------------------------------------------


def is_loopback(address: object) -> bool:
    """Whether an address only reaches this computer: 127.0.0.0/8, ::1 or localhost.

    An empty address is NOT loopback: Streamlit then listens on every interface. Neither is
    0.0.0.0 or :: (every interface) nor anything that is not an address.
    """
    if not isinstance(address, str):
        return False
    text = address.strip().strip("[]").lower()
    if text == "localhost":
        return True
    try:
        ip = ipaddress.ip_address(text)
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped  # ::ffff:127.0.0.1 is the IPv4 loopback seen through IPv6
    return ip.is_loopback


def local_mode_refusal(server_address: object, client_address: object = None) -> str | None:
    """Why local mode must not serve this request, or None when it may.

    `client_address` is the browser's address when known (a string); anything else is ignored,
    since the server binding alone already keeps other computers out.
    """
    if not is_loopback(server_address):
        shown = server_address or "every network interface"
        return (
            "This flight deck has no sign-in configured (local mode), so it only runs for the "
            f"person at this computer, but it is listening on {shown}. Start it bound to "
            "127.0.0.1 (server.address in .streamlit/config.toml), or configure sign-in."
        )
    if isinstance(client_address, str) and client_address and not is_loopback(client_address):
        return (
            "This flight deck is in local mode and only serves this computer. "
            "Ask your administrator for the signed-in address."
        )
    return None


class LocalRoleError(ValueError):
    """FLIGHTDECK_LOCAL_ROLE holds a role local mode does not offer."""


def local_user(env: Mapping[str, str]) -> access.User:
    """The single local user for FLIGHTDECK_LOCAL_ROLE: `analyst` (the default, also when the
    variable is empty) or `viewer`. Raises LocalRoleError for `admin` (user management needs
    sign-in, so that someone is accountable for it) and for anything else."""
    role = env.get(LOCAL_ROLE_ENV, "").strip().lower() or "analyst"
    if role == "analyst":
        return access.LOCAL_USER
    if role == "viewer":
        return LOCAL_VIEWER
    if role == "admin":
        raise LocalRoleError(
            f"{LOCAL_ROLE_ENV}=admin is not allowed in local mode: managing users and reading "
            "the audit trail need sign-in (see docs/security.md). Use analyst or viewer."
        )
    raise LocalRoleError(
        f"{LOCAL_ROLE_ENV} must be analyst or viewer, not {env.get(LOCAL_ROLE_ENV)!r}."
    )


def auth_configured(secrets: Mapping[str, Any]) -> bool:
    """Whether the secrets hold an `[auth]` section, i.e. sign-in mode.

    An incomplete section still means sign-in mode: a half-configured identity provider must
    fail closed (nobody gets in), never fall back to the local analyst.
    """
    return "auth" in secrets


def test_user_override(env: Mapping[str, str], session: Mapping[str, Any]) -> access.User | None:
    """The user a test put in the session, honoured only when FLIGHTDECK_TESTING=1."""
    value = session.get(TEST_USER_KEY)
    if value is None:
        return None
    if env.get(TEST_ENV) != "1":
        LOG.warning("ignored %s: only honoured when %s=1", TEST_USER_KEY, TEST_ENV)
        return None
    if isinstance(value, access.User):
        user = value
    elif isinstance(value, Mapping):
        user = access.User(name=str(value["name"]), role=str(value["role"]))
    else:
        raise TypeError(f"{TEST_USER_KEY} must be a User or a dict of name and role")
    if user.role not in access.ROLE_PERMISSIONS:
        raise ValueError(f"unknown test role {user.role!r}")
    return user


def banner_text(user: access.User | None, local: bool) -> str:
    """The line that tells the person which mode the app is in and who they are."""
    if local:
        return LOCAL_VIEWER_BANNER if user is not None and user.role == "viewer" else LOCAL_BANNER
    if user is None:
        return "Not signed in"
    return f"Signed in as {user.name} ({user.role})"


def no_role_message(identity: str | None) -> str:
    """What a signed-in person without a role is told."""
    who = identity or "this account"
    return (
        f"You are signed in as {who}, but you have no role in this flight deck. "
        "Ask its administrator to add you."
    )


# ---- thin Streamlit wrappers ----------------------------------------------------------------


def _secrets() -> Mapping[str, Any]:
    """The `[auth]` section if any; UNREADABLE stands for it when secrets.toml cannot be read."""
    import streamlit as st

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
    import streamlit as st

    return st.session_state


def is_local_mode() -> bool:
    """True when no identity provider is configured (no `[auth]` in secrets.toml)."""
    return not auth_configured(_secrets())


def _claims() -> dict[str, Any]:
    import streamlit as st

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


def local_mode_guard() -> None:
    """In local mode, stop the page with a clear message unless served on loopback only."""
    import streamlit as st

    if not is_local_mode():
        return
    refusal = local_mode_refusal(st.get_option("server.address"), st.context.ip_address)
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
    import streamlit as st

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
    import streamlit as st

    if is_local_mode():
        return
    if st.sidebar.button("Sign out"):
        _record(con, user, "sign_out", "signed out", "ok")
        _session().pop(_AUDITED_KEY, None)
        st.logout()


def mode_banner(user: access.User | None = None) -> None:
    """Show which mode the app runs in and who is signed in (local mode: a warning banner)."""
    import streamlit as st

    local = is_local_mode()
    text = banner_text(user if user is not None else current_user(), local)
    if local:
        st.warning(text, icon=":material/computer:")
    else:
        st.caption(text)
