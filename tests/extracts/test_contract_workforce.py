"""The data contract for workforce extracts: one row per force and month."""

from pathlib import Path

import pandas as pd
import pytest

from flightdeck.extracts.contract import validate_workforce_file

HEADER = "force,month,investigators_in_post,investigators_trained"


def write(path: Path, *rows: str, header: str = HEADER) -> Path:
    path.write_text("\n".join([header, *rows]) + "\n")
    return path


def findings(extract, rule: str) -> list[tuple]:
    return [(f.column, f.line, f.value) for f in extract.report.findings if f.rule == rule]


def test_valid_file_gives_first_day_of_each_month(tmp_path):
    path = write(
        tmp_path / "wf.csv",
        "demo-eastvale,2024-03,40,12.5",
        "Demo-Eastvale,15/04/2024,41.5,41.5",
        "demo-westbury,2024-05-31,10,0",
    )
    extract = validate_workforce_file(path)
    assert extract.report.ok, extract.report.to_text()
    frame = extract.frame
    assert frame.columns.tolist() == [
        "line",
        "force",
        "month",
        "investigators_in_post",
        "investigators_trained",
    ]
    assert frame["line"].tolist() == [2, 3, 4]
    assert frame["force"].tolist() == ["demo-eastvale", "demo-eastvale", "demo-westbury"]
    assert frame["month"].tolist() == [
        pd.Timestamp("2024-03-01"),
        pd.Timestamp("2024-04-01"),
        pd.Timestamp("2024-05-01"),
    ]
    assert frame["investigators_in_post"].tolist() == [40.0, 41.5, 10.0]
    assert frame["investigators_trained"].tolist() == [12.5, 41.5, 0.0]
    assert extract.forces == ["demo-eastvale", "demo-westbury"]


@pytest.mark.parametrize(
    "row, rule, column, value",
    [
        ("atlantis,2024-03,40,12", "force_unknown", "force", "atlantis"),
        (",2024-03,40,12", "force_missing", "force", None),
        ("demo-eastvale,March 2024,40,12", "month_not_a_month", "month", "March 2024"),
        ("demo-eastvale,03/2024,40,12", "month_not_a_month", "month", "03/2024"),
        ("demo-eastvale,2024-03,0,0", "investigators_in_post_not_positive",
         "investigators_in_post", "0"),
        ("demo-eastvale,2024-03,forty,0", "investigators_in_post_not_a_number",
         "investigators_in_post", "forty"),
        ("demo-eastvale,2024-03,inf,0", "investigators_in_post_not_a_number",
         "investigators_in_post", "inf"),
        ("demo-eastvale,2024-03,40,-1", "investigators_trained_negative",
         "investigators_trained", "-1"),
        ("demo-eastvale,2024-03,40,40.5", "investigators_trained_above_in_post",
         "investigators_trained", "40.5"),
        ("demo-eastvale,2024-03,40,", "investigators_trained_missing",
         "investigators_trained", None),
    ],
)  # fmt: skip
def test_each_rule_names_column_line_and_value(row, rule, column, value, tmp_path):
    extract = validate_workforce_file(write(tmp_path / "wf.csv", "demo-westbury,2024-03,9,3", row))
    assert {f.rule for f in extract.report.errors} == {rule}
    assert findings(extract, rule) == [(column, 3, value)]
    assert extract.frame is None


def test_same_force_and_month_twice_is_an_error_on_every_copy(tmp_path):
    path = write(
        tmp_path / "wf.csv",
        "demo-eastvale,2024-03,40,12",
        "demo-westbury,2024-03,10,1",
        "demo-eastvale,2024-03-20,41,12",  # a date in the same month
    )
    extract = validate_workforce_file(path)
    assert findings(extract, "force_month_duplicate") == [
        ("month", 2, "2024-03-01"),
        ("month", 4, "2024-03-01"),
    ]


def test_missing_column_and_identifier_column_refuse_the_file(tmp_path):
    three = "force,month,investigators_in_post"
    missing = validate_workforce_file(
        write(tmp_path / "a.csv", "demo-eastvale,2024-03,40", header=three)
    )
    assert [f.rule for f in missing.report.errors] == ["required_columns_missing"]
    assert "investigators_trained" in missing.report.errors[0].message
    named = validate_workforce_file(
        write(tmp_path / "b.csv", "demo-eastvale,2024-03,40,12,Smith", header=HEADER + ",lead_name")
    )  # fmt: skip
    assert [f.rule for f in named.report.errors] == ["identifying_column"]
