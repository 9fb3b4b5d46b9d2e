"""Repeat victims and repeat suspects in the profile's period: counts only, never an id.
The SQL is `sql/profile/repeat_victims.sql` and `sql/profile/repeat_suspects.sql`; the count of
repeat suspects is the engine's S01 figure at the period's last month end, read from the
results table, so the profile and the flight deck give the same number."""

from dataclasses import dataclass

import duckdb

from flightdeck.engine import catalogue
from flightdeck.profile import queries
from flightdeck.profile.period import Period


@dataclass(frozen=True)
class RepeatVictims:
    """Victims (distinct victim_id) with crimes recorded in the period, those with 2 or more
    (repeat victims), every crime recorded in the period, and the crimes of repeat victims.
    In a built profile a count hidden as small is None."""

    victims: int | None
    repeat_victims: int | None
    crimes: int | None
    crimes_of_repeat_victims: int | None


@dataclass(frozen=True)
class RepeatSuspects:
    """k13_crimes: crimes recorded in the period with a named suspect; k13_repeat: those whose
    suspect has another in-scope crime recorded in the 1,095 days up to and including it (K13);
    repeat_suspects: suspects with 2 or more crimes recorded in the S01 window (365 days,
    `s01_window_days`) to the period's end, the engine's S01 figure; named: whether the force
    records suspect_id at all. None: hidden as small."""

    k13_crimes: int | None
    k13_repeat: int | None
    repeat_suspects: int | None
    named: bool


def repeat_victims(
    con: duckdb.DuckDBPyConnection, force: str, period: Period
) -> RepeatVictims | None:
    """The period's repeat victims, or None when the force does not record victim_id (no
    current crime of the force has one)."""
    row = queries.run(con, "repeat_victims", force=force, **period.months()).iloc[0]
    if not bool(row["recorded"]):
        return None
    return RepeatVictims(
        victims=int(row["victims"]),
        repeat_victims=int(row["repeat_victims"]),
        crimes=int(row["crimes"]),
        crimes_of_repeat_victims=int(row["crimes_of_repeat_victims"]),
    )


def k13_window_days() -> int:
    """K13's window, set once in kpis/k13_repeat_suspects.yaml."""
    return int(catalogue.by_id()["K13"].parameters["repeat_window_days"])


def s01_window_days() -> int:
    """S01's window, set once in kpis/s01_repeat_suspects.yaml."""
    return int(catalogue.by_id()["S01"].parameters["window_days"])


def repeat_suspects(con: duckdb.DuckDBPyConnection, force: str, period: Period) -> RepeatSuspects:
    """The period's repeat suspects by the K13 rule, and S01 at the period's end as the engine
    computed it (the results table; 0 where it holds no row). The period's last month must have
    ended by the force's as-of date, as every profile's does: S01 has no row for a later one."""
    row = queries.run(
        con, "repeat_suspects", force=force, k13_window_days=k13_window_days(), **period.months()
    ).iloc[0]
    return RepeatSuspects(
        k13_crimes=int(row["k13_crimes"]),
        k13_repeat=int(row["k13_repeat"]),
        repeat_suspects=int(row["repeat_suspects"]),
        named=bool(row["named"]),
    )
