"""The typed rows staged in DuckDB: each keeps the line of the file it is on, when DuckDB reads
the file (lines from the table's row ids) as when the csv module does, and nothing stays staged
once an extract is dropped or refused.

Files are written by hand; the header is line 1.
"""

import datetime as dt

import duckdb
import pytest

from flightdeck.extracts import csvfile, rows
from flightdeck.extracts.columns import CASE_COLUMNS
from flightdeck.extracts.contract import validate_case_file
from flightdeck.extracts.report import ValidationReport
from flightdeck.extracts.typed_sql import typing_query
from helpers.readings import python_readings as spied_readings

AS_OF = dt.date(2024, 6, 30)
HEADER = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender"


def staged_rows(con, path, report):
    with csvfile.scratch_dir() as workdir:
        csv_file = csvfile.open_csv(path, max_bytes=None, report=report, workdir=workdir)
        fields = {c: csv_file.field(c) for c in CASE_COLUMNS}

        def query(whitespace, source):
            return typing_query(CASE_COLUMNS, fields, rows.LINE_COLUMN, whitespace, source)

        return rows.read_rows(con, csv_file, query, report, CASE_COLUMNS)


@pytest.fixture
def python_readings(monkeypatch):
    """The readings used, in order: 'python' when the csv module read the file."""
    return spied_readings(monkeypatch)


def test_lines_from_row_ids_match_the_file_around_a_malformed_row(tmp_path, python_readings):
    # 120,000 rows, so that DuckDB reads the file in parallel, in several buffers; line 60,002
    # has a field too many. Each crime id names its line.
    lines = [HEADER]
    for line in range(2, 120_002):
        extra = ",x" if line == 60_002 else ""
        lines.append(f"demo-eastvale,L{line},2024-01-10,19C,25,female{extra}")
    path = tmp_path / "big.csv"
    path.write_text("\n".join(lines) + "\n")
    report = ValidationReport("big.csv")
    con = duckdb.connect()
    staged = staged_rows(con, path, report)
    assert python_readings == []
    assert staged.rows == 120_000 - 1
    wrong, first, last, skipped = con.execute(
        f"""SELECT count(*) FILTER (WHERE crime_id <> 'L' || line), min(line), max(line),
                   count(*) FILTER (WHERE line = 60002)
            FROM {staged.checked}"""
    ).fetchall()[0]
    assert (wrong, first, last, skipped) == (0, 2, 120_001, 0)
    [finding] = report.errors
    assert (finding.rule, finding.line) == ("malformed_row", 60_002)
    staged.drop()
    con.close()


def test_lines_of_the_csv_module_reading_are_the_lines_records_start_on(tmp_path, python_readings):
    path = tmp_path / "python.csv"
    path.write_text(
        HEADER + ",comment\n"
        "demo-eastvale,C1,2024-01-10,19C,25,female,\n"
        'demo-eastvale,C2,2024-01-10,19C,25,female,"two\nlines"\n'
        "\n"
        "demo-eastvale,C3,2024-01-10,19C,25,female,,\n"
        "demo-eastvale,C4,2024-01-10,19C,25,female,\n"
    )
    report = ValidationReport("python.csv")
    con = duckdb.connect()
    staged = staged_rows(con, path, report)
    assert python_readings == ["python"]
    got = con.execute(f"SELECT line, crime_id FROM {staged.checked} ORDER BY line").fetchall()
    assert got == [(2, "C1"), (3, "C2"), (7, "C4")]
    assert [(f.rule, f.line) for f in report.errors] == [("malformed_row", 6)]
    staged.drop()
    con.close()


def staged_names(con) -> list[str]:
    """Every temporary table and view the connection holds."""
    tables = con.execute("SELECT table_name FROM duckdb_tables() WHERE temporary").fetchall()
    views = con.execute(
        "SELECT view_name FROM duckdb_views() WHERE temporary AND NOT internal"
    ).fetchall()
    return sorted(name for (name,) in tables + views)


def test_an_extract_holds_its_rows_until_dropped_and_a_refused_one_holds_none(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\ndemo-eastvale,C1,2024-01-10,19C,25,female\n")
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "\ndemo-eastvale,C1,2024-13-10,19C,25,female\n")
    con = duckdb.connect()
    refused = validate_case_file(bad, as_of=AS_OF, con=con)
    assert not refused.report.ok and refused.table is None and refused.frame is None
    assert staged_names(con) == []
    extract = validate_case_file(good, as_of=AS_OF, con=con)
    assert extract.con is con and extract.rows == 1 and extract.forces == ["demo-eastvale"]
    assert con.execute(f"SELECT line, crime_id FROM {extract.table}").fetchall() == [(2, "C1")]
    assert staged_names(con) != []
    extract.drop()
    extract.drop()  # idempotent
    assert staged_names(con) == [] and extract.table is None
    con.close()


def test_an_extract_checked_on_its_own_connection_closes_it_when_dropped(tmp_path):
    good = tmp_path / "good.csv"
    good.write_text(HEADER + "\ndemo-eastvale,C1,2024-01-10,19C,25,female\n")
    extract = validate_case_file(good, as_of=AS_OF)
    assert extract.frame["crime_id"].tolist() == ["C1"]
    con = extract.con
    extract.drop()
    with pytest.raises(duckdb.ConnectionException):
        con.execute("SELECT 1")
