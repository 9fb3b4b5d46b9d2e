"""Which forces and figures can be compared here.

A force holds case-level data only for itself; other forces arrive as imported KPI results
(`flightdeck.peers.imports`). Every force with its own case data in this database (the demo
database holds several) and every imported peer is comparable: own results are computed here
from case data, peer results are the imported aggregates, and a force with own case data never
has imported figures shown in their place (the view `own_forces` says which forces are own).
"""

import duckdb
import pandas as pd

from flightdeck.reference import load_reference
from flightdeck.vocabulary import ALL, RESULT_COLUMNS, RESULT_KEY


def comparable_forces(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Columns force, name, source ('own' or 'peer'), as_of, synthetic: every force with
    figures in this database."""
    frame = con.execute(
        """
        SELECT force, 'own' AS source, a.as_of
        FROM (SELECT DISTINCT force FROM kpi_results) AS r LEFT JOIN force_as_of AS a USING (force)
        UNION ALL
        SELECT force, 'peer', as_of FROM peer_imports
        WHERE force NOT IN (SELECT force FROM own_forces)
        ORDER BY force
        """
    ).df()
    reference = load_reference()
    frame["name"] = [reference.force_name(f) for f in frame["force"]]
    frame["synthetic"] = frame["force"].isin(reference.synthetic_force_ids)
    return frame[["force", "name", "source", "as_of", "synthetic"]]


def comparable_results(
    con: duckdb.DuckDBPyConnection,
    kpi_id: str,
    forces: list[str] | None = None,
    *,
    offence_group: str = ALL,
) -> pd.DataFrame:
    """One KPI's results of one offence group (all RASSO crimes unless said) for every
    comparable force (or the given ones): the results-table columns with `suppressed` and
    `source`; suppressed peer rows are kept so the page can say what is missing. A peer file of
    the older format, without offence groups, has `All` rows only."""
    columns = ", ".join([*RESULT_COLUMNS, "suppressed", "source"])
    query = f"SELECT {columns} FROM comparable_results WHERE kpi_id = ? AND offence_group = ?"
    params: list = [kpi_id, offence_group]
    if forces is not None:
        query += " AND list_contains(?, force)"
        params.append(list(forces))
    return con.execute(query + f" ORDER BY {', '.join(RESULT_KEY[1:])}", params).df()


def peer_feasibility(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Which KPIs each comparable force can compute: force, kpi_id, flag, reason, source.

    Own forces: the feasibility computed here; peers: what their export declared.
    """
    return con.execute(
        """
        SELECT force, kpi_id, flag, reason, 'own' AS source FROM kpi_feasibility
        UNION ALL
        SELECT force, kpi_id, flag, reason, 'peer' FROM peer_feasibility
        WHERE force NOT IN (SELECT force FROM own_forces)
        ORDER BY force, kpi_id
        """
    ).df()
