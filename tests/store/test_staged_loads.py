"""Loads from rows staged in the store's own connection: nothing stays staged after a load, a
refusal or a preview, and a load that needs more memory than DuckDB may use is refused with the
sentence that says so, changing nothing and audited."""

import datetime as dt

import duckdb
import pytest

from flightdeck import access
from flightdeck.extracts import checks
from flightdeck.extracts.contract import validate_case_file
from flightdeck.store import connection, loads
from flightdeck.store.preview import preview_case_files

AS_OF = dt.date(2024, 6, 30)
ANALYST = access.User("ana", "analyst")
HEADER = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender"
TABLES = ["loads", "crime_versions", "load_warnings", "workforce_versions", "kpi_results"]


def write(path, *rows: str):
    path.write_text("\n".join([HEADER, *rows]) + "\n")
    return path


def snapshot(con) -> dict:
    return {t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall() for t in TABLES}


def temporary(con) -> list[str]:
    """Every temporary table and view the connection holds."""
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    views = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal"
    ).fetchall()
    return sorted(name for (name,) in tables + views)


def last_audit(con) -> tuple:
    return con.execute(
        "SELECT action, outcome, detail FROM audit_log ORDER BY audit_id DESC LIMIT 1"
    ).fetchall()[0]


def test_nothing_stays_staged_after_a_load_a_refusal_or_a_preview(store, tmp_path):
    good = write(tmp_path / "good.csv", "demo-eastvale,C1,2024-01-10,19C,25,female")
    bad = write(tmp_path / "bad.csv", "demo-eastvale,C2,2024-13-10,19C,25,female")
    assert temporary(store) == []
    preview = preview_case_files(store, [good], as_of=AS_OF)
    assert preview.ok and temporary(store) == []
    refused = loads.load_case_files(store, [good, bad], as_of=AS_OF, user=ANALYST)
    assert refused.status == "refused" and temporary(store) == []
    loaded = loads.load_case_files(store, [good], as_of=AS_OF, user=ANALYST)
    assert loaded.status == "loaded" and temporary(store) == []
    assert store.execute("SELECT line, crime_id FROM crime_versions").fetchall() == [(2, "C1")]
    again = loads.load_case_files(store, [good], as_of=AS_OF, user=ANALYST)
    assert again.status == "no_change" and temporary(store) == []


def test_a_file_checked_on_the_store_connection_is_staged_there_until_dropped(store, tmp_path):
    good = write(tmp_path / "good.csv", "demo-eastvale,C1,2024-01-10,19C,25,female")
    extract = validate_case_file(good, as_of=AS_OF, con=store)
    assert extract.con is store and temporary(store) != []
    assert store.execute(f"SELECT crime_id, cancelled FROM {extract.table}").fetchall() == [
        ("C1", False)
    ]
    extract.drop()
    assert temporary(store) == []


def test_a_load_whose_staging_needs_more_memory_than_allowed_is_refused(tmp_path, monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_MEMORY_LIMIT", "40MB")
    store = connection.connect(tmp_path / "small.duckdb")
    store.execute("SET temp_directory = ''")  # nowhere to spill
    rows = [f"demo-eastvale,C{i:07d}-{'x' * 20},2024-01-10,19C,25,female" for i in range(300_000)]
    big = write(tmp_path / "big.csv", *rows)
    before = snapshot(store)
    outcome = loads.load_case_files(store, [big], as_of=AS_OF, user=ANALYST)
    assert outcome.status == "refused"
    assert outcome.message.startswith(
        "Loading big.csv needs more memory than FLIGHTDECK_MEMORY_LIMIT (40MB) allows, even "
        "spilling to disk (FLIGHTDECK_TEMP_DIR); nothing was changed."
    )
    assert "(DuckDB: Out of Memory Error" in outcome.message
    assert snapshot(store) == before and temporary(store) == []
    action, result, detail = last_audit(store)
    assert (action, result) == ("load_cases", "refused")
    assert detail == f"case files big.csv as of {AS_OF}: {outcome.message}"
    store.close()


def test_running_out_of_memory_while_storing_rolls_back_and_is_refused(
    store, tmp_path, monkeypatch
):
    good = write(tmp_path / "good.csv", "demo-eastvale,C1,2024-01-10,19C,25,female")
    before = snapshot(store)

    def too_much(con, progress, forces):
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(loads, "_recompute", too_much)
    outcome = loads.load_case_files(store, [good], as_of=AS_OF, user=ANALYST)
    assert (outcome.status, outcome.message) == (
        "refused",
        "Loading good.csv needs more memory than FLIGHTDECK_MEMORY_LIMIT (2GB) allows, even "
        "spilling to disk (FLIGHTDECK_TEMP_DIR); nothing was changed. Raise "
        "FLIGHTDECK_MEMORY_LIMIT, or free disk space in the temporary folder, and try again. "
        "(DuckDB: Out of Memory Error: could not allocate block)",
    )
    assert snapshot(store) == before and temporary(store) == []
    assert last_audit(store)[:2] == ("load_cases", "failed")


def test_a_workforce_file_that_runs_out_of_memory_while_checked_is_refused(
    store, tmp_path, monkeypatch
):
    path = tmp_path / "wf.csv"
    path.write_text(
        "force,month,investigators_in_post,investigators_trained\ndemo-eastvale,2024-03,9,3\n"
    )

    def too_much(*args):
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(checks, "totals", too_much)
    before = snapshot(store)
    outcome = loads.load_workforce_file(store, path, user=ANALYST)
    assert outcome.status == "refused"
    assert outcome.message.startswith("Loading wf.csv needs more memory than")
    assert snapshot(store) == before and temporary(store) == []
    assert last_audit(store) == (
        "load_workforce",
        "refused",
        f"workforce file wf.csv: {outcome.message}",
    )


def test_a_preview_that_runs_out_of_memory_says_so(store, tmp_path, monkeypatch):
    good = write(tmp_path / "good.csv", "demo-eastvale,C1,2024-01-10,19C,25,female")

    def too_much(*args):
        raise duckdb.OutOfMemoryException("Out of Memory Error: could not allocate block")

    monkeypatch.setattr(checks, "totals", too_much)
    with pytest.raises(ValueError, match="^Checking good.csv needs more memory than"):
        preview_case_files(store, [good], as_of=AS_OF)
    assert temporary(store) == []
