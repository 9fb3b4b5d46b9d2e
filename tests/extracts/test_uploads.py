"""Upload checks before a file is read: size, name and kind of file."""

import pytest

from flightdeck.extracts import uploads

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
