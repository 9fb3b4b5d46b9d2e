"""Peer exchange: export with suppression, import into another database, refusals, replace,
remove, peer groups and the two commands."""

import csv
import datetime as dt
import json

import pandas as pd
import pytest

from flightdeck import access
from flightdeck.cli.main import main
from flightdeck.engine import catalogue, refresh
from flightdeck.peers import comparable, export, imports
from flightdeck.peers import groups as peer_groups
from flightdeck.peers.suppression import RESULT_COLUMNS, SuppressionRule
from flightdeck.store.connection import connect
from helpers.store import audit_rows as audit_trail
from helpers.store import insert_case_load

ANALYST = access.LOCAL_USER
VIEWER = access.User("board member", "viewer")
EAST, NORTH = "demo-eastvale", "demo-northmoor"

# Eastvale's own results (hand-made): K01 January by age band, K02 January and February,
# K03 January (1 of the 30 crimes of K02: a numerator from 1 to 4), K05 (a median over 7
# crimes) in January.
EAST_RESULTS = [
    # kpi, month, age_band, gender, numerator, denominator, value, complete
    ("K01", "2025-01-01", "All", "All", 20, None, 20, True),
    ("K01", "2025-01-01", "0-12", "All", 3, None, 3, True),
    ("K01", "2025-01-01", "13-15", "All", 7, None, 7, True),
    ("K01", "2025-01-01", "18-24", "All", 10, None, 10, True),
    ("K02", "2025-01-01", "All", "All", 9, 30, 0.3, True),
    ("K02", "2025-02-01", "All", "All", 7, 12, 7 / 12, True),
    ("K03", "2025-01-01", "All", "All", 1, 30, 1 / 30, True),
    ("K05", "2025-01-01", "All", "All", None, 7, 41.0, True),
    ("K07", "2025-03-01", "All", "All", 5, 14, None, False),
]


def add_results(con, force, rows, group="All"):
    """The force's result rows (kpi, month, age band, gender, figures) of one offence group."""
    con.executemany(
        "INSERT INTO kpi_results (kpi_id, force, month, offence_group, age_band, gender, "
        "numerator, denominator, value, complete) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [
            [k, force, dt.date.fromisoformat(m), group, a, g, n, d, v, c]
            for k, m, a, g, n, d, v, c in rows
        ],
    )


def crime_of(force, crime_id="c1", **columns) -> dict:
    return {
        "force": force,
        "crime_id": crime_id,
        "recorded_date": "2025-01-05",
        "offence_code": "19C",
        "victim_age": 30,
        "victim_gender": "female",
        **columns,
    }


def own_force(con, force, rows, as_of="2025-03-31"):
    """A force with own case data here: one crime in a case load, and its KPI results."""
    insert_case_load(con, [crime_of(force)], as_of=as_of)
    add_results(con, force, rows)
    con.executemany(
        "INSERT INTO kpi_feasibility VALUES (?, ?, ?, ?)",
        [
            [force, "K01", "feasible", "required columns only"],
            [force, "K18", "not_feasible", "device_seized_date is not recorded"],
        ],
    )


@pytest.fixture
def exported(tmp_path):
    """Eastvale's export from database A."""
    con = connect(tmp_path / "a.duckdb")
    own_force(con, EAST, EAST_RESULTS)
    out = tmp_path / "out" / "eastvale.csv"
    summary = export.export_results(con, EAST, out, user=ANALYST, rule=SuppressionRule())
    con.close()
    return summary


@pytest.fixture
def other(tmp_path):
    """Database B, holding Northmoor's own case data."""
    con = connect(tmp_path / "b.duckdb")
    own_force(con, NORTH, [("K02", "2025-01-01", "All", "All", 40, 100, 0.4, True)])
    yield con
    con.close()


