"""The demo goes into a database of its own, or one of demo forces only: a database holding a
real force's data is refused unless the caller asks for the demo beside it."""

import datetime as dt

import pytest

from flightdeck.store import connection
from flightdeck.synthetic import demo
from helpers.store import insert_case_load

# A demo small enough to build in a moment: one force, two months, a few crimes.
SMALL = dict(forces=1, months=2, crimes_per_month=3, warmup_months=0, as_of=dt.date(2024, 6, 30))
CRIME = {"crime_id": "C1", "recorded_date": "2024-01-10", "offence_code": "19C"}


def loaded_forces(db) -> list[tuple]:
    con = connection.connect(db, read_only=True)
    try:
        return con.execute("SELECT load_id, forces FROM loads ORDER BY load_id").fetchall()
    finally:
        con.close()


def store_with(db, *loads: tuple[str, bool]) -> None:
    """A store with one case load per (force, active)."""
    con = connection.connect(db)
    try:
        for force, active in loads:
            insert_case_load(con, [CRIME | {"force": force}], "2024-06-30", active=active)
    finally:
        con.close()


def test_real_forces_are_those_held_other_than_the_demo_forces(store):
    assert demo.real_forces(store) == []
    insert_case_load(store, [CRIME | {"force": "demo-eastvale"}], "2024-06-30")
    assert demo.real_forces(store) == []
    insert_case_load(store, [CRIME | {"force": "leicestershire"}], "2024-06-30", active=False)
    assert demo.real_forces(store) == ["leicestershire"]  # rolled back, its rows still held
    store.execute(
        "INSERT INTO peer_imports VALUES (1, 'kent', 'kent.csv', 'sha', DATE '2024-06-30', "
        "'1.0', 4, 10, NULL, 0, 0, 'me', now())"
    )
    assert demo.real_forces(store) == ["kent", "leicestershire"]


def test_the_demo_is_refused_onto_real_force_data_and_nothing_changes(tmp_path):
    db = tmp_path / "force.duckdb"
    store_with(db, ("leicestershire", True))
    before = loaded_forces(db)
    with pytest.raises(demo.RealForceData) as refused:
        demo.build_demo(db, **SMALL)
    assert str(refused.value) == (
        f"{db} holds real force data (leicestershire); the demo's synthetic forces were not "
        "loaded beside it, nothing was changed"
    )
    assert loaded_forces(db) == before


def test_the_demo_loads_beside_real_data_when_asked(tmp_path):
    db = tmp_path / "force.duckdb"
    store_with(db, ("leicestershire", True))
    demo.build_demo(db, alongside_real_data=True, **SMALL)
    assert [forces for _, forces in loaded_forces(db)] == [
        ["leicestershire"],
        ["demo-northmoor"],  # the case extract of the one demo force
        ["demo-northmoor"],  # its workforce extract
        ["demo-northmoor"],  # its partner agency figures
    ]


def test_a_database_of_demo_forces_only_takes_the_demo_again(tmp_path):
    db = tmp_path / "demo.duckdb"
    store_with(db, ("demo-eastvale", True))
    demo.build_demo(db, **SMALL)
    assert [forces for _, forces in loaded_forces(db)][1:] == [["demo-northmoor"]] * 3
