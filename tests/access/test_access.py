"""Roles enforced on the server side: every state-changing function, called directly."""

import datetime as dt
import inspect
from pathlib import Path

import pandas as pd
import pytest

from flightdeck import access, exports
from flightdeck.access import roles, trail
from flightdeck.store import history, loads
from helpers.store import insert_case_load

AS_OF = dt.date(2024, 6, 30)
VIEWER = access.User("vic", "viewer")
ANALYST = access.User("ana", "analyst")
ADMIN = access.User("ada", "admin")


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    cases = tmp_path / "cases.csv"
    cases.write_text(
        "force,crime_id,recorded_date,offence_code,victim_age,victim_gender\n"
        "demo-eastvale,C1,2024-01-10,19C,25,female\n"
        "demo-eastvale,C2,2024-02-11,19F,40,male\n",
        encoding="utf-8",
    )
    workforce = tmp_path / "workforce.csv"
    workforce.write_text(
        "force,month,investigators_in_post,investigators_trained\ndemo-eastvale,2024-01,10,4\n",
        encoding="utf-8",
    )
    return {"cases": cases, "workforce": workforce}


def _load_cases(con, user, files):
    return loads.load_case_files(con, [files["cases"]], as_of=AS_OF, user=user)


def _load_workforce(con, user, files):
    return loads.load_workforce_file(con, files["workforce"], user=user)


def _rollback(con, user, files):
    crime = {
        "force": "demo-eastvale",
        "crime_id": "X1",
        "recorded_date": "2024-01-05",
        "offence_code": "19C",
        "victim_age": 30,
    }
    load_id = insert_case_load(con, [crime], "2024-05-31")
    return history.rollback(con, load_id, user=user)


def _refresh(con, user, files):
    insert_case_load(
        con,
        [
            {
                "force": "demo-eastvale",
                "crime_id": "X1",
                "recorded_date": "2024-01-05",
                "offence_code": "19C",
            }
        ],
        "2024-05-31",
    )
    return history.refresh_everything(con, user=user)


# Every function in the store that changes data, with the audit action it writes.
STATE_CHANGING = {
    "load_case_files": ("load_cases", _load_cases),
    "load_workforce_file": ("load_workforce", _load_workforce),
    "rollback": ("rollback", _rollback),
    "refresh_everything": ("refresh", _refresh),
}


def _audit(con) -> list[tuple]:
    return con.execute(
        "SELECT user_name, action, outcome FROM audit_log ORDER BY audit_id"
    ).fetchall()


def _data(con) -> list[tuple]:
    return con.execute("SELECT load_id, active FROM loads ORDER BY load_id").fetchall()


def test_every_store_function_taking_a_user_is_covered_here():
    # A function with a `user` argument acts for someone, so it changes data: a new one must
    # join STATE_CHANGING (and get its role checks) before this test passes.
    acting = {
        name
        for module in (loads, history)
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__
        and not name.startswith("_")
        and "user" in inspect.signature(fn).parameters
    }
    assert acting == set(STATE_CHANGING)


@pytest.mark.parametrize("function", sorted(STATE_CHANGING))
def test_viewer_is_refused_audited_and_changes_nothing(store, files, function):
    action, call = STATE_CHANGING[function]
    before_audit = _audit(store)
    with pytest.raises(access.PermissionDenied):
        call(store, VIEWER, files)
    # the rollback case inserts its own load first; it must still be active
    assert all(active for _, active in _data(store))
    assert _audit(store) == [*before_audit, ("vic", action, "refused")]


@pytest.mark.parametrize("user", [ANALYST, ADMIN], ids=["analyst", "admin"])
@pytest.mark.parametrize("function", sorted(STATE_CHANGING))
def test_analyst_and_admin_are_allowed_and_audited(store, files, function, user):
    action, call = STATE_CHANGING[function]
    call(store, user, files)
    assert _audit(store)[-1] == (user.name, action, "ok")
    if function == "rollback":
        assert _data(store) == [(1, False)]
    else:
        assert _data(store) == [(1, True)]


def test_manage_is_for_admins_only():
    assert [access.allowed(u, access.MANAGE) for u in (VIEWER, ANALYST, ADMIN)] == [
        False,
        False,
        True,
    ]
    assert not access.allowed(access.User("stranger", "none"), access.VIEW)


@pytest.mark.parametrize("user", [VIEWER, ANALYST], ids=["viewer", "analyst"])
def test_only_admin_may_change_roles_and_refusals_are_audited(store, tmp_path, user):
    path = tmp_path / "roles.toml"
    roles.save_roles({"ada@x.example": "admin"}, path)
    with pytest.raises(access.PermissionDenied):
        roles.set_role(store, user, "new@x.example", "analyst", path)
    assert roles.load_roles(path) == {"ada@x.example": "admin"}
    assert _audit(store) == [(user.name, "edit_roles", "refused")]


def test_admin_changes_a_role_and_it_is_audited(store, tmp_path):
    path = tmp_path / "roles.toml"
    roles.save_roles({"ada@x.example": "admin"}, path)
    roles.set_role(store, ADMIN, "New@X.example ", "analyst", path)
    roles.set_role(store, ADMIN, "new@x.example", "viewer", path)
    assert roles.load_roles(path) == {"ada@x.example": "admin", "new@x.example": "viewer"}
    assert path.stat().st_mode & 0o777 == 0o600
    rows = store.execute("SELECT detail, outcome FROM audit_log ORDER BY audit_id").fetchall()
    assert rows == [
        ("new@x.example: no access -> analyst", "ok"),
        ("new@x.example: analyst -> viewer", "ok"),
    ]


def test_the_last_admin_cannot_be_removed(store, tmp_path):
    path = tmp_path / "roles.toml"
    roles.save_roles({"ada@x.example": "admin", "bo@x.example": "viewer"}, path)
    with pytest.raises(ValueError, match="only admin"):
        roles.set_role(store, ADMIN, "ada@x.example", None, path)
    assert roles.load_roles(path)["ada@x.example"] == "admin"
    assert _audit(store) == [("ada", "edit_roles", "refused")]
    roles.set_role(store, ADMIN, "bo@x.example", None, path)
    assert roles.load_roles(path) == {"ada@x.example": "admin"}


@pytest.mark.parametrize("user", [VIEWER, ANALYST], ids=["viewer", "analyst"])
def test_only_admin_reads_or_exports_the_audit_trail(store, user):
    with pytest.raises(access.PermissionDenied):
        trail.read_trail(store, user)
    with pytest.raises(access.PermissionDenied):
        trail.trail_csv(store, user)
    assert _audit(store) == [
        (user.name, "view_audit", "refused"),
        (user.name, "export_audit", "refused"),
    ]


def test_viewer_may_export_aggregates_and_the_export_is_audited(store):
    data = exports.export_csv(store, VIEWER, pd.DataFrame({"kpi_id": ["K01"]}), "KPI results")
    assert data == b"kpi_id\nK01\n"
    assert store.execute("SELECT detail, outcome FROM audit_log").fetchall() == [
        ("KPI results: 1 rows", "ok")
    ]


def test_export_with_an_identifier_column_is_refused_and_audited(store):
    with pytest.raises(exports.IdentifierInExport):
        exports.export_csv(store, ANALYST, pd.DataFrame({"crime_id": ["C1"]}), "crimes")
    assert _audit(store) == [("ana", "export", "refused")]


def test_a_user_without_a_role_may_not_even_export(store):
    with pytest.raises(access.PermissionDenied):
        exports.export_csv(store, access.User("x", "none"), pd.DataFrame({"a": [1]}), "K")
    assert _audit(store) == [("x", "export", "refused")]
