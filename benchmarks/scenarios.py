"""The benchmark's two scenarios on the big store: switching force and month on the flight deck
(server time), and the monthly loads (one force's monthly extract after another).

Flight deck: the real page, as the dashboard serves it (`session.sign_in()` then the
navigation), in Streamlit's AppTest against the benchmark's database; each `at.run()` is the
server's time for one rerun (the browser's drawing is not in it). If AppTest cannot draw the
page, the data calls the page makes are timed instead, with the caches cleared, and the result
says so.

Monthly loads: one file per force per month, generated with the big store's seed, so each
file's crime ids are ids already in the store: the force's oldest crimes sent again with other
contents, i.e. updates (a month's crimes_per_month is nudged by the month's number, so no two
months' files are identical and none is skipped as already loaded). Such a file holds a small
share of the force's previous load, so the store holds it as a likely wrong extract: the loads
pass `confirm_wrong_extract=True`.
"""

import contextlib
import datetime as dt
import logging
import os
import shutil
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
from phases import db_size_mb, line

from flightdeck import access
from flightdeck.store import loads
from flightdeck.synthetic import generator

HARNESS = """
import streamlit as st
from flightdeck.app import registry, session
session.sign_in()
st.navigation(registry.sections(default="flight_deck")).run()
"""


@contextlib.contextmanager
def _env(**values: str) -> Iterator[None]:
    before = {key: os.environ.get(key) for key in values}
    os.environ.update(values)
    try:
        yield
    finally:
        for key, value in before.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@dataclass
class Switches:
    method: str  # "AppTest" or "data calls"
    first_render: float
    switches: list[tuple[str, float]] = field(default_factory=list)
    problem: str = ""

    @property
    def worst(self) -> float:
        return max((s for _, s in self.switches), default=float("nan"))


def _run(at, label: str, switches: Switches | None = None) -> float:
    start = time.perf_counter()
    at.run()
    seconds = time.perf_counter() - start
    if at.exception:
        raise RuntimeError(f"{label}: {at.exception[0].value}")
    line(f"flight deck, {label}", f"{seconds:8.2f} s")
    if switches is not None:
        switches.switches.append((label, seconds))
    return seconds


