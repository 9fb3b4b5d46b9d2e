"""Loading partner figures: for one force, atomic, replaced by a later load, rolled back to the
previous values, audited every time (refusals too)."""

import datetime as dt
from pathlib import Path

import pytest

from flightdeck import access
from flightdeck.partners import figures
from flightdeck.partners.loads import load_partner_file
from flightdeck.store import history
from helpers.store import FailingCommit, audit_rows, insert_case_load

ANALYST = access.User("ana", "analyst")
VIEWER = access.User("vic", "viewer")
HEADER = "partner,measure,month,count,age_band,gender"
TODAY = dt.date(2024, 6, 15)
CRIME = {"crime_id": "C1", "recorded_date": "2024-01-10", "offence_code": "19C"}


def write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def load(con, path: Path, force: str | None = "demo-eastvale", user=ANALYST):
    return load_partner_file(con, path, user=user, force=force, today=TODAY)


def current(con) -> list[tuple]:
    return con.execute(
        "SELECT partner, measure, strftime(month, '%Y-%m'), age_band, gender, count, load_id "
        "FROM current_partner_figures ORDER BY ALL"
    ).fetchall()


def table_counts(con) -> tuple[int, int]:
    return con.execute(
        "SELECT (SELECT count(*) FROM loads), (SELECT count(*) FROM partner_versions)"
    ).fetchone()


def last_audit(con) -> tuple:
    row = audit_rows(con).iloc[0]
    return row["user_name"], row["action"], row["outcome"]


@pytest.fixture
def first(tmp_path) -> Path:
    return write(
        tmp_path / "first.csv",
        "North SARC,sarc_attendances,2024-01,40,,",
        "North SARC,sarc_attendances,2024-02,35,,",
        "North SARC,sarc_attendances,2024-02,8,13-15,",
    )


def test_a_load_stores_the_figures_for_the_force_and_records_the_load(store, first):
    outcome = load(store, first)
    assert outcome.status == "loaded", outcome.message
    assert outcome.message == (
        "Loaded first.csv as load 1 for demo-eastvale: 3 partner figures, 0 warnings."
    )
    assert current(store) == [
        ("North SARC", "sarc_attendances", "2024-01", "All", "All", 40, 1),
        ("North SARC", "sarc_attendances", "2024-02", "13-15", "All", 8, 1),
        ("North SARC", "sarc_attendances", "2024-02", "All", "All", 35, 1),
    ]
    assert store.execute("SELECT kind, forces, rows_total, active FROM loads").fetchall() == [
        ("partner", ["demo-eastvale"], 3, True)
    ]
    assert store.execute("SELECT DISTINCT force FROM partner_versions").fetchall() == [
        ("demo-eastvale",)
    ]
    assert last_audit(store) == ("ana", "load_partners", "ok")


def test_a_later_load_replaces_only_the_figures_it_holds(store, first, tmp_path):
    load(store, first)
    later = write(
        tmp_path / "later.csv",
        "North SARC,sarc_attendances,2024-02,37,,",
        "North SARC,sarc_attendances,2024-03,30,,",
    )
    assert load(store, later).status == "loaded"
    assert current(store) == [
        ("North SARC", "sarc_attendances", "2024-01", "All", "All", 40, 1),
        ("North SARC", "sarc_attendances", "2024-02", "13-15", "All", 8, 1),
        ("North SARC", "sarc_attendances", "2024-02", "All", "All", 37, 2),
        ("North SARC", "sarc_attendances", "2024-03", "All", "All", 30, 2),
    ]
    # Rolling the later load back brings February's earlier total back and drops March.
    history.rollback(store, 2, user=ANALYST)
    assert current(store) == [
        ("North SARC", "sarc_attendances", "2024-01", "All", "All", 40, 1),
        ("North SARC", "sarc_attendances", "2024-02", "13-15", "All", 8, 1),
        ("North SARC", "sarc_attendances", "2024-02", "All", "All", 35, 1),
    ]


def test_figures_of_two_forces_are_kept_apart(store, first):
    load(store, first)
    load(store, first, force="demo-westbury")  # the same file for another force is no repeat
    assert store.execute(
        "SELECT force, count(*) FROM current_partner_figures GROUP BY force ORDER BY force"
    ).fetchall() == [("demo-eastvale", 3), ("demo-westbury", 3)]


def test_the_same_file_again_is_a_no_op_that_says_so(store, first):
    load(store, first)
    outcome = load(store, first)
    assert outcome.status == "no_change"
    assert outcome.message == "Nothing changed: first.csv is identical to load 1 for demo-eastvale."
    assert table_counts(store) == (1, 3)
    assert last_audit(store) == ("ana", "load_partners", "no_change")


