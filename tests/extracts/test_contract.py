"""The data contract for case extracts: every rule with a small failing file, and what passes.

Files are written by hand in a few lines; line numbers count the header as line 1, so the
first crime is on line 2.
"""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from flightdeck.extracts.contract import validate_case_file

AS_OF = dt.date(2024, 6, 30)
GOOD = {
    "force": "demo-eastvale",
    "crime_id": "C1",
    "recorded_date": "2024-01-10",
    "offence_code": "19C",
    "victim_age": "25",
    "victim_gender": "female",
}


def write_crimes(path: Path, *changes: dict, encoding: str = "utf-8") -> Path:
    """One good crime per dict (crime ids C1, C2, ...), with the dict's values changed; the
    header is every column named, the required ones first."""
    rows = [{**GOOD, "crime_id": f"C{i}", **change} for i, change in enumerate(changes, start=1)]
    header = list(dict.fromkeys(k for row in rows for k in row))
    lines = [",".join(header)] + [",".join(row.get(c, "") for c in header) for row in rows]
    path.write_bytes(("\n".join(lines) + "\n").encode(encoding))
    return path


def validate(path: Path, **kwargs):
    return validate_case_file(path, as_of=AS_OF, **kwargs)


def findings(extract, rule: str) -> list[tuple]:
    return [(f.column, f.line, f.value) for f in extract.report.findings if f.rule == rule]


def error_rules(extract) -> set[str]:
    return {f.rule for f in extract.report.errors}


def test_valid_file_passes_with_typed_frame(tmp_path):
    path = write_crimes(
        tmp_path / "ok.csv",
        {"cancelled": "yes", "outcome_type": "16", "outcome_date": "01/05/2024"},
        {"victim_age": "", "victim_gender": "M", "s63g_application": "N"},
    )
    extract = validate(path)
    assert extract.report.ok and extract.report.findings == []
    frame = extract.frame
    assert frame["line"].tolist() == [2, 3]
    assert frame["crime_id"].tolist() == ["C1", "C2"]
    assert frame["recorded_date"].tolist() == [pd.Timestamp("2024-01-10")] * 2
    assert frame["outcome_date"].iloc[0] == pd.Timestamp("2024-05-01")  # day first
    assert frame["victim_age"].dtype == "Int64" and frame["victim_age"].isna().tolist() == [
        False,
        True,
    ]
    assert frame["victim_gender"].tolist() == ["female", "male"]
    assert frame["cancelled"].dtype == bool and frame["cancelled"].tolist() == [True, False]
    assert frame["s63g_application"].dtype == "boolean"
    assert frame["s63g_application"].iloc[0] is pd.NA and not frame["s63g_application"].iloc[1]
    # A column the file lacks is there, all blank.
    assert frame["charge_date"].isna().all() and frame["civil_order_type"].isna().all()
    assert extract.forces == ["demo-eastvale"]
    assert extract.columns_present == [
        "force",
        "crime_id",
        "recorded_date",
        "offence_code",
        "victim_age",
        "victim_gender",
        "cancelled",
        "outcome_type",
        "outcome_date",
        "s63g_application",
    ]
    assert len(extract.sha256) == 64


def test_allowed_values_are_matched_in_any_case_and_put_in_canonical_form(tmp_path):
    path = write_crimes(
        tmp_path / "case.csv",
        {
            "force": "Demo-Eastvale",
            "offence_code": "19c",
            "victim_gender": "f",
            "outcome_type": "1a",
            "outcome_date": "2024-03-01",
            "charge_date": "2024-03-01",
            "cancelled": "TRUE",
        },
        {"victim_gender": "O", "suspect_id": "S9", "civil_order_type": "shpo",
         "civil_order_date": "2024-02-01", "cancelled": "n"},
        {"victim_gender": "", "first_contact_type": "Voluntary_Interview", "suspect_id": "S8",
         "first_contact_date": "2024-02-01", "release_type": "RUI", "cps_decision": "Charge",
         "cps_decision_date": "2024-03-01", "cancelled": "0"},
        {"victim_gender": "U", "cancelled": "Y"},
    )  # fmt: skip
    extract = validate(path)
    assert extract.report.ok, extract.report.to_text()
    frame = extract.frame
    assert frame["force"].unique().tolist() == ["demo-eastvale"]
    assert frame["offence_code"].unique().tolist() == ["19C"]
    assert frame["victim_gender"].tolist() == ["female", "other", "unknown", "unknown"]
    assert frame["outcome_type"].iloc[0] == "1A"
    assert frame["civil_order_type"].iloc[1] == "SHPO"
    assert frame["first_contact_type"].iloc[2] == "voluntary_interview"
    assert frame["release_type"].iloc[2] == "rui"
    assert frame["cps_decision"].iloc[2] == "charge"
    assert frame["cancelled"].tolist() == [True, False, False, True]


