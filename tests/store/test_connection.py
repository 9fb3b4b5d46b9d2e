"""Opening the store: only a DuckDB database is opened, and everything the store creates beside
it (folder, write-ahead log, spill folder) is readable by its owner only."""

import os

import duckdb
import pytest

from flightdeck.store import connection
from helpers.modes import mode, open_umask  # noqa: F401 (a fixture)

# A CSV and a text file as an analyst might pass them by mistake as --db.
NOT_DATABASES = {
    "fd.csv": b"force,crime_id\ndemo-eastvale,C1\n",
    "notes.txt": b"remember to load the June extract\n",
    "short.duckdb": b"DUCK",  # too short to hold a header
    "near.duckdb": b"12345678DUCX" + b"\0" * 100,  # the magic bytes one letter out
}


@pytest.mark.parametrize("name", sorted(NOT_DATABASES))
@pytest.mark.parametrize("read_only", [False, True])
def test_a_file_that_is_not_a_duckdb_database_is_refused_untouched(name, read_only, tmp_path):
    path = tmp_path / name
    path.write_bytes(NOT_DATABASES[name])
    stat_before = path.stat()
    with pytest.raises(connection.NotADatabase) as refused:
        connection.connect(path, read_only=read_only)
    assert str(refused.value) == (
        f"{path} is not a flight deck database (not a DuckDB file); nothing was changed"
    )
    assert isinstance(refused.value, ValueError)  # the app shows its message as written
    assert path.read_bytes() == NOT_DATABASES[name]
    assert path.stat().st_mtime_ns == stat_before.st_mtime_ns
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]  # no .wal, no .tmp


def test_a_folder_is_not_a_database(tmp_path):
    with pytest.raises(connection.NotADatabase, match="it is a folder"):
        connection.connect(tmp_path)


def test_the_check_reads_duckdbs_magic_bytes_after_the_checksum(tmp_path):
    path = tmp_path / "made.duckdb"
    path.write_bytes(b"\x00" * 8 + b"DUCK" + b"\x00" * 8)
    assert connection.check_database_file(path) is True
    path.write_bytes(b"DUCK" + b"\x00" * 16)  # right bytes, wrong place
    with pytest.raises(connection.NotADatabase):
        connection.check_database_file(path)
    assert connection.check_database_file(tmp_path / "absent.duckdb") is False


def test_a_real_database_opens_whatever_its_name(tmp_path):
    # DuckDB opens an existing *.csv as a throw-away in-memory database; a DuckDB file so
    # named must still be the file itself, its data kept from one open to the next.
    path = tmp_path / "looks-like.csv"
    con = connection.connect(path)
    con.execute("INSERT INTO audit_log SELECT 1, now(), 'me', 'analyst', 'x', 'y', 'ok'")
    con.close()
    con = connection.connect(path, read_only=True)
    assert con.execute("SELECT user_name FROM audit_log").fetchall() == [("me",)]
    con.close()


@pytest.mark.usefixtures("open_umask")
def test_an_empty_file_becomes_a_new_owner_only_database(tmp_path):
    path = tmp_path / "fd.duckdb"
    path.touch()
    os.chmod(path, 0o644)
    con = connection.connect(path)
    assert con.execute("SELECT count(*) FROM loads").fetchone() == (0,)
    con.close()
    assert path.read_bytes()[8:12] == b"DUCK"
    assert mode(path) == 0o600


def test_an_empty_file_is_no_database_to_read(tmp_path):
    path = tmp_path / "fd.duckdb"
    path.touch()
    with pytest.raises(connection.NoDatabase) as missing:
        connection.connect(path, read_only=True)
    assert str(missing.value) == f"no database at {path} (the file is empty)"
    assert path.read_bytes() == b""


def test_reading_a_path_with_no_database_creates_nothing(tmp_path):
    path = tmp_path / "data" / "fd.duckdb"
    with pytest.raises(connection.NoDatabase) as missing:
        connection.connect(path, read_only=True)
    assert str(missing.value) == f"no database at {path}"
    assert list(tmp_path.iterdir()) == []


