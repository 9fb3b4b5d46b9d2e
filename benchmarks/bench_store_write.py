"""What writing the rows to a DuckDB file costs on its own, against the load benchmark's floor.

The load benchmark's floor (`timings.bare_read`) is DuckDB reading every column of the CSVs, as
text, into an in-memory table. A load must also write its rows to the store on disk, compressed.
This measures, in one run and alternately (a shared machine drifts from minute to minute):

  floor          read_csv(all_varchar) into an in-memory table, as `timings.bare_read`;
  to a file      the same statement into a table of a new database file, committed;
  typed to file  DuckDB's own type detection (dates as DATE) into a table of a new file;
  typed, staged  the same typed read first into a temporary (in-memory) table, then from there
                 into a table of a new file: the two steps a load takes, its rows staged while
                 the rules check them (`flightdeck.extracts.staging`), then stored.

None of the file tables is checked, trimmed or typed by the product's rules, so their ratio to
the floor is what any load that stores the rows in DuckDB pays before its first check:

    FLIGHTDECK_MEMORY_LIMIT=2GB .venv/bin/python benchmarks/bench_store_write.py --csv DIR
"""

import argparse
import statistics
import tempfile
import time
from pathlib import Path

import duckdb
from timings import FLOOR_READ

from flightdeck import memory

# DuckDB's own type detection (dates as DATE), the rest as the floor reads.
TYPED_READ = "SELECT * FROM read_csv(?, header = true, union_by_name = true)"


def _timed(db: str, sql: str, files: list[str], spill: Path, staged: bool = False) -> float:
    con = duckdb.connect(db)
    try:
        memory.limit(con, spill)
        start = time.perf_counter()
        if staged:
            con.execute(f"CREATE TEMP TABLE s AS {sql}", [files])
            con.execute("CREATE TABLE t AS SELECT * FROM s")
        else:
            con.execute(f"CREATE TABLE t AS {sql}", [files])  # committed, as a load's write
        return time.perf_counter() - start
    finally:
        con.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, required=True, help="folder of cases_*.csv")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    files = [str(f) for f in sorted(args.csv.glob("cases_*.csv"))]
    kinds = (
        ("to a file", FLOOR_READ, False),
        ("typed to file", TYPED_READ, False),
        ("typed, staged", TYPED_READ, True),
    )
    found: dict[str, list[float]] = {"floor": [], **{label: [] for label, _, _ in kinds}}
    with tempfile.TemporaryDirectory() as work:
        spill = Path(work) / "spill.duckdb"
        for run in range(args.runs):
            found["floor"].append(_timed(":memory:", FLOOR_READ, files, spill))
            for kind, (label, sql, staged) in enumerate(kinds):
                db = Path(work) / f"{run}-{kind}.duckdb"
                found[label].append(_timed(str(db), sql, files, spill, staged))
                db.unlink()
    floor = statistics.median(found["floor"])
    print(f"{len(files)} files in {args.csv}, medians of {args.runs} runs")
    for label, values in found.items():
        runs = ", ".join(f"{v:.2f}" for v in values)
        median = statistics.median(values)
        print(f"{label:14s} {median:7.2f} s = {median / floor:.2f}x the floor   ({runs})")


if __name__ == "__main__":
    main()
