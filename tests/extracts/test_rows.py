"""Reading the rows: every row with the wrong number of fields is refused with its line and its
field count, the same whether DuckDB reads the file or Python's csv module does (a quoted line
break anywhere sends the file to the second), and a file the csv module cannot read is refused
in the report, never raised.

Files are written by hand; the header is line 1.
"""

import datetime as dt

import pytest

from flightdeck.extracts.contract import validate_case_file
from helpers.readings import python_readings as spied_readings

AS_OF = dt.date(2024, 6, 30)
HEADER = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,comment"  # 7
GOOD = "demo-eastvale,C{},2024-01-10,19C,25,female,"
QUOTED_LINE_BREAK = 'demo-eastvale,C9,2024-01-10,19C,25,female,"two\nlines"'

# A row on line 5 -> the number of fields it has (the header has 7).
MALFORMED = {
    "one empty field too many": ("demo-eastvale,C5,2024-01-10,19C,25,female,,", 8),
    "two empty fields too many": ("demo-eastvale,C5,2024-01-10,19C,25,female,,,", 9),
    "ten empty fields too many": ("demo-eastvale,C5,2024-01-10,19C,25,female," + "," * 10, 17),
    "a quoted empty field too many": ('demo-eastvale,C5,2024-01-10,19C,25,female,,""', 8),
    "a space too many": ("demo-eastvale,C5,2024-01-10,19C,25,female,, ", 8),
    "a value too many": ("demo-eastvale,C5,2024-01-10,19C,25,female,,x", 8),
    "every field quoted, one too many": (
        '"demo-eastvale","C5","2024-01-10","19C","25","f","",""',
        8,
    ),
    "one field short": ("demo-eastvale,C5,2024-01-10,19C,25,female", 6),
    "short, ending in a comma": ("demo-eastvale,C5,2024-01-10,19C,25,", 6),
    "every field quoted, one short": ('"demo-eastvale","C5","2024-01-10","19C","25","female"', 6),
    "one field": ("demo-eastvale", 1),
}


def files(tmp_path, row: str, *, line_end: str = "\n", last: bool = False):
    """The malformed row on line 5 of two files: one DuckDB reads alone, and one with a quoted
    line break on lines 3-4 (the Python reading). `last`: the row ends the file, unterminated."""
    tail = [] if last else [GOOD.format(6)]
    plain = [HEADER, GOOD.format(1), GOOD.format(2), GOOD.format(3), row, *tail]
    python = [HEADER, GOOD.format(1), QUOTED_LINE_BREAK, row, *tail]
    paths = []
    for name, lines in (("duckdb.csv", plain), ("python.csv", python)):
        path = tmp_path / name
        path.write_bytes((line_end.join(lines) + ("" if last else line_end)).encode())
        paths.append(path)
    return paths


@pytest.fixture
def readings(monkeypatch):
    """The readings used, in order: 'python' when the csv module read the file."""
    return spied_readings(monkeypatch)


def errors(extract) -> list[tuple]:
    return [(f.rule, f.line, f.message) for f in extract.report.errors]


@pytest.mark.parametrize("case", sorted(MALFORMED))
@pytest.mark.parametrize("line_end, last", [("\n", False), ("\r\n", False), ("\n", True)])
def test_a_row_with_the_wrong_number_of_fields_is_refused_the_same_on_both_readings(
    case, line_end, last, tmp_path, readings
):
    row, fields = MALFORMED[case]
    by_duckdb, by_python = files(tmp_path, row, line_end=line_end, last=last)
    alone = validate_case_file(by_duckdb, as_of=AS_OF)
    assert readings in ([], ["python"])  # DuckDB rejects some rows itself: then Python reads
    readings.clear()
    with_line_break = validate_case_file(by_python, as_of=AS_OF)
    assert readings == ["python"]
    expected = [
        (
            "malformed_row",
            5,
            f"duckdb.csv line 5: the row has the wrong number of fields: {fields} fields "
            "where the header has 7 [malformed_row]",
        )
    ]
    assert errors(alone) == expected
    assert errors(with_line_break) == [
        (r, n, m.replace("duckdb", "python")) for r, n, m in expected
    ]
    assert alone.frame is None and with_line_break.frame is None