# (change to the second crime, on line 3) -> (rule, column, value quoted)
ROW_ERRORS = {
    "impossible month": (
        {"recorded_date": "2024-13-01"},
        "recorded_date_not_a_date",
        "recorded_date",
        "2024-13-01",
    ),
    "31 February": (
        {"recorded_date": "31/02/2024"},
        "recorded_date_not_a_date",
        "recorded_date",
        "31/02/2024",
    ),
    "month first": (
        {"recorded_date": "03/31/2024"},
        "recorded_date_not_a_date",
        "recorded_date",
        "03/31/2024",
    ),
    "two-digit year": (
        {"recorded_date": "1/1/24"},
        "recorded_date_not_a_date",
        "recorded_date",
        "1/1/24",
    ),
    "date with a time": (
        {"offence_date": "2024-01-05T10:00"},
        "offence_date_not_a_date",
        "offence_date",
        "2024-01-05T10:00",
    ),
    "decimal age": ({"victim_age": "25.5"}, "victim_age_not_a_whole_number", "victim_age", "25.5"),
    "age over 120": ({"victim_age": "130"}, "victim_age_out_of_range", "victim_age", "130"),
    "negative age": ({"victim_age": "-1"}, "victim_age_out_of_range", "victim_age", "-1"),
    "cancelled maybe": ({"cancelled": "maybe"}, "cancelled_not_yes_or_no", "cancelled", "maybe"),
    "s63g two": (
        {"s63g_application": "2"},
        "s63g_application_not_yes_or_no",
        "s63g_application",
        "2",
    ),
    "gender": ({"victim_gender": "woman"}, "victim_gender_not_allowed", "victim_gender", "woman"),
    "release type": (
        {"release_type": "bailed"},
        "release_type_not_allowed",
        "release_type",
        "bailed",
    ),
    "outcome 19": (
        {"outcome_type": "19", "outcome_date": "2024-02-01"},
        "outcome_type_not_allowed",
        "outcome_type",
        "19",
    ),
    "civil order": (
        {"civil_order_type": "ASBO", "suspect_id": "S1", "civil_order_date": "2024-02-01"},
        "civil_order_type_not_allowed",
        "civil_order_type",
        "ASBO",
    ),
    "unknown force": ({"force": "atlantis"}, "force_unknown", "force", "atlantis"),
    "unknown offence": ({"offence_code": "99Z"}, "offence_code_unknown", "offence_code", "99Z"),
    "blank crime id": ({"crime_id": ""}, "crime_id_missing", "crime_id", None),
    "blank recorded date": ({"recorded_date": " "}, "recorded_date_missing", "recorded_date", None),
    "recorded after as-of": (
        {"recorded_date": "2024-07-01"},
        "recorded_date_after_as_of",
        "recorded_date",
        "2024-07-01",
    ),
    "isva after as-of": (
        {"isva_referral_date": "01/07/2024"},
        "isva_referral_date_after_as_of",
        "isva_referral_date",
        "2024-07-01",
    ),
    "recorded before 2000": (
        {"recorded_date": "31/12/1999"},
        "recorded_date_before_2000",
        "recorded_date",
        "1999-12-31",
    ),
    "offence after recorded": (
        {"offence_date": "2024-02-01"},
        "offence_date_after_recorded_date",
        "offence_date",
        "2024-02-01",
    ),
    "identified without suspect": (
        {"suspect_identified_date": "2024-02-01"},
        "suspect_identified_date_without_suspect_id",
        "suspect_identified_date",
        "2024-02-01",
    ),
    "identified before offence": (
        {"offence_date": "2024-01-05", "suspect_id": "S1", "suspect_identified_date": "2024-01-04"},
        "suspect_identified_date_before_offence_date",
        "suspect_identified_date",
        "2024-01-04",
    ),
    "contact without suspect": (
        {"first_contact_date": "2024-02-01"},
        "first_contact_date_without_suspect_id",
        "first_contact_date",
        "2024-02-01",
    ),
    "contact type without date": (
        {"suspect_id": "S1", "first_contact_type": "arrest"},
        "first_contact_type_without_first_contact_date",
        "first_contact_type",
        "arrest",
    ),
    "decision without date": (
        {"cps_decision": "nfa"},
        "cps_decision_without_cps_decision_date",
        "cps_decision",
        "nfa",
    ),
    "decision before referral": (
        {"cps_referral_date": "2024-03-01", "cps_decision_date": "2024-02-28"},
        "cps_decision_date_before_cps_referral_date",
        "cps_decision_date",
        "2024-02-28",
    ),
    "charge before recorded": (
        {"charge_date": "2024-01-09", "outcome_type": "1", "outcome_date": "2024-01-10"},
        "charge_date_before_recorded_date",
        "charge_date",
        "2024-01-09",
    ),
    "outcome without date": ({"outcome_type": "18"}, "outcome_date_missing", "outcome_type", "18"),
    "outcome date without type": (
        {"outcome_date": "2024-02-01"},
        "outcome_date_without_outcome_type",
        "outcome_date",
        "2024-02-01",
    ),
    "outcome before recorded": (
        {"outcome_type": "16", "outcome_date": "2024-01-01"},
        "outcome_date_before_recorded_date",
        "outcome_date",
        "2024-01-01",
    ),
    "returned without seized": (
        {"device_returned_date": "2024-02-01"},
        "device_returned_date_without_device_seized_date",
        "device_returned_date",
        "2024-02-01",
    ),
    "returned before seized": (
        {"device_seized_date": "2024-02-01", "device_returned_date": "2024-01-31"},
        "device_returned_date_before_device_seized_date",
        "device_returned_date",
        "2024-01-31",
    ),
    "order without suspect": (
        {"civil_order_type": "SRO", "civil_order_date": "2024-02-01"},
        "civil_order_type_without_suspect_id",
        "civil_order_type",
        "SRO",
    ),
    "order without date": (
        {"civil_order_type": "SRO", "suspect_id": "S1"},
        "civil_order_type_without_civil_order_date",
        "civil_order_type",
        "SRO",
    ),
}


