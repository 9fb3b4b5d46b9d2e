"""CSV exports: formula injection neutralised, numbers kept, identifiers refused or withheld."""

import io

import pandas as pd
import pytest

from flightdeck import safe_export


@pytest.mark.parametrize(
    "cell, expected",
    [
        ("=1+1", "'=1+1"),
        ('=HYPERLINK("http://evil.example","x")', '\'=HYPERLINK("http://evil.example","x")'),
        ("+44 20 7946 0000", "'+44 20 7946 0000"),
        ("-2+3", "'-2+3"),
        ("@SUM(A1:A2)", "'@SUM(A1:A2)"),
        ("\t=1", "'\t=1"),
        ("\r=1", "'\r=1"),
        ("demo-eastvale", "demo-eastvale"),  # a dash inside is harmless
        ("K01", "K01"),
        ("", ""),
        (" =1", " =1"),  # a leading space makes it text already
    ],
)
def test_text_cells_that_start_a_formula_are_prefixed(cell, expected):
    assert safe_export.neutralise_cell(cell) == expected


def test_numeric_columns_keep_their_negative_numbers():
    frame = pd.DataFrame(
        {
            "kpi_id": ["K01", "=cmd"],
            "change": [-3, 2],
            "value": [-0.25, None],
            "complete": [True, False],
        }
    )
    out = safe_export.neutralise_formulas(frame)
    assert list(out["kpi_id"]) == ["K01", "'=cmd"]
    assert list(out["change"]) == [-3, 2]
    assert out["change"].dtype == frame["change"].dtype
    assert out["value"].iloc[0] == -0.25 and pd.isna(out["value"].iloc[1])
    assert list(out["complete"]) == [True, False]
    assert list(frame["kpi_id"]) == ["K01", "=cmd"]  # the input is not changed


def test_mixed_and_categorical_columns_change_only_their_text():
    frame = pd.DataFrame(
        {
            "mixed": pd.Series(["-1", -1, None], dtype=object),
            "band": pd.Categorical(["@x", "16-17", "@x"]),
        }
    )
    out = safe_export.neutralise_formulas(frame)
    assert list(out["mixed"][:2]) == ["'-1", -1] and out["mixed"][2] is None
    assert list(out["band"]) == ["'@x", "16-17", "'@x"]


def test_csv_text_has_neutralised_cells_and_headers():
    frame = pd.DataFrame({"=evil": ["+1", "ok"], "n": [-5, 7]})
    assert safe_export.to_safe_csv(frame) == "'=evil,n\n'+1,-5\nok,7\n"
    buffer = io.StringIO()
    assert safe_export.to_safe_csv(frame, buffer) is None
    assert buffer.getvalue() == "'=evil,n\n'+1,-5\nok,7\n"
    assert safe_export.csv_bytes(frame) == b"'=evil,n\n'+1,-5\nok,7\n"


def test_csv_written_to_a_path(tmp_path):
    path = tmp_path / "out.csv"
    safe_export.to_safe_csv(pd.DataFrame({"a": ["@x"]}), path)
    assert path.read_text() == "a\n'@x\n"


@pytest.mark.parametrize("column", ["crime_id", "suspect_id", " Crime_ID "])
def test_identifier_columns_are_refused(column):
    with pytest.raises(safe_export.IdentifierInExport, match="aggregates only"):
        safe_export.to_safe_csv(pd.DataFrame({column: ["C1"], "n": [1]}))


def test_identifier_values_are_withheld_from_findings():
    findings = pd.DataFrame(
        {
            "rule": ["duplicate_crime_id", "unknown_force", "missing_from_previous_load"],
            "column": ["crime_id", "force", "crime_id"],
            "line": [3, 4, None],
            "value": ["C77", "nowhere", "C12"],
            "message": [
                "crime_id C77 appears twice",
                "unknown force nowhere",
                "crime C12 of demo-eastvale was in the previous load",
            ],
        }
    )
    out = safe_export.redact_identifier_values(findings)
    assert list(out["value"]) == [None, "nowhere", None]
    assert list(out["message"]) == [
        "crime_id [id withheld] appears twice",
        "unknown force nowhere",
        "crime [id withheld] of demo-eastvale was in the previous load",
    ]
    assert list(findings["value"]) == ["C77", "nowhere", "C12"]
