"""Benchmark: generate, validate and load 1,000,000 crimes, then compute every KPI.

Prints one line per figure. Targets on a 2-core machine: KPI computation under 10 s; load and
validation under 4x DuckDB's bare read of the same CSV files; peak memory under 3 GB; the
supplementary measures (S01..S06) at most 20 % of the refresh; each suspect list of one force
and month under 1 s.

    uv run python benchmarks/bench_load_and_kpis.py [--crimes-per-month N] [--forces N] [--months N]
"""

import argparse
import resource
import statistics
import sys
import tempfile
import time
from pathlib import Path

import duckdb

from flightdeck import access
from flightdeck.engine import catalogue
from flightdeck.engine import refresh as kpi_refresh
from flightdeck.store import connection, loads
from flightdeck.suspects import lists
from flightdeck.synthetic import generator


def timed(label: str, func):
    start = time.perf_counter()
    result = func()
    seconds = time.perf_counter() - start
    print(f"{label:<44} {seconds:8.2f} s", flush=True)
    return result, seconds


def bare_read_seconds(files: list[Path], runs: int = 3) -> tuple[float, float]:
    """DuckDB alone: count the rows, and read every column into a table (the floor).

    Each is the median of `runs` runs: a single read on a shared two-core machine varies by
    a third from run to run, and the floor divides every other figure.
    """
    names = [str(f) for f in files]
    counts, tables = [], []
    for _ in range(runs):
        con = duckdb.connect()
        start = time.perf_counter()
        con.execute("SELECT count(*) FROM read_csv(?, union_by_name = true)", [names]).fetchone()
        counts.append(time.perf_counter() - start)
        start = time.perf_counter()
        con.execute(
            "CREATE TABLE t AS SELECT * FROM read_csv(?, all_varchar = true, union_by_name = true)",
            [names],
        )
        tables.append(time.perf_counter() - start)
        con.close()
    return statistics.median(counts), statistics.median(tables)


class TimedMeasures:
    """A connection that times the statement computing each measure's results (refresh runs
    one `INSERT INTO kpi_results ...` per measure), passing everything else through."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.seconds: dict[str, float] = {}
        self._kpi_of = {}
        for kpi in catalogue.measures():
            sql, _ = kpi_refresh.result_query(kpi)
            self._kpi_of[f"INSERT INTO kpi_results BY NAME {sql}"] = kpi.id

    def execute(self, sql: str, *args):
        start = time.perf_counter()
        result = self.con.execute(sql, *args)
        kpi_id = self._kpi_of.get(sql)
        if kpi_id is not None:
            self.seconds[kpi_id] = time.perf_counter() - start
        return result

    def __getattr__(self, name: str):
        return getattr(self.con, name)


def suspect_lists(con: duckdb.DuckDBPyConnection, user: access.User) -> None:
    """Time each suspect list for the first force and its latest ended month."""
    force, month = con.execute(
        "SELECT force, month_of(as_of + 1) - INTERVAL 1 MONTH FROM force_as_of "
        "ORDER BY force LIMIT 1"
    ).fetchone()
    month = month.date() if hasattr(month, "date") else month
    for which in lists.LISTS:
        start = time.perf_counter()
        frame = lists.suspect_list(con, user, force, month, which)
        seconds = time.perf_counter() - start
        label = f"suspect list {which}, {force} {month:%Y-%m}"
        print(f"{label:<44} {seconds:8.2f} s   ({len(frame)} suspects; target < 1 s)")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--forces", type=int, default=10)
    parser.add_argument("--months", type=int, default=36)
    parser.add_argument("--crimes-per-month", type=int, default=2778)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="flightdeck-bench-") as tmp:
        tmp_path = Path(tmp)
        files, _ = timed(
            "generate synthetic extracts",
            lambda: generator.generate(
                tmp_path / "csv",
                forces=args.forces,
                months=args.months,
                crimes_per_month=args.crimes_per_month,
                seed=7,
            ),
        )
        size_mb = sum(f.stat().st_size for f in files.case_files) / 1e6
        print(f"{'crimes generated':<44} {files.crimes:8,d}   ({size_mb:,.0f} MB of CSV)")
        count_s, table_s = bare_read_seconds(files.case_files)
        print(f"{'DuckDB bare read: count(*), median of 3':<44} {count_s:8.2f} s")
        print(f"{'DuckDB bare read: all columns, median of 3':<44} {table_s:8.2f} s")

        con = connection.connect(tmp_path / "bench.duckdb")
        kpi_seconds: list[float] = []
        recompute = loads._recompute

        def timed_recompute(con_, progress):
            start = time.perf_counter()
            recompute(con_, progress)
            kpi_seconds.append(time.perf_counter() - start)

        loads._recompute = timed_recompute
        user = access.User("benchmark", "analyst")
        outcome, load_total = timed(
            "load: validate + store + KPIs",
            lambda: loads.load_case_files(con, files.case_files, as_of=files.as_of, user=user),
        )
        if outcome.status != "loaded":
            print(outcome.message, file=sys.stderr)
            for report in outcome.reports:
                print(report.to_text(), file=sys.stderr)
            return 1
        load_validate = load_total - kpi_seconds[0]
        print(
            f"{'load and validation (without KPIs)':<44} {load_validate:8.2f} s"
            f"   = {load_validate / table_s:.1f}x the bare read (target < 4x)"
        )
        measured = TimedMeasures(con)
        _, kpi_s = timed(
            "KPI computation, 21 KPIs + S01-S06 (refresh)", lambda: kpi_refresh.refresh(measured)
        )
        rows = con.execute("SELECT count(*) FROM kpi_results").fetchone()[0]
        print(f"{'KPI result rows':<44} {rows:8,d}   (target: computation < 10 s)")
        supplementary = [kpi.id for kpi in catalogue.supplementary()]
        s_seconds = sum(measured.seconds.get(kpi_id, 0.0) for kpi_id in supplementary)
        label = f"supplementary measures ({len(supplementary)}) within it"
        print(
            f"{label:<44} {s_seconds:8.2f} s   = {s_seconds / kpi_s:.0%} of the refresh "
            "(target <= 20 %)"
        )
        suspect_lists(con, user)
        con.close()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"{'peak memory (max RSS)':<44} {peak_mb:8,.0f} MB   (target < 3,072 MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
