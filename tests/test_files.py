"""Files the product writes are whole or absent, and readable by their owner only."""

import os

import pytest

from flightdeck import files


def test_a_new_file_is_owner_only_in_a_new_owner_only_folder(tmp_path):
    path = files.write_atomically(tmp_path / "exports" / "results.csv", "a,b\n1,2\n")
    assert path.read_text(encoding="utf-8") == "a,b\n1,2\n"
    assert path.stat().st_mode & 0o777 == 0o600
    assert path.parent.stat().st_mode & 0o777 == 0o700


def test_a_rewrite_replaces_the_file_and_leaves_no_temporary_file(tmp_path):
    path = tmp_path / "roles.toml"
    path.write_text("old")
    os.chmod(path, 0o644)
    files.write_atomically(path, b"new \xe2\x9c\x93")
    assert path.read_bytes() == b"new \xe2\x9c\x93"
    assert path.stat().st_mode & 0o777 == 0o600
    assert [p.name for p in tmp_path.iterdir()] == ["roles.toml"]


def test_a_failed_write_keeps_the_earlier_file(tmp_path, monkeypatch):
    path = tmp_path / "results.csv"
    path.write_text("earlier")

    def full_disk(*args):
        raise OSError("No space left on device")

    monkeypatch.setattr(files.os, "replace", full_disk)
    with pytest.raises(OSError):
        files.write_atomically(path, "later")
    assert path.read_text() == "earlier"
    assert [p.name for p in tmp_path.iterdir()] == ["results.csv"]
