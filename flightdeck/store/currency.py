"""Which stored version of each crime is current (`crime_versions.is_current`), and the fields
every KPI derives from a crime, stored with each version.

A crime's current version is its row in the active case load with the latest as-of date (the
later load wins a tie). Working that out by ranking every version of every crime costs a sort
of the whole store (25 s at ten million crimes), and deriving the offence group, age band and
gender of every crime again for each of 27 measures costs as much again; the flag and the
derived columns make a refresh a set of scans of stored columns. The view
`crimes_in_scope_rows` is the current, uncancelled versions with those columns.

- a case load stores its rows as current with their derived fields (`store_versions`), then
  `settle`s them: only crimes that also have a row in another load are ranked again (on a
  force's first load, none are);
- a rollback `settle`s the load rolled back the same way: its rows stop being current, and its
  crimes that other loads hold are ranked again;
- `rebuild` ranks and derives everything again (`flightdeck refresh`).

A version's derived fields follow from its own columns alone, so a load writes them once, with
the row; they were kept in a second table of the crimes in scope until 2026-12, which doubled
what a load wrote. `ensure_derived`, when the store is opened for writing, derives every
version's fields again whenever their rule (`DERIVED`, the vocabulary's macros, the reference
offence codes) or the columns of crime_versions have changed, and for a database made before
the columns (it also drops the old table).
"""

import hashlib
from collections.abc import Sequence

import duckdb

from flightdeck.extracts.columns import CASE_COLUMNS
from flightdeck.vocabulary import sql_list

# The fields every KPI shares, derived from a crime version's own columns: the SQL of each.
DERIVED: dict[str, str] = {
    "recorded_month": "month_of(recorded_date)",
    # rape or other_sexual, from the offence code's group in the reference list
    "offence_group": "offence_group_of(offence_code)",
    "age_band": "age_band(victim_age)",
    "gender": "gender_label(victim_gender)",
    "named_suspect": "suspect_id IS NOT NULL",
    # Charged or summonsed: Home Office outcome 1 or 1A.
    "charged": "is_charged(outcome_type)",
    # The day the charge happened: charge_date, else the outcome date of a charged crime.
    "charge_event_date": (
        "CASE WHEN is_charged(outcome_type) THEN coalesce(charge_date, outcome_date) END"
    ),
    # The day the crime was given its outcome; blank while the investigation is open.
    "finalised_date": "CASE WHEN outcome_type IS NOT NULL THEN outcome_date END",
}

# The view of the current, uncancelled versions; a table of the same name before 2026-12.
SCOPE_ROWS = "crimes_in_scope_rows"


def store_versions(con: duckdb.DuckDBPyConnection, sources: Sequence[tuple[int, str]]) -> None:
    """Store the rows of each source (load id, a relation with `line` and every case column,
    typed) as the versions of that load, current, with their derived fields: in one statement,
    as ten inserts of a hundred thousand rows cost about twice one of a million (each writes
    row groups of its own, and the commit merges them). The loads are of different forces
    (`settle` takes them together)."""
    columns = ", ".join(CASE_COLUMNS)
    derived = ", ".join(DERIVED)
    rows = " UNION ALL ".join(
        f"SELECT {int(load_id)} AS load_id, line, {columns} FROM {source}"
        for load_id, source in sources
    )
    # The order of the rows in the table is nobody's business (each has its load and line), and
    # keeping it costs the insert half its time: both cores write, each rows of its own.
    con.execute("SET preserve_insertion_order = false")
    try:
        con.execute(
            f"INSERT INTO crime_versions (load_id, line, {columns}, {derived}) "
            f"SELECT load_id, line, {columns}, {', '.join(DERIVED.values())} FROM ({rows})"
        )
    finally:
        con.execute("RESET preserve_insertion_order")


# Every version of the crimes named in the temporary table `settling` (force, crime_id), with
# whether it is the one that counts; a crime none of whose loads is active has no current row.
_RANKED = """
    SELECT v.force, v.crime_id, v.load_id,
           l.active AND l.kind = 'cases' AND row_number() OVER (
               PARTITION BY v.force, v.crime_id
               ORDER BY l.active AND l.kind = 'cases' DESC, l.as_of DESC, l.load_id DESC
           ) = 1 AS winner
    FROM crime_versions AS v
    JOIN loads AS l USING (load_id)
    {where}
"""

_UPDATE = """
    UPDATE crime_versions AS v SET is_current = r.winner
    FROM ({ranked}) AS r
    WHERE v.force = r.force AND v.crime_id = r.crime_id AND v.load_id = r.load_id
      AND v.is_current IS DISTINCT FROM r.winner
"""

