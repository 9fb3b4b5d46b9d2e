"""crime_versions.is_current names each crime's current version, as ranking every version would:
the active case load with the latest as-of date, the later load winning a tie."""

from flightdeck.store import connection, currency
from helpers.store import insert_case_load

FORCE = "demo-eastvale"


def crime(crime_id: str, outcome: str | None = None) -> dict:
    return {
        "force": FORCE,
        "crime_id": crime_id,
        "recorded_date": "2024-01-10",
        "offence_code": "19C",
        "outcome_type": outcome,
        "outcome_date": "2024-03-01" if outcome else None,
    }


def current(con) -> dict[str, int]:
    rows = con.execute("SELECT crime_id, load_id FROM current_crimes ORDER BY crime_id")
    return dict(rows.fetchall())


def ranked(con) -> dict[str, int]:
    """The rule itself, worked out by ranking every version (what the flag replaces)."""
    rows = con.execute(
        """SELECT crime_id, load_id FROM crime_versions JOIN loads USING (load_id)
           WHERE active AND kind = 'cases'
           QUALIFY row_number() OVER (
               PARTITION BY force, crime_id ORDER BY as_of DESC, load_id DESC) = 1
           ORDER BY crime_id"""
    )
    return dict(rows.fetchall())


def test_a_later_as_of_wins_an_earlier_one_loaded_later_does_not_and_a_tie_goes_to_the_later(
    tmp_path,
):
    con = connection.connect(tmp_path / "fd.duckdb")
    june = insert_case_load(con, [crime("C1"), crime("C2")], "2024-06-30")
    july = insert_case_load(con, [crime("C1", "16")], "2024-07-31")
    # Loaded last but taken earlier: it does not replace July's C1; C3 is new, so it counts.
    may = insert_case_load(con, [crime("C1"), crime("C3")], "2024-05-31")
    assert current(con) == {"C1": july, "C2": june, "C3": may}
    tie = insert_case_load(con, [crime("C2", "16")], "2024-06-30")  # same as-of as June
    assert current(con) == {"C1": july, "C2": tie, "C3": may}
    assert current(con) == ranked(con)


def test_rolling_back_makes_the_previous_version_current_and_a_crime_only_it_held_disappears(
    tmp_path,
):
    con = connection.connect(tmp_path / "fd.duckdb")
    june = insert_case_load(con, [crime("C1"), crime("C2")], "2024-06-30")
    july = insert_case_load(con, [crime("C1", "16"), crime("C4")], "2024-07-31")
    con.execute("UPDATE loads SET active = FALSE WHERE load_id = ?", [july])
    currency.settle(con, [july])
    assert current(con) == {"C1": june, "C2": june}
    con.execute("UPDATE loads SET active = FALSE WHERE load_id = ?", [june])
    currency.settle(con, [june])
    assert current(con) == {}


def test_an_inactive_load_stored_by_hand_is_never_current(tmp_path):
    con = connection.connect(tmp_path / "fd.duckdb")
    insert_case_load(con, [crime("C1")], "2024-06-30", active=False)
    assert current(con) == {}


def test_rebuild_agrees_with_the_flags_kept_load_by_load(tmp_path):
    con = connection.connect(tmp_path / "fd.duckdb")
    insert_case_load(con, [crime("C1"), crime("C2")], "2024-06-30")
    insert_case_load(con, [crime("C1", "16")], "2024-07-31")
    insert_case_load(con, [crime("C2"), crime("C3")], "2024-05-31")
    kept = current(con)
    con.execute("UPDATE crime_versions SET is_current = TRUE")  # every row wrongly current
    currency.rebuild(con)
    assert current(con) == kept == ranked(con)


def test_a_database_made_before_the_flag_gets_it_right_when_opened(tmp_path):
    path = tmp_path / "fd.duckdb"
    con = connection.connect(path)
    insert_case_load(con, [crime("C1")], "2024-06-30")
    later = insert_case_load(con, [crime("C1", "16")], "2024-07-31")
    con.execute("ALTER TABLE crime_versions DROP COLUMN is_current")
    con.close()
    reopened = connection.connect(path)
    assert current(reopened) == {"C1": later}
    flags = reopened.execute("SELECT load_id, is_current FROM crime_versions ORDER BY load_id")
    assert flags.fetchall() == [(later - 1, False), (later, True)]


