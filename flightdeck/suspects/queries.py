"""The suspect lists' SQL: one file per step under `sql/suspects/`, composed and run with named
parameters.

A query is a chain of files, each reading the ones before it by name, like models that
reference each other: `suspect_crimes` (a force's named suspects' crimes to the month end) feeds
`window_figures` (one row per suspect of the window, with the RFG score), which a list ranks
(`frequency`, `harm`, `rfg`: the first 10 as `listed`); `disruption` then reads the listed
suspects' crimes, and `list` puts the two together. Composing puts each earlier file in a
`WITH` clause under its name; values reach the SQL only as parameters (`$force`, `$month_end`,
...), never in its text. The arithmetic over crimes is in those files (DuckDB); this module
chooses the parameters.
"""

import datetime as dt
import re
from functools import cache
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import resources
from flightdeck.engine import refresh
from flightdeck.reference import load_reference
from flightdeck.suspects import rfg

FOLDER = "suspects"
# A query that opens (after its comments) with a WITH clause.
_LEADING_WITH = re.compile(r"(?:\s*--[^\n]*\n)*\s*WITH\s", re.IGNORECASE)
Step = str | tuple[str, str]  # a file, or (the name it is read by, the file)


@cache
def _text(name: str) -> str:
    return (Path(resources.sql_dir()) / FOLDER / f"{name}.sql").read_text(encoding="utf-8")


def compose(*steps: Step) -> str:
    """One query from a chain of files: the last is the query, each earlier one a `WITH` step
    it (or a step after it) reads by name: the file's own, or the one given with it, as in
    `("listed", "harm")`. A last file with a `WITH` clause of its own has its steps added after
    the chain's."""
    *before, last = [(step, step) if isinstance(step, str) else step for step in steps]
    query = _text(last[1])
    if not before:
        return query
    defined = ",\n".join(f"{name} AS (\n{_text(file).strip()}\n)" for name, file in before)
    own_steps = _LEADING_WITH.match(query)
    if own_steps:
        return f"WITH {defined},\n{query[own_steps.end() :]}"
    return f"WITH {defined}\n{query}"


def ranked(listed: str) -> str:
    """The query of a list's rows: the suspects `listed` (the file of a list, or
    `the_suspect`) ranked by their window's figures, with the disruption in place."""
    return compose("suspect_crimes", "window_figures", ("listed", listed), "disruption", "list")


def parameters(force: str, month_end: dt.date, suspect_id: str | None = None) -> dict[str, object]:
    """The named parameters of the suspect queries: the force, the month end, one suspect or
    all (None), the harm weights and the RFG score's bands and weights."""
    weights = load_reference().harm_weight_of
    return {
        "force": force,
        "month_end": month_end,
        "suspect_id": suspect_id,
        "harm_codes": list(weights),
        "harm_days": list(weights.values()),
        **rfg.load_config().sql_parameters(),
    }


def run(con: duckdb.DuckDBPyConnection, sql: str, values: dict[str, object]) -> pd.DataFrame:
    """The rows of a composed query, as a data frame, given the named parameters it uses out of
    `values` (the engine's rule: DuckDB refuses any it does not use)."""
    return con.execute(sql, refresh.parameters_used(sql, values, "the suspect query")).df()
