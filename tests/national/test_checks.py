"""What a published table is refused for: each problem named with its sheet, row, column,
value and rule, every problem collected (a bounded number of examples per rule, and totals)."""

import pytest

from flightdeck.national import values
from flightdeck.national.published_file import read_published_file
from flightdeck.national.report import EXAMPLES_PER_RULE
from flightdeck.national.sheets import Rules
from helpers.national import HEADER, OUTCOME_HEADER, outcome, recorded, write_table

RULES = Rules.from_reference()


def problems(path) -> list[tuple]:
    report = read_published_file(path, RULES).report
    return [(f.rule, f.sheet, f.row, f.column, f.value) for f in report.findings]


def test_awkward_headers_an_unknown_force_and_a_text_count_are_all_named(tmp_path):
    header = [f"  {name.upper()}  " for name in HEADER]
    rows = [recorded("19C", 12), recorded("19D", "twelve"), recorded(force="Kentt")]
    path = write_table(tmp_path / "prc.ods", {"2023-24": rows}, header, title_rows=1)
    report = read_published_file(path, RULES).report
    assert problems(path) == [
        ("force_unknown", "2023-24", 5, "Force Name", "Kentt"),
        ("count_not_a_whole_number", "2023-24", 4, "Number of Offences", "twelve"),
    ]
    text = report.to_text()
    assert "close matches: Kent Police (kent)" in text
    assert "sheet '2023-24', row 4, column 'Number of Offences', value 'twelve'" in text


@pytest.mark.parametrize(
    "row, rule, column, value",
    [
        (recorded(quarter=5), "financial_quarter", "Financial Quarter", "5"),
        (recorded(quarter="Q0"), "financial_quarter", "Financial Quarter", "Q0"),
        (recorded(year="2023"), "financial_year", "Financial Year", "2023"),
        (recorded(year="2023/25"), "financial_year", "Financial Year", "2023/25"),
        (recorded(count=None), "count_blank", "Number of Offences", ""),
        (recorded(count=".."), "count_not_available", "Number of Offences", ".."),
        (recorded(count="[x]"), "count_not_available", "Number of Offences", "[x]"),
        (recorded(count=-3), "count_not_a_whole_number", "Number of Offences", "-3"),
        (recorded(count=2.5), "count_not_a_whole_number", "Number of Offences", "2.5"),
        (recorded(force=None), "force_unknown", "Force Name", ""),
        (
            recorded("19C", subgroup="Other sexual offences"),
            "offence_group_mismatch",
            "Offence Code",
            "19C",
        ),
        (
            recorded("19C", subgroup="Violence with injury"),
            "offence_group_mismatch",
            "Offence Code",
            "19C",
        ),
        (recorded(""), "offence_code_blank", "Offence Code", ""),
    ],
)
def test_each_rule(tmp_path, row, rule, column, value):
    path = write_table(tmp_path / "prc.xlsx", {"2023_24": [recorded("20A"), row]})
    assert problems(path) == [(rule, "2023_24", 3, column, value)]


def test_a_code_listed_under_another_group_says_both(tmp_path):
    path = write_table(
        tmp_path / "prc.xlsx", {"2023_24": [recorded("19C", subgroup="Other sexual offences")]}
    )
    (finding,) = read_published_file(path, RULES).report.findings
    assert finding.message == (
        "offence code 19C is rape in data/reference/offence_codes.csv, but the row's Offence "
        "Subgroup is 'Other sexual offences'"
    )


def test_an_unknown_outcome_type(tmp_path):
    rows = [outcome("99"), outcome("Not yet assigned", code="19D")]
    path = write_table(tmp_path / "out.xlsx", {"2023_24": rows}, OUTCOME_HEADER)
    assert [p[0] for p in problems(path)] == ["outcome_type_unknown"] * 2


