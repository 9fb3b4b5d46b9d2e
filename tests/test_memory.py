"""DuckDB's memory limit and spill folder come from the settings, and the folder is private."""

import stat

import duckdb
import pytest

from flightdeck import memory
from flightdeck.store import connection


def _setting(con, name: str) -> str:
    return con.execute("SELECT current_setting(?)", [name]).fetchone()[0]


def test_a_store_connection_has_the_configured_limit_and_spills_beside_the_database(
    tmp_path, monkeypatch
):
    monkeypatch.setenv("FLIGHTDECK_MEMORY_LIMIT", "1536MiB")
    monkeypatch.delenv("FLIGHTDECK_TEMP_DIR", raising=False)
    con = connection.connect(tmp_path / "store" / "fd.duckdb")
    # DuckDB reports the limit in its own units: 1536 MiB is 1.5 GiB.
    assert _setting(con, "memory_limit") == "1.5 GiB"
    folder = tmp_path / "store" / "fd.duckdb.tmp"
    assert _setting(con, "temp_directory") == str(folder)
    assert not folder.exists()  # made by DuckDB when it first spills, not by opening
    con.execute("SET memory_limit = '30MB'")
    con.execute("CREATE TEMP TABLE big AS SELECT i::VARCHAR || 'x' AS s FROM range(3000000) t(i)")
    con.execute("SELECT s FROM big ORDER BY s DESC").fetchone()  # spills
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    con.close()
    reader = connection.connect(tmp_path / "store" / "fd.duckdb", read_only=True)
    assert _setting(reader, "memory_limit") == "1.5 GiB"
    reader.close()


def test_the_temp_dir_setting_wins_and_is_created_owner_only(tmp_path, monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_TEMP_DIR", str(tmp_path / "spill" / "here"))
    con = memory.private_connection()
    assert _setting(con, "temp_directory") == str(tmp_path / "spill" / "here")
    assert stat.S_IMODE((tmp_path / "spill").stat().st_mode) == 0o700
    assert stat.S_IMODE((tmp_path / "spill" / "here").stat().st_mode) == 0o700


def test_a_size_duckdb_cannot_read_is_refused_by_name(monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_MEMORY_LIMIT", "lots")
    with pytest.raises(ValueError, match="FLIGHTDECK_MEMORY_LIMIT is 'lots'"):
        memory.private_connection()


def test_work_that_cannot_fit_is_told_in_words_a_user_can_act_on(monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_MEMORY_LIMIT", "30MB")
    con = memory.private_connection()
    con.execute("SET temp_directory = ''")  # nowhere to spill
    with pytest.raises(duckdb.OutOfMemoryException) as caught:
        con.execute("SELECT count(DISTINCT i::VARCHAR || 'x') FROM range(20000000) t(i)")
    text = memory.too_big(caught.value, "Loading these files")
    assert text.startswith("Loading these files needs more memory than FLIGHTDECK_MEMORY_LIMIT")
    assert "(30MB)" in text and "nothing was changed" in text