def test_a_bad_file_changes_nothing_and_the_refusal_is_audited(store, first, tmp_path):
    load(store, first)
    bad = write(
        tmp_path / "bad.csv",
        "North SARC,sarc_attendances,2024-01,99,,",
        "North SARC,sarc_attendances,2024-02,-3,,",
    )
    outcome = load(store, bad)
    assert outcome.status == "refused"
    assert outcome.message == "Refused bad.csv: nothing was loaded."
    assert [(f.rule, f.line, f.value) for f in outcome.reports[0].errors] == [
        ("count_negative", 3, "-3")
    ]
    assert table_counts(store) == (1, 3)
    assert current(store)[0][-2] == 40
    assert last_audit(store) == ("ana", "load_partners", "refused")


def test_a_failing_commit_stores_nothing_and_is_audited_as_failed(store, first):
    with pytest.raises(OSError):
        load_partner_file(FailingCommit(store), first, user=ANALYST, force="demo-eastvale")
    assert table_counts(store) == (0, 0)
    assert last_audit(store) == ("ana", "load_partners", "failed")


def test_a_viewer_is_refused_and_audited(store, first):
    with pytest.raises(access.PermissionDenied):
        load(store, first, user=VIEWER)
    assert table_counts(store) == (0, 0)
    assert last_audit(store) == ("vic", "load_partners", "refused")


def test_an_unknown_force_is_refused_before_the_file_is_read(store, first):
    outcome = load(store, first, force="atlantis")
    assert outcome.status == "refused"
    assert outcome.message == (
        "'atlantis' is not a force in the reference list of forces. Nothing was loaded."
    )
    assert table_counts(store) == (0, 0)
    assert last_audit(store) == ("ana", "load_partners", "refused")


def test_without_a_force_the_only_force_with_case_data_is_taken(store, first):
    outcome = load(store, first, force=None)
    assert outcome.status == "refused"
    assert outcome.message.startswith("No force has case data in this database")
    insert_case_load(store, [CRIME | {"force": "demo-westbury"}], "2024-06-30")
    assert load(store, first, force=None).loads[0].forces == ["demo-westbury"]
    insert_case_load(store, [CRIME | {"force": "demo-eastvale"}], "2024-06-30")
    outcome = load(store, first, force=None)
    assert outcome.status == "refused"
    assert outcome.message == (
        "The database holds case data for several forces (demo-eastvale, demo-westbury): name "
        "the force the figures are for. Nothing was loaded."
    )


def test_unknown_columns_are_stored_as_warnings_of_the_load(store, tmp_path):
    path = tmp_path / "p.csv"
    path.write_text(HEADER + ",comment\nNorth SARC,sarc_attendances,2024-01,4,,,ok\n")
    outcome = load(store, path)
    assert outcome.loads[0].warnings == 1
    assert history.stored_warnings(store)[["rule", "column", "line"]].values.tolist() == [
        ["unknown_column", "comment", 1]
    ]


def test_the_read_api_gives_totals_and_breakdowns_without_adding_them(store, first, tmp_path):
    load(store, first)
    load(store, write(tmp_path / "isva.csv", "North ISVA,isva_referrals_received,2024-02,20,,"))
    totals = figures.partner_totals(store, "demo-eastvale")
    assert totals.columns.tolist() == figures.TOTAL_COLUMNS
    assert totals[["measure", "beside_kpi", "count"]].values.tolist() == [
        ["isva_referrals_received", "K16", 20],
        ["sarc_attendances", "K01", 40],
        ["sarc_attendances", "K01", 35],
    ]
    beside = figures.partner_totals(store, "demo-eastvale", beside_kpi="K16")
    assert beside["title"].tolist() == ["Referrals received by the ISVA service"]
    assert figures.partner_totals(store, "demo-westbury").empty
    parts = figures.partner_breakdowns(
        store, "demo-eastvale", "sarc_attendances", dt.date(2024, 2, 10), dt.date(2024, 2, 29)
    )
    assert parts[["month", "age_band", "gender", "count"]].values.tolist() == [
        [parts["month"].iloc[0], "13-15", "All", 8]
    ]
    assert str(parts["month"].iloc[0].date()) == "2024-02-01"


def test_measures_are_the_reference_list():
    listed = figures.measures()
    assert listed.columns.tolist() == ["measure", "title", "beside_kpi", "kind", "meaning"]
    kinds = dict(zip(listed["measure"], listed["kind"], strict=True))
    assert kinds == {
        "sarc_attendances": "flow",
        "sarc_forensic_examinations": "flow",
        "isva_referrals_received": "flow",
        "isva_open_cases": "stock",
    }
    rows = dict(zip(listed["measure"], listed["beside_kpi"], strict=True))
    assert rows["sarc_attendances"] == "K01"
    assert rows["sarc_forensic_examinations"] == "K01"
    assert rows["isva_referrals_received"] == "K16"
    assert rows["isva_open_cases"] is None
