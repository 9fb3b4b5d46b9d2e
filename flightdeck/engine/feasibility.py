"""Which KPIs a force can compute from what its records system exports, and why not.

Judged per force over its current in-scope (not cancelled) crimes:

- `not_feasible`: a column the KPI requires is entirely blank for the force (a column absent
  from the extract is stored blank, so it means the same), or the KPI needs workforce figures
  and none are loaded for the force;
- `partial`: the required columns are there, but the column the KPI expects on certain crimes
  (for K05 `charge_date` on charged crimes, for K07 `suspect_identified_date` on crimes with a
  named suspect) is filled in on fewer than the threshold share of them;
- `feasible`: otherwise.

`assess` is pure; `profile_forces` gathers the counts it needs in one pass over the data;
`disagreements` says where a computed flag contradicts the status the force declared.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Protocol

import duckdb
import pandas as pd

from flightdeck.extracts.columns import CASE_COLUMNS

FEASIBLE = "feasible"
PARTIAL = "partial"
NOT_FEASIBLE = "not_feasible"

# True/false columns of crimes_in_scope that an `expected_where` rule may name.
EXPECTATION_SCOPES = ("charged", "named_suspect")


class Requirements(Protocol):
    """What feasibility reads from a KPI (see flightdeck.engine.catalogue.KPI)."""

    requires: tuple[str, ...]
    expected_where: Mapping[str, str] | None
    uses_workforce: bool


@dataclass(frozen=True)
class ForceData:
    """How complete one force's current in-scope crimes are.

    `filled` maps a column to the number of crimes where it is filled in; `expected` maps
    (column, scope) to (crimes in the scope, of which with the column filled in).
    """

    force: str
    filled: Mapping[str, int]
    expected: Mapping[tuple[str, str], tuple[int, int]]
    has_workforce: bool


def _percent(share: float) -> str:
    return f"{round(share * 100, 1):g} %"


def assess(kpi: Requirements, data: ForceData, threshold: float) -> tuple[str, str]:
    """The KPI's flag for the force and the reason, in words an analyst can act on."""
    missing = [column for column in kpi.requires if data.filled.get(column, 0) == 0]
    problems = []
    if missing:
        problems.append(f"{', '.join(missing)} not recorded (absent or entirely blank)")
    if kpi.uses_workforce and not data.has_workforce:
        problems.append("no workforce figures loaded for this force")
    if problems:
        return NOT_FEASIBLE, "; ".join(problems)

    present = ["all required columns present"] if kpi.requires else []
    if kpi.uses_workforce:
        present.append("workforce figures loaded")
    reason = "; ".join(present) or "needs only the extract's mandatory columns"
    rule = kpi.expected_where
    if rule:
        column, scope, described = rule["column"], rule["where"], rule["described_as"]
        expected, filled = data.expected.get((column, scope), (0, 0))
        if expected == 0:
            return FEASIBLE, f"{reason}; no {described} yet to check {column} on"
        # Round down, so a share just under the threshold never reads as meeting it.
        found = f"{100 * filled // expected} %"
        completeness = f"{column} filled on {found} of {expected:,} {described}"
        if filled / expected < threshold:
            return PARTIAL, f"{completeness} (threshold {_percent(threshold)})"
        return FEASIBLE, f"{reason}; {completeness}"
    return FEASIBLE, reason


def profile_forces(
    con: duckdb.DuckDBPyConnection, kpis: Iterable[Requirements], only: str = ""
) -> list[ForceData]:
    """Completeness counts for every force with an active case load, in one query; `only` is
    a filter on force (`WHERE force IN (...)`, written by the engine) or empty for all."""
    kpis = list(kpis)
    columns = sorted({c for k in kpis for c in k.requires})
    rules = sorted(
        {(k.expected_where["column"], k.expected_where["where"]) for k in kpis if k.expected_where}
    )
    for column in columns + [c for c, _ in rules]:
        if column not in CASE_COLUMNS:
            raise ValueError(f"unknown case column in the KPI catalogue: {column}")
    for _, scope in rules:
        if scope not in EXPECTATION_SCOPES:
            raise ValueError(f"unknown expected_where scope in the KPI catalogue: {scope}")
    # Identifiers come from the checked lists above, never from data.
    measures = [f'count(c."{column}")' for column in columns]
    for column, scope in rules:
        measures.append(f'count(*) FILTER (WHERE c."{scope}")')
        measures.append(f'count(c."{column}") FILTER (WHERE c."{scope}")')
    # Counted over the stored rows in scope first (the view crimes_in_scope only adds each
    # force's as-of date, which costs a join of every row), then matched to the forces: a
    # force with a load but no crime in scope has zero of everything.
    counted = ", ".join(f"{m} AS m{i}" for i, m in enumerate(measures))
    select = ", ".join(["a.force", *(f"coalesce(c.m{i}, 0)" for i in range(len(measures)))])
    rows = con.execute(
        f"SELECT {select} FROM (SELECT * FROM force_as_of{only}) AS a "
        f"LEFT JOIN (SELECT c.force, {counted} FROM crimes_in_scope_rows AS c{only} "
        "GROUP BY c.force) AS c USING (force) ORDER BY a.force"
    ).fetchall()
    staffed = {f for (f,) in con.execute("SELECT DISTINCT force FROM current_workforce").fetchall()}
    profiles = []
    for row in rows:
        force, counts = row[0], list(row[1:])
        filled = dict(zip(columns, counts[: len(columns)], strict=True))
        pairs = counts[len(columns) :]
        expected = {rule: (pairs[2 * i], pairs[2 * i + 1]) for i, rule in enumerate(rules)}
        profiles.append(ForceData(force, filled, expected, force in staffed))
    return profiles


# Declared statuses that claim the KPI can be computed, and the one that says it cannot.
_DECLARED_COMPUTABLE = ("reported", "feasible")
_DECLARED_NOT_FEASIBLE = "not_feasible"


def disagreements(flags: pd.DataFrame) -> pd.DataFrame:
    """The rows (columns flag and declared_status among others) where the computed flag and the
    force's declared status cannot both be right: declared reported or feasible but computed
    not feasible, or declared not feasible but computed feasible. `partial` and
    `under_assessment` disagree with nothing."""
    declared = flags["declared_status"].fillna("")
    computed = flags["flag"]
    conflict = ((computed == NOT_FEASIBLE) & declared.isin(_DECLARED_COMPUTABLE)) | (
        (computed == FEASIBLE) & (declared == _DECLARED_NOT_FEASIBLE)
    )
    return flags[conflict]
