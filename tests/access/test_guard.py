"""The one shape of a change: the role checked, the outcome audited (refusals too), the work
and its audit row committed together or not at all."""

import pytest

from flightdeck import access
from flightdeck.access import guard
from helpers.store import FailingCommit

ANALYST = access.User("ana", "analyst")
VIEWER = access.User("vic", "viewer")


def audit(con) -> list[tuple]:
    return con.execute(
        "SELECT user_name, action, detail, outcome FROM audit_log ORDER BY audit_id"
    ).fetchall()


def groups(con) -> list[tuple]:
    return con.execute("SELECT * FROM peer_group_members ORDER BY ALL").fetchall()


def test_a_role_without_the_permission_is_refused_and_the_refusal_audited(store):
    with pytest.raises(access.PermissionDenied):
        guard.begin(store, VIEWER, "rollback", access.ROLLBACK, "load 3")
    assert audit(store) == [("vic", "rollback", "load 3", "refused")]


def test_work_and_its_ok_row_are_committed_together(store):
    action = guard.begin(store, ANALYST, "edit_peer_groups", access.EDIT_REFERENCE, "save g")

    def work() -> int:
        store.execute("INSERT INTO peer_group_members VALUES ('g', 'cheshire')")
        return 1

    assert action.run(work, lambda n: f"{n} force") == 1
    assert groups(store) == [("g", "cheshire")]
    assert audit(store) == [("ana", "edit_peer_groups", "save g: 1 force", "ok")]


def test_a_failure_rolls_everything_back_and_is_audited_by_its_kind(store):
    action = guard.begin(store, ANALYST, "edit_peer_groups", access.EDIT_REFERENCE, "save g")

    def work() -> None:
        store.execute("INSERT INTO peer_group_members VALUES ('g', 'cheshire')")
        raise RuntimeError("disk full at /srv/data")

    with pytest.raises(RuntimeError, match="disk full"):
        action.run(work)
    assert groups(store) == []
    # The kind of failure, never its message (which may name paths or quote data).
    assert audit(store) == [("ana", "edit_peer_groups", "save g: RuntimeError", "failed")]
    # The connection is usable afterwards: no transaction was left open.
    store.execute("BEGIN TRANSACTION")
    store.execute("COMMIT")


def test_refusals_no_change_and_reads_each_write_one_row(store):
    action = guard.begin(store, ANALYST, "load_cases", access.LOAD, "june.csv")
    action.refuse("refused june.csv")
    action.unchanged()
    action.detail = "june.csv for cheshire"
    action.ok("read")
    assert audit(store) == [
        ("ana", "load_cases", "june.csv: refused june.csv", "refused"),
        ("ana", "load_cases", "june.csv", "no_change"),
        ("ana", "load_cases", "june.csv for cheshire: read", "ok"),
    ]


def test_a_commit_that_fails_is_rolled_back_reported_and_audited(store):
    action = guard.begin(
        FailingCommit(store), ANALYST, "edit_peer_groups", access.EDIT_REFERENCE, "save g"
    )

    def work() -> None:
        store.execute("INSERT INTO peer_group_members VALUES ('g', 'cheshire')")

    with pytest.raises(OSError, match="No space"):
        action.run(work)
    assert groups(store) == []
    assert audit(store) == [("ana", "edit_peer_groups", "save g: OSError", "failed")]
