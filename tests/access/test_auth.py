"""Who the user is: role mapping, unknown users, loopback binding, and the sign-in gate."""

from unittest import mock

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from flightdeck import access, settings
from flightdeck.access import identity, roles, signin
from flightdeck.store import connection

ROLES_TEXT = """
[users]
"Ada@Force.example" = "admin"
"ana@force.example" = "analyst"
"vic@force.example" = "viewer"
"""
AUTH = {
    "redirect_uri": "http://localhost:8501/oauth2callback",
    "cookie_secret": "not-a-real-secret-only-for-tests",
    "client_id": "flightdeck",
    "client_secret": "not-a-real-secret",
    "server_metadata_url": "https://idp.force.example/.well-known/openid-configuration",
}


# ---- role mapping ---------------------------------------------------------------------------


def test_addresses_map_to_roles_whatever_their_case():
    mapping = roles.parse_roles(ROLES_TEXT)
    assert mapping == {
        "ada@force.example": "admin",
        "ana@force.example": "analyst",
        "vic@force.example": "viewer",
    }
    assert roles.user_for(" ADA@force.example ", mapping) == access.User(
        "ada@force.example", "admin"
    )
    assert roles.role_for("Vic@Force.Example", mapping) == "viewer"


def test_unknown_or_missing_identity_gets_no_access():
    mapping = roles.parse_roles(ROLES_TEXT)
    assert roles.user_for("stranger@force.example", mapping) is None
    assert roles.user_for(None, mapping) is None
    assert roles.user_for("", mapping) is None


@pytest.mark.parametrize(
    "text, problem",
    [
        ('[users]\n"a@x" = "superuser"', "must be one of viewer, analyst, admin"),
        ('[users]\n"a@x" = "viewer"\n"A@X" = "admin"', "more than once"),
        ("[users\n", "not valid TOML"),
        ('users = "everyone"', "must be a table"),
    ],
)
def test_bad_roles_files_are_refused(text, problem):
    with pytest.raises(roles.RolesFileError, match=problem):
        roles.parse_roles(text)


def test_roles_file_round_trips_and_a_missing_file_means_nobody(tmp_path, monkeypatch):
    monkeypatch.setenv(settings.ROLES.name, str(tmp_path / "r.toml"))
    assert roles.roles_path() == tmp_path / "r.toml"
    assert roles.load_roles() == {}
    roles.save_roles({"b@x": "viewer", 'odd"name@x': "admin"})
    assert roles.load_roles() == {"b@x": "viewer", 'odd"name@x': "admin"}


def test_identity_comes_from_email_then_username_claims():
    assert roles.identity_from_claims({"email": "a@x", "preferred_username": "b@x"}) == "a@x"
    assert roles.identity_from_claims({"email": " ", "preferred_username": "b@x"}) == "b@x"
    assert roles.identity_from_claims({"sub": "123"}) is None


# ---- local mode: loopback only --------------------------------------------------------------


@pytest.mark.parametrize(
    "address",
    ["127.0.0.1", "127.0.1.1", "::1", "[::1]", "localhost", "LocalHost", "::ffff:127.0.0.1"],
)
def test_loopback_addresses(address):
    assert identity.is_loopback(address)


@pytest.mark.parametrize(
    "address",
    ["0.0.0.0", "::", "", None, "192.168.1.20", "10.0.0.1", "localhost.evil.example", "8.8.8.8"],
)
def test_addresses_that_reach_the_network_are_not_loopback(address):
    assert not identity.is_loopback(address)


def test_local_mode_refuses_to_serve_unless_bound_to_loopback():
    assert "every network interface" in identity.local_mode_refusal(None)
    assert "0.0.0.0" in identity.local_mode_refusal("0.0.0.0")
    assert identity.local_mode_refusal("127.0.0.1") is None
    assert identity.local_mode_refusal("127.0.0.1", "127.0.0.1") is None
    # a browser on another computer (e.g. through a tunnel or proxy) is refused too
    assert identity.local_mode_refusal("127.0.0.1", "10.2.3.4") is not None
    # an unknown client address (not a string) falls back on the binding alone
    assert identity.local_mode_refusal("127.0.0.1", mock.MagicMock()) is None


# ---- local mode: requests addressed to this computer only (DNS rebinding) -------------------

PORT = 8501


def _headers(host: str | None, origin: str | None = None) -> list[tuple[str, str]]:
    pairs = [("upgrade", "websocket"), ("sec-websocket-version", "13")]
    if host is not None:
        pairs.append(("host", host))
    if origin is not None:
        pairs.append(("origin", origin))
    return pairs


