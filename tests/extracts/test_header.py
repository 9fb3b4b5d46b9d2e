"""The header: columns that look like direct personal data refuse the file whatever their
spelling, no column of the contract is ever taken for one, and every header problem is
reported at once."""

import datetime as dt

import pytest

from flightdeck.extracts.columns import (
    CASE_COLUMNS,
    IDENTIFIER_FRAGMENTS,
    WORKFORCE_COLUMNS,
    looks_like_personal_data,
)
from flightdeck.extracts.contract import validate_case_file
from flightdeck.vocabulary import RESULT_COLUMNS

AS_OF = dt.date(2024, 6, 30)
REQUIRED = ["force", "crime_id", "recorded_date", "offence_code", "victim_age", "victim_gender"]
ROW = ["demo-eastvale", "C1", "2024-01-10", "19C", "25", "female"]
# The suspect-management columns the data contract added last: the reading knows every one.
SUSPECT_MANAGEMENT = [
    "civil_order_outcome",
    "civil_order_outcome_date",
    "ssrp_referral_date",
    "bail_breach_date",
    "order_breach_date",
]
PERSONAL = [
    # the red team's spellings that loaded with a warning only
    "D.O.B",
    "Post Code",
    "post_code",
    "e-mail",
    "Tel No",
    "Mobile",
    "NI Number",
    "National Insurance No",
    "free text",
    "Street",
    "House Number",
    "CRO Number",
    # and more
    "Forename",
    "SURNAME",
    "Full Name",
    "First Name",
    "last_name",
    "DoB",
    "Date of Birth",
    "Home Address",
    "Address Line 1",
    "Postcode",
    "Phone Number",
    "Telephone",
    "Mob",
    "Mob. No.",
    "MOBILENO",
    "TELNO",
    "tel_no",
    "Email Address",
    "NINO",
    "PNC ID",
    "CRO No",
    "Narrative",
    "Case Notes",
    "Free_Text",
    "Street Name",
    "House No",
    "NHS Number",
    "Passport No",
    "Initials",
]
HARMLESS = ["hotel", "mobility_aid", "denominator", "telecoms_provider", "household_size", "x"]


def write(tmp_path, header: list[str], row: list[str]):
    path = tmp_path / "header.csv"
    path.write_text(",".join(header) + "\n" + ",".join(row) + "\n")
    return path


@pytest.mark.parametrize("name", PERSONAL)
def test_a_personal_data_column_refuses_the_file_however_it_is_spelt(name, tmp_path):
    extract = validate_case_file(write(tmp_path, [*REQUIRED, name], [*ROW, "x"]), as_of=AS_OF)
    [finding] = extract.report.errors
    assert (finding.rule, finding.column, finding.line) == ("identifying_column", name.lower(), 1)
    assert "only pseudonymised extracts are accepted" in finding.message
    assert extract.frame is None and extract.report.warnings == []


def test_there_are_at_least_30_spellings_tested():
    assert len(PERSONAL) >= 30


def test_no_column_of_the_contract_or_of_the_results_looks_like_personal_data():
    names = [*CASE_COLUMNS, *WORKFORCE_COLUMNS, *RESULT_COLUMNS, "suppressed"]
    assert set(SUSPECT_MANAGEMENT) <= set(CASE_COLUMNS)
    assert [n for n in names if looks_like_personal_data(n)] == []


def test_every_contract_column_loads_without_any_finding(tmp_path):
    header = list(CASE_COLUMNS)
    row = ROW + [""] * (len(header) - len(ROW))
    extract = validate_case_file(write(tmp_path, header, row), as_of=AS_OF)
    assert extract.report.ok, extract.report.to_text()
    assert extract.report.findings == []
    assert set(SUSPECT_MANAGEMENT) <= set(extract.columns_present)


@pytest.mark.parametrize("name", HARMLESS)
def test_short_words_match_whole_words_only(name):
    assert not looks_like_personal_data(name)


def test_the_contract_list_is_the_base():
    # The data contract's own words, with "free_text" compared as "freetext".
    contract = ["name", "dob", "birth", "address", "postcode", "phone", "email", "nino", "pnc"]
    assert set(contract) | {"narrative", "notes", "freetext"} <= set(IDENTIFIER_FRAGMENTS)


def test_every_header_problem_is_reported_at_once(tmp_path):
    # A duplicate, two personal-data columns and a missing required column (victim_age).
    header = ["force", "crime_id", "recorded_date", "offence_code", "victim_gender", "Force",
              "Surname", "D.O.B", "comment"]  # fmt: skip
    extract = validate_case_file(write(tmp_path, header, ["x"] * len(header)), as_of=AS_OF)
    assert [(f.rule, f.column, f.value) for f in extract.report.findings] == [
        ("duplicate_column", None, "force"),
        ("identifying_column", "surname", "surname"),
        ("identifying_column", "d.o.b", "d.o.b"),
        ("required_columns_missing", None, "victim_age"),
        ("unknown_column", "comment", "comment"),
    ]
    assert extract.report.to_text().startswith("header.csv: refused (4 errors, 1 warnings)")
