"""Change points and notes on the SPC charts: recorded, read back, withdrawn (kept, audited),
refused when the input or the role does not allow them, and their tables added to a database
made before they existed."""

import datetime as dt

import duckdb
import pandas as pd
import pytest

from flightdeck import access, resources
from flightdeck.store import annotations, connection
from helpers.store import audit_rows

ANALYST = access.User("ana", "analyst")
VIEWER = access.User("vic", "viewer")
FORCE = "demo-northmoor"
APRIL = dt.date(2025, 4, 1)


def _record(con, user=ANALYST, **changes):
    given = {
        "force": FORCE,
        "kpi_id": "K02",
        "month": APRIL,
        "kind": "change_point",
        "text": "New RASSO team from April 2025",
    } | changes
    return annotations.record_annotation(con, **given, user=user)


def _stored(con) -> int:
    return con.execute("SELECT count(*) FROM spc_annotations").fetchone()[0]


def test_recorded_annotations_read_back_through_a_fresh_connection(tmp_path):
    db = tmp_path / "notes.duckdb"
    con = connection.connect(db)
    message = _record(con, text="  New RASSO team from April 2025  ")
    assert message == "Change point recorded for K02 from Apr 2025."
    _record(con, kpi_id=None, month=pd.Timestamp("2024-11-01"), kind="note", text="New policy")
    _record(con, kpi_id="K09", month=APRIL, kind="note", text="Second in April")
    _record(con, force="demo-eastvale", text="Another force's")
    con.close()

    with connection.connect(db) as fresh:
        frame = annotations.for_force(fresh, FORCE)
    assert list(frame.columns) == annotations.COLUMNS
    assert list(frame["text"]) == [
        "New policy",
        "New RASSO team from April 2025",
        "Second in April",
    ]
    assert frame["kpi_id"].tolist() == [None, "K02", "K09"]
    assert list(frame["kind"]) == ["note", "change_point", "note"]
    assert frame["month"].dtype == "datetime64[ns]" or str(frame["month"].dtype).startswith(
        "datetime64"
    )
    assert list(frame["month"]) == [
        pd.Timestamp("2024-11-01"),
        pd.Timestamp(APRIL),
        pd.Timestamp(APRIL),
    ]
    assert set(frame["recorded_by"]) == {ANALYST.name}
    assert frame["recorded_at"].notna().all()
    assert frame["id"].is_unique


def test_a_viewer_is_refused_nothing_is_kept_and_the_refusal_is_audited(store):
    with pytest.raises(access.PermissionDenied):
        _record(store, user=VIEWER)
    assert _stored(store) == 0
    row = audit_rows(store).iloc[0]
    assert (row["user_name"], row["action"], row["outcome"]) == (
        VIEWER.name,
        "record_annotation",
        "refused",
    )


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"force": "atlantis"}, "unknown force"),
        ({"kpi_id": "K99"}, "unknown KPI"),
        ({"kind": "signal"}, "change point or a note"),
        ({"month": dt.date(2025, 4, 15)}, "first day"),
        ({"month": pd.Timestamp("2025-04-01 10:30")}, "first day"),
        ({"month": "2025-04-01"}, "a date"),
        ({"month": None}, "a date"),
        ({"month": dt.date(1999, 12, 1)}, "between Jan 2000"),
        (
            {"month": (dt.date.today().replace(day=1) + dt.timedelta(days=32)).replace(day=1)},
            "between Jan 2000",
        ),
        ({"text": "   "}, "empty"),
        ({"text": "x" * 201}, "201 characters"),
        ({"text": "two\nlines"}, "control characters"),
        ({"text": "hidden\u202eright-to-left"}, "control characters"),
        ({"text": "ask j.smith@example.org"}, "an email address"),
        ({"text": "crime 20RA123456 reopened"}, "reference or phone number"),
        ({"text": "victim moved to M1 1AE"}, "a postcode"),
    ],
)
def test_input_that_cannot_be_kept_is_refused_and_audited(store, changes, why):
    with pytest.raises(ValueError, match=why):
        _record(store, **changes)
    assert _stored(store) == 0
    row = audit_rows(store).iloc[0]
    assert (row["action"], row["outcome"]) == ("record_annotation", "refused")
    assert why in row["detail"]


