"""Row rules over a typed case extract held in DuckDB: one plain SQL pass against pandera's Ibis
backend (`pandera.ibis`, which runs its checks as Ibis expressions inside DuckDB).

Not part of the product or its dependencies: it runs in a scratch environment of its own, with
the checkout on the path for the product's column list and allowed values:

    python3 -m uv venv /work/scratch/ibis-venv --python 3.11
    python3 -m uv pip install --python /work/scratch/ibis-venv/bin/python \\
        'pandera[ibis]==0.35.*' 'ibis-framework[duckdb]' 'duckdb<2' pandas pyarrow
    PYTHONPATH=. /work/scratch/ibis-venv/bin/python benchmarks/bench_validation_backends.py \\
        --csv /work/scratch/csv1m --db /work/scratch/validation1m.duckdb [--repeat 3]
        [--sql-python .venv/bin/python] [--backends sql,pandera-ibis,pandera-ibis-all]

ibis-framework 12.0 installs beside duckdb 2.0.0 but fails on its first query (it calls
`fetch_arrow_table`, which 2.0 no longer has), so the environment holds duckdb 1.5.6; both
backends run on it, and `--sql-python` also runs the SQL pass under another interpreter (the
project's, with duckdb 2.0.0).

Data: the `cases_*.csv` of `--csv` read once into `--db` with DuckDB's detected types (dates
as DATE) and the product's canonical case (typed_sql.CANONICAL_SQL: "F" is female), as `cases`;
and `cases_bad`, the same rows with victim_gender upper-cased (no row allowed), crime_id shared
by each pair of rows, and the outcome dates of the few two-row civil order applications a day
apart. Good data runs with the as-of date 2026-11-30 (the generator's) and fails one warning
(charge_outcome_without_charge_date, 0.2 % of rows); bad data runs on `cases_bad` with the as-of
date 2000-01-01, before every date, and fails 22 rules, every row at least 3 of them.

The rules (64, modelled on flightdeck/extracts/rules.py and suspect_rules.py; the product's
parse rules have no counterpart on typed columns): 4 required columns, allowed values of the 8
coded columns, force and offence code from the reference lists, the age range, recorded before
2000, after the as-of date for each of the 18 date columns, 13 + 10 'needs' and 'not before'
pairs, the order breach needing a granted order, the three warnings, (force, crime_id)
duplicated, and the two civil order disagreements (cross-row: rows of one application giving
different outcomes or outcome dates, blank a value of its own).

  sql               one statement: count(*) FILTER (WHERE <rule fails>) for each row rule, and
                    for each cross-row rule a scalar subquery summing the rows of the key's
                    groups that fail (GROUP BY key HAVING ...); then for each failing rule its
                    first 10 lines by rowid (WHERE, or SEMI JOIN the failing groups, ORDER BY
                    rowid LIMIT 10), with the column and the other column the rule quotes.
  pandera-ibis      a pandera.ibis DataFrameSchema: single-column rules as Column checks
                    (nullable=False, Check.isin, in_range, ge, le; 34 columns with their
                    dtypes), the others as DataFrame checks returning a boolean column; all
                    with n_failure_cases=10; validate(lazy=True) timed until
                    SchemaErrors.failure_cases is at hand (no counts: pandera gives at most the
                    10 cases asked for). Each check is its own queries: bool_and of the check
                    (one scan of its columns), and when it fails, the failure cases and the
                    whole check output column fetched into pandas (to index the cases).
  pandera-ibis-all  the same with n_failure_cases=None, the only way pandera gives counts:
                    every failing row comes back into pandas as a failure case.

The cross-row rules in pandera.ibis: a check returning a boolean column that holds a window
function fails in DuckDB ("aggregate function calls cannot contain window function calls":
pandera wraps it in bool_and), and one returning a table is joined back positionally to rows
the window has reordered; returning a dict of columns (mutated onto the table) works. Its
failure cases then carry the row's position in the window's output, not its line: the
outcome-date disagreement at rowid 18327 is reported at index 509847. The product's
disagreement rule also names the other line of the application; pandera's failure cases have
no place for it (a second query would be needed).

Each run is a fresh subprocess (DuckDB threads=2, memory_limit 2GB, as the product's default);
its peak memory is the kernel's VmHWM for that process; `load` is the machine's 1-minute load
average when the run started (other work shares the 2 cores). Both backends must find the same
failing rules, or the run says so; `--timeout` (300 s) stops a run and reports the bound.

Found (2026-12-02, the 2-core machine shared with other work, load average 2.5-8.5; pandera
0.35.0, ibis-framework 12.0.0, duckdb 1.5.6 for both backends, and the SQL pass again under
duckdb 2.0.0; seconds as the median of 3 runs at 1M, both of 2 runs at 10M; peak MB):

    rows  data  sql 1.5.6          pandera-ibis         sql 2.0.0         pandera-ibis-all
    1M    good   4.1 s    197 MB   12.3 s    390 MB     4.9 s    208 MB     9.2 s    379 MB
    1M    bad    5.4 s    170 MB   19.5 s    383 MB     3.1 s    182 MB   319.3 s 10,052 MB
    10M   good  53.0/44.7  1.06 GB 145.2/84.3  1.72 GB  62.6/39.2 1.07 GB   not run
    10M   bad   70.8/50.4  1.05 GB 143.7/154.2 1.77 GB  43.1/37.6 1.03 GB   not run (10x 1M)

Both backends found the same failing rules in every run (1 on good data, 22 on bad), and the
counts of the SQL pass (7,899,964 failing rule-rows at 1M bad) equal the rows pandera-ibis-all
returns. The one SQL pass is 2-3.6x faster than pandera.ibis on the same DuckDB (1.9-3.1x at
10M) and needs 0.6-0.7 GB less memory at 10M; pandera gives no counts unless every failing row
comes back into pandas (42x slower and 10 GB at 1M bad data).
"""

