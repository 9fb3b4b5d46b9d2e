"""The validation report: it never quotes an identifier, whatever the finding, and it keeps a
bounded number of examples of every rule with the right total.

An id reaches a report by four routes, each tested: a malformed row (reported by line and field
count only), a value of an id column, the second value a two-column rule quotes, and a value in
another column that equals an id of the file (columns swapped or shifted).
"""

import datetime as dt

from flightdeck.extracts import rules
from flightdeck.extracts.contract import validate_case_file
from flightdeck.extracts.report import ERROR, WARNING, ValidationReport
from flightdeck.extracts.schema import Rule, given

AS_OF = dt.date(2024, 6, 30)
REQUIRED = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender"


def write(tmp_path, header: str, *rows: str):
    path = tmp_path / "ids.csv"
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def shown(extract) -> str:
    """Everything the report shows: the terminal text and the CSV the page offers."""
    return extract.report.to_text() + extract.report.to_frame().to_csv()


def test_a_malformed_row_is_reported_by_line_and_field_count_only(tmp_path):
    path = write(
        tmp_path,
        REQUIRED + ",suspect_id",
        "demo-eastvale,CR-SECRET-1,2024-01-10,19C,25,female,SU-SECRET-9,,",
    )
    extract = validate_case_file(path, as_of=AS_OF)
    [finding] = extract.report.errors
    assert (finding.rule, finding.line, finding.value) == ("malformed_row", 2, None)
    assert finding.message == (
        "ids.csv line 2: the row has the wrong number of fields: "
        "9 fields where the header has 7 [malformed_row]"
    )
    assert "SECRET" not in shown(extract)


def test_values_of_id_columns_are_withheld(tmp_path):
    path = write(
        tmp_path,
        REQUIRED + ",suspect_id",
        "demo-eastvale,CR-77,2024-01-10,19C,25,female,",
        "demo-eastvale,CR-77,2024-01-10,19C,25,female,",
    )
    extract = validate_case_file(path, as_of=AS_OF)
    findings = [(f.rule, f.line, f.value) for f in extract.report.errors]
    assert findings == [("crime_id_duplicate", 2, None), ("crime_id_duplicate", 3, None)]
    assert extract.report.errors[0].message == (
        "ids.csv line 2, column crime_id, value [id withheld]: the same crime_id appears more "
        "than once for this force in the file (force 'demo-eastvale') [crime_id_duplicate]"
    )
    assert "CR-77" not in shown(extract)


def test_the_second_value_of_a_two_column_rule_is_withheld_when_it_is_an_id(tmp_path, monkeypatch):
    # No rule of the contract quotes an id as its second value yet; one that did must not leak.
    contact = Rule(
        "contact_with_suspect",
        WARNING,
        "first_contact_date",
        "a first contact",
        given("first_contact_date"),
        other="suspect_id",
    )
    monkeypatch.setattr(rules, "case_rules", lambda as_of, reference: [contact])
    path = write(
        tmp_path,
        REQUIRED + ",suspect_id,first_contact_date",
        "demo-eastvale,C1,2024-01-10,19C,25,female,SU-5,2024-02-01",
    )
    [finding] = validate_case_file(path, as_of=AS_OF).report.warnings
    assert finding.value == "2024-02-01"
    assert finding.message.endswith(
        ": a first contact (suspect_id [id withheld]) [contact_with_suspect]"
    )


def test_a_value_equal_to_an_id_of_the_file_is_withheld_in_any_column(tmp_path):
    path = write(
        tmp_path,
        REQUIRED + ",suspect_id,charge_date,outcome_type,outcome_date",
        "demo-eastvale,CR-1,2024-01-10,19C,25,female,SU-2,,,",
        # A shifted row: ids where a date, a gender and an outcome belong.
        "demo-eastvale,C3,CR-1,19C,25,SU-2,,2024-02-01,CR-1,2024-02-01",
        "demo-eastvale,C4,2024-13-01,19C,25,female,,,,",  # an ordinary bad date stays quoted
    )
    extract = validate_case_file(path, as_of=AS_OF)
    by_rule = {f.rule: f for f in extract.report.findings}
    for rule in ("victim_gender_not_allowed", "outcome_type_not_allowed"):
        assert by_rule[rule].value is None and "[id withheld]" in by_rule[rule].message
    assert [
        (f.line, f.value) for f in extract.report.findings if f.rule.startswith("recorded")
    ] == [
        (3, None),
        (4, "2024-13-01"),
    ]
    # The warning quotes outcome_type, an id here, as its second value.
    charge = by_rule["charge_without_charge_outcome"]
    assert charge.value == "2024-02-01" and "(outcome_type [id withheld])" in charge.message
    text = shown(extract)
    assert "CR-1" not in text and "SU-2" not in text and "'2024-13-01'" in text


def test_a_coming_id_column_is_withheld_too():
    report = ValidationReport("f.csv")
    report.add(ERROR, "victim_id_odd", "odd", column="victim_id", examples=[(2, "V-1")])
    [finding] = report.findings
    assert finding.value is None
    assert (
        finding.message
        == "f.csv line 2, column victim_id, value [id withheld]: odd [victim_id_odd]"
    )


def test_20000_unknown_columns_give_a_bounded_report_with_the_total(tmp_path):
    extra = [f"extra_{i}" for i in range(20_000)]
    path = write(
        tmp_path,
        ",".join([REQUIRED, *extra]),
        ",".join(["demo-eastvale,C1,2024-01-10,19C,25,female", *[""] * 20_000]),
    )
    extract = validate_case_file(path, as_of=AS_OF)
    report = extract.report
    assert report.ok and len(extract.frame) == 1
    assert report.totals == {("warning", "unknown_column"): 20_000}
    assert [f.column for f in report.findings] == extra[:10]
    lines = report.to_text().splitlines()
    assert len(lines) == 1 + 1 + 10 + 1
    assert lines[0] == "ids.csv: accepted (0 errors, 20,000 warnings)"
    assert lines[1] == "  WARNING unknown_column: 20,000 in all"
    assert lines[-1] == "    ... and 19,990 more"
    assert len(report.to_frame()) == 10


def test_every_rule_is_bounded_however_often_it_is_added():
    report = ValidationReport("f.csv", max_examples=3)
    for i in range(50):
        report.add(ERROR, "identifying_column", "personal", column=f"name_{i}", examples=[(1, "x")])
    report.add(ERROR, "other_rule", "other", examples=[(i, None) for i in range(2, 9)])
    assert [f.column for f in report.findings if f.rule == "identifying_column"] == [
        "name_0",
        "name_1",
        "name_2",
    ]
    assert [f.line for f in report.findings if f.rule == "other_rule"] == [2, 3, 4]
    assert report.totals == {("error", "identifying_column"): 50, ("error", "other_rule"): 7}
    assert "... and 47 more" in report.to_text() and "... and 4 more" in report.to_text()
