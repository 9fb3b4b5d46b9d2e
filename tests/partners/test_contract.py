"""The data contract of partner figures: each broken rule named with its line, column, value and
rule; only aggregate counts accepted."""

import datetime as dt
from pathlib import Path

import pandas as pd
import pytest

from flightdeck.partners.contract import validate_partner_file

HEADER = "partner,measure,month,count,age_band,gender"
TODAY = dt.date(2024, 6, 15)


def write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def validate(path: Path):
    return validate_partner_file(path, today=TODAY)


def findings(extract, rule: str) -> list[tuple]:
    return [(f.line, f.column, f.value) for f in extract.report.findings if f.rule == rule]


def test_a_valid_file_gives_first_days_totals_and_breakdown_labels(tmp_path):
    path = write(
        tmp_path / "p.csv",
        "North SARC,sarc_attendances,2024-03,41,,",
        "North SARC,SARC_Attendances,15/03/2024,12,13-15,all",
        "North SARC,sarc_attendances,2024-03-31,30,ALL,female",
        "North ISVA,isva_open_cases,2024-06,0,unknown,Unknown",
    )
    extract = validate(path)
    assert extract.report.ok, extract.report.to_text()
    frame = extract.frame
    assert frame.columns.tolist() == [
        "line",
        "partner",
        "measure",
        "month",
        "count",
        "age_band",
        "gender",
    ]
    assert frame["line"].tolist() == [2, 3, 4, 5]
    assert frame["measure"].tolist() == ["sarc_attendances"] * 3 + ["isva_open_cases"]
    assert frame["month"].tolist() == [pd.Timestamp("2024-03-01")] * 3 + [
        pd.Timestamp("2024-06-01")
    ]
    assert frame["count"].tolist() == [41, 12, 30, 0]
    assert frame["age_band"].tolist() == ["All", "13-15", "All", "Unknown"]
    assert frame["gender"].tolist() == ["All", "All", "Female", "Unknown"]


@pytest.mark.parametrize(
    ("row", "rule", "column", "value"),
    [
        ("North SARC,sarc_attendances,2024-13,4,,", "month_not_a_month", "month", "2024-13"),
        ("North SARC,sarc_attendances,2024-03,many,,", "count_not_a_whole_number", "count", "many"),
        ("North SARC,sarc_attendances,2024-03,2.5,,", "count_not_a_whole_number", "count", "2.5"),
        ("North SARC,sarc_attendances,2024-03,-1,,", "count_negative", "count", "-1"),
        ("North SARC,sarc_attendances,2024-03,,,", "count_missing", "count", None),
        (",sarc_attendances,2024-03,4,,", "partner_missing", "partner", None),
        ("North SARC,sarc_visits,2024-03,4,,", "measure_unknown", "measure", "sarc_visits"),
        (
            "North SARC,sarc_attendances,2024-03,4,12-15,",
            "age_band_not_allowed",
            "age_band",
            "12-15",
        ),
        ("North SARC,sarc_attendances,2024-03,4,,F", "gender_not_allowed", "gender", "F"),
        ("North SARC,sarc_attendances,2024-07,4,,", "month_in_future", "month", "2024-07-01"),
    ],
)
def test_each_broken_rule_is_named_at_its_line_column_and_value(tmp_path, row, rule, column, value):
    path = write(tmp_path / "p.csv", "North SARC,sarc_attendances,2024-02,4,,", row)
    extract = validate(path)
    assert extract.frame is None
    assert findings(extract, rule) == [(3, column, value)]
    assert [f.rule for f in extract.report.errors] == [rule]
    assert f"p.csv line 3, column {column}" in extract.report.errors[0].message


def test_an_unknown_measure_lists_the_known_ones(tmp_path):
    extract = validate(write(tmp_path / "p.csv", "North SARC,sarc_visits,2024-03,4,,"))
    assert extract.report.errors[0].message.endswith(
        "the known measures are sarc_attendances, sarc_forensic_examinations, "
        "isva_referrals_received, isva_open_cases [measure_unknown]"
    )


def test_the_current_month_is_allowed_and_the_next_is_not(tmp_path):
    path = write(
        tmp_path / "p.csv",
        "North SARC,sarc_attendances,2024-06,4,,",
        "North SARC,sarc_attendances,2024-07-01,4,,",
    )
    assert findings(validate(path), "month_in_future") == [(3, "month", "2024-07-01")]


def test_the_same_key_twice_is_a_duplicate_blank_and_all_being_the_same(tmp_path):
    path = write(
        tmp_path / "p.csv",
        "North SARC,sarc_attendances,2024-03,4,,",
        "North SARC,sarc_attendances,2024-03,5,13-15,",
        "North SARC,sarc_attendances,2024-03-20,6,All,all",
        "South SARC,sarc_attendances,2024-03,4,,",
    )
    extract = validate(path)
    assert findings(extract, "partner_figure_duplicate") == [
        (2, "measure", "sarc_attendances"),
        (4, "measure", "sarc_attendances"),
    ]
    assert extract.report.totals[("error", "partner_figure_duplicate")] == 2


def test_case_level_columns_are_refused_saying_only_aggregates_are_accepted(tmp_path):
    path = write(
        tmp_path / "p.csv",
        "North SARC,sarc_attendances,2024-03,4,,,V1,2024-03-02",
        header=HEADER + ",victim_id,recorded_date",
    )
    extract = validate(path)
    assert extract.frame is None
    assert findings(extract, "case_level_column") == [
        (1, None, "victim_id"),
        (1, None, "recorded_date"),
    ]
    message = extract.report.errors[0].message
    assert "victim_id is a case-level column: only aggregate counts are accepted" in message


def test_identifying_headers_are_refused(tmp_path):
    path = write(
        tmp_path / "p.csv",
        "North SARC,sarc_attendances,2024-03,4,,,x",
        header=HEADER + ",Client Name",
    )
    assert findings(validate(path), "identifying_column") == [(1, "client name", "client name")]


def test_missing_required_columns_are_named_in_one_message(tmp_path):
    extract = validate(write(tmp_path / "p.csv", "North SARC,4", header="partner,count"))
    assert findings(extract, "required_columns_missing") == [(1, None, "measure, month")]
    assert len(extract.report.errors) == 1


def test_unknown_columns_are_a_warning_and_ignored(tmp_path):
    path = write(
        tmp_path / "p.csv",
        "demo-eastvale,North SARC,sarc_attendances,2024-03,4,,,checked",
        header="force," + HEADER + ",comment",
    )
    extract = validate(path)
    assert extract.report.ok
    assert findings(extract, "unknown_column") == [(1, "force", "force"), (1, "comment", "comment")]
    assert "comment" not in extract.frame.columns


def test_examples_are_bounded_and_the_total_counts_every_row(tmp_path):
    rows = [f"North SARC,sarc_attendances,2020-{m:02d},-{m},," for m in range(1, 13)]
    extract = validate_partner_file(write(tmp_path / "p.csv", *rows), today=TODAY, max_examples=3)
    assert [line for line, _, _ in findings(extract, "count_negative")] == [2, 3, 4]
    assert extract.report.totals[("error", "count_negative")] == 12
    assert "... and 9 more" in extract.report.to_text()


def test_a_file_that_is_not_text_is_refused_like_any_extract(tmp_path):
    path = tmp_path / "p.csv"
    path.write_bytes(b"partner,measure\x00,month")
    assert [f.rule for f in validate(path).report.errors] == ["not_text_csv"]