@pytest.mark.parametrize(
    "host, origin",
    [
        ("localhost:8501", None),  # no Origin: a client other than a browser, on this computer
        ("127.0.0.1:8501", None),
        ("[::1]:8501", None),
        ("localhost:8501", "http://localhost:8501"),
        ("127.0.0.1:8501", "http://127.0.0.1:8501"),
        ("[::1]:8501", "http://[::1]:8501"),
        ("127.0.0.1:8501", "http://localhost:8501"),  # both name this computer
        ("LocalHost:8501", "HTTP://LOCALHOST:8501"),  # host names ignore case
    ],
)
def test_requests_addressed_to_this_computer_are_answered(host, origin):
    assert identity.local_request_refusal(_headers(host, origin), PORT) is None


@pytest.mark.parametrize(
    "host, origin",
    [
        ("evil.example:8501", "http://evil.example:8501"),  # DNS rebinding: the foreign site
        ("evil.example:8501", None),
        ("evil.example", None),
        ("localhost:8502", None),  # this computer, another port
        ("127.0.0.1:80", None),
        ("localhost", None),  # no port: only for port 80
        ("localhost.evil.example:8501", None),
        ("127.0.0.1.nip.io:8501", None),  # a public name that resolves to 127.0.0.1
        ("localhost.:8501", None),  # trailing dot
        ("127.0.0.2:8501", None),  # loopback, but not a name a browser is sent to
        ("::1:8501", None),  # IPv6 without brackets
        ("[0:0:0:0:0:0:0:1]:8501", None),
        ("[::ffff:127.0.0.1]:8501", None),
        ("2130706433:8501", None),  # 127.0.0.1 as one decimal number
        ("localhost:08501", None),
        ("localhost:8501 ", None),
        ("evil.example@localhost:8501", None),
        ("", None),
        (None, None),  # no Host at all
        (None, "http://localhost:8501"),
        ("localhost:8501", "null"),  # sandboxed frame or file:// page
        ("localhost:8501", ""),
        ("localhost:8501", "https://localhost:8501"),  # another scheme
        ("localhost:8501", "http://localhost:8502"),
        ("localhost:8501", "http://localhost"),
        ("localhost:8501", "http://localhost:8501/"),
        ("localhost:8501", "http://evil.example:8501"),
        ("localhost:8501", "http://localhost.evil.example:8501"),
        ("127.0.0.1:8501", "http://127.0.0.1.nip.io:8501"),
    ],
)
def test_requests_addressed_to_another_site_or_port_are_refused(host, origin):
    refusal = identity.local_request_refusal(_headers(host, origin), PORT)
    assert refusal == (
        "This flight deck is in local mode and answers only requests addressed to this "
        "computer (http://localhost:8501 or http://127.0.0.1:8501); this one was not, so it "
        "was refused."
    )


def test_repeated_host_or_origin_headers_are_refused():
    good = [("Host", "localhost:8501"), ("Origin", "http://localhost:8501")]
    assert identity.local_request_refusal(good, PORT) is None  # header names ignore case
    assert identity.local_request_refusal([*good, ("host", "evil.example:8501")], PORT)
    assert identity.local_request_refusal([*good, ("origin", "http://evil.example")], PORT)
    assert identity.local_request_refusal([("host", "localhost:8501")] * 2, PORT)


def test_the_default_port_may_be_left_out_and_https_is_its_own_scheme():
    assert identity.local_request_refusal(_headers("localhost", "http://localhost"), 80) is None
    assert identity.local_request_refusal(_headers("localhost:80"), 80) is None
    assert identity.local_request_refusal(_headers("localhost", "https://localhost"), 80)
    tls = _headers("localhost:8501", "https://localhost:8501")
    assert identity.local_request_refusal(tls, PORT, scheme="https") is None
    assert identity.local_request_refusal(tls, PORT) is not None
    assert identity.local_request_refusal(_headers("localhost"), 443, scheme="https") is None


def test_a_request_from_another_computer_is_refused_even_with_a_local_host():
    local = _headers("localhost:8501")
    assert identity.local_request_refusal(local, PORT, "10.2.3.4") is not None
    assert identity.local_request_refusal(local, PORT, "127.0.0.1") is None
    assert identity.local_request_refusal(local, PORT, "::1") is None
    assert identity.local_request_refusal(local, PORT, None) is None  # unknown: headers decide


def test_sign_in_mode_is_the_presence_of_an_auth_section():
    assert identity.auth_configured({"auth": AUTH})
    assert identity.auth_configured({"auth": {}})  # half-configured fails closed, never local
    assert not identity.auth_configured({"other": 1})


