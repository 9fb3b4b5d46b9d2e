"""Upload checks before a file is read, and errors shown as one plain sentence."""

import logging

import pytest

from flightdeck import access, errors, uploads

MB = 1024 * 1024
CSV_HEAD = b"force,crime_id,recorded_date\n"


def test_a_plain_csv_within_the_limit_passes():
    uploads.check_upload("june.CSV", 10 * MB, CSV_HEAD, max_bytes=500 * MB)
    uploads.check_upload("june.csv", 500 * MB, b"\xef\xbb\xbf" + CSV_HEAD, max_bytes=500 * MB)


@pytest.mark.parametrize(
    "name, size, head, reason",
    [
        ("june.xlsx", 10, CSV_HEAD, "is not a .csv file"),
        ("june", 10, CSV_HEAD, "is not a .csv file"),
        ("june.csv.exe", 10, CSV_HEAD, "is not a .csv file"),
        ("june.csv", 0, b"", "is empty"),
        ("june.csv", 500 * MB + 1, CSV_HEAD, "larger than the limit of 500 MB"),
        ("june.csv", 10, b"PK\x03\x04rest", "Excel"),
        ("june.csv", 10, b"%PDF-1.7", "a PDF"),
        ("june.csv", 10, b"MZ\x90\x00", "a Windows program"),
        ("june.csv", 10, "force,crime_id\n".encode("utf-16"), "not a text CSV"),
    ],
)
def test_files_that_are_not_csv_extracts_are_rejected(name, size, head, reason):
    with pytest.raises(uploads.UploadRejected, match=reason):
        uploads.check_upload(name, size, head, max_bytes=500 * MB)


def test_rejection_names_the_file_but_never_its_folder(tmp_path):
    path = tmp_path / "secret-folder" / "june.txt"
    path.parent.mkdir()
    path.write_bytes(CSV_HEAD)
    with pytest.raises(uploads.UploadRejected) as caught:
        uploads.check_file(path, max_bytes=MB)
    assert str(caught.value) == "june.txt is not a .csv file; extracts must be CSV files."


def test_check_file_reads_size_and_start_from_disk(tmp_path):
    path = tmp_path / "big.csv"
    path.write_bytes(CSV_HEAD * 100)  # 2,900 bytes
    uploads.check_file(path, max_bytes=2900)
    with pytest.raises(uploads.UploadRejected, match="larger than the limit"):
        uploads.check_file(path, max_bytes=2899)


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cannot open /work/main/data/flightdeck.duckdb now", "cannot open <path> now"),
        (r"cannot open C:\Users\ana\june.csv", "cannot open <path>"),
        ("3/4 of the rows", "3/4 of the rows"),
        ("load 7 does not exist.", "load 7 does not exist."),
    ],
)
def test_paths_are_scrubbed(text, expected):
    assert errors.scrub_paths(text) == expected


def test_product_messages_are_shown_as_one_sentence_without_paths():
    refused = access.PermissionDenied("vic (viewer) may not load")
    assert errors.user_message(refused, "ab12") == "vic (viewer) may not load"
    failed = ValueError("Load 9 does not exist.\nTraceback: /srv/app/store.py line 3")
    assert errors.user_message(failed, "ab12") == "Load 9 does not exist."
    upload = uploads.UploadRejected("june.txt is not a .csv file")
    assert errors.user_message(upload, "ab12") == "june.txt is not a .csv file"


def test_unexpected_errors_give_a_reference_and_log_the_detail(caplog):
    exc = OSError("[Errno 13] Permission denied: '/var/lib/flightdeck/fd.duckdb'")
    with caplog.at_level(logging.ERROR, logger="flightdeck.errors"):
        message = errors.report(exc)
    assert "/var/lib" not in message and "Errno" not in message
    reference = message.split("(reference ")[1][:8]
    assert message == (
        f"Something went wrong and the action was not completed (reference {reference}). "
        "The details are in the server log."
    )
    assert reference in caplog.text and "OSError" in caplog.text


# ---- every CSV the product writes is formula-safe ---------------------------------------------


def _result_rows(con) -> None:
    con.execute(
        """INSERT INTO kpi_results VALUES
           ('K01', '=HYPERLINK(1)', DATE '2024-03-01', '55+', 'All', 12, NULL, 12, TRUE),
           ('K05', 'demo-eastvale', DATE '2024-03-01', 'All', '-female', -3, 4, -0.75, FALSE)"""
    )


def test_results_csv_neutralises_text_but_keeps_numbers_and_bands(store, tmp_path):
    from flightdeck import kpis

    _result_rows(store)
    out = tmp_path / "results.csv"
    assert kpis.write_results_csv(store, out) == 2
    # Worked out by hand: formula-like text gets a leading quote; `55+` ends in `+` and is
    # left alone; negative figures stay numbers; whole numbers lose `.0`; NULL is blank.
    assert out.read_text(encoding="utf-8").splitlines() == [
        "kpi_id,force,month,age_band,gender,numerator,denominator,value,complete",
        "K01,'=HYPERLINK(1),2024-03-01,55+,All,12,,12,true",
        "K05,demo-eastvale,2024-03-01,All,'-female,-3,4,-0.75,false",
    ]


def test_feasibility_csv_neutralises_a_formula_like_reason(store, tmp_path):
    from flightdeck import kpis

    store.execute(
        "INSERT INTO kpi_feasibility VALUES ('demo-eastvale', 'K01', 'partial', '=1+1'),"
        " ('demo-eastvale', 'K02', 'feasible', 'recorded for 95% of crimes')"
    )
    out = tmp_path / "feasibility.csv"
    assert kpis.write_feasibility_csv(store, out) == 2
    lines = out.read_text(encoding="utf-8").splitlines()
    assert lines[1].startswith("demo-eastvale,K01,partial,'=1+1")
    assert lines[2].startswith("demo-eastvale,K02,feasible,recorded for 95% of crimes")


def test_peer_export_text_is_neutralised_and_figures_stay_numbers():
    import pandas as pd

    from flightdeck import peer_exchange

    frame = pd.DataFrame(
        {
            "kpi_id": ["K01"],
            "force": ["@evil"],
            "month": [pd.Timestamp("2024-03-01")],
            "age_band": ["55+"],
            "gender": ["All"],
            "numerator": [-3.0],
            "denominator": [None],
            "value": [2.5],
            "complete": [True],
            "suppressed": [False],
        }
    )
    text = peer_exchange._to_csv_text(frame)
    assert text.splitlines()[1] == "K01,'@evil,2024-03-01,55+,All,-3,,2.5,true,false"


def test_findings_shown_on_pages_withhold_crime_and_suspect_ids():
    import pandas as pd

    from flightdeck import safe_export

    findings = pd.DataFrame(
        {
            "column": ["crime_id", "suspect_id", "recorded_date"],
            "line": [4, 5, 6],
            "value": ["C-991", "S-17", "31-02-2024"],
            "message": ["duplicate crime C-991", "suspect S-17 twice", "not a date"],
        }
    )
    shown = safe_export.redact_identifier_values(findings)
    assert shown["value"].tolist() == [None, None, "31-02-2024"]
    assert shown["message"].tolist() == [
        "duplicate crime [id withheld]",
        "suspect [id withheld] twice",
        "not a date",
    ]
    assert "C-991" not in safe_export.csv_bytes(shown).decode()
