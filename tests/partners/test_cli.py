"""`flightdeck load-partner FILE --db PATH [--force FORCE]` as an analyst's script runs it."""

from pathlib import Path

from flightdeck.cli.main import main
from flightdeck.store import connection

HEADER = "partner,measure,month,count,age_band,gender"


def write(path: Path, *rows: str) -> Path:
    path.write_text("\n".join([HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def stored(db: Path) -> list[tuple]:
    con = connection.connect(db, read_only=True)
    try:
        return con.execute(
            "SELECT force, partner, measure, count FROM current_partner_figures ORDER BY ALL"
        ).fetchall()
    finally:
        con.close()


def test_a_good_file_loads_for_the_force_given(tmp_path, capsys):
    db, path = (
        tmp_path / "fd.duckdb",
        write(tmp_path / "p.csv", "North SARC,sarc_attendances,2024-01,40,,"),
    )
    assert main(["load-partner", str(path), "--db", str(db), "--force", "demo-eastvale"]) == 0
    assert capsys.readouterr().out.strip() == (
        "Loaded p.csv as load 1 for demo-eastvale: 1 partner figures, 0 warnings."
    )
    assert stored(db) == [("demo-eastvale", "North SARC", "sarc_attendances", 40)]
    assert main(["load-partner", str(path), "--db", str(db), "--force", "demo-eastvale"]) == 0
    assert "Nothing changed" in capsys.readouterr().out


def test_a_bad_file_prints_the_report_and_exits_non_zero(tmp_path, capsys):
    db = tmp_path / "fd.duckdb"
    path = write(tmp_path / "p.csv", "North SARC,sarc_visits,2024-01,40,,")
    assert main(["load-partner", str(path), "--db", str(db), "--force", "demo-eastvale"]) == 1
    err = capsys.readouterr().err
    assert "p.csv line 2, column measure, value 'sarc_visits'" in err
    assert "[measure_unknown]" in err
    assert err.strip().endswith("Refused p.csv: nothing was loaded.")


def test_without_force_and_no_case_data_it_is_refused(tmp_path, capsys):
    db = tmp_path / "fd.duckdb"
    path = write(tmp_path / "p.csv", "North SARC,sarc_attendances,2024-01,40,,")
    assert main(["load-partner", str(path), "--db", str(db)]) == 1
    assert "No force has case data in this database" in capsys.readouterr().err
    assert stored(db) == []


def test_a_missing_file_is_a_usage_error(tmp_path, capsys):
    assert main(["load-partner", str(tmp_path / "nope.csv"), "--db", str(tmp_path / "d")]) == 2
    assert "no such file" in capsys.readouterr().err