def test_a_missing_column_is_named_with_the_header_row(tmp_path):
    header = [h for h in HEADER if h != "Offence Code"]
    rows = [[c for i, c in enumerate(recorded()) if i != 6]]
    path = write_table(tmp_path / "prc.xlsx", {"2023_24": rows}, header, title_rows=3)
    assert problems(path) == [("missing_column", "2023_24", 4, "Offence Code", None)]


def test_an_outcomes_table_without_a_count_column(tmp_path):
    path = write_table(tmp_path / "out.xlsx", {"2023_24": [outcome()[:-1]]}, OUTCOME_HEADER[:-1])
    assert problems(path) == [("missing_column", "2023_24", 1, "Number of Outcomes", None)]


def test_a_repeated_column_is_refused(tmp_path):
    path = write_table(
        tmp_path / "prc.xlsx", {"2023_24": [[*recorded(), "Kent"]]}, [*HEADER, "Force Name"]
    )
    assert problems(path) == [("repeated_column", "2023_24", 1, "Force Name", None)]


def test_a_year_sheet_without_a_header_is_refused(tmp_path):
    path = write_table(tmp_path / "prc.xlsx", {}, extra_sheets={"2023_24": [["nothing"]]})
    assert [p[:2] for p in problems(path)] == [("missing_column", "2023_24")]


def test_examples_are_bounded_and_totals_kept(tmp_path):
    rows = [
        recorded(count="n/a", quarter=q % 4 + 1, code=c)
        for q in range(5)
        for c in ("19C", "19D", "20A")
    ]
    report = read_published_file(write_table(tmp_path / "p.xlsx", {"2023_24": rows}), RULES).report
    assert report.totals == {"count_not_available": 15}
    assert len(report.findings) == EXAMPLES_PER_RULE
    assert f"count_not_available: 15 in all ({EXAMPLES_PER_RULE} shown)" in report.to_text()
    assert len(report.to_frame()) == EXAMPLES_PER_RULE


@pytest.mark.parametrize(
    "name, content, start",
    [
        ("prc.xlsx", b"not a workbook", "the file cannot be read as an XLSX workbook"),
        ("prc.ods", b"PK\x03\x04 broken", "the file cannot be read as an ODS workbook"),
        ("prc.xls", b"old", "the file is not an ODS, XLSX or CSV file (its name ends .xls)"),
        ("prc.csv", b"\xff\xfe\x00\x81\x8d\x8f\x90\x9d", None),
    ],
)
def test_a_file_that_cannot_be_read(tmp_path, name, content, start):
    path = tmp_path / name
    path.write_bytes(content)
    report = read_published_file(path, RULES).report
    assert not report.ok
    if start:
        assert report.totals == {"unreadable": 1}
        assert report.findings[0].message.startswith(start)


@pytest.mark.parametrize(
    "name, year",
    [
        ("2022-23", "2022/23"),
        ("2022_23", "2022/23"),
        ("2022/23", "2022/23"),
        ("2023-24 (provisional)", "2023/24"),
        ("1999-00", "1999/00"),
        ("2022 23", "2022/23"),
        ("Cover", None),
        ("2022-24", None),
        ("Table 2022", None),
    ],
)
def test_sheet_names_for_a_financial_year(name, year):
    assert values.sheet_year(name) == year


def test_quarters_start_in_april():
    starts = [values.period_start("2023/24", q).isoformat() for q in (1, 2, 3, 4)]
    assert starts == ["2023-04-01", "2023-07-01", "2023-10-01", "2024-01-01"]


def test_the_rows_are_checked_even_with_a_column_missing(tmp_path):
    header = [h.replace("Description", "Descripton") for h in HEADER]  # misspelt: missing
    rows = [recorded(force="Kentt"), recorded("19D", count="lots")]
    path = write_table(tmp_path / "prc.xlsx", {"2023_24": rows}, header)
    assert problems(path) == [
        ("missing_column", "2023_24", 1, "Offence Description", None),
        ("force_unknown", "2023_24", 2, "Force Name", "Kentt"),
        ("count_not_a_whole_number", "2023_24", 3, "Number of Offences", "lots"),
    ]
