"""Typing the text: every kind of whitespace is trimmed from every value (so `\\tCR1` is the same
crime as `CR1`) on both readings, and a whole number is plain digits."""

import datetime as dt

import pytest

from flightdeck.extracts.contract import validate_case_file
from flightdeck.extracts.whitespace import WHITESPACE, whitespace_in

AS_OF = dt.date(2024, 6, 30)
HEADER = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,comment"
QUOTED_LINE_BREAK = 'demo-eastvale,C9,2024-01-10,19C,25,female,"two\nlines"'


def crime(crime_id="C1", *, age="25", gender="female", code="19C", date="2024-01-10") -> str:
    return f"demo-eastvale,{crime_id},{date},{code},{age},{gender},"


def validate(tmp_path, *rows: str, python: bool = False, encoding: str = "utf-8"):
    """The crimes from line 2 on; `python`: a last crime with a quoted line break sends the
    file to the Python reading."""
    path = tmp_path / "case.csv"
    lines = [HEADER, *rows, *([QUOTED_LINE_BREAK] if python else [])]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return validate_case_file(path, as_of=AS_OF)


PADDED = ["\tCR1", "CR1\t", "\u00a0CR1", "CR1\u3000", "\u200bCR1", '"\rCR1"']
# A quoted line break is read by the Python reading only.
LINE_BREAKS = ['"CR1\n"', '" \t\r\nCR1"']


@pytest.mark.parametrize(
    "padded, python",
    [(p, False) for p in PADDED] + [(p, True) for p in PADDED + LINE_BREAKS],
)
def test_a_crime_id_padded_with_whitespace_is_the_same_crime(padded, python, tmp_path):
    extract = validate(tmp_path, crime("CR1"), crime(padded), python=python)
    assert [(f.rule, f.line) for f in extract.report.errors] == [
        ("crime_id_duplicate", 2),
        ("crime_id_duplicate", 3),
    ]


@pytest.mark.parametrize("python", [False, True], ids=["duckdb", "python"])
def test_coded_values_dates_and_ages_padded_with_whitespace_are_read(python, tmp_path):
    extract = validate(
        tmp_path,
        crime("C1", gender="female\t", code="\u00a019c", age="25\t", date="2024-01-10\u00a0"),
        crime("C2\t", gender="\tM"),
        python=python,
    )
    assert extract.report.ok, extract.report.to_text()
    frame = extract.frame.iloc[:2]
    assert frame["victim_gender"].tolist() == ["female", "male"]
    assert frame["offence_code"].tolist() == ["19C", "19C"]
    assert frame["crime_id"].tolist() == ["C1", "C2"]
    assert frame["victim_age"].tolist() == [25, 25]
    assert frame["recorded_date"].dt.strftime("%Y-%m-%d").tolist() == ["2024-01-10"] * 2


def test_a_windows_1252_non_breaking_space_is_trimmed(tmp_path):
    extract = validate(tmp_path, crime("CR1"), crime("CR1\u00a0"), encoding="cp1252")
    assert [f.rule for f in extract.report.errors] == ["crime_id_duplicate"] * 2


def test_the_file_is_searched_for_the_whitespace_it_holds():
    assert whitespace_in(b"a,b\r\nc,d\r\n") == ""  # CRLF line ends are not in any value
    assert whitespace_in(b"a,b\nc\t,d\n") == "\t"
    assert whitespace_in(b'a,"b\rc"\r\n') == "\r"
    assert whitespace_in("a,\u00a0b\u3000,\u00a3\n".encode()) == "\u00a0\u3000"
    # Every kind but the space and the line feed (this \r is not part of a CRLF line end).
    assert set(whitespace_in(WHITESPACE.encode())) == set(WHITESPACE) - {" ", "\n"}


@pytest.mark.parametrize(
    "age, rule",
    [
        ("+25", "victim_age_not_a_whole_number"),
        ("25.0", "victim_age_not_a_whole_number"),
        ("2 5", "victim_age_not_a_whole_number"),
        ("-3", "victim_age_out_of_range"),
        ("121", "victim_age_out_of_range"),
    ],
)
def test_an_age_is_plain_digits(age, rule, tmp_path):
    extract = validate(tmp_path, crime(age=age))
    assert [(f.rule, f.line, f.value) for f in extract.report.errors] == [(rule, 2, age)]


def test_plain_digit_ages_are_read(tmp_path):
    extract = validate(
        tmp_path, crime("C1", age="0"), crime("C2", age="120"), crime("C3", age="07")
    )
    assert extract.frame["victim_age"].tolist() == [0, 120, 7]
