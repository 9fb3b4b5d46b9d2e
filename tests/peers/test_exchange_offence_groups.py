"""The offence group in the peer exchange: written after month (format version 2), checked on
import, and a file of the older format (version 1, no offence_group column) still read, every
row as All."""

import csv
import datetime as dt
import hashlib
import json

import pytest

from flightdeck import access
from flightdeck.peers import comparable, export, imports
from flightdeck.peers.suppression import SuppressionRule
from flightdeck.store.connection import connect
from flightdeck.vocabulary import RESULT_COLUMNS
from helpers.store import insert_case_load

ANALYST = access.LOCAL_USER
EAST, NORTH = "demo-eastvale", "demo-northmoor"
# Eastvale's K02 in January: 9 of 30 charged = rape 4 of 12 + other sexual offences 5 of 18.
# Rape's 4 is a small number: hidden, and with it other_sexual's (All - rape would give it).
EAST_K02 = [("All", 9, 30), ("rape", 4, 12), ("other_sexual", 5, 18)]


def _own_force(con, force, rows):
    crime = {"force": force, "crime_id": "c1", "recorded_date": "2025-01-05",
             "offence_code": "19C", "victim_age": 30, "victim_gender": "female"}  # fmt: skip
    insert_case_load(con, [crime], as_of="2025-03-31")
    con.executemany(
        "INSERT INTO kpi_results (kpi_id, force, month, offence_group, age_band, gender, "
        "numerator, denominator, value, complete) VALUES ('K02', ?, ?, ?, 'All', 'All', ?, ?, ?, "
        "TRUE)",
        [[force, dt.date(2025, 1, 1), group, n, d, n / d] for group, n, d in rows],
    )


@pytest.fixture
def exported(tmp_path):
    con = connect(tmp_path / "a.duckdb")
    _own_force(con, EAST, EAST_K02)
    summary = export.export_results(
        con, EAST, tmp_path / "out" / "east.csv", user=ANALYST, rule=SuppressionRule()
    )
    con.close()
    return summary


@pytest.fixture
def other(tmp_path):
    con = connect(tmp_path / "b.duckdb")
    _own_force(con, NORTH, [("All", 40, 100)])
    yield con
    con.close()


def _rows(path) -> list[dict]:
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def _rewrite(exported, rows: list[dict], columns: list[str], version: int) -> None:
    """The export's CSV rewritten with these rows and columns, its side file made to match."""
    with open(exported.path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, columns, extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
    meta = json.loads(exported.meta_path.read_text())
    meta["format_version"] = version
    meta["sha256"] = hashlib.sha256(exported.path.read_bytes()).hexdigest()
    exported.meta_path.write_text(json.dumps(meta))


def test_the_offence_group_is_written_after_month_and_read_back(exported, other):
    rows = _rows(exported.path)
    assert list(rows[0])[:4] == ["kpi_id", "force", "month", "offence_group"]
    assert json.loads(exported.meta_path.read_text())["format_version"] == 2
    assert [(r["offence_group"], r["numerator"], r["suppressed"]) for r in rows] == [
        ("All", "9", "false"),
        ("other_sexual", "", "true"),
        ("rape", "", "true"),
    ]
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert outcome.status == "imported", outcome.report.to_text()
    assert "older" not in outcome.message
    stored = other.execute(
        "SELECT offence_group, numerator, suppressed FROM peer_results ORDER BY offence_group"
    ).fetchall()
    assert stored == [("All", 9, False), ("other_sexual", None, True), ("rape", None, True)]
    rape = comparable.comparable_results(other, "K02", [EAST], offence_group="rape")
    assert rape["suppressed"].tolist() == [True]
    assert comparable.comparable_results(other, "K02", [EAST])["value"].tolist() == [0.3]


def test_an_unknown_offence_group_is_refused_naming_line_column_and_value(exported, other):
    rows = _rows(exported.path)
    rows[1]["offence_group"] = "robbery"
    _rewrite(exported, rows, [*RESULT_COLUMNS, "suppressed"], version=2)
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert outcome.status == "refused"
    found = outcome.report.findings
    assert [(f.rule, f.line, f.column, f.value) for f in found] == [
        ("label", 3, "offence_group", "robbery")
    ]
    assert "not an offence group (All, rape, other_sexual)" in found[0].message
    assert other.execute("SELECT count(*) FROM peer_results").fetchone() == (0,)


def test_a_file_of_the_older_format_is_read_as_all(exported, other):
    # Version 1 had no offence groups: its rows are totals over all RASSO crimes.
    older = [c for c in RESULT_COLUMNS if c != "offence_group"] + ["suppressed"]
    _rewrite(exported, _rows(exported.path)[:1], older, version=1)
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert outcome.status == "imported", outcome.report.to_text()
    assert outcome.message.endswith(
        "The file is in the older results format, without offence groups: every row was read "
        "as All (all RASSO crimes)."
    )
    stored = other.execute("SELECT offence_group, numerator FROM peer_results").fetchall()
    assert stored == [("All", 9)]


def test_a_format_version_from_the_future_is_refused(exported, other):
    _rewrite(exported, _rows(exported.path), [*RESULT_COLUMNS, "suppressed"], version=3)
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert outcome.status == "refused"
    assert [(f.rule, f.value) for f in outcome.report.findings] == [("meta_invalid", "3")]