def read_rows(path):
    with open(path, newline="", encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_export_writes_catalogue_columns_then_suppressed_and_a_side_file(exported):
    rows = read_rows(exported.path)
    assert list(rows[0]) == RESULT_COLUMNS + ["suppressed"]
    by_key = {(r["kpi_id"], r["month"], r["age_band"]): r for r in rows}
    # 3 is hidden, and so is 7 (else 20 - 7 - 10 gives it back); 10 and 20 stay.
    assert by_key[("K01", "2025-01-01", "0-12")]["numerator"] == ""
    assert by_key[("K01", "2025-01-01", "0-12")]["suppressed"] == "true"
    assert by_key[("K01", "2025-01-01", "13-15")]["value"] == ""
    assert by_key[("K01", "2025-01-01", "18-24")]["value"] == "10"
    assert by_key[("K05", "2025-01-01", "All")]["value"] == ""  # median of 7 crimes
    assert by_key[("K02", "2025-01-01", "All")]["value"] == "0.3"
    # "1 of 30" is hidden by its numerator; K02's 30 crimes (the same crimes) stay published.
    assert by_key[("K03", "2025-01-01", "All")]["suppressed"] == "true"
    assert by_key[("K03", "2025-01-01", "All")]["denominator"] == ""
    assert by_key[("K02", "2025-02-01", "All")]["numerator"] == "7"  # 12 - 7 = 5: published
    assert exported.rows == 9 and exported.rows_suppressed == 4
    meta = json.loads(exported.meta_path.read_text())
    assert exported.meta_path.name == "eastvale.csv.meta.json"
    assert meta["force"] == EAST
    assert meta["as_of"] == "2025-03-31"
    assert meta["suppression"]["count_max"] == 4
    assert meta["suppression"]["min_denominator"] == 10
    assert meta["suppression"]["rate_numerators_and_complements"] is True
    assert ["K06", "K21"] in meta["suppression"]["linked_kpis"]
    assert meta["product_version"]
    assert {f["kpi_id"]: f["flag"] for f in meta["feasibility"]} == {
        "K01": "feasible",
        "K18": "not_feasible",
    }


def test_an_export_carries_the_21_kpis_never_the_supplementary_measures(tmp_path):
    con = connect(tmp_path / "s.duckdb")
    suspects = [
        crime_of(EAST, f"c{i}", suspect_id=f"s{i % 3}", ssrp_referral_date="2025-01-20",
                 bail_breach_date="2025-02-01", first_contact_date="2025-01-10")
        for i in range(12)
    ]  # fmt: skip
    insert_case_load(con, suspects, as_of="2025-03-31")
    refresh.refresh(con)
    computed = {k for (k,) in con.execute("SELECT DISTINCT kpi_id FROM kpi_results").fetchall()}
    assert {"K01", "S01", "S02", "S05"} <= computed  # S rows are in the results table
    summary = export.export_results(con, EAST, tmp_path / "e.csv", user=ANALYST)
    con.close()
    exported = {r["kpi_id"] for r in read_rows(summary.path)}
    assert "K01" in exported and not any(k.startswith("S") for k in exported)
    flags = {f["kpi_id"] for f in json.loads(summary.meta_path.read_text())["feasibility"]}
    assert flags == {k.id for k in catalogue.catalogue()}


def test_no_exported_figure_comes_from_fewer_than_the_threshold(exported):
    for row in read_rows(exported.path):
        if row["suppressed"] == "true":
            assert row["numerator"] == row["denominator"] == row["value"] == ""
        elif row["denominator"] == "":  # a count
            assert int(row["numerator"]) > 4
        elif row["numerator"] == "":  # a median
            assert float(row["denominator"]) >= 10
        else:  # a rate: enough crimes, and neither those counted nor the rest from 1 to 4
            numerator, denominator = float(row["numerator"]), float(row["denominator"])
            assert denominator >= 10
            assert not 1 <= numerator <= 4 and not 1 <= denominator - numerator <= 4


def test_round_trip_gives_the_unsuppressed_originals(exported, other):
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert outcome.status == "imported", outcome.report.to_text()
    imported = comparable.comparable_results(other, "K02", [EAST])
    jan, feb = imported.sort_values("month")["value"].tolist()
    assert jan == 0.3
    assert feb == 7 / 12  # bit for bit
    stored = other.execute(
        "SELECT kpi_id, month, age_band, gender, numerator, denominator, value, complete, "
        "suppressed FROM peer_results ORDER BY ALL"
    ).fetchall()
    originals = {
        (k, dt.date.fromisoformat(m), a, g): (n, d, v, c) for k, m, a, g, n, d, v, c in EAST_RESULTS
    }
    assert len(stored) == len(originals)
    for kpi, month, age, gender, n, d, v, complete, suppressed in stored:
        if suppressed:
            assert (n, d, v) == (None, None, None)
            continue
        want = originals[(kpi, month, age, gender)]
        assert (n, d, v, complete) == want
    assert comparable.comparable_forces(other).set_index("force")["source"].to_dict() == {
        EAST: "peer",
        NORTH: "own",
    }
    feasibility = comparable.peer_feasibility(other)
    assert set(feasibility.loc[feasibility["force"] == EAST, "kpi_id"]) == {"K01", "K18"}


def test_import_never_overwrites_own_results(tmp_path, exported):
    con = connect(tmp_path / "c.duckdb")
    own_force(con, EAST, [("K02", "2025-01-01", "All", "All", 50, 100, 0.5, True)])
    outcome = imports.import_results(con, exported.path, user=ANALYST)
    assert outcome.status == "refused"
    assert "own_force" in outcome.report.totals
    assert con.execute("SELECT count(*) FROM peer_results").fetchone()[0] == 0
    assert con.execute("SELECT value FROM kpi_results").fetchall() == [(0.5,)]
    assert audit_trail(con).iloc[0]["outcome"] == "refused"
    con.close()


def test_a_later_import_replaces_and_the_same_file_changes_nothing(tmp_path, exported, other):
    assert imports.import_results(other, exported.path, user=ANALYST).status == "imported"
    again = imports.import_results(other, exported.path, user=ANALYST)
    assert again.status == "no_change"
    con = connect(tmp_path / "a.duckdb")
    con.execute(
        "UPDATE kpi_results SET numerator = 12, value = 0.4 WHERE kpi_id = 'K02' "
        "AND month = DATE '2025-01-01'"
    )
    later = tmp_path / "later.csv"
    export.export_results(con, EAST, later, user=ANALYST)
    con.close()
    outcome = imports.import_results(other, later, user=ANALYST)
    assert outcome.status == "imported"
    assert "replaced" in outcome.message
    assert len(imports.list_imports(other)) == 1
    jan = comparable.comparable_results(other, "K02", [EAST]).sort_values("month").iloc[0]
    assert jan["value"] == 0.4


def test_remove_an_import(exported, other):
    imports.import_results(other, exported.path, user=ANALYST)
    assert "Removed" in imports.remove_import(other, EAST, user=ANALYST)
    assert other.execute("SELECT count(*) FROM peer_results").fetchone()[0] == 0
    assert imports.list_imports(other).empty
    with pytest.raises(ValueError):
        imports.remove_import(other, EAST, user=ANALYST)


def test_a_case_level_file_is_refused(tmp_path, other):
    path = tmp_path / "cases.csv"
    path.write_text(
        "force,crime_id,recorded_date,offence_code,victim_age,victim_gender\n"
        "demo-eastvale,c1,2025-01-02,19C,30,F\n"
    )
    outcome = imports.import_results(other, path, user=ANALYST)
    assert outcome.status == "refused"
    assert list(outcome.report.totals) == ["case_level"]
    assert "case-level" in outcome.report.to_text()


def _rewrite(exported, edit, drop_checksum=True):
    """Edit an exported file's rows (and drop the checksum, as a hand-made file would lack it)."""
    rows = read_rows(exported.path)
    rows = edit(rows)
    with open(exported.path, "w", newline="", encoding="utf-8") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    if drop_checksum:
        meta = json.loads(exported.meta_path.read_text())
        del meta["sha256"]
        exported.meta_path.write_text(json.dumps(meta))


def test_an_edited_file_fails_its_checksum(exported, other):
    _rewrite(exported, lambda rows: rows[:-1], drop_checksum=False)
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert list(outcome.report.totals) == ["checksum"]


def test_a_small_number_left_in_is_refused(exported, other):
    def unsuppress(rows):
        for r in rows:
            if r["kpi_id"] == "K01" and r["age_band"] == "0-12":
                r.update(numerator="3", value="3", suppressed="false")
        return rows

    _rewrite(exported, unsuppress)
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert outcome.status == "refused"
    assert list(outcome.report.totals) == ["small_number"]
    # Rows are sorted by age band and "0-12" sorts first: line 2, after the header.
    assert outcome.report.to_frame().loc[0, "line"] == 2


def test_a_small_rate_numerator_left_in_is_refused(exported, other):
    def unsuppress(rows):
        for r in rows:
            if r["kpi_id"] == "K03":
                r.update(numerator="1", denominator="30", value=repr(1 / 30), suppressed="false")
        return rows

    _rewrite(exported, unsuppress)
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert outcome.status == "refused"
    assert list(outcome.report.totals) == ["small_number"]


@pytest.mark.parametrize(
    ("edit", "rule"),
    [
        (lambda r: r.update(month="2025-01-15"), "month"),
        (lambda r: r.update(force="demo-westbury"), "other_force"),
        (lambda r: r.update(kpi_id="K99"), "unknown_kpi"),
        (lambda r: r.update(gender="F"), "label"),
        (lambda r: r.update(value="0.5"), "inconsistent"),
        (lambda r: r.update(numerator="nine"), "number"),
    ],
)
def test_malformed_rows_are_refused_with_their_line(exported, other, edit, rule):
    def first_k02(rows):
        target = next(r for r in rows if r["kpi_id"] == "K02")
        edit(target)
        return rows

    _rewrite(exported, first_k02)
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert outcome.status == "refused"
    assert rule in outcome.report.totals
    assert other.execute("SELECT count(*) FROM peer_imports").fetchone()[0] == 0


def test_a_csv_without_its_side_file_is_refused(exported, other):
    exported.meta_path.unlink()
    outcome = imports.import_results(other, exported.path, user=ANALYST)
    assert list(outcome.report.totals) == ["meta_missing"]


def test_roles_are_checked_and_refusals_audited(exported, other, tmp_path):
    with pytest.raises(access.PermissionDenied):
        imports.import_results(other, exported.path, user=VIEWER)
    assert audit_trail(other).iloc[0][["action", "outcome"]].tolist() == [
        "import_results",
        "refused",
    ]
    with pytest.raises(access.PermissionDenied):
        peer_groups.save_peer_group(other, "Mine", [EAST, NORTH], user=VIEWER)
    # A viewer may export (suppressed aggregates only).
    summary = export.export_results(other, NORTH, tmp_path / "n.csv", user=VIEWER)
    assert summary.rows == 1


def test_export_of_a_force_without_own_results_is_refused(other, tmp_path):
    with pytest.raises(ValueError, match="no KPI results"):
        export.export_results(other, EAST, tmp_path / "x.csv", user=ANALYST)


def test_peer_groups_default_edit_delete_reset(other):
    groups = peer_groups.peer_groups(other)
    demo = set(groups.loc[groups["group"] == "Synthetic demo", "force"])
    assert {EAST, NORTH, "demo-westbury"} <= demo
    assert set(groups.loc[groups["group"] == "Wales", "force"]) == {
        "dyfed-powys",
        "gwent",
        "north-wales",
        "south-wales",
    }
    peer_groups.save_peer_group(other, "Our peers", [EAST, NORTH, "leicestershire"], user=ANALYST)
    groups = peer_groups.peer_groups(other)
    assert set(groups.loc[groups["group"] == "Our peers", "force"]) == {
        EAST,
        NORTH,
        "leicestershire",
    }
    assert "Wales" in set(groups["group"])  # the shipped groups were copied in
    with pytest.raises(ValueError, match="unknown forces"):
        peer_groups.save_peer_group(other, "Bad", [EAST, "atlantis"], user=ANALYST)
    peer_groups.delete_peer_group(other, "Wales", user=ANALYST)
    assert "Wales" not in set(peer_groups.peer_groups(other)["group"])
    peer_groups.reset_peer_groups(other, user=ANALYST)
    assert "Wales" in set(peer_groups.peer_groups(other)["group"])
    assert "Our peers" not in set(peer_groups.peer_groups(other)["group"])


def test_commands_export_import_remove_and_exit_codes(tmp_path, capsys):
    a, b = tmp_path / "a.duckdb", tmp_path / "b.duckdb"
    con = connect(a)
    own_force(con, EAST, EAST_RESULTS)
    con.close()
    connect(b).close()
    out = tmp_path / "east.csv"
    assert main(["export-results", "--db", str(a), "--force", EAST, "--out", str(out)]) == 0
    assert main(["import-results", str(out), "--db", str(b)]) == 0
    assert "Imported 9 result rows" in capsys.readouterr().out
    assert main(["import-results", "--list", "--db", str(b)]) == 0
    assert EAST in capsys.readouterr().out
    assert main(["import-results", "--remove", EAST, "--db", str(b)]) == 0
    assert main(["import-results", "--remove", EAST, "--db", str(b)]) == 1
    bad = tmp_path / "bad.csv"
    bad.write_text("force,crime_id\ndemo-eastvale,c1\n")
    assert main(["import-results", str(bad), "--db", str(b)]) == 1
    assert "case-level" in capsys.readouterr().err
    assert main(["import-results", str(tmp_path / "nope.csv"), "--db", str(b)]) == 2
    assert main(["import-results", "--db", str(b)]) == 2
    with pytest.raises(SystemExit) as exit_info:
        main(["export-results", "--db", str(a), "--out", str(out)])
    assert exit_info.value.code == 2
    # Stricter thresholds from the command line: a count of 10 is now hidden too.
    strict = tmp_path / "strict.csv"
    assert (
        main(
            [
                "export-results",
                "--db",
                str(a),
                "--force",
                EAST,
                "--out",
                str(strict),
                "--count-max",
                "10",
            ]
        )
        == 0
    )
    k01 = pd.read_csv(strict).query("kpi_id == 'K01'").set_index("age_band")
    assert k01.loc[["0-12", "13-15", "18-24"], "suppressed"].all()
    assert k01.loc["All", "value"] == 20  # 20 is over 10, and hiding all three bands is enough


def test_a_removal_that_fails_half_way_changes_nothing_and_is_audited(exported, other, monkeypatch):
    imports.import_results(other, exported.path, user=ANALYST)
    rows = other.execute("SELECT count(*) FROM peer_results").fetchone()[0]

    def half_delete(con, import_id):
        con.execute("DELETE FROM peer_results WHERE import_id = ?", [import_id])
        raise RuntimeError("interrupted")

    monkeypatch.setattr(imports, "_delete_import", half_delete)
    with pytest.raises(RuntimeError):
        imports.remove_import(other, EAST, user=ANALYST)
    assert other.execute("SELECT count(*) FROM peer_results").fetchone()[0] == rows
    assert list(imports.list_imports(other)["force"]) == [EAST]
    assert audit_trail(other).iloc[0][["action", "outcome"]].tolist() == [
        "remove_peer_results",
        "failed",
    ]
