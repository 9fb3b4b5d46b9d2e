"""The Admin page per role (AppTest), and the admin-only audit trail reads behind it."""

import datetime as dt

import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access, settings
from flightdeck.access import audit, identity, roles, trail
from flightdeck.store import connection

ADMIN = access.User("ada@x.example", "admin")
ANALYST = access.User("ana@x.example", "analyst")
VIEWER = access.User("vic@x.example", "viewer")


def _page() -> None:
    from flightdeck.app.pages import admin

    admin.render()


@pytest.fixture
def env(tmp_path, monkeypatch):
    """A database with two audit rows, a roles file, and the test-user override enabled."""
    db = tmp_path / "admin.duckdb"
    monkeypatch.setenv("FLIGHTDECK_DB", str(db))
    monkeypatch.setenv(settings.ROLES.name, str(tmp_path / "roles.toml"))
    monkeypatch.setenv(identity.TEST_ENV, "1")
    roles.save_roles({ADMIN.name: "admin", VIEWER.name: "viewer"})
    con = connection.connect(db)
    audit.record(con, ANALYST, "load_cases", "case files june.csv as of 2024-06-30", "ok")
    audit.record(con, VIEWER, "rollback", "load 1", "refused")
    con.close()
    return db


def _run(user: access.User | None) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=30)
    if user is not None:
        at.session_state[identity.TEST_USER_KEY] = user
    return at.run()


def _audit(db) -> list[tuple]:
    with connection.connect(db) as con:
        return con.execute(
            "SELECT user_name, action, outcome FROM audit_log ORDER BY audit_id"
        ).fetchall()


def test_admin_sees_the_audit_trail_and_the_view_is_audited(env):
    at = _run(ADMIN)
    assert not at.exception and not at.error
    shown = at.tabs[0].dataframe[0].value
    assert list(shown["action"]) == ["view_audit", "rollback", "load_cases"]
    assert _audit(env)[-1] == (ADMIN.name, "view_audit", "ok")
    at.run()  # a rerun (any widget change) is the same view: no second row
    assert [r for r in _audit(env) if r[1] == "view_audit"] == [(ADMIN.name, "view_audit", "ok")]


def test_admin_filters_the_trail_by_outcome(env):
    at = _run(ADMIN)
    at.multiselect(key="audit_outcomes").select("refused").run()
    shown = at.tabs[0].dataframe[0].value
    assert list(shown["user_name"]) == [VIEWER.name]


@pytest.mark.parametrize("user", [ANALYST, VIEWER], ids=["analyst", "viewer"])
def test_analyst_and_viewer_are_refused_and_audited(env, user):
    at = _run(user)
    assert [e.value for e in at.error] == ["This page is for administrators only."]
    assert len(at.dataframe) == 0 and len(at.tabs) == 0
    assert _audit(env)[-1] == (user.name, "view_audit", "refused")


def test_the_test_override_is_ignored_without_the_testing_variable(env, monkeypatch):
    monkeypatch.delenv(identity.TEST_ENV)
    at = _run(ADMIN)  # asks for admin, but without FLIGHTDECK_TESTING=1 it is not honoured
    assert [e.value for e in at.error] == ["This page is for administrators only."]
    # local mode: the person is the local analyst
    assert _audit(env)[-1] == (access.LOCAL_USER.name, "view_audit", "refused")


def test_admin_gives_a_role_through_the_page(env):
    at = _run(ADMIN)
    at.text_input(key="role_address").input("New.Person@x.example")
    at.selectbox(key="role_choice").select("analyst")
    at.button[0].click()  # the form's Save button
    at.run()
    assert [s.value for s in at.success] == ["new.person@x.example now has analyst."]
    assert roles.load_roles()["new.person@x.example"] == "analyst"
    assert _audit(env)[-1] == (ADMIN.name, "edit_roles", "ok")


def test_trail_csv_is_filtered_formula_safe_and_audited(env):
    with connection.connect(env) as con:
        audit.record(con, ANALYST, "load_cases", '=HYPERLINK("x") as of 2024-06-30', "refused")
        data = trail.trail_csv(
            con, ADMIN, trail.TrailFilter(actions=("load_cases",), outcomes=("refused",))
        )
    lines = data.decode().splitlines()
    assert lines[0] == "audit_id,at,user_name,role,action,detail,outcome"
    assert len(lines) == 2
    assert lines[1].endswith(
        ',ana@x.example,analyst,load_cases,"\'=HYPERLINK(""x"") as of 2024-06-30",refused'
    )
    assert _audit(env)[-1] == (ADMIN.name, "export_audit", "ok")


def test_trail_filter_by_user_and_inclusive_dates(env):
    today = dt.date.today()
    with connection.connect(env) as con:
        by_user = trail.query_trail(con, trail.TrailFilter(user_contains="VIC"))
        today_only = trail.query_trail(con, trail.TrailFilter(since=today, until=today))
        future = trail.query_trail(con, trail.TrailFilter(since=today + dt.timedelta(days=1)))
    assert list(by_user["action"]) == ["rollback"]
    assert len(today_only) == 2
    assert len(future) == 0
