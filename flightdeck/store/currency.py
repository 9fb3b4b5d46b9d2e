"""Which stored version of each crime is current (`crime_versions.is_current`), and the table
`crimes_in_scope_rows` of the current, uncancelled crimes with their derived fields.

A crime's current version is its row in the active case load with the latest as-of date (the
later load wins a tie). Working that out by ranking every version of every crime costs a sort
of the whole store (25 s at ten million crimes), and deriving the offence group, age band and
gender of every crime again for each of 27 measures costs as much again; the flag and the table
make a refresh a set of scans of stored columns. Both are kept inside the transaction of every
change that can move them:

- a case load stores its rows as current, then `settle`s them: only crimes that also have a
  row in another load are ranked again (on a force's first load, none are), and only the
  crimes of the load have their rows in scope written again;
- a rollback `settle`s the load rolled back the same way: its rows stop being current, and its
  crimes that other loads hold are ranked again;
- `rebuild` ranks and writes everything again (`flightdeck refresh`).

`ensure_scope`, when the store is opened for writing, writes the whole table again whenever
its rule (the view `scoped_crimes`, the vocabulary, the reference offence codes) or the columns
of crime_versions have changed, and for a database made before the table.
"""

import hashlib
from collections.abc import Sequence

import duckdb

from flightdeck.vocabulary import sql_list

SCOPE_TABLE = "crimes_in_scope_rows"

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
    """Make `is_current` and the rows in scope right again after these loads were stored or
    rolled back."""
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
        contested = con.execute("SELECT count(*) FROM settling").fetchone()[0] > 0
        if contested:
            con.execute(_UPDATE.format(ranked=_RANKED.format(where=_SETTLING)))
        # A crime of these loads held by no other load is in scope through its row here, if
        # at all; a contested crime through whichever of its rows is now current.
        con.execute(f"DELETE FROM {SCOPE_TABLE} WHERE load_id IN {ids}")
        con.execute(
            f"INSERT INTO {SCOPE_TABLE} SELECT * FROM scoped_crimes "
            f"WHERE load_id IN {ids} AND force IN {in_forces}"
        )
        if contested:
            con.execute(
                f"""DELETE FROM {SCOPE_TABLE} AS v USING settling AS s
                    WHERE s.force = v.force AND s.crime_id = v.crime_id
                      AND v.load_id NOT IN {ids}"""
            )
            con.execute(
                f"INSERT INTO {SCOPE_TABLE} SELECT v.* FROM scoped_crimes AS v {_SETTLING} "
                f"WHERE v.load_id NOT IN {ids}"
            )
    finally:
        con.execute("DROP TABLE IF EXISTS temp.main.settling")


def rank_all(con: duckdb.DuckDBPyConnection) -> None:
    """Rank every version of every crime again (`is_current` only)."""
    con.execute(_UPDATE.format(ranked=_RANKED.format(where="")))


def rescope_all(con: duckdb.DuckDBPyConnection) -> None:
    """Write every row in scope again from the rule."""
    con.execute(f"DELETE FROM {SCOPE_TABLE}")
    con.execute(f"INSERT INTO {SCOPE_TABLE} SELECT * FROM scoped_crimes")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Rank every version of every crime again, and write every row in scope again."""
    rank_all(con)
    rescope_all(con)


def _fingerprint(con: duckdb.DuckDBPyConnection, rule: str) -> str:
    """What the table's rows follow from besides the data: the rule's text (the view file and
    the macros it calls, written from the vocabulary and the reference offence codes) and the
    columns of crime_versions."""
    columns = con.execute(
        "SELECT string_agg(column_name || ' ' || data_type, ', ' ORDER BY column_index) "
        "FROM duckdb_columns() WHERE table_name = 'crime_versions' AND schema_name = 'main' "
        "AND database_name = current_database()"
    ).fetchone()[0]
    return hashlib.sha256(f"{rule}\n{columns}".encode()).hexdigest()


def ensure_scope(con: duckdb.DuckDBPyConnection, rule: str) -> None:
    """Make the table match the rule `rule` (the statements it follows from): written again
    from the data when it is missing or the rule has changed."""
    fingerprint = _fingerprint(con, rule)
    exists = con.execute(
        "SELECT count(*) FROM information_schema.tables WHERE table_name = ? "
        "AND table_schema = 'main' AND table_catalog = current_database()",
        [SCOPE_TABLE],
    ).fetchone()[0]
    kept = con.execute("SELECT value FROM store_meta WHERE key = 'scope'").fetchone()
    if exists and kept == (fingerprint,):
        return
    con.execute(f"CREATE OR REPLACE TABLE {SCOPE_TABLE} AS SELECT * FROM scoped_crimes")
    con.execute("INSERT OR REPLACE INTO store_meta VALUES ('scope', ?)", [fingerprint])
