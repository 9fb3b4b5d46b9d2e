"""Repeat victims and repeat suspects on hand-built crimes: counts, never ids."""

import dataclasses

import pandas as pd

from flightdeck.profile.period import period_ending
from flightdeck.profile.victims import (
    RepeatSuspects,
    RepeatVictims,
    repeat_suspects,
    repeat_victims,
    s01_window_days,
)
from helpers.kpis import FORCE, OTHER_FORCE, crime, load_and_refresh
from helpers.store import insert_case_load

PERIOD = period_ending(pd.Timestamp("2024-12-01"))  # Jan to Dec 2024


def test_repeat_victims_in_the_period(store):
    insert_case_load(
        store,
        [
            crime("a", "2024-02-01", victim_id="v1"),
            crime("b", "2024-09-01", victim_id="v1", offence_code="20A"),
            crime("c", "2024-03-01", victim_id="v2"),
            crime("d", "2024-04-01", victim_id="v3"),
            crime("e", "2023-04-01", victim_id="v3"),  # before the period
            crime("f", "2024-05-01"),  # no victim_id
            crime("g", "2024-06-01", victim_id="v2", cancelled=True),
        ],
        as_of="2025-01-31",
    )
    assert repeat_victims(store, FORCE, PERIOD) == RepeatVictims(
        victims=3, repeat_victims=1, crimes=5, crimes_of_repeat_victims=2
    )
    assert all(
        isinstance(v, int) for v in dataclasses.astuple(repeat_victims(store, FORCE, PERIOD))
    )


def test_no_repeat_victims_when_the_force_records_no_victim_id(store):
    insert_case_load(
        store,
        [crime("a", "2024-02-01"), crime("b", "2024-02-01", victim_id="  "),
         {**crime("x", "2024-02-01", victim_id="v1"), "force": OTHER_FORCE}],
        as_of="2025-01-31",
    )  # fmt: skip
    assert repeat_victims(store, FORCE, PERIOD) is None
    assert repeat_victims(store, OTHER_FORCE, PERIOD) == RepeatVictims(1, 0, 1, 0)


def test_repeat_suspects_by_k13_and_s01(store):
    # 2021-01-06 to 2024-01-05 is 1,094 days (inside K13's 1,095), 2021-01-05 is 1,095 (out).
    # S01 at 2024-12-31 counts crimes recorded from 2024-01-02 to 2024-12-31: s3, s4, s6.
    load_and_refresh(
        store,
        [
            crime("a1", "2021-01-06", suspect_id="s1"),
            crime("a2", "2024-01-05", suspect_id="s1"),  # K13 repeat
            crime("b1", "2021-01-05", suspect_id="s2"),
            crime("b2", "2024-01-05", suspect_id="s2"),  # not a repeat
            crime("c1", "2024-05-01", suspect_id="s3"),  # same day: both repeats
            crime("c2", "2024-05-01", suspect_id="s3"),
            crime("d1", "2024-07-01", suspect_id="s4", offence_code="20A"),  # first: not
            crime("d2", "2024-08-01", suspect_id="s4"),  # repeat, the other of either group
            crime("e1", "2024-01-01", suspect_id="s5"),  # before S01's window
            crime("e2", "2024-06-01", suspect_id="s5"),  # K13 repeat
            crime("f1", "2024-01-02", suspect_id="s6"),  # S01: both ends count
            crime("f2", "2024-12-31", suspect_id="s6"),  # K13 repeat
            crime("g", "2024-02-02"),  # no named suspect
            crime("h", "2024-02-03", suspect_id="s7", cancelled=True),
            crime("h2", "2024-02-04", suspect_id="s7"),  # the cancelled one does not count
        ],
        as_of="2025-01-31",
    )
    assert repeat_suspects(store, FORCE, PERIOD) == RepeatSuspects(
        k13_crimes=11, k13_repeat=6, repeat_suspects=3, named=True
    )
    s01 = store.execute(
        "SELECT numerator FROM kpi_results WHERE kpi_id = 'S01' AND force = ? "
        "AND month = DATE '2024-12-01' AND offence_group = 'All'",
        [FORCE],
    ).fetchone()
    assert s01 == (3,)  # the engine's figure, the same by construction


def test_the_s01_count_is_the_engines_figure_and_its_window_the_catalogues(store):
    load_and_refresh(
        store,
        [crime("a", "2024-11-01", suspect_id="s1"), crime("b", "2024-12-01", suspect_id="s1")],
        as_of="2025-01-31",
    )
    assert repeat_suspects(store, FORCE, PERIOD).repeat_suspects == 1
    # The profile reads the results table: it shows whatever the engine put there.
    store.execute("UPDATE kpi_results SET numerator = 7 WHERE kpi_id = 'S01'")
    assert repeat_suspects(store, FORCE, PERIOD).repeat_suspects == 7
    store.execute("DELETE FROM kpi_results WHERE kpi_id = 'S01'")
    assert repeat_suspects(store, FORCE, PERIOD).repeat_suspects == 0  # no row: none
    assert s01_window_days() == 365  # kpis/s01_repeat_suspects.yaml


def test_repeat_suspects_of_a_force_without_suspect_ids(store):
    load_and_refresh(store, [crime("a", "2024-02-01")], as_of="2025-01-31")
    assert repeat_suspects(store, FORCE, PERIOD) == RepeatSuspects(0, 0, 0, named=False)
