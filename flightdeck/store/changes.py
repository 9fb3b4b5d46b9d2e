"""What a case extract would change, counted in SQL against the current crimes: per force, the
crimes new, updated and unchanged, and the crimes of the force's previous load that the file no
longer holds (kept as they were, and warned about).

A file that shares few crimes with the force's previous load is most likely the wrong extract
(another force's, another system's): loading it would count the same crimes twice or freeze
the real ones. `held` names each force where most of the previous load's crimes are missing from
the file or most of the file's crimes are new; such a load needs an explicit confirmation. A
force's first load is never held.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import duckdb
import pandas as pd

from flightdeck.extracts.columns import CASE_COLUMNS
from flightdeck.extracts.contract import CaseExtract
from flightdeck.extracts.report import WARNING, ValidationReport

CHANGE_COLUMNS = [
    "force",
    "rows_new",
    "rows_updated",
    "rows_unchanged",
    "missing_from_previous",
    "previous_crimes",
]

# Examples of crimes missing from a force's new load kept with the load's warnings.
MISSING_EXAMPLES = 10


# The crimes in each force's previous active case load (the latest by as-of date), for the
# forces of the file's staged rows, seen as the view `incoming`.
_PREVIOUS = """
    SELECT v.force, v.crime_id
    FROM crime_versions AS v
    JOIN (
        SELECT force, load_id FROM (
            SELECT unnest(forces) AS force, load_id, as_of FROM loads
            WHERE active AND kind = 'cases')
        WHERE force IN (SELECT DISTINCT force FROM incoming)
        QUALIFY row_number() OVER (PARTITION BY force ORDER BY as_of DESC, load_id DESC) = 1
    ) AS previous USING (force, load_id)
"""

# Those of them that the file no longer holds.
_MISSING = f"""{_PREVIOUS}
    ANTI JOIN incoming AS i ON i.force = v.force AND i.crime_id = v.crime_id
"""


@dataclass
class Changes:
    counts: pd.DataFrame  # CHANGE_COLUMNS, one row per force in the file
    missing: pd.DataFrame  # force, crime_id: crimes of the previous load not in the file


def _has_active_case_load(con: duckdb.DuckDBPyConnection, forces: Sequence[str]) -> bool:
    return con.execute(
        "SELECT count(*) > 0 FROM loads WHERE active AND kind = 'cases' "
        "AND list_has_any(forces, ?::VARCHAR[])",
        [list(forces)],
    ).fetchall()[0][0]


def _first_load_counts(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """A force's first load: every row is new, none missing."""
    return con.execute(
        """SELECT force, count(*) AS rows_new, 0 AS rows_updated, 0 AS rows_unchanged,
                  0 AS missing_from_previous, 0 AS previous_crimes
           FROM incoming GROUP BY force ORDER BY force"""
    ).df()


def _counts_against_current(con: duckdb.DuckDBPyConnection, forces: list[str]) -> pd.DataFrame:
    same = " AND ".join(f"i.{c} IS NOT DISTINCT FROM c.{c}" for c in CASE_COLUMNS)
    return con.execute(
        f"""
        WITH missing AS (
            SELECT force, count(*) AS missing_from_previous
            FROM ({_MISSING}) GROUP BY force
        ),
        previous AS (
            SELECT force, count(*) AS previous_crimes FROM ({_PREVIOUS}) GROUP BY force
        ),
        compared AS (
            SELECT i.force,
                   count(*) FILTER (WHERE c.crime_id IS NULL) AS rows_new,
                   count(*) FILTER (WHERE c.crime_id IS NOT NULL AND NOT ({same})) AS rows_updated,
                   count(*) FILTER (WHERE c.crime_id IS NOT NULL AND ({same})) AS rows_unchanged
            FROM incoming AS i
            LEFT JOIN (SELECT * FROM current_crimes WHERE force IN ?) AS c
                ON c.force = i.force AND c.crime_id = i.crime_id
            GROUP BY i.force
        )
        SELECT compared.*, coalesce(missing.missing_from_previous, 0) AS missing_from_previous,
               coalesce(previous.previous_crimes, 0) AS previous_crimes
        FROM compared LEFT JOIN missing USING (force) LEFT JOIN previous USING (force)
        ORDER BY force
        """,
        # A constant list lets DuckDB filter before the view's window: only the file's forces
        # are versioned, not the whole database.
        [forces],
    ).df()