def test_the_view_never_shows_the_flag(tmp_path):
    con = connection.connect(tmp_path / "fd.duckdb")
    insert_case_load(con, [crime("C1")], "2024-06-30")
    columns = [d[0] for d in con.execute("SELECT * FROM current_crimes").description]
    assert "is_current" not in columns and "load_as_of" in columns


def in_scope(con) -> list[tuple]:
    rows = con.execute(
        "SELECT crime_id, offence_group, age_band, charged FROM crimes_in_scope ORDER BY crime_id"
    )
    return rows.fetchall()


def test_the_rows_in_scope_carry_the_fields_their_load_derived_through_loads_and_rollbacks(
    tmp_path,
):
    con = connection.connect(tmp_path / "fd.duckdb")
    assert con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = 'crimes_in_scope_rows'"
    ).fetchall() == [("VIEW",)]
    june = insert_case_load(con, [crime("C1"), {**crime("C2"), "victim_age": 15}], "2024-06-30")
    july = insert_case_load(
        con, [crime("C1", "1"), {**crime("C3"), "cancelled": True}], "2024-07-31"
    )
    # 19C is a rape (of a female aged 16 or over); 15 is in the 13-15 band; outcome 1 is a
    # charge; the cancelled C3 is not in scope.
    assert in_scope(con) == [
        ("C1", "rape", "Unknown", True),
        ("C2", "rape", "13-15", False),
    ]
    # C1's July version: recorded 10 January, charged (no charge date) on its outcome date,
    # 1 March, which is also when it was finalised; no suspect is named.
    dates = con.execute(
        """SELECT recorded_month, charge_event_date, finalised_date, named_suspect, gender
           FROM crimes_in_scope WHERE crime_id = 'C1'"""
    ).fetchall()
    assert [tuple(str(v) for v in row) for row in dates] == [
        ("2024-01-01", "2024-03-01", "2024-03-01", "False", "Unknown")
    ]
    as_of = con.execute("SELECT DISTINCT as_of FROM crimes_in_scope").fetchall()
    assert [str(d) for (d,) in as_of] == ["2024-07-31"]  # the force's latest load's
    con.execute("UPDATE loads SET active = FALSE WHERE load_id = ?", [july])
    currency.settle(con, [july])
    assert [row[:1] + row[3:] for row in in_scope(con)] == [("C1", False), ("C2", False)]
    assert june < july


def test_a_changed_rule_derives_the_fields_again_when_the_store_is_opened(tmp_path):
    path = tmp_path / "fd.duckdb"
    con = connection.connect(path)
    insert_case_load(con, [crime("C1"), {**crime("C2"), "victim_age": 15}], "2024-06-30")
    kept = in_scope(con)
    # As if the rule had been something else when they were derived.
    con.execute("UPDATE crime_versions SET offence_group = NULL, age_band = NULL")
    con.execute("UPDATE store_meta SET value = 'another rule' WHERE key = 'derived'")
    con.close()
    con = connection.connect(path)
    assert in_scope(con) == kept
    con.close()


def test_a_store_made_before_the_derived_columns_gets_them_and_loses_the_old_table(tmp_path):
    path = tmp_path / "fd.duckdb"
    con = connection.connect(path)
    insert_case_load(con, [crime("C1", "1"), {**crime("C2"), "victim_age": 15}], "2024-06-30")
    kept = in_scope(con)
    for column in currency.DERIVED:
        con.execute(f"ALTER TABLE crime_versions DROP COLUMN {column}")
    con.execute("DELETE FROM store_meta WHERE key = 'derived'")
    con.execute("DROP VIEW crimes_in_scope_rows")  # the old store's table of the rows in scope
    con.execute("CREATE TABLE crimes_in_scope_rows AS SELECT 'C1' AS crime_id")
    con.execute("INSERT INTO store_meta VALUES ('scope', 'its fingerprint')")
    con.close()
    con = connection.connect(path)
    assert (
        in_scope(con) == kept == [("C1", "rape", "Unknown", True), ("C2", "rape", "13-15", False)]
    )
    assert con.execute("SELECT key FROM store_meta WHERE key = 'scope'").fetchall() == []
    con.close()


def test_rebuild_derives_the_fields_again(tmp_path):
    con = connection.connect(tmp_path / "fd.duckdb")
    insert_case_load(con, [crime("C1"), crime("C2")], "2024-06-30")
    insert_case_load(con, [crime("C1", "1")], "2024-07-31")
    kept = in_scope(con)
    con.execute("UPDATE crime_versions SET offence_group = 'other_sexual', charged = NULL")
    currency.rebuild(con)
    assert in_scope(con) == kept
