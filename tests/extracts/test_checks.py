"""The rules engine in SQL, on relations built by hand: the rules across rows (a key repeated,
rows of a key that disagree and the other line each names), a blank that does not hold in a
comparison, and the totals and bounded examples of the report.

Expected findings are worked out by hand in each test.
"""

import datetime as dt

import duckdb
import pytest

from flightdeck.extracts.checks import apply_rules
from flightdeck.extracts.report import ERROR, ValidationReport
from flightdeck.extracts.schema import Rule, before, compared, disagreeing, duplicated, not_in


@pytest.fixture
def con():
    con = duckdb.connect()
    yield con
    con.close()


def relation(con, rows: list[tuple]) -> str:
    """A staged relation of (line, k, d, c, c__unread) rows; d is a date, c text."""
    con.execute(
        """CREATE TABLE staged (line BIGINT, k VARCHAR, d DATE, c VARCHAR,
                                k__unread VARCHAR, d__unread VARCHAR, c__unread VARCHAR)"""
    )
    con.executemany(
        "INSERT INTO staged VALUES (?, ?, ?, ?, NULL, NULL, ?)", [(*r, None)[:5] for r in rows]
    )
    return "staged"


def found(report: ValidationReport) -> list[tuple]:
    return [(f.line, f.value, f.message) for f in report.findings]


def test_rows_of_a_key_that_disagree_name_the_first_row_or_the_first_that_differs(con):
    rows = [
        (2, "a", None, "x"),
        (3, "a", None, "x"),
        (4, "a", None, "y"),
        (5, "a", None, None),  # blank is a value of its own
        (6, "b", None, "x"),
        (7, "b", None, "x"),  # key b agrees
        (8, None, None, "z"),  # no key: not compared
        (9, "c", None, None),
        (10, "c", None, "x"),
        (11, "a", None, "y"),
    ]
    rule = Rule("c_disagrees", ERROR, "c", "differs", disagreeing(["k"], "c"))
    report = ValidationReport("f.csv")
    apply_rules(con, relation(con, rows), [rule], report)
    # Key a: its first row (line 2, x) is differed from first on line 4; line 4, 5 and 11
    # differ from line 2. Key c: line 10 differs from the first row, line 9 (blank).
    assert [(line, value) for line, value, _ in found(report)] == [
        (2, "x"),
        (3, "x"),
        (4, "y"),
        (5, None),
        (9, None),
        (10, "x"),
        (11, "y"),
    ]
    messages = [message for _, _, message in found(report)]
    assert messages[0] == "f.csv line 2, column c, value 'x': differs (line 4: c 'y') [c_disagrees]"
    assert messages[3] == (
        "f.csv line 5, column c, value blank: differs (line 2: c 'x') [c_disagrees]"
    )
    assert messages[4].endswith("value blank: differs (line 10: c 'x') [c_disagrees]")
    assert messages[5].endswith("value 'x': differs (line 9: c blank) [c_disagrees]")
    assert report.totals == {(ERROR, "c_disagrees"): 7}


def test_a_repeated_key_fails_every_row_holding_it_but_not_rows_missing_a_part(con):
    rows = [
        (2, "a", "2024-01-01", "p"),
        (3, "a", "2024-01-01", "q"),
        (4, "a", "2024-01-02", "r"),
        (5, None, "2024-01-01", "s"),
        (6, None, "2024-01-01", "t"),  # a part missing: never a duplicate
        (7, "b", None, "u"),
        (8, "b", None, "v"),
        (9, "a", "2024-01-01", "w"),
    ]
    rule = Rule("repeated", ERROR, "c", "repeated", duplicated(["k", "d"]), other="d")
    report = ValidationReport("f.csv", max_examples=2)
    apply_rules(con, relation(con, rows), [rule], report)
    assert found(report) == [
        (2, "p", "f.csv line 2, column c, value 'p': repeated (d '2024-01-01') [repeated]"),
        (3, "q", "f.csv line 3, column c, value 'q': repeated (d '2024-01-01') [repeated]"),
    ]
    assert report.totals == {(ERROR, "repeated"): 3}  # lines 2, 3 and 9


def test_a_blank_never_holds_in_a_comparison_and_not_in_fails_only_a_value(con):
    rows = [
        (2, "a", "2024-01-01", "x"),
        (3, "a", None, None),
        (4, "a", "2023-12-31", "y"),
    ]
    rules = [
        Rule("k_before_c", ERROR, "k", "before", before("k", "c"), other="c"),
        Rule("c_not_allowed", ERROR, "c", "not x", not_in("c", ["x"])),
        Rule("d_not_early", ERROR, "d", "early", f"NOT {compared('d', '<', dt.date(2024, 1, 1))}"),
    ]
    report = ValidationReport("f.csv")
    apply_rules(con, relation(con, rows), rules, report)
    # 'a' < 'x' and 'a' < 'y' hold; with c blank (line 3) the comparison does not. Only 'y' is
    # not allowed. NOT (d < 2024-01-01) holds on line 2 and, d being blank, on line 3.
    assert [(f.rule, f.line) for f in report.findings] == [
        ("k_before_c", 2),
        ("k_before_c", 4),
        ("c_not_allowed", 4),
        ("d_not_early", 2),
        ("d_not_early", 3),
    ]
    assert report.findings[0].message == (
        "f.csv line 2, column k, value 'a': before (c 'x') [k_before_c]"
    )