import argparse
import csv
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from flightdeck.extracts.columns import ALLOWED, CASE_COLUMNS
from flightdeck.extracts.typed_sql import CANONICAL_SQL
from flightdeck.vocabulary import CHARGED_OUTCOMES

ROOT = Path(__file__).resolve().parent.parent
REFERENCE = ROOT / "data" / "reference"
GOOD_AS_OF = dt.date(2026, 11, 30)
BAD_AS_OF = dt.date(2000, 1, 1)
EARLIEST_RECORDED = dt.date(2000, 1, 1)
MAX_AGE = 120
EXAMPLES = 10
BACKENDS = ("sql", "pandera-ibis", "pandera-ibis-all")
THREADS = 2
MEMORY_LIMIT = "2GB"
# One civil order application (suspect_rules.APPLICATION).
APPLICATION = ("force", "suspect_id", "civil_order_type", "civil_order_date")
DATES = [c for c, kind in CASE_COLUMNS.items() if kind == "date"]


def _reference(name: str, column: str) -> tuple[str, ...]:
    with (REFERENCE / name).open(newline="") as f:
        return tuple(row[column] for row in csv.DictReader(f))


def _q(value: object) -> str:
    """A SQL literal for a text or a date."""
    return "'" + str(value).replace("'", "''") + "'"


# ---------------------------------------------------------------- rules


@dataclass(frozen=True)
class Rule:
    """A row rule: `sql` is the predicate of a failing row; `ibis_failing(t)` the same as an
    Ibis boolean column; `column` (and `other`) what an example quotes. `single` names the
    pandera Column check that expresses it, when one does. A cross-row rule has a `key`: its
    `sql` is then the HAVING condition of the key's groups whose rows all fail."""

    name: str
    column: str
    sql: str
    ibis_failing: Callable
    other: tuple[str, ...] = ()
    single: tuple | None = None
    key: tuple[str, ...] = ()