def test_the_text_is_kept_but_never_copied_into_the_audit_trail(store):
    _record(store, text="Team moved to the new hub")
    text = "x" * annotations.MAX_TEXT  # the longest text allowed
    _record(store, text=text, kind="note")
    audited = audit_rows(store)
    assert list(audited["outcome"]) == ["ok", "ok"]
    assert not audited["detail"].str.contains("hub|xxxx").any()
    assert audited["detail"].iloc[1].startswith("change_point for demo-northmoor, K02, 2025-04")
    assert text in set(annotations.for_force(store, FORCE)["text"])


def test_plain_words_a_board_would_read_are_accepted():
    for text in (
        "New RASSO team from April 2025",
        "Target set for 2025/26 (Q1 review)",
        "K02 definition changed: 19C & 19D only",
        "Café opening hours <- not data",
    ):
        assert annotations.text_problem(text) is None, text


def test_a_withdrawn_annotation_is_kept_with_who_withdrew_it_and_audited(store):
    _record(store)
    _record(store, kind="note", text="Kept")
    first = annotations.for_force(store, FORCE)["id"].iloc[0]
    assert annotations.withdraw_annotation(store, first, user=ANALYST) == "Change point withdrawn."
    assert list(annotations.for_force(store, FORCE)["text"]) == ["Kept"]
    kept = store.execute(
        "SELECT text, withdrawn_by, withdrawn_at FROM spc_annotations WHERE annotation_id = ?",
        [int(first)],
    ).fetchone()
    assert kept[:2] == ("New RASSO team from April 2025", ANALYST.name)
    assert kept[2] is not None
    row = audit_rows(store).iloc[0]
    assert (row["action"], row["detail"], row["outcome"]) == (
        "withdraw_annotation",
        f"annotation {first}",
        "ok",
    )


def test_withdrawing_twice_an_unknown_one_or_as_a_viewer_is_refused(store):
    _record(store)
    first = int(annotations.for_force(store, FORCE)["id"].iloc[0])
    with pytest.raises(access.PermissionDenied):
        annotations.withdraw_annotation(store, first, user=VIEWER)
    assert len(annotations.for_force(store, FORCE)) == 1
    annotations.withdraw_annotation(store, first, user=ANALYST)
    with pytest.raises(ValueError, match="already withdrawn"):
        annotations.withdraw_annotation(store, first, user=ANALYST)
    with pytest.raises(ValueError, match="no such annotation"):
        annotations.withdraw_annotation(store, first + 100, user=ANALYST)
    outcomes = list(audit_rows(store)["outcome"])
    assert outcomes == ["refused", "refused", "ok", "refused", "ok"]


def test_a_database_made_before_these_tables_gets_them_when_opened(tmp_path):
    db = tmp_path / "older.duckdb"
    older = duckdb.connect(str(db))
    for table_file in sorted((resources.sql_dir() / "tables").glob("*.sql")):
        if table_file.name < "40":
            older.execute(table_file.read_text())
    older.execute("INSERT INTO peer_groups_state VALUES ('someone', now())")  # data kept
    older.close()
    with duckdb.connect(str(db), read_only=True) as check:
        tables = {r[0] for r in check.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    assert "spc_annotations" not in tables

    con = connection.connect(db)
    assert annotations.for_force(con, FORCE).empty
    _record(con)
    assert len(annotations.for_force(con, FORCE)) == 1
    assert con.execute("SELECT count(*) FROM peer_groups_state").fetchone() == (1,)
    con.close()
