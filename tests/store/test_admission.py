"""What a load must pass besides the contract: files that are extracts, an as-of date not in the
future, and a file that looks like the same extract for a force loaded before (else held)."""

import datetime as dt
from pathlib import Path

import pytest

from flightdeck import access
from flightdeck.store import admission, changes, loads
from flightdeck.store.preview import preview_case_files
from helpers.store import FailingCommit

AS_OF = dt.date(2024, 6, 30)
JULY = dt.date(2024, 7, 31)
ANALYST = access.User("ana", "analyst")
HEADER = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender"


def crimes(force: str, ids: list[str]) -> list[str]:
    return [f"{force},{crime_id},2024-01-10,19C,25,female" for crime_id in ids]


def write_csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def snapshot(con) -> dict:
    tables = ["loads", "crime_versions", "load_warnings", "kpi_results"]
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in tables}


def last_audit(con) -> tuple:
    return con.execute(
        "SELECT action, detail, outcome FROM audit_log ORDER BY audit_id DESC LIMIT 1"
    ).fetchone()


def load(con, path: Path, as_of=JULY, **options):
    return loads.load_case_files(con, [path], as_of=as_of, user=ANALYST, **options)


@pytest.fixture
def june(store, tmp_path):
    """demo-eastvale loaded once with ten crimes E0..E9."""
    path = write_csv(tmp_path / "june.csv", crimes("demo-eastvale", [f"E{i}" for i in range(10)]))
    assert load(store, path, as_of=AS_OF).status == "loaded"
    return path


# --- the wrong-extract guard --------------------------------------------------------------------


def test_a_force_s_first_load_is_never_held_however_unlike_anything(store, tmp_path):
    # demo-westbury has never been loaded: all ten crimes are new, which is what a first load is.
    path = write_csv(tmp_path / "w.csv", crimes("demo-westbury", [f"W{i}" for i in range(10)]))
    assert load(store, path).status == "loaded"


def test_a_file_sharing_no_crime_with_the_previous_load_is_held_and_changes_nothing(
    store, june, tmp_path
):
    before = snapshot(store)
    other = write_csv(tmp_path / "other.csv", crimes("demo-eastvale", [f"X{i}" for i in range(8)]))
    outcome = load(store, other)
    assert outcome.status == "held"
    # 10 of 10 previous crimes missing (100%), 8 of 8 in the file new (100%).
    assert "demo-eastvale: 10 of the 10 crimes of its previous load (100%)" in outcome.message
    assert "8 of its 8 crimes (100%) are new" in outcome.message
    assert snapshot(store) == before
    assert last_audit(store) == (
        "load_cases",
        "case files other.csv as of 2024-07-31: held as a likely wrong extract",
        "refused",
    )


def test_a_held_file_loads_when_the_risk_is_confirmed_and_the_audit_says_so(store, june, tmp_path):
    other = write_csv(tmp_path / "other.csv", crimes("demo-eastvale", [f"X{i}" for i in range(8)]))
    outcome = load(store, other, confirm_wrong_extract=True)
    assert outcome.status == "loaded"
    assert outcome.loads[0].rows_new == 8
    action, detail, result = last_audit(store)
    assert (action, result) == ("load_cases", "ok")
    assert detail.endswith("loads [2]; confirmed despite a likely wrong extract")


def test_most_of_the_file_new_is_held_though_nothing_is_missing(store, june, tmp_path):
    # All ten June crimes are there, but 11 of the 21 rows are new: 52% > 50%.
    ids = [f"E{i}" for i in range(10)] + [f"N{i}" for i in range(11)]
    path = write_csv(tmp_path / "july.csv", crimes("demo-eastvale", ids))
    outcome = load(store, path)
    assert outcome.status == "held"
    assert "0 of the 10 crimes of its previous load (0%)" in outcome.message
    assert "11 of its 21 crimes (52%) are new" in outcome.message


def test_half_missing_is_not_more_than_half_and_loads_with_a_warning(store, june, tmp_path):
    # E0..E4 kept, E5..E9 missing (5 of 10 = 50%), five new of ten (50%): not held.
    ids = [f"E{i}" for i in range(5)] + [f"N{i}" for i in range(5)]
    outcome = load(store, write_csv(tmp_path / "july.csv", crimes("demo-eastvale", ids)))
    assert outcome.status == "loaded"
    assert outcome.loads[0].warnings == 5  # the five missing crimes, as before


def test_the_threshold_is_a_setting(store, june, tmp_path, monkeypatch):
    ids = [f"E{i}" for i in range(3)]  # 7 of 10 missing: 70%
    path = write_csv(tmp_path / "july.csv", crimes("demo-eastvale", ids))
    monkeypatch.setenv("FLIGHTDECK_HOLD_SHARE", "0.75")
    assert load(store, path).status == "loaded"


