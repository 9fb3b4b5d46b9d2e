"""Loads through the store: atomicity, idempotent re-loads, versions, rollback, roles, audit."""

import datetime as dt
from pathlib import Path

import pytest

from flightdeck import access
from flightdeck.store import connection, history, loads
from flightdeck.store.preview import preview_case_files

AS_OF = dt.date(2024, 6, 30)
ANALYST = access.User("ana", "analyst")
VIEWER = access.User("vic", "viewer")
HEADER = (
    "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,outcome_type,outcome_date"
)


def write_csv(path: Path, rows: list[str], header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def snapshot(con) -> dict:
    """Everything a load could change, to compare before and after."""
    tables = [
        "loads",
        "crime_versions",
        "load_warnings",
        "workforce_versions",
        "kpi_results",
        "kpi_feasibility",
    ]
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def current(con) -> dict[str, tuple]:
    rows = con.execute(
        "SELECT crime_id, outcome_type, load_id FROM current_crimes ORDER BY crime_id"
    ).fetchall()
    return {r[0]: (r[1], r[2]) for r in rows}


@pytest.fixture
def first_file(tmp_path):
    return write_csv(
        tmp_path / "june.csv",
        [
            "demo-eastvale,C1,2024-01-10,19C,25,female,,",
            "demo-eastvale,C2,2024-02-11,20A,15,F,16,2024-05-01",
            "demo-eastvale,C3,2024-03-12,19F,40,male,,",
        ],
    )


def test_load_stores_every_row_and_counts_them_as_new(store, first_file):
    outcome = store_load(store, [first_file])
    assert outcome.status == "loaded"
    [summary] = outcome.loads
    assert (summary.rows_total, summary.rows_new, summary.rows_updated) == (3, 3, 0)
    assert current(store) == {"C1": (None, 1), "C2": ("16", 1), "C3": (None, 1)}
    assert store.execute("SELECT forces, as_of FROM loads").fetchone() == (["demo-eastvale"], AS_OF)


def store_load(con, files, as_of=AS_OF, user=ANALYST):
    return loads.load_case_files(con, files, as_of=as_of, user=user)


def test_identical_reload_is_a_no_op_that_says_so(store, first_file, tmp_path):
    store_load(store, [first_file])
    before = snapshot(store)
    copy = tmp_path / "renamed.csv"
    copy.write_bytes(first_file.read_bytes())
    outcome = store_load(store, [copy])
    assert outcome.status == "no_change"
    assert "identical to load 1" in outcome.message
    assert snapshot(store) == before


def test_refused_file_changes_nothing_even_with_a_good_file_beside_it(store, first_file, tmp_path):
    store_load(store, [first_file])
    before = snapshot(store)
    good = write_csv(tmp_path / "good.csv", ["demo-westbury,W1,2024-01-10,19C,25,female,,"])
    bad = write_csv(
        tmp_path / "bad.csv",
        [
            "demo-westbury,W2,2024-01-10,19C,25,female,,",
            "demo-westbury,W3,2024-13-10,19C,25,female,,",
        ],
    )
    outcome = store_load(store, [good, bad])
    assert outcome.status == "refused"
    assert snapshot(store) == before
    [bad_report] = [r for r in outcome.reports if not r.ok]
    assert bad_report.file_name == "bad.csv"
    assert any(f.line == 3 and f.column == "recorded_date" for f in bad_report.findings)


def test_failure_while_writing_leaves_the_database_as_it_was(
    store, first_file, tmp_path, monkeypatch
):
    store_load(store, [first_file])
    before = snapshot(store)
    second = write_csv(
        tmp_path / "july.csv",
        [*first_file.read_text().splitlines()[1:], "demo-eastvale,C4,2024-06-01,19C,30,female,,"],
    )

    def broken_refresh(con, progress, forces):
        raise RuntimeError("disk full")

    monkeypatch.setattr(loads, "_recompute", broken_refresh)
    with pytest.raises(RuntimeError):
        store_load(store, [second], as_of=dt.date(2024, 7, 31))
    assert snapshot(store) == before
    assert store.execute(
        "SELECT outcome FROM audit_log ORDER BY audit_id DESC LIMIT 1"
    ).fetchone() == ("failed",)


def test_later_load_supersedes_and_rollback_restores_previous_versions(store, first_file, tmp_path):
    store_load(store, [first_file])
    july = write_csv(
        tmp_path / "july.csv",
        [
            "demo-eastvale,C1,2024-01-10,19C,25,female,1,2024-07-02",
            "demo-eastvale,C2,2024-02-11,20A,15,F,16,2024-05-01",
        ],
    )
    outcome = store_load(store, [july], as_of=dt.date(2024, 7, 31))
    [summary] = outcome.loads
    assert (summary.rows_new, summary.rows_updated, summary.rows_unchanged) == (0, 1, 1)
    # C3 was not in July's extract: it is kept as it was, with a warning.
    assert current(store) == {"C1": ("1", 2), "C2": ("16", 2), "C3": (None, 1)}
    warnings = history.stored_warnings(store, 2)
    missing = warnings[warnings["rule"] == "missing_from_previous_load"]
    assert missing["value"].tolist() == ["C3"] and missing["total"].tolist() == [1]

    history.rollback(store, 2, user=ANALYST)
    assert current(store) == {"C1": (None, 1), "C2": ("16", 1), "C3": (None, 1)}
    assert store.execute("SELECT active FROM loads ORDER BY load_id").fetchall() == [
        (True,),
        (False,),
    ]
    with pytest.raises(ValueError, match="already rolled back"):
        history.rollback(store, 2, user=ANALYST)


def test_an_older_extract_loaded_later_does_not_override_newer_data(store, first_file, tmp_path):
    store_load(store, [first_file])
    may = write_csv(
        tmp_path / "may.csv",
        [
            "demo-eastvale,C1,2024-01-10,19C,25,female,18,2024-04-01",
            *first_file.read_text().splitlines()[2:],
        ],
    )
    assert store_load(store, [may], as_of=dt.date(2024, 5, 31)).status == "loaded"
    assert current(store)["C1"] == (None, 1)


def test_same_as_of_the_later_load_wins(store, first_file, tmp_path):
    store_load(store, [first_file])
    redo = write_csv(
        tmp_path / "redo.csv",
        [
            "demo-eastvale,C1,2024-01-10,19C,25,female,18,2024-04-01",
            *first_file.read_text().splitlines()[2:],
        ],
    )
    assert store_load(store, [redo]).status == "loaded"
    assert current(store)["C1"] == ("18", 2)


def test_rolled_back_file_can_be_loaded_again(store, first_file):
    store_load(store, [first_file])
    history.rollback(store, 1, user=ANALYST)
    assert store_load(store, [first_file]).status == "loaded"
    assert current(store)["C1"] == (None, 2)


def test_viewer_may_not_load_or_roll_back_and_is_audited(store, first_file):
    with pytest.raises(access.PermissionDenied):
        store_load(store, [first_file], user=VIEWER)
    assert store.execute("SELECT count(*) FROM loads").fetchone() == (0,)
    store_load(store, [first_file])
    with pytest.raises(access.PermissionDenied):
        history.rollback(store, 1, user=VIEWER)
    audit = store.execute(
        "SELECT user_name, action, outcome FROM audit_log ORDER BY audit_id"
    ).fetchall()
    assert audit == [
        ("vic", "load_cases", "refused"),
        ("ana", "load_cases", "ok"),
        ("vic", "rollback", "refused"),
    ]
    assert store.execute("SELECT active FROM loads").fetchone() == (True,)


def test_preview_reports_changes_and_writes_nothing(store, first_file, tmp_path):
    store_load(store, [first_file])
    before = snapshot(store)
    july = write_csv(
        tmp_path / "july.csv",
        [
            "demo-eastvale,C1,2024-01-10,19C,25,female,1,2024-07-02",
            "demo-eastvale,C9,2024-07-01,19C,25,female,,",
        ],
    )
    preview = preview_case_files(store, [july], as_of=dt.date(2024, 7, 31))
    assert preview.ok
    assert preview.changes.to_dict("records") == [
        {
            "force": "demo-eastvale",
            "rows_new": 1,
            "rows_updated": 1,
            "rows_unchanged": 0,
            "missing_from_previous": 2,
            "previous_crimes": 3,
        }
    ]
    # Two of the three crimes of June are missing: more than half, so the load would be held.
    [reason] = preview.held
    assert reason.startswith("demo-eastvale: 2 of the 3 crimes of its previous load (67%)")
    assert snapshot(store) == before


def test_workforce_later_load_replaces_same_force_month(store, tmp_path):
    header = "force,month,investigators_in_post,investigators_trained"
    first = write_csv(
        tmp_path / "wf1.csv", ["demo-eastvale,2024-05,20,10", "demo-eastvale,2024-06,21,11"], header
    )
    second = write_csv(tmp_path / "wf2.csv", ["demo-eastvale,2024-06-15,22.5,12"], header)
    assert loads.load_workforce_file(store, first, user=ANALYST).status == "loaded"
    assert loads.load_workforce_file(store, second, user=ANALYST).status == "loaded"
    rows = store.execute(
        "SELECT month, investigators_in_post FROM current_workforce ORDER BY month"
    ).fetchall()
    assert rows == [(dt.date(2024, 5, 1), 20.0), (dt.date(2024, 6, 1), 22.5)]
    history.rollback(store, 2, user=ANALYST)
    rows = store.execute(
        "SELECT month, investigators_in_post FROM current_workforce ORDER BY month"
    ).fetchall()
    assert rows == [(dt.date(2024, 5, 1), 20.0), (dt.date(2024, 6, 1), 21.0)]


def test_new_database_file_is_owner_only(tmp_path):
    con = connection.connect(tmp_path / "private.duckdb")
    con.close()
    assert (tmp_path / "private.duckdb").stat().st_mode & 0o777 == 0o600
