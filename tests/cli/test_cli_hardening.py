"""The command line facing mistakes: a --db that is not a database, a setting that makes no
sense, the demo aimed at a force's real data, a database the user may only read. Each ends in
one `flightdeck: ...` line and an exit status, never a traceback, and leaves files as they were.
"""

import datetime as dt
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from flightdeck.cli import main as cli_main
from flightdeck.cli import results as cli_results
from flightdeck.settings import load_settings
from flightdeck.store import connection
from flightdeck.synthetic import demo
from helpers.store import insert_case_load
from helpers.umask import restore_umask  # noqa: F401 (autouse fixture)

CASES = (
    "force,crime_id,recorded_date,offence_code,victim_age,victim_gender\n"
    "demo-eastvale,C1,2024-01-10,19C,25,female\n"
)
WORKFORCE = "force,month,investigators_in_post,investigators_trained\ndemo-eastvale,2024-01,20,5\n"
CRIME = {"crime_id": "C1", "recorded_date": "2024-01-10", "offence_code": "19C"}


def run(*args: str) -> int:
    return cli_main.main(list(args))


def run_process(*args: str, env: dict | None = None, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "flightdeck", *args],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, **(env or {})},
        **kwargs,
    )


def listing(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def new_store(db: Path, *forces: str) -> None:
    """A store at `db` with one case load of one crime per force."""
    con = connection.connect(db)
    try:
        for force in forces:
            insert_case_load(con, [CRIME | {"force": force}], "2024-06-30")
    finally:
        con.close()


# --- 1. a --db that is not a database ------------------------------------------------------

# Every command that takes --db, with the arguments it needs (paths filled in by the test).
DB_COMMANDS = {
    "load-cases": ["load-cases", "{cases}", "--as-of", "2024-06-30"],
    "load-workforce": ["load-workforce", "{workforce}"],
    # Any existing file: the database is refused before the file is read.
    "load-partner": ["load-partner", "{workforce}", "--force", "demo-eastvale"],
    "loads": ["loads"],
    "rollback": ["rollback", "1"],
    "refresh": ["refresh"],
    "warnings": ["warnings"],
    "kpis": ["kpis", "--out", "{out}"],
    "feasibility": ["feasibility", "--out", "{out}"],
    "demo": ["demo"],
    "demo --if-missing": ["demo", "--if-missing"],
    "export-results": ["export-results", "--force", "demo-eastvale", "--out", "{out}"],
    "import-results --list": ["import-results", "--list"],
    "import-results --remove": ["import-results", "--remove", "kent"],
    "import-national": ["import-national", "{cases}"],
    "import-national --list": ["import-national", "--list"],
    "audit": ["audit"],
    "board-pack": ["board-pack", "--force", "kent", "--month", "2025-06", "--out", "{pack}"],
    "problem-profile": [
        "problem-profile",
        "--force",
        "kent",
        "--format",
        "html",
        "--out",
        "{pack}",
    ],
    "suspects": [
        "suspects",
        "--force",
        "kent",
        "--month",
        "2025-06",
        "--list",
        "harm",
        "--out",
        "{out}",
    ],
}


def test_every_command_with_a_db_option_is_covered():
    parser = cli_main.build_parser()
    commands = parser._subparsers._group_actions[0].choices  # argparse keeps them here
    with_db = {
        name
        for name, sub in commands.items()
        if any("--db" in action.option_strings for action in sub._actions)
    }
    assert with_db == {args[0] for args in DB_COMMANDS.values()}


@pytest.mark.parametrize("content", [CASES.encode(), b"just some notes\n"], ids=["csv", "text"])
@pytest.mark.parametrize("command", sorted(DB_COMMANDS))
def test_a_db_that_is_not_a_database_is_refused_and_left_untouched(
    command, content, tmp_path, capsys
):
    db = tmp_path / "extract.csv"
    db.write_bytes(content)
    paths = {
        "cases": tmp_path / "cases.csv",
        "workforce": tmp_path / "workforce.csv",
        "out": tmp_path / "out.csv",
        "pack": tmp_path / "pack.html",
    }
    paths["cases"].write_text(CASES)
    paths["workforce"].write_text(WORKFORCE)
    args = [a.format(**{k: str(v) for k, v in paths.items()}) for a in DB_COMMANDS[command]]
    before = listing(tmp_path)
    assert run(*args, "--db", str(db), "--quiet") == 1
    err = capsys.readouterr().err
    assert err.splitlines()[-1] == (
        f"flightdeck: {db} is not a flight deck database (not a DuckDB file); nothing was changed"
    )
    assert listing(tmp_path) == before  # the file byte for byte, no .wal, no output


def test_the_refusal_is_one_line_from_the_installed_command(tmp_path):
    db = tmp_path / "extract.csv"
    db.write_text(CASES)
    (tmp_path / "cases.csv").write_text(CASES)
    result = run_process("load-cases", str(tmp_path / "cases.csv"), "--db", str(db), "--quiet")
    assert result.returncode == 1
    assert result.stderr == (
        f"flightdeck: {db} is not a flight deck database (not a DuckDB file); nothing was changed\n"
    )
    assert result.stdout == ""
    assert db.read_text() == CASES
    assert sorted(p.name for p in tmp_path.iterdir()) == ["cases.csv", "extract.csv"]


def test_an_empty_file_is_taken_as_a_new_database(tmp_path, capsys):
    db = tmp_path / "fd.duckdb"
    db.touch()
    (tmp_path / "cases.csv").write_text(CASES)
    assert run("kpis", "--db", str(db), "--out", str(tmp_path / "k.csv")) == 1
    assert capsys.readouterr().err == f"flightdeck: no database at {db} (the file is empty)\n"
    assert db.read_bytes() == b""  # a reading command leaves it as it is
    cases = str(tmp_path / "cases.csv")
    assert run("load-cases", cases, "--db", str(db), "--as-of", "2024-06-30", "--quiet") == 0
    con = connection.connect(db, read_only=True)
    assert con.execute("SELECT crime_id FROM crime_versions").fetchall() == [("C1",)]
    con.close()
    assert db.stat().st_mode & 0o777 == 0o600


# --- 2. owner-only files from the command line -----------------------------------------------


def test_the_command_line_creates_the_database_and_its_folder_owner_only(tmp_path):
    (tmp_path / "cases.csv").write_text(CASES)
    db = tmp_path / "data" / "fd.duckdb"
    result = run_process(
        "load-cases", str(tmp_path / "cases.csv"), "--db", str(db), "--as-of", "2024-06-30",
        preexec_fn=lambda: os.umask(0o022),
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert db.stat().st_mode & 0o777 == 0o600
    assert db.parent.stat().st_mode & 0o777 == 0o700


def test_the_entry_point_sets_a_private_umask(tmp_path):
    os.umask(0o022)
    run("generate", "--out", str(tmp_path / "out"), "--forces", "1", "--months", "1", "--quiet")
    assert os.umask(0o022) & 0o077 == 0o077


# --- 3. settings the product does not accept -------------------------------------------------


@pytest.mark.parametrize(
    "name, text, rule",
    [
        ("FLIGHTDECK_MAX_UPLOAD_MB", "abc", "a number of megabytes above 0"),
        ("FLIGHTDECK_FEASIBILITY_MIN", "2", "a share from 0 to 1"),
        ("FLIGHTDECK_HOLD_SHARE", "x", "a share from 0 to 1"),
        ("FLIGHTDECK_SUPPRESS_COUNT_MAX", "-1", "a whole number, 0 or more"),
    ],
)
def test_a_malformed_setting_is_one_line_and_exit_2(name, text, rule, tmp_path):
    result = run_process("kpis", "--db", str(tmp_path / "fd.duckdb"), "--out", "k.csv",
                         env={name: text}, cwd=tmp_path)  # fmt: skip
    assert "Traceback" not in result.stderr
    assert result.stderr == f"flightdeck: {name} is '{text}': it must be {rule}\n"
    assert result.returncode == 2
    assert list(tmp_path.iterdir()) == []


def test_a_setting_refused_while_a_command_runs_is_exit_2(monkeypatch, capsys):
    def reads_a_bad_setting(args) -> int:
        load_settings({"FLIGHTDECK_HOLD_SHARE": "1.5"})
        return 0

    monkeypatch.setattr(cli_results, "cmd_kpis", reads_a_bad_setting)
    assert run("kpis", "--out", "unused.csv") == 2
    assert capsys.readouterr().err == (
        "flightdeck: FLIGHTDECK_HOLD_SHARE is '1.5': it must be a share from 0 to 1\n"
    )


# --- 4. the demo and a force's real data -----------------------------------------------------


@pytest.fixture
def small_demo(monkeypatch):
    """The demo built from one force over two months: the same code path, in a moment."""
    real_generate = demo.generator.generate

    def generate(out, **kwargs):
        small = dict(forces=1, months=2, crimes_per_month=3, warmup_months=0)
        return real_generate(out, **(kwargs | small | {"as_of": dt.date(2024, 6, 30)}))

    monkeypatch.setattr(demo.generator, "generate", generate)


def loads_of(db: Path) -> list[list[str]]:
    con = connection.connect(db, read_only=True)
    try:
        return [f for (f,) in con.execute("SELECT forces FROM loads ORDER BY load_id").fetchall()]
    finally:
        con.close()


def test_the_demo_onto_real_force_data_is_refused_naming_the_flag(tmp_path, small_demo, capsys):
    db = tmp_path / "force.duckdb"
    new_store(db, "leicestershire")
    assert run("demo", "--db", str(db), "--quiet") == 1
    assert capsys.readouterr().err == (
        f"flightdeck: {db} holds real force data (leicestershire); the demo's synthetic forces "
        "were not loaded beside it, nothing was changed. Use a database of its own for the demo "
        "(--db), or give --alongside-real-data to load the synthetic forces beside the real "
        "data.\n"
    )
    assert loads_of(db) == [["leicestershire"]]


def test_the_demo_if_missing_is_refused_onto_a_real_forces_peer_import(
    tmp_path, small_demo, capsys
):
    db = tmp_path / "force.duckdb"
    con = connection.connect(db)
    con.execute(
        "INSERT INTO peer_imports VALUES (1, 'kent', 'kent.csv', 'sha', DATE '2024-06-30', "
        "'1.0', 4, 10, NULL, 0, 0, 'me', now())"
    )
    con.close()
    assert run("demo", "--db", str(db), "--if-missing", "--quiet") == 1
    assert f"{db} holds real force data (kent);" in capsys.readouterr().err
    assert loads_of(db) == []
    assert run("demo", "--db", str(db), "--if-missing", "--alongside-real-data", "--quiet") == 0
    assert loads_of(db) == [["demo-northmoor"]] * 3  # cases, workforce, partner figures


def test_the_demo_loads_beside_real_data_with_the_flag(tmp_path, small_demo):
    db = tmp_path / "force.duckdb"
    new_store(db, "leicestershire")
    assert run("demo", "--db", str(db), "--alongside-real-data", "--quiet") == 0
    assert loads_of(db) == [["leicestershire"]] + [["demo-northmoor"]] * 3


def test_the_demo_into_a_new_or_demo_only_database_needs_no_flag(tmp_path, small_demo):
    fresh = tmp_path / "new.duckdb"
    assert run("demo", "--db", str(fresh), "--quiet") == 0
    assert loads_of(fresh) == [["demo-northmoor"]] * 3
    demo_only = tmp_path / "demo.duckdb"
    new_store(demo_only, "demo-eastvale")
    assert run("demo", "--db", str(demo_only), "--quiet") == 0
    assert loads_of(demo_only)[1:] == [["demo-northmoor"]] * 3


# --- 5. commands that only read open the database read-only ---------------------------------

READING = {
    "kpis": ["kpis", "--out", "{out}"],
    "feasibility": ["feasibility", "--out", "{out}"],
    "import-results --list": ["import-results", "--list"],
}


@pytest.mark.parametrize("command", sorted(READING))
def test_a_reading_command_writes_nothing_to_the_database(command, tmp_path):
    db = tmp_path / "fd.duckdb"
    new_store(db, "demo-eastvale")
    before = (db.read_bytes(), db.stat().st_mtime_ns)
    args = [a.format(out=tmp_path / "out.csv") for a in READING[command]]
    assert run(*args, "--db", str(db), "--quiet") == 0
    assert (db.read_bytes(), db.stat().st_mtime_ns) == before
    assert not connection.wal_path(db).exists()


@pytest.mark.parametrize("command", sorted(READING))
def test_a_reading_command_on_no_database_says_so_and_creates_none(command, tmp_path, capsys):
    db = tmp_path / "data" / "fd.duckdb"
    args = [a.format(out=tmp_path / "out.csv") for a in READING[command]]
    assert run(*args, "--db", str(db), "--quiet") == 1
    assert capsys.readouterr().err == f"flightdeck: no database at {db}\n"
    assert list(tmp_path.iterdir()) == []


def _can_switch_user() -> bool:
    return hasattr(os, "geteuid") and os.geteuid() == 0 and shutil.which("setpriv") is not None


@pytest.mark.skipif(not _can_switch_user(), reason="needs root and setpriv to act as nobody")
def test_a_database_the_user_may_only_read_can_be_read(tmp_path):
    nobody = 65534
    # Root's pytest folder is closed to others: the database sits in a folder nobody may enter
    # but not write (so no .wal can be created), the output in a folder of nobody's own.
    shared = Path(tempfile.mkdtemp(prefix="flightdeck-readonly-"))
    out = Path(tempfile.mkdtemp(prefix="flightdeck-out-"))
    try:
        os.chmod(shared, 0o755)
        os.chown(out, nobody, nobody)
        db = shared / "fd.duckdb"
        new_store(db, "demo-eastvale")
        os.chown(db, nobody, nobody)
        os.chmod(db, 0o400)

        def as_nobody(*args: str) -> subprocess.CompletedProcess:
            return subprocess.run(
                ["setpriv", f"--reuid={nobody}", f"--regid={nobody}", "--clear-groups",
                 sys.executable, "-m", "flightdeck", *args, "--db", str(db), "--quiet"],
                capture_output=True, text=True, timeout=120, cwd=out,
                env={**os.environ, "HOME": str(out)},
            )  # fmt: skip

        for command in ("kpis", "feasibility"):
            result = as_nobody(command, "--out", str(out / f"{command}.csv"))
            assert result.returncode == 0, result.stderr
            assert (out / f"{command}.csv").read_text().startswith(("kpi_id,", "force,"))
        listed = as_nobody("import-results", "--list")
        assert (listed.returncode, listed.stdout) == (0, "No peer imports.\n"), listed.stderr
        # The setting is real: a command that writes cannot open the file.
        assert as_nobody("rollback", "1").returncode == 1
        assert sorted(p.name for p in shared.iterdir()) == ["fd.duckdb"]
    finally:
        shutil.rmtree(shared)
        shutil.rmtree(out)