def test_test_override_only_with_the_testing_variable():
    session = {identity.TEST_USER_KEY: {"name": "t", "role": "viewer"}}
    assert identity.test_user_override({}, session) is None
    assert identity.test_user_override({identity.TEST_ENV: "yes"}, session) is None
    assert identity.test_user_override({identity.TEST_ENV: "1"}, session) == access.User(
        "t", "viewer"
    )
    with pytest.raises(ValueError):
        identity.test_user_override(
            {identity.TEST_ENV: "1"}, {identity.TEST_USER_KEY: {"name": "t", "role": "god"}}
        )


def test_banner_says_the_mode_and_who():
    assert identity.banner_text(access.LOCAL_USER, True) == (
        "Local mode: single analyst on this computer, no sign-in"
    )
    assert (
        identity.banner_text(access.User("vic@x", "viewer"), False) == "Signed in as vic@x (viewer)"
    )


# ---- the gate in a running app --------------------------------------------------------------


def _gated_app() -> None:
    import streamlit as st

    from flightdeck.access import signin
    from flightdeck.store import connection

    con = connection.connect(st.session_state["db"])
    user = signin.sign_in_gate(con)
    signin.mode_banner(user)
    st.markdown(f"content for {user.name} ({user.role})")


@pytest.fixture
def app(tmp_path, monkeypatch):
    monkeypatch.delenv(identity.TEST_ENV, raising=False)
    monkeypatch.delenv(identity.LOCAL_ROLE_ENV, raising=False)
    monkeypatch.setenv(settings.ROLES.name, str(tmp_path / "roles.toml"))
    (tmp_path / "roles.toml").write_text(ROLES_TEXT)
    before = config.get_option("server.address")
    at = AppTest.from_function(_gated_app, default_timeout=30)
    at.session_state["db"] = str(tmp_path / "gate.duckdb")
    yield at
    config.set_option("server.address", before)


def _audit(at) -> list[tuple]:
    with connection.connect(at.session_state["db"]) as con:
        return con.execute("SELECT user_name, action, detail, outcome FROM audit_log").fetchall()


@pytest.mark.parametrize("address", [None, "0.0.0.0", "192.168.1.20"])
def test_local_mode_stops_when_not_bound_to_loopback(app, address):
    config.set_option("server.address", address)
    app.run()
    assert "local mode" in app.error[0].value
    assert not [m for m in app.markdown if "content for" in m.value]


def test_local_mode_on_loopback_is_the_local_analyst_with_a_banner(app):
    config.set_option("server.address", "127.0.0.1")
    app.run()
    assert [w.value for w in app.warning] == [identity.LOCAL_BANNER]
    assert app.markdown[-1].value == "content for local analyst (analyst)"
    app.run()  # reruns of the same session write no more sign-in rows
    assert _audit(app) == [("local analyst", "sign_in", "local mode session", "ok")]


def _opened_through(monkeypatch, host: str | None, origin: str | None = None) -> None:
    """The session's websocket came with these Host and Origin headers (AppTest has none)."""
    monkeypatch.setattr(signin, "_request_headers", lambda: _headers(host, origin))


def _here(port_offset: int = 0) -> str:
    return f"localhost:{config.get_option('server.port') + port_offset}"


@pytest.mark.parametrize(
    "host, origin",
    [
        ("evil.example:{port}", "http://evil.example:{port}"),  # after a DNS rebinding
        ("localhost:{port}", "http://evil.example:{port}"),
        ("localhost:{other}", "http://localhost:{other}"),
        ("localhost.evil.example:{port}", None),
        (None, None),  # a real handshake without a Host header
    ],
)
def test_local_mode_refuses_a_page_opened_through_another_address(app, monkeypatch, host, origin):
    config.set_option("server.address", "127.0.0.1")
    port = config.get_option("server.port")
    fill = {"port": port, "other": port + 1}
    _opened_through(
        monkeypatch,
        host and host.format(**fill),
        origin and origin.format(**fill),
    )
    app.run()
    assert [e.value for e in app.error] == [
        "This flight deck is in local mode and answers only requests addressed to this "
        f"computer (http://localhost:{port} or http://127.0.0.1:{port}); this one was not, so it "
        "was refused."
    ]
    assert not [m for m in app.markdown if "content for" in m.value]
    assert not app.button
    assert _audit(app) == []  # nobody was let in, so no sign-in row


def test_local_mode_serves_a_page_opened_through_this_computer(app, monkeypatch):
    config.set_option("server.address", "127.0.0.1")
    _opened_through(monkeypatch, _here(), f"http://{_here()}")
    app.run()
    assert app.markdown[-1].value == "content for local analyst (analyst)"