def test_a_read_only_open_writes_nothing(tmp_path):
    path = tmp_path / "fd.duckdb"
    connection.connect(path).close()
    before = (path.read_bytes(), path.stat().st_mtime_ns)
    con = connection.connect(path, read_only=True)
    assert con.execute("SELECT count(*) FROM loads").fetchone() == (0,)
    with pytest.raises(duckdb.InvalidInputException, match="read-only"):
        con.execute("INSERT INTO audit_log SELECT 1, now(), 'me', 'analyst', 'x', 'y', 'ok'")
    con.close()
    assert (path.read_bytes(), path.stat().st_mtime_ns) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["fd.duckdb"]


@pytest.mark.usefixtures("open_umask")
def test_the_folder_log_and_file_are_owner_only_during_a_load_and_after(tmp_path):
    path = tmp_path / "data" / "deep" / "fd.duckdb"
    con = connection.connect(path)
    wal = connection.wal_path(path)
    con.execute("BEGIN")
    con.execute(
        "INSERT INTO audit_log SELECT i, now(), 'me', 'analyst', 'load_cases', 'C' || i, 'ok' "
        "FROM range(1, 50001) AS r(i)"
    )
    assert wal.exists(), "the schema's changes and the open transaction are in the log"
    assert mode(wal) == 0o600
    con.execute("COMMIT")
    assert mode(wal) == 0o600
    assert mode(path) == 0o600
    con.close()
    assert mode(tmp_path / "data") == 0o700
    assert mode(tmp_path / "data" / "deep") == 0o700
    assert os.umask(0o022) & 0o077 == 0o077  # the process now creates owner-only files


@pytest.mark.usefixtures("open_umask")
def test_an_existing_folder_keeps_its_mode(tmp_path):
    shared = tmp_path / "shared"
    shared.mkdir()
    os.chmod(shared, 0o755)
    connection.connect(shared / "fd.duckdb").close()
    assert mode(shared) == 0o755  # the user's folder, not the store's to change


@pytest.mark.usefixtures("open_umask")
def test_duckdbs_spill_folder_is_owner_only(tmp_path):
    path = tmp_path / "fd.duckdb"
    con = connection.connect(path)
    con.execute("SET memory_limit = '30MB'")
    con.execute("SET threads = 1")
    con.execute("SET preserve_insertion_order = false")
    # Grouping two million distinct keys in 30 MB spills to <db>.tmp.
    groups = con.execute(
        "SELECT count(*) FROM (SELECT h, count(*) FROM "
        "(SELECT md5(i::VARCHAR) AS h FROM range(2000000) AS r(i)) GROUP BY h)"
    ).fetchone()
    assert groups == (2_000_000,)
    spill = tmp_path / "fd.duckdb.tmp"
    assert spill.is_dir(), "the query spilled to disk"
    assert mode(spill) == 0o700
    con.close()


@pytest.mark.usefixtures("open_umask")
@pytest.mark.parametrize("read_only", [False, True])
def test_a_log_left_readable_by_others_is_made_owner_only(tmp_path, read_only):
    path = tmp_path / "fd.duckdb"
    connection.connect(path).close()
    # A log left behind, as after a crash: no checkpoint when this connection closes.
    con = duckdb.connect(str(path))
    con.execute("SET checkpoint_threshold = '1GB'")
    con.execute("PRAGMA disable_checkpoint_on_shutdown")
    con.execute("INSERT INTO audit_log SELECT 1, now(), 'me', 'analyst', 'x', 'crash', 'ok'")
    con.close()
    wal = connection.wal_path(path)
    os.chmod(wal, 0o644)
    con = connection.connect(path, read_only=read_only)
    assert mode(wal) == 0o600
    assert con.execute("SELECT detail FROM audit_log").fetchall() == [("crash",)]
    con.close()
