"""The `flightdeck` command line as an analyst's script would use it."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from flightdeck.cli.main import main
from flightdeck.store import connection

HEADER = (
    "force,crime_id,recorded_date,offence_code,victim_age,victim_gender,suspect_id,"
    "outcome_type,outcome_date,charge_date,isva_referral_date"
)
ROWS = [
    "demo-eastvale,C1,2024-01-10,19C,25,female,S1,1,2024-05-02,2024-05-01,2024-01-12",
    "demo-eastvale,C2,2024-02-11,20A,15,female,S2,16,2024-05-01,,2024-02-20",
    "demo-eastvale,C3,2024-03-12,19F,40,male,,,,,",
    "demo-eastvale,C4,2024-03-31,19C,,unknown,S1,,,,2024-04-01",
]


def write(path: Path, rows: list[str], header: str = HEADER, encoding: str = "utf-8") -> Path:
    path.write_bytes(("\n".join([header, *rows]) + "\n").encode(encoding))
    return path


def run(*args: str) -> int:
    return main(list(args))


def db_state(db: Path) -> dict:
    con = connection.connect(db)
    try:
        return {
            t: con.execute(f"SELECT * FROM {t} ORDER BY ALL").fetchall()
            for t in ("loads", "crime_versions", "kpi_results")
        }
    finally:
        con.close()


def kpi_csv(db: Path, out: Path) -> list[dict]:
    assert run("kpis", "--db", str(db), "--out", str(out), "--quiet") == 0
    with out.open() as f:
        return list(csv.DictReader(f))


@pytest.fixture
def loaded_db(tmp_path):
    db = tmp_path / "fd.duckdb"
    good = write(tmp_path / "good.csv", ROWS)
    assert run("load-cases", str(good), "--db", str(db), "--as-of", "2024-06-30", "--quiet") == 0
    return db


BAD_FILES = {
    "unparseable date": (HEADER, ROWS[:-1] + [ROWS[-1].replace("2024-03-31", "31-03-2024")]),
    "month-first date": (HEADER, ROWS[:-1] + [ROWS[-1].replace("2024-03-31", "03/31/2024")]),
    "unknown force": (HEADER, ROWS[:-1] + [ROWS[-1].replace("demo-eastvale", "atlantis")]),
    "unknown offence": (HEADER, ROWS[:-1] + [ROWS[-1].replace("19C", "99Z")]),
    "age out of range": (HEADER, ROWS[:-1] + [ROWS[-1].replace(",,unknown", ",130,unknown")]),
    "duplicate crime": (HEADER, ROWS[:-1] + [ROWS[0]]),
    "date after as-of": (HEADER, ROWS[:-1] + [ROWS[-1].replace("2024-03-31", "2024-07-01")]),
    "outcome without date": (
        HEADER,
        ROWS[:-1] + ["demo-eastvale,C4,2024-03-31,19C,,unknown,,18,,,"],
    ),
    "identifier column": (HEADER + ",victim_name", [r + ",x" for r in ROWS]),
    "missing required column": (
        HEADER.replace("offence_code,", ""),
        [",".join(r.split(",")[:3] + r.split(",")[4:]) for r in ROWS],
    ),
}


@pytest.mark.parametrize("kind", sorted(BAD_FILES))
def test_bad_file_is_refused_with_exit_1_and_changes_nothing(kind, loaded_db, tmp_path, capsys):
    header, rows = BAD_FILES[kind]
    bad = write(tmp_path / "bad.csv", rows, header)
    before = db_state(loaded_db)
    code = run("load-cases", str(bad), "--db", str(loaded_db), "--as-of", "2024-06-30", "--quiet")
    assert code == 1
    err = capsys.readouterr().err
    assert "bad.csv" in err
    if kind not in ("identifier column", "missing required column"):
        assert "line 5" in err  # the last data row: header is line 1
    assert db_state(loaded_db) == before


def test_identical_file_twice_changes_nothing(loaded_db, tmp_path, capsys):
    before = db_state(loaded_db)
    again = write(tmp_path / "good.csv", ROWS)
    assert run("load-cases", str(again), "--db", str(loaded_db), "--as-of", "2024-06-30") == 0
    assert "Nothing changed" in capsys.readouterr().out
    assert db_state(loaded_db) == before


def test_uk_dates_bom_cp1252_and_padded_headers_give_the_same_results(loaded_db, tmp_path):
    plain = kpi_csv(loaded_db, tmp_path / "plain.csv")
    assert plain, "the plain extract produces KPI rows"
    header = ",".join(f"  {h.upper()} " for h in HEADER.split(",")) + ",Comment Code"
    uk_rows = []
    for row in ROWS:
        cells = []
        for cell in row.split(","):
            if len(cell) == 10 and cell[4] == "-" and cell[7] == "-":
                cell = f"{cell[8:]}/{cell[5:7]}/{cell[:4]}"
            cells.append(cell)
        uk_rows.append(",".join(cells) + ",Café £")
    variant_db = tmp_path / "variant.duckdb"
    variant = tmp_path / "variant.csv"
    variant.write_bytes(("\n".join([header, *uk_rows]) + "\n").encode("cp1252"))
    assert (
        run("load-cases", str(variant), "--db", str(variant_db), "--as-of", "2024-06-30", "--quiet")
        == 0
    )
    assert kpi_csv(variant_db, tmp_path / "variant_kpis.csv") == plain

    bom_db = tmp_path / "bom.duckdb"
    bom = tmp_path / "bom.csv"
    bom.write_bytes(b"\xef\xbb\xbf" + ("\n".join([HEADER, *ROWS]) + "\n").encode())
    assert run("load-cases", str(bom), "--db", str(bom_db), "--as-of", "2024-06-30", "--quiet") == 0
    assert kpi_csv(bom_db, tmp_path / "bom_kpis.csv") == plain


def test_the_results_table_holds_the_supplementary_measures_beside_the_21(tmp_path):
    # S1 is named in C1 (2024-01-10) and C4 (2024-03-31): a repeat suspect (S01) at the month
    # ends of March to June 2024; two SSRP referrals of S1 in April make one suspect (S02).
    referred = {"C1": "2024-04-02", "C4": "2024-04-20"}
    rows = [r + "," + referred.get(r.split(",")[1], "") for r in ROWS]
    good = write(tmp_path / "good.csv", rows, header=HEADER + ",ssrp_referral_date")
    db = tmp_path / "fd.duckdb"
    assert run("load-cases", str(good), "--db", str(db), "--as-of", "2024-06-30", "--quiet") == 0
    table = kpi_csv(db, tmp_path / "kpis.csv")
    supplementary = [r for r in table if r["kpi_id"].startswith("S")]
    assert {(r["kpi_id"], r["month"], r["numerator"], r["value"]) for r in supplementary} == {
        ("S01", "2024-03-01", "1", "1"),
        ("S01", "2024-04-01", "1", "1"),
        ("S01", "2024-05-01", "1", "1"),
        ("S01", "2024-06-01", "1", "1"),
        ("S02", "2024-04-01", "1", "1"),
    }
    assert {(r["offence_group"], r["age_band"], r["gender"]) for r in supplementary} == {
        ("All", "All", "All")
    }
    assert all(r["denominator"] == "" and r["complete"] == "true" for r in supplementary)
    kpi_ids = [r["kpi_id"] for r in table]
    assert kpi_ids == sorted(kpi_ids) and kpi_ids[0] == "K01"  # the 21 first, then S01..S06


def test_rollback_and_loads_listing(loaded_db, capsys):
    assert run("loads", "--db", str(loaded_db)) == 0
    assert "good.csv" in capsys.readouterr().out
    assert run("rollback", "1", "--db", str(loaded_db), "--quiet") == 0
    assert run("rollback", "1", "--db", str(loaded_db), "--quiet") == 1
    assert "already rolled back" in capsys.readouterr().err
    con = connection.connect(loaded_db)
    assert con.execute("SELECT count(*) FROM current_crimes").fetchone() == (0,)
    con.close()


def test_refresh_recomputes_every_force_from_the_stored_loads_and_is_audited(loaded_db, capsys):
    con = connection.connect(loaded_db)
    kept = con.execute("SELECT * FROM kpi_results ORDER BY ALL").fetchall()
    scope = con.execute("SELECT count(*) FROM crimes_in_scope").fetchone()[0]
    assert kept and scope
    # Damage what loads keep, as a bug or a hand edit might: refresh puts it right.
    con.execute("UPDATE kpi_results SET value = -1")
    con.execute("UPDATE crime_versions SET is_current = FALSE, offence_group = NULL")
    con.close()
    assert run("refresh", "--db", str(loaded_db), "--quiet") == 0
    assert f"{len(kept):,} KPI result rows" in capsys.readouterr().out
    con = connection.connect(loaded_db)
    assert con.execute("SELECT * FROM kpi_results ORDER BY ALL").fetchall() == kept
    assert con.execute("SELECT count(*) FROM crimes_in_scope").fetchone()[0] == scope
    audited = con.execute(
        "SELECT action, outcome FROM audit_log ORDER BY audit_id DESC LIMIT 1"
    ).fetchall()
    assert audited == [("refresh", "ok")]
    con.close()


def test_usage_errors_exit_2(tmp_path):
    with pytest.raises(SystemExit) as exc:
        run("load-cases", "--db", str(tmp_path / "x.duckdb"))  # no FILE
    assert exc.value.code == 2
    with pytest.raises(SystemExit) as exc:
        run("load-cases", "f.csv", "--as-of", "30/06/2024")
    assert exc.value.code == 2
    assert run("load-cases", str(tmp_path / "absent.csv"), "--db", str(tmp_path / "x.duckdb")) == 2


def test_installed_command_runs(tmp_path):
    """The console script works as an installed program, not only in-process."""
    exe = Path(sys.executable).parent / "flightdeck"
    db = tmp_path / "new.duckdb"
    result = subprocess.run(
        [str(exe), "loads", "--db", str(db)], capture_output=True, text=True, timeout=60
    )
    # `loads` only reads: it does not create a database that is not there.
    assert result.returncode == 1, result.stderr
    assert f"no database at {db}" in result.stderr and not db.exists()


def test_reading_commands_open_the_database_read_only(loaded_db, capsys):
    before = (loaded_db.read_bytes(), loaded_db.stat().st_mtime_ns)
    assert run("loads", "--db", str(loaded_db)) == 0
    assert "good.csv" in capsys.readouterr().out
    assert run("warnings", "--db", str(loaded_db)) == 0
    assert (loaded_db.read_bytes(), loaded_db.stat().st_mtime_ns) == before
    assert not connection.wal_path(loaded_db).exists()


@pytest.mark.parametrize(
    "name, content, reason",
    [
        ("june.xlsx", b"force,crime_id\n", "is not a .csv file"),
        ("june.csv", b"PK\x03\x04 workbook", "Excel"),
        ("june.csv", b"", "is empty"),
    ],
)
def test_a_file_that_is_not_a_csv_extract_is_refused_before_reading(
    name, content, reason, loaded_db, tmp_path, capsys
):
    path = tmp_path / name
    path.write_bytes(content)
    before = db_state(loaded_db)
    assert run("load-cases", str(path), "--db", str(loaded_db), "--quiet") == 1
    err = capsys.readouterr().err
    assert name in err and reason in err
    assert run("load-workforce", str(path), "--db", str(loaded_db), "--quiet") == 1
    assert reason in capsys.readouterr().err
    assert db_state(loaded_db) == before


def test_a_file_over_the_size_limit_is_refused(loaded_db, tmp_path, capsys, monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_MAX_UPLOAD_MB", "1")
    big = tmp_path / "big.csv"
    head = (HEADER + "\n").encode()
    big.write_bytes(head + b"x" * (1024 * 1024 + 1 - len(head)))  # one byte over 1 MB
    assert run("load-cases", str(big), "--db", str(loaded_db), "--quiet") == 1
    assert "big.csv is 1.0 MB, larger than the limit of 1 MB" in capsys.readouterr().err


def test_the_validation_report_names_the_lines_of_a_duplicate_but_never_the_id(
    loaded_db, tmp_path, capsys
):
    # A report may be pasted anywhere; the line numbers find the rows in the analyst's own file.
    bad = write(tmp_path / "dup.csv", ROWS + [ROWS[0]])
    assert run("load-cases", str(bad), "--db", str(loaded_db), "--as-of", "2024-06-30") == 1
    err = capsys.readouterr().err
    assert "dup.csv line 2, column crime_id" in err and "dup.csv line 6, column crime_id" in err
    assert "C1" not in err and "S1" not in err


def audit_rows(db: Path) -> list[tuple]:
    con = connection.connect(db)
    try:
        return con.execute("SELECT action, outcome FROM audit_log ORDER BY audit_id").fetchall()
    finally:
        con.close()


def test_audit_prints_the_trail_as_csv_and_records_the_reading(loaded_db, capsys):
    capsys.readouterr()
    assert run("audit", "--db", str(loaded_db)) == 0
    rows = list(csv.DictReader(capsys.readouterr().out.splitlines()))
    # newest first: the reading itself, then the load made by the fixture
    assert [(r["action"], r["outcome"]) for r in rows] == [
        ("view_audit", "ok"),
        ("load_cases", "ok"),
    ]
    assert rows[0]["role"] == "admin"
    assert audit_rows(loaded_db)[-1] == ("view_audit", "ok")


def test_audit_out_writes_a_formula_safe_file_and_records_the_export(loaded_db, tmp_path):
    # A file name that a spreadsheet would run as a formula ends up in the trail's detail.
    evil = write(tmp_path / "=cmd.csv", ROWS)
    run("load-cases", str(evil), "--db", str(loaded_db), "--as-of", "2024-06-30", "--quiet")
    out = tmp_path / "trail.csv"
    assert run("audit", "--db", str(loaded_db), "--out", str(out), "--action", "load_cases") == 0
    with out.open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    assert [r["action"] for r in rows] == ["load_cases", "load_cases"]
    details = [r["detail"] for r in rows]
    assert all(not d.startswith(("=", "+", "-", "@")) for d in details)
    assert audit_rows(loaded_db)[-1] == ("export_audit", "ok")


def test_the_command_line_waits_for_a_database_held_by_another_process(loaded_db, monkeypatch):
    from flightdeck.cli import common

    holder = subprocess.Popen(
        [sys.executable, "-c",
         f"import duckdb, time; con = duckdb.connect({str(loaded_db)!r}); print('held', "
         "flush=True); time.sleep(1.0); con.close(); time.sleep(60)"],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    try:
        assert holder.stdout.readline().strip() == "held"
        assert run("rollback", "1", "--db", str(loaded_db), "--quiet") == 0  # after ~1 s
        monkeypatch.setattr(common, "WAIT_SECONDS", 0.2)
        again = subprocess.Popen(
            [sys.executable, "-c",
             f"import duckdb, time; con = duckdb.connect({str(loaded_db)!r}); print('held', "
             "flush=True); time.sleep(60)"],
            stdout=subprocess.PIPE, text=True,
        )  # fmt: skip
        try:
            assert again.stdout.readline().strip() == "held"
            assert run("loads", "--db", str(loaded_db)) == 1
        finally:
            again.kill()
            again.wait()
    finally:
        holder.kill()
        holder.wait()


def test_a_likely_wrong_extract_is_held_unless_the_risk_is_named(loaded_db, tmp_path, capsys):
    # Another system's file for the same force: none of C1..C4 in it, every crime new.
    other = write(tmp_path / "other.csv", [r.replace(",C", ",X") for r in ROWS])
    before = db_state(loaded_db)
    args = ("load-cases", str(other), "--db", str(loaded_db), "--as-of", "2024-07-31", "--quiet")
    assert run(*args) == 1
    err = capsys.readouterr().err
    assert "Held, nothing was loaded: demo-eastvale: 4 of the 4 crimes" in err
    assert db_state(loaded_db) == before
    assert audit_rows(loaded_db)[-1] == ("load_cases", "refused")
    assert run(*args, "--confirm-wrong-extract-risk") == 0
    assert "Loaded other.csv as load 2: 4 rows (4 new" in capsys.readouterr().out


def test_a_future_as_of_date_is_refused_with_exit_1_and_audited(loaded_db, tmp_path, capsys):
    july = write(tmp_path / "july.csv", ROWS)
    before = db_state(loaded_db)
    assert run("load-cases", str(july), "--db", str(loaded_db), "--as-of", "2062-01-01") == 1
    assert "The as-of date 2062-01-01 is after today" in capsys.readouterr().err
    assert db_state(loaded_db) == before
    assert audit_rows(loaded_db)[-1] == ("load_cases", "refused")


def test_a_file_refused_before_reading_is_audited(loaded_db, tmp_path):
    path = tmp_path / "june.csv"
    path.write_bytes(b"%PDF-1.7")
    assert run("load-cases", str(path), "--db", str(loaded_db), "--quiet") == 1
    assert run("load-workforce", str(path), "--db", str(loaded_db), "--quiet") == 1
    assert audit_rows(loaded_db)[-2:] == [("load_cases", "refused"), ("load_workforce", "refused")]