def _given(t, c):
    return t[c].notnull()


def rules(as_of: dt.date) -> list[Rule]:
    allowed = {**ALLOWED, "outcome_type": _reference("outcome_types.csv", "code")}
    forces = _reference("forces.csv", "id")
    offences = _reference("offence_codes.csv", "code")
    out: list[Rule] = [
        Rule(f"{c}_missing", c, f"{c} IS NULL", lambda t, c=c: t[c].isnull(), single=("required",))
        for c in ("force", "crime_id", "recorded_date", "offence_code")
    ]

    def not_in(name, c, values):
        values = tuple(values)
        sql = f"{c} IS NOT NULL AND {c} NOT IN ({', '.join(map(_q, values))})"
        return Rule(
            name,
            c,
            sql,
            lambda t: t[c].notnull() & ~t[c].isin(values),
            single=("isin", list(values)),
        )

    out += [not_in(f"{c}_not_allowed", c, v) for c, v in allowed.items()]
    out += [
        not_in("force_unknown", "force", forces),
        not_in("offence_code_unknown", "offence_code", offences),
        Rule(
            "victim_age_out_of_range",
            "victim_age",
            f"victim_age < 0 OR victim_age > {MAX_AGE}",
            lambda t: (t.victim_age < 0) | (t.victim_age > MAX_AGE),
            single=("in_range", 0, MAX_AGE),
        ),
        Rule(
            "crime_id_duplicate",
            "crime_id",
            "count(*) > 1",
            _duplicate,
            other=("force",),
            key=("force", "crime_id"),
        ),
        Rule(
            "recorded_date_before_2000",
            "recorded_date",
            f"recorded_date < DATE {_q(EARLIEST_RECORDED)}",
            lambda t: t.recorded_date < EARLIEST_RECORDED,
            single=("ge", EARLIEST_RECORDED),
        ),
    ]
    out += [
        Rule(
            f"{c}_after_as_of",
            c,
            f"{c} > DATE {_q(as_of)}",
            lambda t, c=c: t[c] > as_of,
            single=("le", as_of),
        )
        for c in DATES
    ]

    def before(c, earlier, name=None):
        return Rule(
            name or f"{c}_before_{earlier}",
            c,
            f"{c} < {earlier}",
            lambda t: t[c] < t[earlier],
            other=(earlier,),
        )

    def needs(c, needed, name=None):
        return Rule(
            name or f"{c}_without_{needed}",
            c,
            f"{c} IS NOT NULL AND {needed} IS NULL",
            lambda t: _given(t, c) & ~_given(t, needed),
            other=(needed,),
        )

    charged = ", ".join(map(_q, CHARGED_OUTCOMES))
    out += [
        before("recorded_date", "offence_date", "offence_date_after_recorded_date"),
        needs("suspect_identified_date", "suspect_id"),
        before("suspect_identified_date", "offence_date"),
        needs("first_contact_date", "suspect_id"),
        needs("first_contact_type", "first_contact_date"),
        needs("cps_decision", "cps_decision_date"),
        before("cps_decision_date", "cps_referral_date"),
        before("charge_date", "recorded_date"),
        needs("outcome_type", "outcome_date", "outcome_date_missing"),
        needs("outcome_date", "outcome_type"),
        before("outcome_date", "recorded_date"),
        needs("device_returned_date", "device_seized_date"),
        before("device_returned_date", "device_seized_date"),
        # suspect_rules.suspect_management_rules
        needs("civil_order_type", "suspect_id"),
        needs("civil_order_type", "civil_order_date"),
        needs("civil_order_outcome", "civil_order_type"),
        needs(
            "civil_order_outcome", "civil_order_outcome_date", "civil_order_outcome_date_missing"
        ),
        needs("civil_order_outcome_date", "civil_order_outcome"),
        before("civil_order_outcome_date", "civil_order_date"),
        _disagreeing("civil_order_outcome"),
        _disagreeing("civil_order_outcome_date"),
        needs("ssrp_referral_date", "suspect_id"),
        needs("bail_breach_date", "first_contact_date"),
        before("bail_breach_date", "first_contact_date"),
        Rule(
            "order_breach_date_without_granted_civil_order",
            "order_breach_date",
            "order_breach_date IS NOT NULL AND civil_order_outcome IS DISTINCT FROM 'granted'",
            lambda t: (
                _given(t, "order_breach_date")
                & ~(t.civil_order_outcome == "granted").fill_null(False)
            ),
            other=("civil_order_outcome",),
        ),
        before("order_breach_date", "civil_order_outcome_date"),
        # the warnings
        Rule(
            "charge_without_charge_outcome",
            "charge_date",
            "charge_date IS NOT NULL AND "
            f"(outcome_type IS NULL OR outcome_type NOT IN ({charged}))",
            lambda t: (
                _given(t, "charge_date") & ~t.outcome_type.isin(CHARGED_OUTCOMES).fill_null(False)
            ),
            other=("outcome_type",),
        ),
        Rule(
            "charge_outcome_without_charge_date",
            "outcome_type",
            f"outcome_type IN ({charged}) AND charge_date IS NULL",
            lambda t: (
                t.outcome_type.isin(CHARGED_OUTCOMES).fill_null(False) & t.charge_date.isnull()
            ),
        ),
        before("first_contact_date", "suspect_identified_date"),
    ]
    return out