def _missing_from_previous(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    """Examples of the crimes in each force's previous active case load that the incoming file
    lacks (at most MISSING_EXAMPLES per force, as the warnings keep)."""
    return con.execute(
        f"""
        SELECT force, crime_id FROM ({_MISSING})
        QUALIFY row_number() OVER (PARTITION BY force ORDER BY crime_id) <= ?
        ORDER BY force, crime_id
        """,
        [MISSING_EXAMPLES],
    ).df()


def changes(con: duckdb.DuckDBPyConnection, extract: CaseExtract) -> Changes:
    """What loading the (valid) extract would change, per force in the file: counted where its
    rows are staged (`extract.table`, in `con`), seen as the view `incoming`."""
    con.execute(f"CREATE OR REPLACE TEMP VIEW incoming AS SELECT * FROM {extract.table}")
    try:
        if not _has_active_case_load(con, extract.forces):
            empty = pd.DataFrame({"force": [], "crime_id": []}, dtype=str)
            return Changes(_first_load_counts(con)[CHANGE_COLUMNS], empty)
        counts = _counts_against_current(con, list(extract.forces))
        return Changes(counts[CHANGE_COLUMNS], _missing_from_previous(con))
    finally:
        con.execute("DROP VIEW IF EXISTS temp.main.incoming")


def changes_before(con, fresh: Sequence[CaseExtract]) -> list[Changes | None]:
    """What each file changes against the store as it is; None for a file whose forces an
    earlier file of the same call also holds (it is counted again after that one is stored)."""
    found, seen = [], set()
    for e in fresh:
        found.append(None if seen & set(e.forces) else changes(con, e))
        seen |= set(e.forces)
    return found


def held(counts: pd.DataFrame, share: float) -> list[str]:
    """Why the load looks like the wrong extract, one sentence per force: more than `share` of
    the crimes of the force's previous load missing from the file, or more than `share` of the
    file's crimes for the force new. Empty when nothing is held (a first load never is)."""
    reasons = []
    for row in counts.itertuples():
        in_file = row.rows_new + row.rows_updated + row.rows_unchanged
        if row.previous_crimes == 0 or in_file == 0:
            continue
        missing = row.missing_from_previous / row.previous_crimes
        new = row.rows_new / in_file
        if missing > share or new > share:
            reasons.append(
                f"{row.force}: {row.missing_from_previous:,} of the {row.previous_crimes:,} "
                f"crimes of its previous load ({missing:.0%}) are missing from this file and "
                f"{row.rows_new:,} of its {in_file:,} crimes ({new:.0%}) are new. It looks like "
                "another month's, another force's or another system's extract; loading it "
                "would count crimes twice or keep old ones as they were"
            )
    return reasons


def report_warning_rows(load_id: int, report: ValidationReport) -> list[list]:
    """The rows of load_warnings for the report's warnings, each with its rule's total."""
    totals = {rule: n for (severity, rule), n in report.totals.items() if severity == WARNING}
    return [
        [load_id, f.rule, f.column, f.line, f.value, f.message, totals[f.rule]]
        for f in report.findings
        if f.severity == WARNING
    ]


def warning_rows(load_id: int, report: ValidationReport, found: Changes) -> list[list]:
    """The rows of load_warnings for a load: the report's warnings, and examples of the crimes
    missing since the force's previous load with the force's total."""
    out = report_warning_rows(load_id, report)
    totals = found.counts.set_index("force")["missing_from_previous"]
    for force, group in found.missing.groupby("force"):
        for crime_id in group["crime_id"]:
            out.append(
                [
                    load_id,
                    "missing_from_previous_load",
                    "crime_id",
                    None,
                    crime_id,
                    f"crime {crime_id} of {force} was in the previous load but not in this file; "
                    "it may have been cancelled. Its last version is kept.",
                    int(totals[force]),
                ]
            )
    return out