_SETTLING = "SEMI JOIN settling AS s ON s.force = v.force AND s.crime_id = v.crime_id"


def settle(con: duckdb.DuckDBPyConnection, load_ids: Sequence[int]) -> None:
    """Make `is_current` right again after these loads were stored or rolled back."""
    if not load_ids:
        return
    ids = "(" + ", ".join(str(int(i)) for i in load_ids) + ")"
    forces = [
        f
        for (f,) in con.execute(
            f"SELECT DISTINCT unnest(forces) FROM loads WHERE load_id IN {ids}"
        ).fetchall()
    ]
    if not forces:
        return
    in_forces = sql_list(forces)
    # Rows of a load that does not count (rolled back) are never current.
    con.execute(
        f"""UPDATE crime_versions SET is_current = FALSE
            WHERE load_id IN {ids} AND is_current
              AND load_id IN (SELECT load_id FROM loads WHERE NOT active OR kind <> 'cases')"""
    )
    # The crimes of these loads that another load holds too: only they can change hands. The
    # other loads' rows are the small side on a force's first load (none at all).
    con.execute(
        f"""CREATE OR REPLACE TEMP TABLE settling AS
            SELECT DISTINCT o.force, o.crime_id
            FROM (SELECT force, crime_id FROM crime_versions
                  WHERE load_id NOT IN {ids} AND force IN {in_forces}) AS o
            SEMI JOIN (SELECT force, crime_id FROM crime_versions
                       WHERE load_id IN {ids} AND force IN {in_forces}) AS n
                ON n.force = o.force AND n.crime_id = o.crime_id"""
    )
    try:
        if con.execute("SELECT count(*) FROM settling").fetchone()[0] > 0:
            con.execute(_UPDATE.format(ranked=_RANKED.format(where=_SETTLING)))
    finally:
        con.execute("DROP TABLE IF EXISTS temp.main.settling")


def rank_all(con: duckdb.DuckDBPyConnection) -> None:
    """Rank every version of every crime again (`is_current` only)."""
    con.execute(_UPDATE.format(ranked=_RANKED.format(where="")))


def derive_all(con: duckdb.DuckDBPyConnection) -> None:
    """Derive every version's fields again from the rule."""
    assignments = ", ".join(f"{name} = {sql}" for name, sql in DERIVED.items())
    con.execute(f"UPDATE crime_versions SET {assignments}")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Rank every version of every crime again, and derive every version's fields again."""
    rank_all(con)
    derive_all(con)


def _fingerprint(con: duckdb.DuckDBPyConnection, macros: str) -> str:
    """What the derived fields follow from besides the data: their SQL, the text of the macros
    it calls (written from the vocabulary and the reference offence codes) and the columns of
    crime_versions."""
    columns = con.execute(
        "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) "
        "FROM duckdb_columns() WHERE table_name = 'crime_versions' AND schema_name = 'main' "
        "AND database_name = current_database()"
    ).fetchone()[0]
    rule = "\n".join(f"{name} = {sql}" for name, sql in DERIVED.items())
    return hashlib.sha256(f"{rule}\n{macros}\n{columns}".encode()).hexdigest()


def _drop_old_scope_table(con: duckdb.DuckDBPyConnection) -> None:
    """A store made before 2026-12 kept the rows in scope in a table of the view's name."""
    kind = con.execute(
        "SELECT table_type FROM information_schema.tables WHERE table_name = ? "
        "AND table_schema = 'main' AND table_catalog = current_database()",
        [SCOPE_ROWS],
    ).fetchone()
    if kind == ("BASE TABLE",):
        con.execute(f"DROP TABLE {SCOPE_ROWS}")


def ensure_derived(con: duckdb.DuckDBPyConnection, macros: str) -> None:
    """Make every version's derived fields follow the rule, given the text of the macros it
    calls: derived again when the rule, the macros or the columns have changed since they were
    last derived (a store made before the columns has them empty)."""
    _drop_old_scope_table(con)
    fingerprint = _fingerprint(con, macros)
    kept = con.execute("SELECT value FROM store_meta WHERE key = 'derived'").fetchone()
    if kept == (fingerprint,):
        return
    derive_all(con)
    con.execute("DELETE FROM store_meta WHERE key = 'scope'")  # the old table's fingerprint
    con.execute("INSERT OR REPLACE INTO store_meta VALUES ('derived', ?)", [fingerprint])
