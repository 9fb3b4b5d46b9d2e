"""`flightdeck import-national` as an analyst's script would use it: what was imported on
stdout and exit 0; a refused file's report on stderr, exit 1 and nothing changed; a missing
file exit 2; `--list`."""

from flightdeck.cli.main import main
from flightdeck.store import connection
from helpers.national import HEADER, recorded, write_table
from helpers.umask import restore_umask  # noqa: F401 (autouse fixture)


def rows_held(db) -> int:
    con = connection.connect(db, read_only=True)
    try:
        return con.execute("SELECT count(*) FROM national_recorded").fetchall()[0][0]
    finally:
        con.close()


def test_an_awkward_file_with_an_unknown_force_and_a_text_count_is_refused(tmp_path, capsys):
    # Awkward headers: a title row above, odd case and spacing, and one misspelt (so missing).
    header = [f"  {h.upper()} " for h in HEADER]
    header[3] = "Offence  Descripton"
    rows = [recorded("19C", 12), recorded(force="Kentt"), recorded("20A", "twelve")]
    path = write_table(
        tmp_path / "prc.ods",
        {"2023-24": rows},
        header,
        title_rows=1,
        extra_sheets={"Cover": [["Police recorded crime"]]},
    )
    db = tmp_path / "fd.duckdb"
    assert main(["import-national", str(path), "--db", str(db), "--quiet"]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    assert captured.err.splitlines() == [
        "prc.ods: refused, 3 problems.",
        "  missing_column at sheet '2023-24', row 2, column 'Offence Description': the header "
        "row has no column 'Offence Description'",
        "  force_unknown at sheet '2023-24', row 4, column 'Force Name', value 'Kentt': is not "
        "a force of data/reference/forces.csv nor a published name in "
        "data/reference/force_names.csv; close matches: Kent Police (kent), Gwent Police (gwent)",
        "  count_not_a_whole_number at sheet '2023-24', row 5, column 'Number of Offences', "
        "value 'twelve': is not a whole number of 0 or more",
        "Refused prc.ods: nothing was imported.",
    ]
    assert rows_held(db) == 0


def test_an_import_and_the_list(tmp_path, capsys):
    path = write_table(tmp_path / "prc.csv", {"": [recorded(), recorded("34B")]})
    db = tmp_path / "fd.duckdb"
    assert main(["import-national", str(path), "--db", str(db), "--quiet"]) == 0
    assert capsys.readouterr().out.splitlines() == [
        "Imported prc.csv (recorded crime; one table): 1 rape and other sexual offence rows "
        "kept, 1 rows of other offences skipped; 1 force quarters new, 0 replaced.",
        "In all: 1 force quarters new, 0 replaced; synthetic figures: no.",
    ]
    assert main(["import-national", str(path), "--db", str(db), "--quiet"]) == 0
    assert "0 force quarters new, 1 replaced" in capsys.readouterr().out
    assert rows_held(db) == 1
    assert main(["import-national", "--list", "--db", str(db)]) == 0
    listed = capsys.readouterr().out.splitlines()
    assert listed[0].split()[:6] == [
        "import_id",
        "kind",
        "file_name",
        "sheets",
        "rows_kept",
        "rows_current",
    ]
    assert [line.split()[:3] for line in listed[1:]] == [
        ["2", "recorded", "prc.csv"],
        ["1", "recorded", "prc.csv"],
    ]


def test_usage_errors_exit_2(tmp_path, capsys):
    db = tmp_path / "fd.duckdb"
    assert main(["import-national", str(tmp_path / "nope.ods"), "--db", str(db)]) == 2
    assert capsys.readouterr().err == f"flightdeck: no such file: {tmp_path / 'nope.ods'}\n"
    assert main(["import-national", "--db", str(db)]) == 2
    path = write_table(tmp_path / "prc.csv", {"": [recorded()]})
    assert main(["import-national", str(path), "--list", "--db", str(db)]) == 2
    assert not db.exists()


def test_an_empty_list(tmp_path, capsys):
    db = tmp_path / "fd.duckdb"
    connection.connect(db).close()
    assert main(["import-national", "--list", "--db", str(db)]) == 0
    assert capsys.readouterr().out == "No national figures imported.\n"