@pytest.mark.parametrize("case", sorted(ROW_ERRORS))
def test_each_row_rule_names_rule_column_line_and_value(case, tmp_path):
    change, rule, column, value = ROW_ERRORS[case]
    extract = validate(write_crimes(tmp_path / "bad.csv", {}, change, {}))
    assert not extract.report.ok and extract.frame is None
    assert error_rules(extract) == {rule}
    assert findings(extract, rule) == [(column, 3, value)]
    assert extract.report.totals[("error", rule)] == 1
    [finding] = extract.report.errors
    shown = "blank" if value is None else f"'{value}'"
    assert finding.message.startswith(f"bad.csv line 3, column {column}, value {shown}: ")
    assert rule in finding.message


def test_duplicate_crime_id_within_a_force_reports_every_copy(tmp_path):
    path = write_crimes(
        tmp_path / "dup.csv",
        {"crime_id": "X1"},
        {"crime_id": "X1", "force": "demo-westbury"},  # same id, another force: fine
        {"crime_id": "X1"},
        {"crime_id": "X2"},
        {"crime_id": "X1"},
    )
    extract = validate(path)
    assert error_rules(extract) == {"crime_id_duplicate"}
    # The line locates each copy in the analyst's file; the id itself is never quoted.
    assert findings(extract, "crime_id_duplicate") == [
        ("crime_id", 2, None),
        ("crime_id", 4, None),
        ("crime_id", 6, None),
    ]
    assert extract.report.totals[("error", "crime_id_duplicate")] == 3