def test_only_the_force_loaded_before_is_named_in_a_file_of_two_forces(store, june, tmp_path):
    rows = crimes("demo-eastvale", ["X1", "X2"]) + crimes("demo-westbury", ["W1", "W2"])
    outcome = load(store, write_csv(tmp_path / "both.csv", rows))
    assert outcome.status == "held"
    assert "demo-eastvale:" in outcome.message and "demo-westbury" not in outcome.message


def test_the_preview_says_the_load_would_be_held(store, june, tmp_path):
    other = write_csv(tmp_path / "other.csv", crimes("demo-eastvale", ["X1"]))
    preview = preview_case_files(store, [other], as_of=JULY)
    assert preview.ok
    assert [r.split(":")[0] for r in preview.held] == ["demo-eastvale"]


def test_held_counts_shares_of_the_previous_load_and_of_the_file():
    counts = changes.pd.DataFrame(
        {
            "force": ["a", "b", "c"],
            "rows_new": [3, 2, 100],
            "rows_updated": [1, 0, 0],
            "rows_unchanged": [0, 8, 0],
            "missing_from_previous": [0, 6, 0],
            "previous_crimes": [4, 14, 0],  # c: a first load
        }
    )
    # a: 3 of 4 in the file new (75%); b: 6 of 14 missing (43%), 2 of 10 new (20%); c: first.
    reasons = changes.held(counts, 0.5)
    assert [r.split(":")[0] for r in reasons] == ["a"]
    assert [r.split(":")[0] for r in changes.held(counts, 0.4)] == ["a", "b"]


# --- refusals before anything is read, all audited -----------------------------------------------


def test_a_future_as_of_date_is_refused_audited_and_changes_nothing(store, june, tmp_path):
    before = snapshot(store)
    july = write_csv(tmp_path / "july.csv", crimes("demo-eastvale", [f"E{i}" for i in range(10)]))
    far = dt.date.today() + dt.timedelta(days=1)
    outcome = load(store, july, as_of=far)
    assert outcome.status == "refused"
    assert f"The as-of date {far:%Y-%m-%d} is after today" in outcome.message
    assert snapshot(store) == before
    assert last_audit(store)[2] == "refused"
    with pytest.raises(ValueError, match="after today"):
        preview_case_files(store, [july], as_of=far)


def test_today_is_a_valid_as_of_date():
    assert admission.future_as_of(dt.date(2026, 12, 1), today=dt.date(2026, 12, 1)) is None
    assert "after today (2026-12-01)" in admission.future_as_of(
        dt.date(2062, 1, 1), today=dt.date(2026, 12, 1)
    )


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"%PDF-1.7 not a csv", "is a PDF"),
        (b"PK\x03\x04 workbook", "a zip archive or an Excel"),
        (b"force,crime_id\x00\x00", "not a text CSV"),
    ],
)
def test_a_file_refused_before_it_is_read_is_audited(store, tmp_path, content, expected):
    path = tmp_path / "june.csv"
    path.write_bytes(content)
    outcome = load(store, path)
    assert outcome.status == "refused" and expected in outcome.message
    action, detail, result = last_audit(store)
    assert (action, result) == ("load_cases", "refused") and expected in detail
    outcome = loads.load_workforce_file(store, path, user=ANALYST)
    assert outcome.status == "refused"
    assert last_audit(store)[0::2] == ("load_workforce", "refused")


def test_a_file_over_the_size_limit_is_refused_and_audited(store, tmp_path, monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_MAX_UPLOAD_MB", "0.0001")  # about 104 bytes
    path = write_csv(tmp_path / "big.csv", crimes("demo-eastvale", [f"E{i}" for i in range(10)]))
    outcome = load(store, path)
    assert outcome.status == "refused" and "larger than the limit" in outcome.message
    assert last_audit(store)[2] == "refused"
    assert store.execute("SELECT count(*) FROM loads").fetchone() == (0,)


def test_a_load_whose_commit_fails_is_reported_audited_and_changes_nothing(store, june, tmp_path):
    before = snapshot(store)
    july = write_csv(tmp_path / "july.csv", crimes("demo-eastvale", [f"E{i}" for i in range(11)]))
    with pytest.raises(OSError, match="No space"):
        load(FailingCommit(store), july)
    assert snapshot(store) == before
    assert last_audit(store) == (
        "load_cases",
        "case files july.csv as of 2024-07-31: OSError",
        "failed",
    )
