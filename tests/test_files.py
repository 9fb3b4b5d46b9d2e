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


@pytest.fixture
def open_umask():
    """The umask a default shell gives (group and other may read), restored after the test."""
    before = os.umask(0o022)
    yield
    os.umask(before)


def test_the_private_umask_makes_new_files_and_folders_owner_only(tmp_path, open_umask):
    assert files.private_umask() == 0o022
    (tmp_path / "plain.txt").write_text("case rows")
    (tmp_path / "plain").mkdir()
    assert (tmp_path / "plain.txt").stat().st_mode & 0o777 == 0o600
    assert (tmp_path / "plain").stat().st_mode & 0o777 == 0o700


def test_the_private_umask_keeps_a_stricter_one(open_umask):
    os.umask(0o277)
    assert files.private_umask() == 0o277
    assert os.umask(0o022) == 0o277


def test_missing_folders_are_created_owner_only_and_existing_ones_kept(tmp_path, open_umask):
    os.chmod(tmp_path, 0o755)
    folder = files.make_owner_only_folder(tmp_path / "a" / "b")
    assert folder == tmp_path / "a" / "b" and folder.is_dir()
    assert [(tmp_path / p).stat().st_mode & 0o777 for p in ("a", "a/b")] == [0o700, 0o700]
    assert tmp_path.stat().st_mode & 0o777 == 0o755


def test_a_streamed_file_is_owner_only_even_when_it_existed_wider(tmp_path, open_umask):
    path = tmp_path / "cases.csv"
    path.write_text("old content, longer than the new")
    os.chmod(path, 0o644)
    with files.create_owner_only(path) as handle:
        handle.write("a,b\r\n")
    assert path.read_bytes() == b"a,b\r\n"  # truncated, line ends as written
    assert path.stat().st_mode & 0o777 == 0o600
    with files.create_owner_only(tmp_path / "new.bin", binary=True) as handle:
        handle.write(b"\x00\x01")
    assert (tmp_path / "new.bin").stat().st_mode & 0o777 == 0o600