def test_warnings_let_the_file_load(tmp_path):
    path = write_crimes(
        tmp_path / "warn.csv",
        {"charge_date": "2024-02-01", "outcome_type": "16", "outcome_date": "2024-02-02"},
        {"outcome_type": "1a", "outcome_date": "2024-02-02"},
        {"suspect_id": "S1", "suspect_identified_date": "2024-03-01",
         "first_contact_date": "2024-02-20", "Comment Code": "x"},
    )  # fmt: skip
    extract = validate(path)
    assert extract.report.ok and len(extract.frame) == 3
    assert findings(extract, "charge_without_charge_outcome") == [("charge_date", 2, "2024-02-01")]
    assert findings(extract, "charge_outcome_without_charge_date") == [("outcome_type", 3, "1A")]
    assert findings(extract, "first_contact_before_suspect_identified") == [
        ("first_contact_date", 4, "2024-02-20")
    ]
    assert findings(extract, "unknown_column") == [("comment code", 1, "comment code")]
    assert {f.severity for f in extract.report.findings} == {"warning"}


def test_header_names_are_matched_case_insensitively_ignoring_spaces(tmp_path):
    plain = validate(write_crimes(tmp_path / "plain.csv", {}, {"victim_age": "40"}))
    text = (tmp_path / "plain.csv").read_text().splitlines()
    header = ",".join(f"  {h.upper()} " for h in text[0].split(","))
    padded = tmp_path / "padded.csv"
    padded.write_text("\n".join([header, *text[1:]]) + "\n")
    pd.testing.assert_frame_equal(validate(padded).frame, plain.frame)


def test_uk_dates_bom_and_windows_1252_give_the_same_frame(tmp_path):
    changes = [
        {"crime_id": "Café-1", "offence_date": "2024-01-02", "Note £": "£5"},
        {"crime_id": "C2", "charge_date": "2024-03-04", "outcome_type": "1",
         "outcome_date": "2024-03-04", "Note £": "é"},
    ]  # fmt: skip
    plain = validate(write_crimes(tmp_path / "plain.csv", *changes))
    assert plain.report.ok, plain.report.to_text()
    uk_changes = [
        {k: f"{v[8:]}/{v[5:7]}/{v[:4]}" if k.endswith("_date") else v for k, v in c.items()}
        for c in changes
    ]
    uk_changes = [{"recorded_date": "10/01/2024", **c} for c in uk_changes]
    windows = validate(write_crimes(tmp_path / "win.csv", *uk_changes, encoding="cp1252"))
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + (tmp_path / "plain.csv").read_bytes())
    for other in (windows, validate(bom)):
        assert other.report.ok, other.report.to_text()
        pd.testing.assert_frame_equal(other.frame, plain.frame)
    assert plain.frame["crime_id"].iloc[0] == "Café-1"
    assert findings(windows, "unknown_column") == [("note £", 1, "note £")]


def test_error_near_the_end_of_a_long_file_names_its_line(tmp_path):
    rows = [f"demo-eastvale,C{i},2024-01-10,19C,25,female" for i in range(100_000)]
    rows[-2] = "demo-eastvale,C99998,2024-02-30,19C,25,female"
    path = tmp_path / "long.csv"
    path.write_text("force,crime_id,recorded_date,offence_code,victim_age,victim_gender\n"
                    + "\n".join(rows) + "\n")  # fmt: skip
    extract = validate(path)
    # 100,000 data rows are lines 2..100,001: the second-to-last is line 100,000.
    assert findings(extract, "recorded_date_not_a_date") == [
        ("recorded_date", 100_000, "2024-02-30")
    ]


def test_quoted_line_breaks_and_blank_lines_keep_line_numbers_right(tmp_path):
    path = tmp_path / "quoted.csv"
    path.write_text(
        "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,comment\n"
        'demo-eastvale,C1,2024-01-10,19C,25,female,"two\nlines"\n'  # lines 2-3
        "\n"  # line 4: blank
        "demo-eastvale,C2,2024-01-10,19C,25,female,\n"  # line 5
        ",,,,,,\n"  # line 6: a spreadsheet's empty row
        "demo-eastvale,C3,2024-13-10,19C,25,female,x\n"  # line 7
    )
    extract = validate(path)
    assert findings(extract, "recorded_date_not_a_date") == [("recorded_date", 7, "2024-13-10")]