def _duplicate(t):
    import ibis

    w = ibis.window(group_by=[t.force, t.crime_id])
    return _given(t, "force") & _given(t, "crime_id") & (t.force.count().over(w) > 1)


def _disagreeing(c: str) -> Rule:
    """Rows of one application (all key parts given) whose `c` is not the same on every row,
    blank a value of its own: min and max differ, or some rows give `c` and some do not."""

    def failing(t):
        import ibis

        w = ibis.window(group_by=[t[k] for k in APPLICATION])
        given = ibis.and_(*[_given(t, k) for k in APPLICATION])
        values = t[c].count().over(w)
        differs = (t[c].min().over(w) != t[c].max().over(w)).fill_null(False)
        return given & (differs | ((values > 0) & (values < t.force.count().over(w))))

    sql = f"min({c}) <> max({c}) OR (count({c}) > 0 AND count({c}) < count(*))"
    return Rule(f"{c}_disagrees", c, sql, failing, key=APPLICATION)


def _failing_groups(r: Rule, table: str) -> str:
    """The keys (all parts given) of the groups a cross-row rule fails, with their rows."""
    key = ", ".join(r.key)
    given = " AND ".join(f"{k} IS NOT NULL" for k in r.key)
    return f"SELECT {key}, count(*) AS n FROM {table} WHERE {given} GROUP BY {key} HAVING {r.sql}"


# ---------------------------------------------------------------- the data