@pytest.mark.parametrize(
    "case", ["one empty field too many", "a space too many", "one field short"]
)
def test_duckdb_refuses_rows_one_field_off_itself(case, tmp_path, readings):
    # DuckDB loaded "one empty field too many" as a good row; no slow reading is needed to
    # refuse it (rows further off are rejected by DuckDB, and the Python reading reports them).
    by_duckdb, _ = files(tmp_path, MALFORMED[case][0])
    extract = validate_case_file(by_duckdb, as_of=AS_OF)
    assert readings == []
    assert [(f.rule, f.line) for f in extract.report.errors] == [("malformed_row", 5)]


def test_many_malformed_rows_keep_ten_examples_and_count_them_all(tmp_path):
    # A whole export with a trailing comma on every row but the header: each row is refused.
    lines = [HEADER] + [GOOD.format(i) + "," for i in range(25)]
    path = tmp_path / "trailing.csv"
    path.write_text("\n".join(lines) + "\n")
    with_line_break = tmp_path / "trailing_python.csv"
    with_line_break.write_text("\n".join([*lines, QUOTED_LINE_BREAK]) + "\n")
    for extract in (
        validate_case_file(path, as_of=AS_OF),
        validate_case_file(with_line_break, as_of=AS_OF),
    ):
        assert extract.report.totals == {
            ("warning", "unknown_column"): 1,
            ("error", "malformed_row"): 25,
        }
        assert [f.line for f in extract.report.errors] == list(range(2, 12))
        assert "... and 15 more" in extract.report.to_text()


def test_a_good_file_with_an_empty_last_column_loads_on_the_fast_reading(tmp_path, readings):
    path = tmp_path / "ok.csv"
    path.write_text("\n".join([HEADER, GOOD.format(1), GOOD.format(2) + "x", ",,,,,,"]) + "\n")
    # The row of empty fields on line 4 is skipped like a blank line (by the Python reading).
    extract = validate_case_file(path, as_of=AS_OF)
    assert extract.report.errors == [] and extract.frame["line"].tolist() == [2, 3]
    readings.clear()
    path.write_text("\n".join([HEADER, GOOD.format(1), GOOD.format(2) + "x"]) + "\n")
    extract = validate_case_file(path, as_of=AS_OF)
    assert readings == [] and extract.frame["crime_id"].tolist() == ["C1", "C2"]


@pytest.mark.parametrize(
    "header",
    [
        "force,crime_id," + "x" * 200_000 + ",recorded_date,offence_code,victim_age,victim_gender",
        'force,"crime_id,recorded_date,offence_code,victim_age,victim_gender',  # never closed
    ],
    ids=["a 200 KB name", "an unclosed quote"],
)
def test_a_header_the_csv_module_cannot_read_is_refused_on_line_1(header, tmp_path):
    path = tmp_path / "header.csv"
    # 20,000 rows: the open quote runs past the csv module's field limit of 128 KB.
    path.write_text("\n".join([header] + [GOOD.format(i)[:-1] for i in range(20_000)]) + "\n")
    extract = validate_case_file(path, as_of=AS_OF)
    assert extract.frame is None
    [finding] = extract.report.errors
    assert (finding.rule, finding.line) == ("unreadable_csv", 1)
    assert "field larger than field limit" in finding.message
    assert extract.report.to_text().startswith("header.csv: refused (1 errors")


def test_a_short_header_with_an_unclosed_quote_is_refused_not_raised(tmp_path):
    path = tmp_path / "short.csv"
    path.write_text('force,"crime_id,recorded_date\ndemo-eastvale,C1,2024-01-10\n')
    extract = validate_case_file(path, as_of=AS_OF)
    # The quote swallows the rest of the file into one name: the header lacks most columns.
    assert extract.frame is None
    assert {f.rule for f in extract.report.errors} == {"required_columns_missing"}