def test_rows_with_the_wrong_number_of_fields_are_reported_with_their_line(tmp_path):
    path = tmp_path / "ragged.csv"
    path.write_text(
        "force,crime_id,recorded_date,offence_code,victim_age,victim_gender\n"
        "demo-eastvale,C1,2024-01-10,19C,25,female\n"
        "demo-eastvale,C2,2024-01-10,19C,25\n"  # line 3: one field short
        "demo-eastvale,C3,2024-01-10,19C,25,female,extra\n"  # line 4: one too many
        "demo-eastvale,C4,2024-13-10,19C,25,female\n"  # line 5: still checked
    )
    extract = validate(path)
    assert error_rules(extract) == {"malformed_row", "recorded_date_not_a_date"}
    assert [f.line for f in extract.report.findings if f.rule == "malformed_row"] == [3, 4]
    assert findings(extract, "recorded_date_not_a_date") == [("recorded_date", 5, "2024-13-10")]


@pytest.mark.parametrize("column", ["victim_name", "Suspect DOB", "home_postcode", "notes"])
def test_identifying_columns_refuse_the_file(column, tmp_path):
    extract = validate(write_crimes(tmp_path / "pii.csv", {column: "x"}))
    assert error_rules(extract) == {"identifying_column"}
    [finding] = extract.report.errors
    assert finding.column == column.lower()
    assert "only pseudonymised extracts are accepted" in finding.message
    assert extract.frame is None


def test_all_missing_required_columns_are_named_in_one_message(tmp_path):
    path = tmp_path / "missing.csv"
    path.write_text("force,crime_id,recorded_date,victim_gender\ndemo-eastvale,C1,2024-01-10,F\n")
    extract = validate(path)
    [finding] = extract.report.errors
    assert finding.rule == "required_columns_missing"
    assert "offence_code, victim_age" in finding.message


def test_duplicate_header_is_refused(tmp_path):
    path = tmp_path / "twice.csv"
    path.write_text(
        "force,crime_id,recorded_date,offence_code,victim_age,victim_gender, Force\n"
        "demo-eastvale,C1,2024-01-10,19C,25,female,demo-eastvale\n"
    )
    extract = validate(path)
    assert findings(extract, "duplicate_column") == [(None, 1, "force")]


@pytest.mark.parametrize(
    "content, rule",
    [
        (b"", "empty_file"),
        (b" \r\n\n", "empty_file"),
        (b"force,crime_id,recorded_date,offence_code,victim_age,victim_gender\n", "no_data_rows"),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "not_text_csv"),
        (b"force,crime_id\n\x81\x8d\x8f\x90\n", "undecodable_text"),
        (b"Dear analyst\nplease find attached\n", "not_a_csv"),
    ],
)
def test_files_that_are_not_usable_csv_are_refused(content, rule, tmp_path):
    path = tmp_path / "odd.csv"
    path.write_bytes(content)
    extract = validate(path)
    assert error_rules(extract) == {rule}
    assert extract.frame is None


def test_size_limit(tmp_path):
    path = write_crimes(tmp_path / "big.csv", {})
    size = path.stat().st_size
    extract = validate(path, max_bytes=size - 1)
    assert error_rules(extract) == {"file_too_large"}
    assert f"{size:,} bytes" in extract.report.errors[0].message
    assert validate(path, max_bytes=size).report.ok


def test_report_bounds_examples_and_counts_the_rest(tmp_path):
    bad = [{"victim_age": "old"} for _ in range(5)]
    extract = validate(write_crimes(tmp_path / "ages.csv", *bad), max_examples=2,
                       file_name="upload.csv")  # fmt: skip
    report = extract.report
    assert report.file_name == "upload.csv"
    assert [f.line for f in report.errors] == [2, 3]
    assert report.totals == {("error", "victim_age_not_a_whole_number"): 5}
    text = report.to_text()
    assert text.splitlines()[0] == "upload.csv: refused (5 errors, 0 warnings)"
    assert "upload.csv line 2, column victim_age, value 'old': not a whole number" in text
    assert "and 3 more" in text
    frame = report.to_frame()
    assert frame.columns.tolist() == [
        "severity",
        "rule",
        "column",
        "line",
        "value",
        "message",
        "total",
    ]
    assert frame["line"].tolist() == [2, 3] and frame["total"].tolist() == [5, 5]
