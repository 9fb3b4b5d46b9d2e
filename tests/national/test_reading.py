"""Reading a published table: the header found below title rows in any case and spacing, the
sheets that hold figures, ODS, XLSX and CSV alike, and the rows kept or skipped."""

import datetime as dt

import pytest

from flightdeck.national.published_file import read_published_file
from flightdeck.national.sheets import Rules
from helpers.national import OUTCOME_HEADER, outcome, recorded, write_table

RULES = Rules.from_reference()
ODD_HEADER = [
    "  financial YEAR ",
    "Financial   Quarter",
    "FORCE NAME",
    "offence description",
    "Offence Group",
    " Offence  Subgroup",
    "OFFENCE CODE",
    "number of offences",
]


def read(path):
    return read_published_file(path, RULES)


def test_a_header_in_odd_case_and_spacing_below_title_rows_is_found(tmp_path):
    rows = [recorded("19C", 12), recorded("20A", 30, quarter=2), recorded("34B", 50)]
    path = write_table(
        tmp_path / "prc.xlsx",
        {"2023_24": rows},
        ODD_HEADER,
        title_rows=2,
        extra_sheets={"Cover": [["Police recorded crime"]], "Notes": [["n"]]},
    )
    read_file = read(path)
    report = read_file.report
    assert report.ok, report.to_text()
    assert (report.kind, report.sheets, report.sheets_skipped) == (
        "recorded",
        ["2023_24"],
        ["Cover", "Notes"],
    )
    assert (report.rows_kept, report.rows_skipped) == (2, 1)  # the robbery row is skipped
    frame = read_file.frame
    assert frame[["row", "force", "offence_code", "offence_group", "count"]].values.tolist() == [
        [4, "kent", "19C", "rape", 12],  # two title rows and the header above it
        [5, "kent", "20A", "other_sexual", 30],
    ]
    assert list(frame["period_start"]) == [dt.date(2023, 4, 1), dt.date(2023, 7, 1)]
    assert list(frame["financial_year"]) == ["2023/24", "2023/24"]
    assert not read_file.synthetic


@pytest.mark.parametrize("suffix", [".ods", ".xlsx", ".csv"])
def test_ods_xlsx_and_csv_are_read_alike(tmp_path, suffix):
    rows = [
        recorded("19C", 7, force="London, City of", quarter=4, year="2022/23"),
        recorded(
            "20A", "1,234", force="Avon & Somerset Constabulary", quarter="Q3", year="2022-23"
        ),
        recorded("19D", 0.0, force="HAMPSHIRE", quarter=1.0, year="2022/2023"),
    ]
    read_file = read(write_table(tmp_path / f"prc{suffix}", {"2022-23": rows}))
    assert read_file.report.ok, read_file.report.to_text()
    got = read_file.frame[["row", "financial_year", "quarter", "period_start", "force", "count"]]
    assert got.values.tolist() == [
        [2, "2022/23", 4, dt.date(2023, 1, 1), "city-of-london", 7],
        [3, "2022/23", 3, dt.date(2022, 10, 1), "avon-and-somerset", 1234],
        [4, "2022/23", 1, dt.date(2022, 4, 1), "hampshire", 0],
    ]


def test_the_financial_year_must_be_the_sheets(tmp_path):
    rows = [recorded(year="2022/23"), recorded(year="2023-24", code="19D")]
    report = read(write_table(tmp_path / "prc.xlsx", {"2023-24 (provisional)": rows})).report
    assert report.totals == {"financial_year_not_the_sheets": 1}
    (finding,) = report.findings
    assert (finding.sheet, finding.row, finding.column, finding.value) == (
        "2023-24 (provisional)",
        2,
        "Financial Year",
        "2022/23",
    )


def test_a_csv_holds_any_years_and_names_lines(tmp_path):
    rows = [recorded(year="2022/23"), recorded(year="2023/24"), recorded(quarter=5)]
    report = read(write_table(tmp_path / "prc.csv", {"": rows})).report
    assert report.totals == {"financial_quarter": 1}
    assert "line 4, column 'Financial Quarter', value '5'" in report.to_text()
    assert "sheet" not in report.to_text()


def test_a_non_year_sheet_with_the_published_header_is_read(tmp_path):
    read_file = read(write_table(tmp_path / "prc.xlsx", {"Data": [recorded()]}))
    assert read_file.report.sheets == ["Data"] and len(read_file.frame) == 1


def test_a_workbook_without_a_data_sheet_is_refused(tmp_path):
    path = write_table(tmp_path / "prc.xlsx", {}, extra_sheets={"Cover": [["Contents"]]})
    report = read(path).report
    assert report.totals == {"no_data_sheet": 1}
    assert "sheets found: Cover" in report.to_text()


@pytest.mark.parametrize(
    "cell, code",
    [
        ("1", "1"),
        ("01", "1"),
        (1.0, "1"),
        ("1A", "1A"),
        ("1a", "1A"),
        ("Outcome 1", "1"),
        ("outcome 14", "14"),
        (16, "16"),
        ("Outcome type 15", "15"),
    ],
)
def test_outcome_type_variants(tmp_path, cell, code):
    path = write_table(tmp_path / "out.xlsx", {"2023_24": [outcome(cell)]}, OUTCOME_HEADER)
    read_file = read(path)
    assert read_file.report.ok, read_file.report.to_text()
    assert read_file.kind == "outcomes"
    assert read_file.frame["outcome_type"].tolist() == [code]


def test_split_outcome_counts_are_summed(tmp_path):
    header = [
        *OUTCOME_HEADER[:-1],
        "Force outcomes for offences recorded in quarter",
        "Force outcomes for offences recorded in previous quarters",
    ]
    rows = [[*outcome("15")[:-1], 3, 4], [*outcome("16")[:-1], 2, "two"]]
    read_file = read(write_table(tmp_path / "out.ods", {"2023_24": rows}, header))
    report = read_file.report
    assert report.totals == {"count_not_a_whole_number": 1}
    (finding,) = report.findings
    assert (finding.row, finding.column, finding.value) == (
        3,
        "Force outcomes for offences recorded in previous quarters",
        "two",
    )
    assert read_file.frame["count"].tolist() == [7]  # the valid row: 3 + 4


def test_rows_of_other_offences_are_skipped_not_checked(tmp_path):
    rows = [recorded(), recorded("34B", "n/a", force="Action Fraud", quarter=9)]
    report = read(write_table(tmp_path / "prc.xlsx", {"2023_24": rows})).report
    assert report.ok and (report.rows_kept, report.rows_skipped) == (1, 1)


def test_only_other_offences_is_refused(tmp_path):
    report = read(write_table(tmp_path / "prc.xlsx", {"2023_24": [recorded("34B")]})).report
    assert list(report.totals) == ["no_kept_rows"]
