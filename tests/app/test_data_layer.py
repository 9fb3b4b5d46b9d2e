"""The dashboard's data layer holds the database file only for moments, so the command line can
load into the same file while the dashboard runs; a load in progress makes it say "busy"."""

import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from flightdeck.app.data import actions, db, deck, quality
from flightdeck.cli.main import main
from flightdeck.store import busy

HEADER = "force,crime_id,recorded_date,offence_code,victim_age,victim_gender"
EASTVALE = [
    "demo-eastvale,E1,2024-01-10,19C,25,female",
    "demo-eastvale,E2,2024-02-11,19F,40,male",
]
WESTBURY = [
    "demo-westbury,W1,2024-03-05,19C,31,female",
    "demo-westbury,W2,2024-03-06,19C,17,female",
    "demo-westbury,W3,2024-04-07,17A,12,male",
]
FLIGHTDECK = str(Path(sys.executable).parent / "flightdeck")


def _csv(path: Path, rows: list[str]) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


@pytest.fixture
def app_db(tmp_path, monkeypatch) -> Path:
    """A database with Eastvale loaded, set as the app's database."""
    path = tmp_path / "app.duckdb"
    east = _csv(tmp_path / "east.csv", EASTVALE)
    assert (
        main(["load-cases", str(east), "--db", str(path), "--as-of", "2024-06-30", "--quiet"]) == 0
    )
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    db.forget_version()
    return path


def _holder(path: Path) -> subprocess.Popen:
    """Another process holding the database file open (as a command line load does)."""
    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; con = duckdb.connect({str(path)!r}); print('held', flush=True); "
         "time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout.readline().strip() == "held"
    return holder


def test_command_line_loads_while_the_app_runs_and_the_app_sees_the_new_version(app_db, tmp_path):
    assert deck.forces()["force"].tolist() == ["demo-eastvale"]
    before = db.version()
    west = _csv(tmp_path / "west.csv", WESTBURY)
    done = subprocess.run(
        [FLIGHTDECK, "load-cases", str(west), "--db", str(app_db), "--as-of", "2024-06-30"],
        capture_output=True, text=True, timeout=120,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert "3 rows (3 new" in done.stdout
    time.sleep(db.VERSION_TTL)  # the version read is reused for this long
    assert db.version() != before
    assert deck.forces()["force"].tolist() == ["demo-eastvale", "demo-westbury"]


def test_a_load_holding_the_file_makes_the_app_say_busy_not_fail(app_db, monkeypatch):
    db.version()
    monkeypatch.setattr(db, "BUSY_WAIT_SECONDS", 0.3)
    db.forget_version()
    holder = _holder(app_db)
    try:
        started = time.monotonic()
        with pytest.raises(busy.DatabaseBusy, match="The database is busy"):
            db.version()
        assert time.monotonic() - started < 3
        result = actions.rollback(1)
        assert not result.ok
        assert result.message == busy.BUSY_MESSAGE
    finally:
        holder.kill()
        holder.wait()
    # Once the other process lets go, the same call works and the rollback happens.
    assert actions.rollback(1).ok
    assert deck.forces().empty


def test_the_app_keeps_no_connection_open_between_reads(app_db):
    deck.forces()
    quality.loads()
    # Another process can now take the file for writing (it could not while a connection of
    # this process was open).
    done = subprocess.run(
        [sys.executable, "-c", f"import duckdb; duckdb.connect({str(app_db)!r}).close()"],
        capture_output=True, text=True, timeout=60,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr


def test_open_when_free_retries_lock_conflicts_only_and_then_gives_up():
    clock = [0.0]
    calls = []

    def locked():
        calls.append(clock[0])
        raise duckdb.IOException('Could not set lock on file "x": Conflicting lock is held')

    def sleep(seconds):
        clock[0] += seconds

    with pytest.raises(busy.DatabaseBusy):
        busy.open_when_free(locked, 1.0, sleep=sleep, clock=lambda: clock[0])
    # pauses 0.1, 0.2, 0.4 (0.7 s waited); a fourth pause of 0.8 would pass the 1 s deadline
    assert calls == pytest.approx([0.0, 0.1, 0.3, 0.7])

    def broken():
        raise duckdb.IOException("Cannot open file: permission denied")

    with pytest.raises(duckdb.IOException):
        busy.open_when_free(broken, 1.0, sleep=sleep, clock=lambda: clock[0])

    attempts = iter([True, False])

    def second_time_lucky():
        if next(attempts):
            raise duckdb.IOException("Could not set lock on file")
        return "connection"

    assert busy.open_when_free(second_time_lucky, 1.0, sleep=sleep) == "connection"


def test_database_file_made_by_the_app_is_owner_only_and_has_the_schema(tmp_path, monkeypatch):
    path = tmp_path / "fresh.duckdb"
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    with db.database() as con:
        assert con.execute("SELECT count(*) FROM loads").fetchone() == (0,)
    assert path.stat().st_mode & 0o777 == 0o600
