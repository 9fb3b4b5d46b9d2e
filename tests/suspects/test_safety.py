"""The suspect lists' safety rules: analysts only (checked first, on the server, by every read of
ids; a viewer is refused, audited, and gets nothing), every view and export audited with who,
the force, the month and the list, never a suspect id; the CSV opens with its handling line and
runs no formula in a spreadsheet."""

import csv
import datetime as dt
import inspect
import io

import pytest

from flightdeck import access
from flightdeck.suspects import history, lists
from helpers.kpis import FORCE, crime
from helpers.store import audit_rows, insert_case_load

ANALYST = access.User("ana", "analyst")
ADMIN = access.User("ada", "admin")
VIEWER = access.User("vic", "viewer")
NO_ROLE = access.User("nemo", "")
JUNE = dt.date(2025, 6, 1)
SUSPECTS = ('=HYPERLINK("x")', "+1", "S-PLAIN", "@SUM(A1)")

# Every function of flightdeck.suspects that reads ids for a user, with a call of it.
READS = {
    "suspect_list": lambda con, user: lists.suspect_list(con, user, FORCE, JUNE, "harm"),
    "list_csv": lambda con, user: lists.list_csv(con, user, FORCE, JUNE, "rfg"),
    "suspect_history": lambda con, user: history.suspect_history(con, user, FORCE, JUNE, "+1"),
}
ACTIONS = {
    "suspect_list": "view_suspects",
    "list_csv": "export",
    "suspect_history": "view_suspect_history",
}


@pytest.fixture
def suspect_store(store):
    crimes = [
        crime(f"C{n}-{i}", f"2025-0{n + 1}-1{i}", suspect_id=suspect, victim_id=f"V{n}")
        for n, suspect in enumerate(SUSPECTS)
        for i in range(n + 1)
    ]
    insert_case_load(store, crimes, "2025-07-10")
    return store


def test_every_function_taking_a_user_is_covered_here():
    acting = {
        name
        for module in (lists, history)
        for name, fn in inspect.getmembers(module, inspect.isfunction)
        if fn.__module__ == module.__name__
        and not name.startswith("_")
        and "user" in inspect.signature(fn).parameters
    }
    assert acting == set(READS)


@pytest.mark.parametrize("user", [VIEWER, NO_ROLE], ids=["viewer", "no role"])
@pytest.mark.parametrize("function", sorted(READS))
def test_a_viewer_is_refused_audited_and_given_nothing(suspect_store, function, user):
    delivered = []
    with pytest.raises(access.PermissionDenied, match="may not view suspects"):
        if function == "list_csv":  # nothing reaches a file either
            lists.list_csv(suspect_store, user, FORCE, JUNE, "rfg", deliver=delivered.append)
        else:
            READS[function](suspect_store, user)
    assert delivered == []
    rows = audit_rows(suspect_store)
    assert len(rows) == 1
    assert (rows.iloc[0]["user_name"], rows.iloc[0]["action"], rows.iloc[0]["outcome"]) == (
        user.name, ACTIONS[function], "refused",
    )  # fmt: skip


def test_the_role_is_checked_before_anything_else(store):
    # no data, an unknown list, a month in the future: the viewer still learns only "refused"
    with pytest.raises(access.PermissionDenied):
        lists.suspect_list(store, VIEWER, "kent", dt.date(2099, 1, 1), "nonsense")
    assert audit_rows(store)["outcome"].tolist() == ["refused"]


@pytest.mark.parametrize("user", [ANALYST, ADMIN], ids=["analyst", "admin"])
@pytest.mark.parametrize("function", sorted(READS))
def test_analysts_and_admins_are_allowed_and_audited(suspect_store, function, user):
    READS[function](suspect_store, user)
    last = audit_rows(suspect_store).iloc[0]
    assert (last["user_name"], last["role"], last["action"], last["outcome"]) == (
        user.name, user.role, ACTIONS[function], "ok",
    )  # fmt: skip
    assert "demo-northmoor 2025-06" in last["detail"]


def test_views_and_exports_name_the_force_month_and_list(suspect_store):
    lists.suspect_list(suspect_store, ANALYST, FORCE, JUNE, "frequency")
    lists.list_csv(suspect_store, ANALYST, FORCE, JUNE, "harm")
    with pytest.raises(lists.SuspectsRefused):
        lists.suspect_list(suspect_store, ANALYST, FORCE, dt.date(2025, 7, 1), "rfg")
    rows = audit_rows(suspect_store)[["action", "detail", "outcome"]].values.tolist()
    assert rows[::-1] == [
        ["view_suspects", "suspect list frequency demo-northmoor 2025-06: 3 rows", "ok"],
        ["export", "suspect list harm demo-northmoor 2025-06 (CSV): 4 rows", "ok"],
        [
            "view_suspects",
            "suspect list rfg demo-northmoor 2025-07: 2025-07 has not ended in demo-northmoor's "
            "case data (as of 2025-07-10): a list is drawn at a month end on or before the as-of "
            "date",
            "refused",
        ],
    ]


def test_no_suspect_id_reaches_the_audit_trail(suspect_store):
    for which in lists.LISTS:
        lists.suspect_list(suspect_store, ANALYST, FORCE, JUNE, which)
        lists.list_csv(suspect_store, ANALYST, FORCE, JUNE, which)
    for suspect in SUSPECTS:
        history.suspect_history(suspect_store, ANALYST, FORCE, JUNE, suspect)
    with pytest.raises(lists.SuspectsRefused):
        history.suspect_history(suspect_store, ANALYST, FORCE, JUNE, "NOT-THERE")
    trail = audit_rows(suspect_store)
    assert len(trail) == 11
    text = " ".join(trail.astype(str).to_numpy().ravel())
    for suspect in (*SUSPECTS, "NOT-THERE", "S-PLAIN", "V0", "C0-0"):
        assert suspect not in text


def _read_csv(data: bytes) -> tuple[str, list[dict]]:
    text = data.decode("utf-8")
    handling, _, body = text.partition("\n")
    return handling, list(csv.DictReader(io.StringIO(body)))


def test_the_csv_opens_with_its_handling_line_then_the_list(suspect_store):
    handling, rows = _read_csv(lists.list_csv(suspect_store, ANALYST, FORCE, JUNE, "rfg"))
    assert handling == (
        "OFFICIAL-SENSITIVE: pseudonymised suspect list, demo-northmoor to 2025-06-30; analyst "
        "use only; do not forward or attach to a board pack"
    )
    assert list(rows[0]) == [*lists.COLUMNS, "score"]
    assert [row["rank"] for row in rows] == ["1", "2", "3", "4"]


def test_no_cell_of_the_csv_runs_as_a_formula(suspect_store):
    _, rows = _read_csv(lists.list_csv(suspect_store, ANALYST, FORCE, JUNE, "harm"))
    ids = [row["suspect_id"] for row in rows]
    assert sorted(ids) == sorted(['\'=HYPERLINK("x")', "'+1", "S-PLAIN", "'@SUM(A1)"])
    for row in rows:
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value


def test_a_failed_delivery_is_audited_as_failed(suspect_store):
    def full_disk(data: bytes) -> None:
        raise OSError("No space left on device")

    with pytest.raises(OSError):
        lists.list_csv(suspect_store, ANALYST, FORCE, JUNE, "harm", deliver=full_disk)
    last = audit_rows(suspect_store).iloc[0]
    assert (last["action"], last["outcome"]) == ("export", "failed")
    assert last["detail"].endswith(": OSError")
