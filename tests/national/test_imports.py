"""Importing published national figures: all or nothing, audited (refusals too), role
checked, and a later publication replacing the same force quarters instead of adding to them."""

import datetime as dt

import pytest

from flightdeck import access
from flightdeck.national import imports
from flightdeck.synthetic import demo
from helpers.national import OUTCOME_HEADER, outcome, recorded, write_table
from helpers.store import audit_rows

ANALYST = access.User("ana", "analyst")
ADMIN = access.User("ada", "admin")
VIEWER = access.User("vic", "viewer")


def held(con, table="national_recorded") -> list[tuple]:
    return con.execute(
        f"SELECT force, period_start, offence_code, * EXCLUDE (force, period_start, offence_code,"
        f" import_id, financial_year, quarter) FROM {table} ORDER BY ALL"
    ).fetchall()


def last_audit(con) -> list:
    return audit_rows(con).iloc[0][["user_name", "action", "detail", "outcome"]].tolist()


@pytest.fixture
def first(tmp_path):
    rows = [recorded("19C", 10), recorded("19C", 5, quarter=2), recorded("34B", 99)]
    return write_table(tmp_path / "prc-2023.xlsx", {"2023_24": rows})


def test_an_import_stores_the_kept_rows_and_is_audited(store, first):
    outcome_ = imports.import_national(store, [first], user=ANALYST)
    assert outcome_.status == "imported", outcome_.message
    assert held(store) == [
        ("kent", dt.date(2023, 4, 1), "19C", "rape", 10),
        ("kent", dt.date(2023, 7, 1), "19C", "rape", 5),
    ]
    (summary,) = outcome_.files
    assert (summary.kind, summary.rows_kept, summary.rows_skipped) == ("recorded", 2, 1)
    assert (outcome_.quarters_new, outcome_.quarters_replaced, outcome_.synthetic) == (2, 0, False)
    assert outcome_.message == (
        "Imported prc-2023.xlsx (recorded crime; sheets 2023_24): 2 rape and other sexual "
        "offence rows kept, 1 rows of other offences skipped; 2 force quarters new, 0 replaced."
    )
    assert last_audit(store) == [
        "ana",
        "import_national",
        "national figures prc-2023.xlsx: imports [1]",
        "ok",
    ]
    listed = imports.list_national(store)
    assert listed[["file_name", "kind", "rows_kept", "rows_current"]].values.tolist() == [
        ["prc-2023.xlsx", "recorded", 2, 2]
    ]


def test_a_refused_file_changes_nothing_and_the_refusal_is_audited(store, tmp_path):
    bad = write_table(tmp_path / "bad.xlsx", {"2023_24": [recorded(force="Kentt", count="seven")]})
    outcome_ = imports.import_national(store, [bad], user=ANALYST)
    assert outcome_.status == "refused"
    assert outcome_.message == "Refused bad.xlsx: nothing was imported."
    assert held(store) == [] and imports.list_national(store).empty
    assert last_audit(store) == [
        "ana",
        "import_national",
        "national figures bad.xlsx: bad.xlsx: force_unknown 1, count_not_a_whole_number 1",
        "refused",
    ]


def test_a_viewer_may_not_import_and_the_refusal_is_audited(store, first):
    with pytest.raises(access.PermissionDenied):
        imports.import_national(store, [first], user=VIEWER)
    assert last_audit(store)[1:] == ["import_national", "national figures prc-2023.xlsx", "refused"]
    assert held(store) == []
    assert imports.import_national(store, [first], user=ADMIN).status == "imported"


def test_a_second_bad_file_keeps_the_first_out_too(store, first, tmp_path):
    bad = write_table(tmp_path / "out.xlsx", {"2023_24": [outcome("99")]}, OUTCOME_HEADER)
    outcome_ = imports.import_national(store, [first, bad], user=ANALYST)
    assert outcome_.status == "refused"
    assert [r.ok for r in outcome_.reports] == [True, False]
    assert held(store) == [] and held(store, "national_outcomes") == []


def test_a_failure_while_storing_rolls_everything_back(store, first, tmp_path, monkeypatch):
    second = write_table(tmp_path / "out.xlsx", {"2023_24": [outcome("1")]}, OUTCOME_HEADER)
    real = imports._store_file
    calls = []

    def store_then_fail(con, user, file, held_before, now):
        calls.append(file.report.file_name)
        if len(calls) == 2:
            raise OSError("No space left on device")
        return real(con, user, file, held_before, now)

    monkeypatch.setattr(imports, "_store_file", store_then_fail)
    with pytest.raises(OSError):
        imports.import_national(store, [first, second], user=ANALYST)
    assert held(store) == [] and imports.list_national(store).empty
    assert last_audit(store)[1:] == [
        "import_national",
        "national figures prc-2023.xlsx, out.xlsx: OSError",
        "failed",
    ]


