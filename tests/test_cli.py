"""The `flightdeck` command line as an analyst's script would use it."""

import csv
import subprocess
import sys
from pathlib import Path

import pytest

from flightdeck import store as storage
from flightdeck.cli import main

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
    con = storage.connect(db)
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


def test_rollback_and_loads_listing(loaded_db, capsys):
    assert run("loads", "--db", str(loaded_db)) == 0
    assert "good.csv" in capsys.readouterr().out
    assert run("rollback", "1", "--db", str(loaded_db), "--quiet") == 0
    assert run("rollback", "1", "--db", str(loaded_db), "--quiet") == 1
    assert "already rolled back" in capsys.readouterr().err
    con = storage.connect(loaded_db)
    assert con.execute("SELECT count(*) FROM current_crimes").fetchone() == (0,)
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
    result = subprocess.run(
        [str(exe), "loads", "--db", str(tmp_path / "new.duckdb")],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert "No loads yet." in result.stdout
