"""CSV exports: formula injection neutralised, numbers kept, identifiers refused or withheld."""

import io

import pandas as pd
import pytest

from flightdeck import access, exports
from flightdeck.engine import results
from flightdeck.peers import export


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
    assert exports.neutralise_cell(cell) == expected


def test_numeric_columns_keep_their_negative_numbers():
    frame = pd.DataFrame(
        {
            "kpi_id": ["K01", "=cmd"],
            "change": [-3, 2],
            "value": [-0.25, None],
            "complete": [True, False],
        }
    )
    out = exports.neutralise_formulas(frame)
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
    out = exports.neutralise_formulas(frame)
    assert list(out["mixed"][:2]) == ["'-1", -1] and out["mixed"][2] is None
    assert list(out["band"]) == ["'@x", "16-17", "'@x"]


def test_csv_text_has_neutralised_cells_and_headers():
    frame = pd.DataFrame({"=evil": ["+1", "ok"], "n": [-5, 7]})
    assert exports.to_safe_csv(frame) == "'=evil,n\n'+1,-5\nok,7\n"
    buffer = io.StringIO()
    assert exports.to_safe_csv(frame, buffer) is None
    assert buffer.getvalue() == "'=evil,n\n'+1,-5\nok,7\n"
    assert exports.csv_bytes(frame) == b"'=evil,n\n'+1,-5\nok,7\n"


def test_csv_written_to_a_path(tmp_path):
    path = tmp_path / "out.csv"
    exports.to_safe_csv(pd.DataFrame({"a": ["@x"]}), path)
    assert path.read_text() == "a\n'@x\n"


@pytest.mark.parametrize("column", ["crime_id", "suspect_id", " Crime_ID "])
def test_identifier_columns_are_refused(column):
    with pytest.raises(exports.IdentifierInExport, match="aggregates only"):
        exports.to_safe_csv(pd.DataFrame({column: ["C1"], "n": [1]}))


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
    out = exports.redact_identifier_values(findings)
    assert list(out["value"]) == [None, "nowhere", None]
    assert list(out["message"]) == [
        "crime_id [id withheld] appears twice",
        "unknown force nowhere",
        "crime [id withheld] of demo-eastvale was in the previous load",
    ]
    assert list(findings["value"]) == ["C77", "nowhere", "C12"]


def _result_rows(con) -> None:
    con.execute(
        """INSERT INTO kpi_results (kpi_id, force, month, offence_group, age_band, gender,
                                   numerator, denominator, value, complete) VALUES
           ('K01', '=HYPERLINK(1)', DATE '2024-03-01', 'All', '55+', 'All', 12, NULL, 12, TRUE),
           ('K05', 'demo-eastvale', DATE '2024-03-01', 'rape', 'All', '-female', -3, 4, -0.75,
            FALSE)"""
    )


def test_results_csv_neutralises_text_but_keeps_numbers_and_bands(store, tmp_path):

    _result_rows(store)
    out = tmp_path / "results.csv"
    assert results.write_results_csv(store, out) == 2
    # Worked out by hand: formula-like text gets a leading quote; `55+` ends in `+` and is
    # left alone; negative figures stay numbers; whole numbers lose `.0`; NULL is blank.
    assert out.read_text(encoding="utf-8").splitlines() == [
        "kpi_id,force,month,offence_group,age_band,gender,numerator,denominator,value,complete",
        "K01,'=HYPERLINK(1),2024-03-01,All,55+,All,12,,12,true",
        "K05,demo-eastvale,2024-03-01,rape,All,'-female,-3,4,-0.75,false",
    ]


def test_feasibility_csv_neutralises_a_formula_like_reason(store, tmp_path):

    store.execute(
        "INSERT INTO kpi_feasibility VALUES ('demo-eastvale', 'K01', 'partial', '=1+1'),"
        " ('demo-eastvale', 'K02', 'feasible', 'recorded for 95% of crimes')"
    )
    out = tmp_path / "feasibility.csv"
    assert results.write_feasibility_csv(store, out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("demo-eastvale,K01,partial,'=1+1")
    assert lines[2].startswith("demo-eastvale,K02,feasible,recorded for 95% of crimes")


def test_peer_export_text_is_neutralised_and_figures_stay_numbers():
    import pandas as pd

    frame = pd.DataFrame(
        {
            "kpi_id": ["K01"],
            "force": ["@evil"],
            "month": [pd.Timestamp("2024-03-01")],
            "offence_group": ["-rape"],  # a text cell like any other: neutralised
            "age_band": ["55+"],
            "gender": ["All"],
            "numerator": [-3.0],
            "denominator": [None],
            "value": [2.5],
            "complete": [True],
            "suppressed": [False],
        }
    )
    text = export._to_csv_text(frame)
    assert text.splitlines()[1] == "K01,'@evil,2024-03-01,'-rape,55+,All,-3,,2.5,true,false"


def test_findings_shown_on_pages_withhold_crime_and_suspect_ids():
    import pandas as pd

    findings = pd.DataFrame(
        {
            "column": ["crime_id", "suspect_id", "recorded_date"],
            "line": [4, 5, 6],
            "value": ["C-991", "S-17", "31-02-2024"],
            "message": ["duplicate crime C-991", "suspect S-17 twice", "not a date"],
        }
    )
    shown = exports.redact_identifier_values(findings)
    assert shown["value"].tolist() == [None, None, "31-02-2024"]
    assert shown["message"].tolist() == [
        "duplicate crime [id withheld]",
        "suspect [id withheld] twice",
        "not a date",
    ]
    assert "C-991" not in exports.csv_bytes(shown).decode()


def test_a_download_that_breaks_while_being_built_is_audited_as_failed(store):
    user = access.User(name="an analyst", role="analyst")

    def broken() -> bytes:
        raise RuntimeError("Chromium stopped: crime C123 on page 4")  # a message may quote data

    with pytest.raises(RuntimeError):
        exports.audited_download(store, user, "board pack of demo-a for 2025-06 (PDF)", broken)
    action, detail, outcome = store.execute(
        "SELECT action, detail, outcome FROM audit_log ORDER BY rowid DESC LIMIT 1"
    ).fetchone()
    assert (action, outcome) == ("export", "failed")
    assert detail == "board pack of demo-a for 2025-06 (PDF): RuntimeError"  # no message
