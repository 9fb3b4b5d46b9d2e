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
