"""Who is using the app, decided from plain inputs (pure functions, tested without Streamlit).

Two modes, decided by `.streamlit/secrets.toml` (`flightdeck.access.signin` reads it):

* **Sign-in mode**: the file has an `[auth]` section, so Streamlit's OpenID Connect support signs
  people in through the force's identity provider, and the person's address is mapped to a role
  by the roles file (`flightdeck.access.roles`); anyone not in it gets no access.
* **Local mode**: no `[auth]` section. The single person at this computer is
  `access.LOCAL_USER` (an analyst), or a read-only local viewer when the environment sets
  `FLIGHTDECK_LOCAL_ROLE=viewer` (a display on a shared screen). `admin` is refused in local
  mode: managing users needs sign-in. Local mode serves only when the server is bound to a
  loopback address (127.0.0.1, ::1 or localhost) and the browser connects from this computer,
  and it answers only requests addressed to this computer (`local_request_refusal`): after a
  DNS rebinding a foreign web page reaches 127.0.0.1 too, but its requests still name the
  foreign site in their Host and Origin headers.

Tests: AppTest cannot sign in, so a test may put a user in the session under `TEST_USER_KEY`;
it is honoured ONLY when the environment has `FLIGHTDECK_TESTING=1`, and otherwise ignored (with
a warning logged), so a session cannot grant itself a role.
"""

import ipaddress
import logging
from collections.abc import Iterable, Mapping
from typing import Any

from flightdeck import access, settings

LOG = logging.getLogger(__name__)

TEST_ENV = settings.TESTING.name
TEST_USER_KEY = "flightdeck_test_user"
LOCAL_ROLE_ENV = settings.LOCAL_ROLE.name
LOCAL_BANNER = "Local mode: single analyst on this computer, no sign-in"
LOCAL_VIEWER_BANNER = "Local mode: read-only display on this computer, no sign-in"
LOCAL_VIEWER = access.User(name="local viewer", role="viewer")


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


# The names of this computer a browser puts in the Host header (IPv6 in brackets, as in URLs).
LOCAL_HOSTNAMES = ("localhost", "127.0.0.1", "[::1]")
_DEFAULT_PORTS = {"http": 80, "https": 443}


def local_hosts(port: int, scheme: str = "http") -> frozenset[str]:
    """The Host header values that address this computer on `port`, in lower case: localhost,
    127.0.0.1 and [::1] with the port, and without it only when `port` is the scheme's default
    (a browser leaves out port 80 of http). Nothing else: no other loopback spelling, no
    trailing dot, no name that merely starts with or resolves to one of these."""
    hosts = {f"{name}:{port}" for name in LOCAL_HOSTNAMES}
    if port == _DEFAULT_PORTS.get(scheme):
        hosts.update(LOCAL_HOSTNAMES)
    return frozenset(hosts)


def is_local_host(host: object, port: int, scheme: str = "http") -> bool:
    """Whether a Host header value addresses this computer on `port` (case does not matter:
    host names are case-insensitive)."""
    return isinstance(host, str) and host.lower() in local_hosts(port, scheme)


def is_local_origin(origin: object, port: int, scheme: str = "http") -> bool:
    """Whether an Origin header value is this computer's own address on `port`
    (`http://localhost:8501`); `null`, another scheme, a path or another port are not."""
    if not isinstance(origin, str):
        return False
    return origin.lower() in {f"{scheme}://{host}" for host in local_hosts(port, scheme)}


def local_request_refusal(
    headers: Iterable[tuple[str, str]],
    port: int,
    client_address: object = None,
    scheme: str = "http",
) -> str | None:
    """Why local mode must refuse a request, or None when it may answer it.

    `headers` are the request's (name, value) pairs. It is answered only with exactly one Host
    header addressing this computer on `port` (`local_hosts`), at most one Origin header and,
    if there is one, this computer's own address (`is_local_origin`), and a client address, when
    a string is given, on loopback. A missing or repeated Host, a foreign name (a DNS rebinding
    attack), another port, or `Origin: null` is refused.
    """
    hosts = [value for name, value in headers if name.lower() == "host"]
    origins = [value for name, value in headers if name.lower() == "origin"]
    foreign = (
        len(hosts) != 1
        or not is_local_host(hosts[0], port, scheme)
        or len(origins) > 1
        or (origins and not is_local_origin(origins[0], port, scheme))
        or (isinstance(client_address, str) and not is_loopback(client_address))
    )
    if not foreign:
        return None
    return (
        "This flight deck is in local mode and answers only requests addressed to this computer "
        f"({scheme}://localhost:{port} or {scheme}://127.0.0.1:{port}); this one was not, so it "
        "was refused."
    )


class LocalRoleError(ValueError):
    """FLIGHTDECK_LOCAL_ROLE holds a role local mode does not offer."""


def local_user(env: Mapping[str, str]) -> access.User:
    """The single local user for FLIGHTDECK_LOCAL_ROLE: `analyst` (the default, also when the
    variable is empty) or `viewer`. Raises LocalRoleError for `admin` (user management needs
    sign-in, so that someone is accountable for it) and for anything else."""
    role = settings.value(settings.LOCAL_ROLE, env).lower()
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
    if settings.value(settings.TESTING, env) != "1":
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
