"""What the benchmark times besides the load itself: DuckDB's bare read (the floor), each
measure's statement within a refresh, and the suspect lists."""

import statistics
import time
from pathlib import Path

import duckdb

from flightdeck import access, memory
from flightdeck.engine import catalogue
from flightdeck.engine import refresh as kpi_refresh
from flightdeck.suspects import lists

# The floor: every column of the CSVs read as text into a table (of an in-memory database).
FLOOR_READ = "SELECT * FROM read_csv(?, all_varchar = true, union_by_name = true)"


def bare_read(files: list[Path], spill_beside: Path, runs: int = 3) -> tuple[float, float, int]:
    """DuckDB alone: count the rows, and read every column into a table (the floor); the
    seconds of each and the rows counted.

    Each is the median of `runs` runs: a single read on a shared two-core machine varies by
    a third from run to run, and the floor divides every other figure. The connection has the
    product's memory limit (spilling beside the store), so at 10M the floor does not take
    memory the load may not."""
    names = [str(f) for f in files]
    counts, tables, rows = [], [], 0
    for _ in range(runs):
        con = duckdb.connect()
        memory.limit(con, spill_beside)
        start = time.perf_counter()
        sql = "SELECT count(*) FROM read_csv(?, union_by_name = true)"
        rows = con.execute(sql, [names]).fetchone()[0]
        counts.append(time.perf_counter() - start)
        start = time.perf_counter()
        con.execute(f"CREATE TABLE t AS {FLOOR_READ}", [names])
        tables.append(time.perf_counter() - start)
        con.close()
    return statistics.median(counts), statistics.median(tables), rows


class TimedMeasures:
    """A connection that times the statement computing each measure's results (refresh runs
    one `INSERT INTO kpi_results ...` per measure, holding the measure's result query),
    passing everything else through."""

    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con
        self.seconds: dict[str, float] = {}
        self._queries = [(kpi_refresh.result_query(kpi)[0], kpi.id) for kpi in catalogue.measures()]

    def execute(self, sql: str, *args):
        start = time.perf_counter()
        result = self.con.execute(sql, *args)
        if sql.lstrip().startswith("INSERT INTO kpi_results"):
            kpi_id = next((k for query, k in self._queries if query in sql), None)
            if kpi_id is not None:
                took = time.perf_counter() - start
                self.seconds[kpi_id] = self.seconds.get(kpi_id, 0.0) + took
        return result

    def __getattr__(self, name: str):
        return getattr(self.con, name)


def suspect_lists(
    con: duckdb.DuckDBPyConnection, user: access.User
) -> list[tuple[str, float, int]]:
    """Each suspect list for the first force and its latest ended month: (label, seconds,
    suspects listed)."""
    force, month = con.execute(
        "SELECT force, month_of(as_of + 1) - INTERVAL 1 MONTH FROM force_as_of "
        "ORDER BY force LIMIT 1"
    ).fetchone()
    month = month.date() if hasattr(month, "date") else month
    timed = []
    for which in lists.LISTS:
        start = time.perf_counter()
        frame = lists.suspect_list(con, user, force, month, which)
        timed.append(
            (
                f"suspect list {which}, {force} {month:%Y-%m}",
                time.perf_counter() - start,
                len(frame),
            )
        )
    return timed
