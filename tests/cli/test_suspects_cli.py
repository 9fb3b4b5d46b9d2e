"""`flightdeck suspects`: a force's suspect list at a month end as CSV, the handling line first,
to an owner-only file or to stdout, audited as an export; refusals are one line.

The command line always runs as an analyst (`common.cli_user`); a viewer on its path is shown by
putting a viewer in its place."""

import getpass
import os

import duckdb
import pytest

from flightdeck import access
from flightdeck.cli import suspects as cli_suspects
from flightdeck.cli.main import main
from flightdeck.store import connection
from helpers.kpis import FORCE, crime
from helpers.modes import mode, open_umask  # noqa: F401 (a fixture)
from helpers.store import insert_case_load
from helpers.umask import restore_umask  # noqa: F401 (autouse fixture)

HANDLING = (
    "OFFICIAL-SENSITIVE: pseudonymised suspect list, demo-northmoor to 2025-06-30; analyst use "
    "only; do not forward or attach to a board pack"
)


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "fd.duckdb"
    con = connection.connect(path)
    insert_case_load(
        con,
        [
            crime("C1", "2025-01-10", suspect_id="=cmd|' /C calc'!A0"),
            crime("C2", "2025-03-10", suspect_id="=cmd|' /C calc'!A0", offence_code="20A"),
            crime("C3", "2025-05-10", suspect_id="S2"),
        ],
        "2025-07-10",
    )
    con.close()
    return path


def run(db, *args: str) -> int:
    return main(["suspects", "--db", str(db), *args])


def trail(db) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(
            "SELECT user_name, role, action, detail, outcome FROM audit_log ORDER BY audit_id"
        ).fetchall()
    finally:
        con.close()


def test_the_list_goes_to_an_owner_only_file(db, tmp_path, capsys, open_umask):  # noqa: F811
    out = tmp_path / "lists" / "harm.csv"
    args = ("--force", FORCE, "--month", "2025-06", "--list", "harm", "--out", str(out))
    assert run(db, *args) == 0
    assert out.read_text().splitlines() == [
        HANDLING,
        "rank,suspect_id,crimes,harm,victims,last_recorded,open_crimes,on_bail,civil_order,"
        "ssrp,s63g,breaches",
        "1,'=cmd|' /C calc'!A0,2,2007,,2025-03-10,2,False,,False,False,0",  # neutralised
        "2,S2,1,1825,,2025-05-10,1,False,,False,False,0",
    ]
    assert (mode(out), mode(out.parent)) == (0o600, 0o700)
    assert capsys.readouterr().out == (
        f"Wrote the harm list of demo-northmoor to 2025-06-30 to {out} (official-sensitive: "
        "analyst use only; the export is in the audit trail).\n"
    )
    assert trail(db) == [
        (getpass.getuser(), "analyst", "export",
         "suspect list harm demo-northmoor 2025-06 (CSV): 2 rows", "ok"),
    ]  # fmt: skip


def test_without_out_the_csv_goes_to_stdout(db, capsys):
    assert run(db, "--force", FORCE, "--month", "2025-06", "--list", "rfg", "--quiet") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == HANDLING
    assert lines[1].endswith(",breaches,score")
    assert [line.split(",")[0] for line in lines[2:]] == ["1", "2"]
    assert trail(db)[0][2:] == (
        "export", "suspect list rfg demo-northmoor 2025-06 (CSV): 2 rows", "ok",
    )  # fmt: skip


@pytest.mark.parametrize(
    "args, code, message",
    [
        (
            ("--force", FORCE, "--month", "2025-07", "--list", "harm"),
            1,
            "flightdeck: 2025-07 has not ended in demo-northmoor's case data (as of 2025-07-10): "
            "a list is drawn at a month end on or before the as-of date",
        ),
        (
            ("--force", "kent", "--month", "2025-06", "--list", "harm"),
            1,
            "flightdeck: no case data for the force 'kent' here",
        ),
        (
            ("--force", FORCE, "--month", "2025-06", "--list", "worst"),
            2,
            "flightdeck: no such list 'worst': choose frequency, harm, rfg",
        ),
    ],
    ids=["month not ended", "no data", "unknown list"],
)
def test_a_refusal_is_one_line(db, tmp_path, capsys, args, code, message):
    out = tmp_path / "out.csv"
    assert run(db, *args, "--out", str(out)) == code
    captured = capsys.readouterr()
    assert captured.err == message + "\n"
    assert captured.out == ""
    assert not out.exists()


def test_no_database_is_a_usage_error(tmp_path, capsys):
    db = tmp_path / "none.duckdb"
    assert run(db, "--force", FORCE, "--month", "2025-06", "--list", "harm") == 2
    assert capsys.readouterr().err == f"flightdeck: no such database: {db}\n"
    assert not db.exists()


def test_a_viewer_on_the_command_line_is_refused_and_audited(db, tmp_path, capsys, monkeypatch):
    monkeypatch.setattr(cli_suspects, "cli_user", lambda: access.User("vic", "viewer"))
    out = tmp_path / "out.csv"
    args = ("--force", FORCE, "--month", "2025-06", "--list", "harm", "--out", str(out))
    assert run(db, *args) == 1
    captured = capsys.readouterr()
    assert captured.err == "flightdeck: refused: vic (viewer) may not view suspects\n"
    assert captured.out == ""
    assert not out.exists()
    assert trail(db) == [
        ("vic", "viewer", "export", "suspect list harm demo-northmoor 2025-06 (CSV)", "refused"),
    ]


def test_the_output_replaces_an_earlier_file_owner_only(db, tmp_path):
    out = tmp_path / "harm.csv"
    out.write_text("old")
    os.chmod(out, 0o644)
    assert run(db, "--force", FORCE, "--month", "2025-06", "--list", "harm", "--out", str(out),
               "--quiet") == 0  # fmt: skip
    assert out.read_text().startswith(HANDLING) and mode(out) == 0o600