def _headers_app() -> None:
    import streamlit as st

    from flightdeck.access import signin

    st.markdown(f"headers: {signin._request_headers()!r}")


def test_an_app_test_session_has_no_request_headers_at_all():
    # The gate lets a session without any header through (see signin._foreign_request_refusal):
    # true of AppTest, never of a browser's websocket. Should AppTest start sending headers,
    # this says so.
    at = AppTest.from_function(_headers_app).run()
    assert at.markdown[0].value == "headers: []"


def _signed_in_as(monkeypatch, email: str | None) -> None:
    claims = {"is_logged_in": email is not None, "email": email}
    monkeypatch.setattr(signin, "_claims", lambda: claims)


def test_sign_in_mode_shows_only_a_sign_in_button_to_strangers(app, monkeypatch):
    config.set_option("server.address", "0.0.0.0")  # allowed: people sign in
    app.secrets["auth"] = AUTH
    _signed_in_as(monkeypatch, None)
    app.run()
    assert [b.label for b in app.button] == ["Sign in"]
    assert not [m for m in app.markdown if "content for" in m.value]
    assert _audit(app) == []


def test_sign_in_mode_leaves_host_names_to_the_deployment(app, monkeypatch):
    # Behind the deployment's proxy the Host is its own name; server.allowedHosts governs.
    app.secrets["auth"] = AUTH
    _signed_in_as(monkeypatch, "vic@force.example")
    _opened_through(monkeypatch, "flightdeck.force.example", "https://flightdeck.force.example")
    app.run()
    assert app.markdown[-1].value == "content for vic@force.example (viewer)"


def test_signed_in_person_without_a_role_is_refused_and_audited(app, monkeypatch):
    app.secrets["auth"] = AUTH
    _signed_in_as(monkeypatch, "Stranger@Force.example")
    app.run()
    assert "no role" in app.error[0].value
    assert not [m for m in app.markdown if "content for" in m.value]
    assert _audit(app) == [
        ("stranger@force.example", "sign_in", "no role in the roles file", "refused")
    ]


def test_signed_in_viewer_gets_the_viewer_role_and_the_sign_in_is_audited(app, monkeypatch):
    app.secrets["auth"] = AUTH
    _signed_in_as(monkeypatch, "vic@force.example")
    app.run()
    assert app.markdown[-1].value == "content for vic@force.example (viewer)"
    assert [c.value for c in app.caption] == ["Signed in as vic@force.example (viewer)"]
    assert _audit(app) == [("vic@force.example", "sign_in", "signed in", "ok")]


# ---- local mode's role (FLIGHTDECK_LOCAL_ROLE) -----------------------------------------------


@pytest.mark.parametrize("value", [None, "", "analyst", " Analyst "])
def test_local_mode_is_an_analyst_by_default(value):
    env = {} if value is None else {identity.LOCAL_ROLE_ENV: value}
    assert identity.local_user(env) == access.User("local analyst", "analyst")


def test_local_mode_can_be_a_read_only_viewer():
    user = identity.local_user({identity.LOCAL_ROLE_ENV: "viewer"})
    assert user == access.User("local viewer", "viewer")
    assert not access.allowed(user, access.LOAD) and access.allowed(user, access.EXPORT)
    assert identity.banner_text(user, True) == (
        "Local mode: read-only display on this computer, no sign-in"
    )


@pytest.mark.parametrize(
    "value, says",
    [("admin", "admin is not allowed in local mode"), ("root", "must be analyst or viewer")],
)
def test_local_mode_refuses_admin_and_unknown_roles(value, says):
    with pytest.raises(identity.LocalRoleError, match=says):
        identity.local_user({identity.LOCAL_ROLE_ENV: value})


def test_local_viewer_in_a_running_app_is_bannered_and_audited(app, monkeypatch):
    config.set_option("server.address", "127.0.0.1")
    monkeypatch.setenv(identity.LOCAL_ROLE_ENV, "viewer")
    app.run()
    assert [w.value for w in app.warning] == [identity.LOCAL_VIEWER_BANNER]
    assert app.markdown[-1].value == "content for local viewer (viewer)"
    assert _audit(app) == [("local viewer", "sign_in", "local mode session", "ok")]


def test_local_admin_setting_stops_the_app_with_an_explanation(app, monkeypatch):
    config.set_option("server.address", "127.0.0.1")
    monkeypatch.setenv(identity.LOCAL_ROLE_ENV, "admin")
    app.run()
    assert "not allowed in local mode" in app.error[0].value
    assert not [m for m in app.markdown if "content for" in m.value]
    assert signin.current_user() is None  # fails closed outside the gate too
