"""Which stored version of each crime is current, kept in `crime_versions.is_current`.

A crime's current version is its row in the active case load with the latest as-of date (the
later load wins a tie). Working that out by ranking every version of every crime costs a sort
of the whole store (25 s at ten million crimes); the flag makes `current_crimes` a filtered
scan. It is kept inside the transaction of every change that can move it:

- a case load stores its rows as current, then `settle`s it: only crimes that also have a row
  in another load are ranked again (on a force's first load, none are);
- a rollback `settle`s the load rolled back: its rows stop being current, and its crimes that
  other loads hold are ranked again;
- `rebuild` ranks everything again (`flightdeck refresh`, and a database made before the flag).
"""

from collections.abc import Sequence

import duckdb

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


def _ids(load_ids: Sequence[int]) -> str:
    return "(" + ", ".join(str(int(i)) for i in load_ids) + ")"


def settle(con: duckdb.DuckDBPyConnection, load_ids: Sequence[int]) -> None:
    """Make `is_current` right again after these loads were stored or rolled back."""
    if not load_ids:
        return
    ids = _ids(load_ids)
    # Rows of a load that does not count (rolled back) are never current.
    con.execute(
        f"""UPDATE crime_versions SET is_current = FALSE
            WHERE load_id IN {ids} AND is_current
              AND load_id IN (SELECT load_id FROM loads WHERE NOT active OR kind <> 'cases')"""
    )
    forces = con.execute(
        f"SELECT DISTINCT unnest(forces) FROM loads WHERE load_id IN {ids}"
    ).fetchall()
    if not forces:
        return
    in_forces = "(" + ", ".join("'" + f.replace("'", "''") + "'" for (f,) in forces) + ")"
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
        if con.execute("SELECT count(*) FROM settling").fetchone()[0]:
            where = "SEMI JOIN settling AS s ON s.force = v.force AND s.crime_id = v.crime_id"
            con.execute(_UPDATE.format(ranked=_RANKED.format(where=where)))
    finally:
        con.execute("DROP TABLE IF EXISTS temp.main.settling")


def rebuild(con: duckdb.DuckDBPyConnection) -> None:
    """Rank every version of every crime again."""
    con.execute(_UPDATE.format(ranked=_RANKED.format(where="")))