def test_a_later_import_replaces_the_same_force_quarters_never_adds(store, first, tmp_path):
    imports.import_national(store, [first], user=ANALYST)
    revised = write_table(
        tmp_path / "prc-revised.ods",
        {"2023-24": [recorded("19C", 12), recorded("19D", 3), recorded("19C", 4, force="Essex")]},
    )
    outcome_ = imports.import_national(store, [revised], user=ANALYST)
    assert (outcome_.quarters_new, outcome_.quarters_replaced) == (1, 1)
    assert held(store) == [
        ("essex", dt.date(2023, 4, 1), "19C", "rape", 4),
        ("kent", dt.date(2023, 4, 1), "19C", "rape", 12),  # replaced, not 10 + 12
        ("kent", dt.date(2023, 4, 1), "19D", "rape", 3),
        ("kent", dt.date(2023, 7, 1), "19C", "rape", 5),  # a quarter the revision lacks
    ]
    again = imports.import_national(store, [revised], user=ANALYST)
    assert (again.quarters_new, again.quarters_replaced) == (0, 2)
    assert len(held(store)) == 4
    listed = imports.list_national(store)
    assert listed[["import_id", "rows_current"]].values.tolist() == [[3, 3], [2, 0], [1, 1]]


def test_recorded_and_outcomes_figures_replace_only_their_own_kind(store, first, tmp_path):
    imports.import_national(store, [first], user=ANALYST)
    outcomes = write_table(tmp_path / "out.csv", {"": [outcome("15", 2)]}, OUTCOME_HEADER)
    assert imports.import_national(store, [outcomes], user=ANALYST).quarters_new == 1
    assert len(held(store)) == 2
    assert held(store, "national_outcomes") == [
        ("kent", dt.date(2023, 4, 1), "19C", "rape", "15", 2)
    ]


def test_the_same_row_twice_is_refused_in_one_file_or_across_two(store, tmp_path):
    same = [
        recorded("19C", 1),
        recorded("19C", 2, force="Hampshire"),
        recorded("19C", 3, force="Hampshire and Isle of Wight"),
    ]
    one = write_table(tmp_path / "one.xlsx", {"2023_24": same})
    outcome_ = imports.import_national(store, [one], user=ANALYST)
    (finding,) = outcome_.reports[0].findings
    assert (finding.rule, finding.sheet, finding.row) == ("duplicate_row", "2023_24", 4)
    assert "as one.xlsx, sheet '2023_24', row 3: imported twice" in finding.message
    a = write_table(tmp_path / "a.csv", {"": [recorded("19C", 1)]})
    b = write_table(tmp_path / "b.csv", {"": [recorded("19D", 1), recorded("19C", 1)]})
    outcome_ = imports.import_national(store, [a, b], user=ANALYST)
    assert [r.totals for r in outcome_.reports] == [{}, {"duplicate_row": 1}]
    assert "line 3" in outcome_.reports[1].to_text() and held(store) == []


def test_outcome_rows_differ_by_outcome_type(store, tmp_path):
    rows = [outcome("1", 2), outcome("1A", 1), outcome("Outcome 01", 4)]
    path = write_table(tmp_path / "out.xlsx", {"2023_24": rows}, OUTCOME_HEADER)
    assert imports.import_national(store, [path], user=ANALYST).reports[0].totals == {
        "duplicate_row": 1  # "Outcome 01" is outcome 1 again
    }


def test_synthetic_when_a_demo_force_or_a_cover_says_so(store, tmp_path):
    demo_force = write_table(tmp_path / "d.csv", {"": [recorded(force="Eastvale (synthetic)")]})
    covered = write_table(
        tmp_path / "c.xlsx",
        {"2023_24": [recorded()]},
        extra_sheets={"Cover": [["These figures are Synthetic."]]},
    )
    plain = write_table(
        tmp_path / "p.xlsx",
        {"2023_24": [recorded(force="Essex")]},
        extra_sheets={"Cover": [["Police recorded crime"]]},
    )
    done = imports.import_national(store, [demo_force, covered, plain], user=ANALYST)
    assert [f.synthetic for f in done.files] == [True, True, False]
    assert imports.list_national(store)["synthetic"].tolist() == [False, True, True]


def test_national_figures_are_not_real_force_data_for_the_demo(store, first):
    imports.import_national(store, [first], user=ANALYST)
    assert demo.real_forces(store) == []


def test_no_files_is_refused(store):
    assert imports.import_national(store, [], user=ANALYST).status == "refused"
    assert last_audit(store)[2:] == ["national figures (no files): no files", "refused"]