def build(db: Path, csv_dir: Path) -> None:
    import duckdb

    files = sorted(str(p) for p in csv_dir.glob("cases_*.csv"))
    con = duckdb.connect(str(db))
    _settings(con)
    tables = {r[0] for r in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
    if "cases" not in tables:
        t = time.perf_counter()
        canonical = ", ".join(f"{v.format(v=c)} AS {c}" for c, v in CANONICAL_SQL.items())
        con.execute(
            f"CREATE TABLE cases AS SELECT * REPLACE ({canonical}) "
            "FROM read_csv($files, union_by_name = true)",
            {"files": files},
        )
        print(f"built cases from {len(files)} files in {time.perf_counter() - t:.1f} s")
    if "cases_bad" not in tables:
        # every row: a gender not allowed, a crime_id shared with the next or the previous row;
        # the few civil order applications of two rows: outcome dates a day apart
        con.execute(
            "CREATE TABLE cases_bad AS SELECT * REPLACE (upper(victim_gender) AS victim_gender, "
            "'C' || (rowid // 2) AS crime_id, "
            "civil_order_outcome_date + CAST(rowid % 2 AS INTEGER) AS civil_order_outcome_date) "
            "FROM cases"
        )
    con.close()


def _settings(con) -> None:
    con.execute(f"SET threads = {THREADS}")
    con.execute(f"SET memory_limit = '{MEMORY_LIMIT}'")


# ---------------------------------------------------------------- the two backends


def run_sql(db: str, table: str, as_of: dt.date) -> dict:
    import duckdb

    rule_list = rules(as_of)
    con = duckdb.connect(db, read_only=True)
    _settings(con)
    start = time.perf_counter()
    counts = [
        f"(SELECT coalesce(sum(n), 0) FROM ({_failing_groups(r, table)})) AS {r.name}"
        if r.key
        else f"count(*) FILTER (WHERE {r.sql}) AS {r.name}"
        for r in rule_list
    ]
    row = con.execute(f"SELECT {', '.join(counts)} FROM {table}").fetchone()
    counted = time.perf_counter() - start
    failing = {r.name: n for r, n in zip(rule_list, row, strict=True) if n}
    examples = {}
    for r in rule_list:
        if r.name not in failing:
            continue
        cols = ", ".join(("rowid AS line", r.column, *r.other))
        if r.key:
            where = f"SEMI JOIN ({_failing_groups(r, table)}) USING ({', '.join(r.key)})"
        else:
            where = f"WHERE {r.sql}"
        examples[r.name] = con.execute(
            f"SELECT {cols} FROM {table} {where} ORDER BY line LIMIT {EXAMPLES}"
        ).fetchall()
    seconds = time.perf_counter() - start
    con.close()
    return {
        "seconds": seconds,
        "counted": counted,
        "rules": len(rule_list),
        "failing": sorted(failing),
        "failing_rows": sum(failing.values()),
        "examples": sum(len(v) for v in examples.values()),
    }


def pandera_schema(as_of: dt.date, ibis_schema, examples: int | None = EXAMPLES):
    import pandera.ibis as pa

    rule_list = rules(as_of)
    per_column: dict[str, list] = {c: [] for c in ibis_schema.names}
    required: set[str] = set()
    frame_checks = []
    for r in rule_list:
        if r.single is None:
            if r.key:
                # a dict of columns: mutated onto the table, so aggregated in a subquery
                def check(data, r=r):
                    return {r.name: ~r.ibis_failing(data.table).fill_null(False)}
            else:

                def check(data, r=r):
                    return ~r.ibis_failing(data.table).fill_null(False)

            frame_checks.append(pa.Check(check, name=r.name, n_failure_cases=examples))
            continue
        kind, *args = r.single
        if kind == "required":
            required.add(r.column)
            continue
        built_in = getattr(pa.Check, kind)
        per_column[r.column].append(
            built_in(*args, name=r.name, error=r.name, n_failure_cases=examples)
        )
    columns = {
        c: pa.Column(ibis_schema[c], checks=per_column[c], nullable=c not in required)
        for c in ibis_schema.names
    }
    return pa.DataFrameSchema(columns, checks=frame_checks, name="cases"), rule_list


def run_pandera(db: str, table: str, as_of: dt.date, examples: int | None = EXAMPLES) -> dict:
    import ibis
    from pandera.config import ValidationDepth, config_context
    from pandera.errors import SchemaErrors

    con = ibis.duckdb.connect(db, read_only=True, threads=THREADS, memory_limit=MEMORY_LIMIT)
    start = time.perf_counter()
    t = con.table(table)
    schema, rule_list = pandera_schema(as_of, t.schema(), examples)
    failing: set[str] = set()
    examples = 0
    with config_context(validation_depth=ValidationDepth.SCHEMA_AND_DATA):
        try:
            schema.validate(t, lazy=True)
        except SchemaErrors as err:
            cases = err.failure_cases
            examples = len(cases)
            for check, column in zip(cases["check"], cases["column"], strict=True):
                if check == "not_nullable":
                    failing.add(f"{column}_missing")
                else:
                    failing.add(str(check))
    seconds = time.perf_counter() - start
    con.disconnect()
    return {
        "seconds": seconds,
        "rules": len(rule_list),
        "failing": sorted(failing),
        "examples": examples,
    }


# ---------------------------------------------------------------- the runs


def _peak_mb() -> float:
    for row in Path("/proc/self/status").read_text().splitlines():
        if row.startswith("VmHWM:"):
            return int(row.split()[1]) / 1024
    return float("nan")


def child(backend: str, db: str, variant: str) -> None:
    table, as_of = ("cases", GOOD_AS_OF) if variant == "good" else ("cases_bad", BAD_AS_OF)
    if backend == "sql":
        out = run_sql(db, table, as_of)
    else:
        out = run_pandera(db, table, as_of, None if backend == "pandera-ibis-all" else EXAMPLES)
    import duckdb

    out["duckdb"] = duckdb.__version__
    out["peak_mb"] = _peak_mb()
    print(json.dumps(out))


def spawn(python: str, backend: str, db: Path, variant: str, timeout: float) -> dict | None:
    cmd = [python, __file__, "--child", backend, "--db", str(db), "--variant", variant]
    load = os.getloadavg()[0]
    try:
        done = subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, check=True)
    except subprocess.TimeoutExpired:
        return None
    except subprocess.CalledProcessError as err:
        sys.exit(f"{backend} {variant} failed:\n{err.stderr}")
    return {**json.loads(done.stdout.strip().splitlines()[-1]), "load": load}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--csv", type=Path, help="the cases_*.csv to build --db from")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds a run may take")
    parser.add_argument("--sql-python", help="also run the SQL pass under this interpreter")
    parser.add_argument("--backends", default="sql,pandera-ibis")
    parser.add_argument("--variants", default="good,bad")
    parser.add_argument("--child", choices=BACKENDS, help=argparse.SUPPRESS)
    parser.add_argument("--variant", choices=["good", "bad"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, str(args.db), args.variant)
        return
    if args.csv:
        build(args.db, args.csv)
    runs = [(sys.executable, b) for b in args.backends.split(",")]
    if args.sql_python:
        runs.append((args.sql_python, "sql"))
    print(f"{args.db}: {len(rules(GOOD_AS_OF))} rules, {THREADS} threads, {MEMORY_LIMIT}")
    print("| data | backend | duckdb | seconds | peak MB | failing rules | examples | load |")
    print("| --- | --- | --- | --- | --- | --- | --- | --- |")
    for variant in args.variants.split(","):
        found = {}
        for python, backend in runs:
            results = []
            for _ in range(args.repeat):
                result = spawn(python, backend, args.db, variant, args.timeout)
                if result is None:
                    break
                results.append(result)
            if not results:
                print(f"| {variant} | {backend} | | > {args.timeout:.0f} (stopped) | | | | |")
                continue
            last = results[-1]
            secs = statistics.median(r["seconds"] for r in results)
            spread = ", ".join(f"{r['seconds']:.2f}" for r in results)
            peak = max(r["peak_mb"] for r in results)
            loads = ", ".join(f"{r['load']:.1f}" for r in results)
            print(
                f"| {variant} | {backend} | {last['duckdb']} | {secs:.2f} ({spread}) | {peak:.0f} "
                f"| {len(last['failing'])} | {last['examples']} "
                f"| {loads} |",
                flush=True,
            )
            found[(backend, last["duckdb"])] = set(last["failing"])
        if len({frozenset(v) for v in found.values()}) > 1:
            keys = list(found)
            base = found[keys[0]]
            for k in keys[1:]:
                print(f"  {variant}: {k} differs from {keys[0]}: {sorted(base ^ found[k])}")


if __name__ == "__main__":
    main()