def _apptest(user: access.User) -> Switches:
    from streamlit.testing.v1 import AppTest

    from flightdeck.access import identity

    # Setting the test user before the first run warns that there is no script run context.
    logging.getLogger("streamlit.runtime.scriptrunner_utils.script_run_context").setLevel(
        logging.ERROR
    )
    at = AppTest.from_string(HARNESS, default_timeout=900)
    at.session_state[identity.TEST_USER_KEY] = user
    found = Switches("AppTest", _run(at, "first render"))
    force_box = at.selectbox(key="_force")
    months = at.selectbox(key="_month").options
    line("flight deck pickers", f"{len(force_box.options)} forces, {len(months)} months")
    for i in sorted({1, len(force_box.options) - 1}):
        if 0 < i < len(force_box.options):
            at.selectbox(key="_force").select_index(i)
            _run(at, f"switch force to {force_box.options[i]}", found)
    for i in sorted({1, len(months) // 2}):
        if 0 < i < len(months):
            at.selectbox(key="_month").select_index(i)
            _run(at, f"switch month to {at.selectbox(key='_month').options[i]}", found)
    return found


def _data_calls(con_path: Path) -> Switches:
    """The page's data calls, caches cleared before each force and month."""
    import pandas as pd
    import streamlit as st

    from flightdeck.app.data import deck, quality
    from flightdeck.store import connection

    with connection.connect(con_path, read_only=True) as con:
        pairs = con.execute(
            "SELECT force, max(month) FROM kpi_results GROUP BY force ORDER BY force LIMIT 3"
        ).fetchall()

    def calls(force: str, month) -> float:
        st.cache_data.clear()
        st.cache_resource.clear()
        start = time.perf_counter()
        quality.feasibility_of(force)
        deck.flight_deck(force, pd.Timestamp(month))
        deck.suspect_management(force, pd.Timestamp(month))
        return time.perf_counter() - start

    found = Switches("data calls", calls(*pairs[0]))
    for force, month in pairs[1:]:
        found.switches.append((f"force {force}", calls(force, month)))
    return found


def flight_deck(db_path: Path, user: access.User) -> Switches:
    """Time the flight deck's first render and its force and month switches."""
    from flightdeck.access import identity

    with _env(FLIGHTDECK_DB=str(db_path), **{identity.TEST_ENV: "1"}):
        try:
            return _apptest(user)
        except Exception as exc:  # any failure: fall back, and say why
            line("flight deck in AppTest failed", f"{type(exc).__name__}: {exc}")
            found = _data_calls(db_path)
            found.problem = f"AppTest failed ({type(exc).__name__}); data calls timed instead"
            return found


@dataclass
class Load:
    month: int
    force: str
    rows: int
    seconds: float
    recompute: float
    status: str
    updated: int


@dataclass
class MonthlyLoads:
    loads: list[Load] = field(default_factory=list)
    size_before: float = 0.0
    size_after: float = 0.0
    generate_seconds: float = 0.0
    stopped: str = ""
    planned: int = 0

    def seconds(self) -> list[float]:
        return [load.seconds for load in self.loads]

    def p90(self) -> float:
        values = self.seconds()
        if len(values) < 2:
            return max(values, default=float("nan"))
        return statistics.quantiles(values, n=10, method="inclusive")[8]

    def by_month(self) -> str:
        months = sorted({load.month for load in self.loads})
        return ", ".join(
            f"{statistics.median(x.seconds for x in self.loads if x.month == m):.1f}"
            for m in months
        )

    def growth_per_load(self) -> float:
        return (self.size_after - self.size_before) / max(len(self.loads), 1)

    def figures(self, target: float) -> list[tuple]:
        """The scenario's rows of the figure table: (figure, value[, target, met])."""
        took = self.seconds()
        if not took:
            return [("monthly loads", "none run")]
        rows = [load.rows for load in self.loads]
        first, last = self.loads[0], self.loads[-1]
        words = f"< {target:g} s"
        judged = [("median", statistics.median(took)), ("90th percentile", self.p90())]
        judged.append(("max", max(took)))
        recompute = statistics.median(load.recompute for load in self.loads)
        return [
            ("monthly loads: number of loads", f"{len(took)} of {self.planned}"),
            (
                "monthly loads: rows per file",
                f"{min(rows):,}-{max(rows):,} (mean {statistics.mean(rows):,.0f}; "
                f"{first.updated:,} of the first file's {first.rows:,} update crimes in the store)",
            ),
            *[
                (f"monthly load end to end: {name}", f"{value:.2f} s", words, value < target)
                for name, value in judged
            ],
            ("monthly load: the KPI recompute within it, median", f"{recompute:.2f} s"),
            ("monthly loads: median seconds, month by month", self.by_month()),
            (f"monthly load: first ({first.force}, month {first.month})", f"{first.seconds:.2f} s"),
            (f"monthly load: last ({last.force}, month {last.month})", f"{last.seconds:.2f} s"),
            (
                "database before / after the monthly loads",
                f"{self.size_before:,.0f} MB / {self.size_after:,.0f} MB",
            ),
            ("database growth per monthly load", f"{self.growth_per_load():,.1f} MB"),
            (
                "monthly loads: generating the extracts (not in the load times)",
                f"{self.generate_seconds:.1f} s",
            ),
        ]


def monthly_loads(
    con: duckdb.DuckDBPyConnection,
    *,
    db_path: Path,
    work: Path,
    forces: int,
    as_of: dt.date,
    seed: int,
    snapshots: int,
    snapshot_rows: int,
    user: access.User,
    recompute_log: list[float],
    slow: float,
    keep: bool,
) -> MonthlyLoads:
    """Each month, each force in turn: load its monthly extract, end to end."""
    found = MonthlyLoads(size_before=db_size_mb(db_path), planned=snapshots * forces)
    per_month = max(1, round(snapshot_rows / 24))
    for month in range(1, snapshots + 1):
        start = time.perf_counter()
        folder = work / "snapshots" / f"month-{month:02d}"
        files = generator.generate(
            folder,
            forces=forces,
            months=24,
            crimes_per_month=per_month + month,
            seed=seed,
            as_of=as_of,
        )
        found.generate_seconds += time.perf_counter() - start
        for path in files.case_files:
            force = path.stem.removeprefix("cases_")
            before = len(recompute_log)
            start = time.perf_counter()
            outcome = loads.load_case_files(
                con, [path], as_of=as_of, user=user, confirm_wrong_extract=True
            )
            seconds = time.perf_counter() - start
            if outcome.status != "loaded":
                raise RuntimeError(f"month {month}, {force}: {outcome.status}: {outcome.message}")
            summary = outcome.loads[0]
            recompute = sum(recompute_log[before:])
            found.loads.append(
                Load(
                    month,
                    force,
                    summary.rows_total,
                    seconds,
                    recompute,
                    outcome.status,
                    summary.rows_updated or 0,
                )
            )
        month_loads = [load for load in found.loads if load.month == month]
        line(
            f"month {month:2d}: {len(month_loads)} loads",
            f"median {statistics.median(load.seconds for load in month_loads):6.2f} s "
            f"(KPIs {statistics.median(load.recompute for load in month_loads):5.2f} s), "
            f"max {max(load.seconds for load in month_loads):6.2f} s, "
            f"store {db_size_mb(db_path):,.0f} MB",
        )
        if not keep:
            shutil.rmtree(folder)
        slowest = max(found.seconds())
        if month == 2 and slowest > slow and month < snapshots:
            found.stopped = (
                f"stopped after 2 of {snapshots} months: a load took {slowest:.1f} s "
                f"(over {slow:g} s)"
            )
            line("monthly loads", found.stopped)
            break
    found.size_after = db_size_mb(db_path)
    return found
