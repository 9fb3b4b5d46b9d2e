"""What the compare page shows, worked out from KPI result rows (no Streamlit, no database file).

Input frames are KPI result rows (the results-table columns, optionally `suppressed`) for one KPI
and any number of forces. Every function compares one offence group (`offence_group`, all RASSO
crimes unless said; rows without the column count as `All`), so the figures of all crimes and of
each group are never added together. Only complete, unsuppressed rows with a figure are used:
an incomplete month (its window has not elapsed) or a suppressed figure is never compared as if
it were final.
Pooling over months and forces happens in SQL (an in-memory DuckDB over the rows given), the same
way for the funnel, the ranked plot, the peer line and the breakdowns. Medians are never pooled.
"""

import duckdb
import pandas as pd

from flightdeck.stats.funnel import PROPORTION, RATE, poisson_interval, wilson_interval
from flightdeck.vocabulary import ALL

ROLLING_MONTHS = 12
# Rates per population are shown per 100,000 people.
PER = 100_000

# A row that may be compared: complete, not suppressed, with a figure.
_COMPARABLE = "complete AND NOT coalesce(suppressed, FALSE) AND value IS NOT NULL"
# The comparable rows of one offence group registered as `given`: headline rows, or with
# $breakdown the rows of a breakdown.
_USABLE = f"""
    SELECT force, CAST(month AS DATE) AS month, age_band, gender, numerator, denominator, value
    FROM given
    WHERE {_COMPARABLE} AND offence_group = $offence_group
        AND ((age_band = '{ALL}' AND gender = '{ALL}') != $breakdown)
"""


def _query(rows: pd.DataFrame, sql: str, params: dict) -> pd.DataFrame:
    given = rows if "suppressed" in rows.columns else rows.assign(suppressed=False)
    if "offence_group" not in given.columns:
        given = given.assign(offence_group=ALL)
    con = duckdb.connect()
    try:
        con.register("given", given)
        used = {k: v for k, v in params.items() if f"${k}" in sql}
        return con.execute(sql, used).df()
    finally:
        con.close()


def months_compared(results: pd.DataFrame, *, offence_group: str = ALL) -> list[pd.Timestamp]:
    """The months with any comparable row of the offence group, latest first."""
    found = _query(
        results,
        f"SELECT DISTINCT CAST(month AS DATE) AS month FROM given WHERE {_COMPARABLE} "
        "AND offence_group = $offence_group ORDER BY month DESC",
        {"offence_group": offence_group},
    )
    return list(pd.to_datetime(found["month"]))


def window(month: pd.Timestamp, rolling: bool) -> list[pd.Timestamp]:
    """The months compared: the month itself, or it and the 11 before it."""
    month = pd.Timestamp(month)
    if not rolling:
        return [month]
    return [month - pd.DateOffset(months=k) for k in range(ROLLING_MONTHS - 1, -1, -1)]


def window_totals(
    results: pd.DataFrame, month, rolling: bool, kind: str, *, offence_group: str = ALL
):
    """Per force: numerator, denominator and value over the window (headline rows of the
    offence group only).

    Returns (figures, left_out) where `left_out` maps force -> why it is not compared (a month
    of the window missing, incomplete or suppressed: a 12-month rate from part of the window
    would not be comparable). Medians cannot be pooled over months, so a rolling window of a
    median KPI gives no figures.
    """
    months = window(month, rolling)
    found = _query(
        results,
        f"""
        WITH u AS ({_USABLE} AND month IN (SELECT unnest($months::DATE[])))
        SELECT f.force, count(u.month) AS months,
               CASE WHEN $kind != 'median' THEN coalesce(sum(u.numerator), 0) END AS numerator,
               CASE WHEN $kind != 'count' THEN coalesce(sum(u.denominator), 0) END AS denominator,
               CASE $kind WHEN 'rate' THEN sum(u.numerator) / sum(u.denominator)
                          WHEN 'count' THEN sum(u.value) ELSE min(u.value) END AS value
        FROM (SELECT DISTINCT force FROM given) AS f LEFT JOIN u USING (force)
        GROUP BY f.force ORDER BY f.force
        """,
        {
            "months": [m.date() for m in months],
            "kind": kind,
            "breakdown": False,
            "offence_group": offence_group,
        },
    )
    left_out = {}
    for row in found.itertuples():
        if row.months < len(months):
            left_out[row.force] = (
                "no figure for the month (suppressed, not yet complete or not recorded)"
                if not rolling
                else f"{len(months) - row.months} of the {len(months)} months suppressed, "
                "incomplete or missing"
            )
        elif kind == "median" and rolling:
            left_out[row.force] = "a median cannot be pooled over 12 months"
    figures = found[~found["force"].isin(left_out)][["force", "numerator", "denominator", "value"]]
    return figures.reset_index(drop=True), left_out


def per_population(figures: pd.DataFrame, populations: pd.DataFrame):
    """A count KPI's window totals as rates per person: the denominator becomes the force's
    population (reference `force_populations.csv`), the value numerator / population.

    Returns (figures, left_out): forces without a population figure are left out, with why;
    their raw counts are never ranked instead.
    """
    sizes = populations.set_index("force")["population"]
    known = figures["force"].isin(sizes.index)
    left_out = {
        f: "no population figure in the reference list" for f in figures.loc[~known, "force"]
    }
    out = figures[known].copy()
    out["denominator"] = out["force"].map(sizes).astype(float)
    out["value"] = out["numerator"] / out["denominator"]
    return out.reset_index(drop=True), left_out


def valued(figures: pd.DataFrame, per_person: bool, populations: pd.DataFrame):
    """(figures with `value`, left_out): a count per person of population (`per_population`,
    forces without one left out with why), else a share of the denominator."""
    if per_person:
        return per_population(figures, populations)
    return figures.assign(value=figures["numerator"] / figures["denominator"]), {}


def ranked(figures: pd.DataFrame, measure: str) -> pd.DataFrame:
    """Forces in order of value with 95 % intervals: Wilson for proportions, exact Poisson for
    rates per population, blank for anything else (medians, ratios)."""
    out = figures.sort_values("value").reset_index(drop=True).copy()
    out["lower"], out["upper"] = float("nan"), float("nan")
    if measure == PROPORTION:
        bounds = [wilson_interval(r.numerator, r.denominator) for r in out.itertuples()]
    elif measure == RATE:
        bounds = [
            tuple(b / r.denominator for b in poisson_interval(r.numerator))
            for r in out.itertuples()
        ]
    else:
        return out
    out["lower"] = [lo for lo, _ in bounds]
    out["upper"] = [hi for _, hi in bounds]
    return out


def measure_of(kind: str, unit: str) -> str | None:
    """Which funnel a KPI gets: proportions a binomial one, counts one per population (RATE),
    anything else (medians, ratios such as open crimes per investigator) none."""
    if kind == "rate" and unit == "fraction":
        return PROPORTION
    if kind == "count":
        return RATE
    return None


def over_time(
    results: pd.DataFrame,
    focus: str,
    kind: str,
    populations: pd.DataFrame | None = None,
    *,
    offence_group: str = ALL,
) -> pd.DataFrame:
    """The focus force and its peers, month by month (headline rows of the offence group).

    Rates: the peers' pooled rate (their numerators over their denominators). Counts with
    `populations`: per 100,000 people, the peers' counts over their populations (forces without
    a population are left out on both sides); counts without populations and medians: the plain
    mean of the peers' figures. Columns month, series, value, forces.
    """
    given = results
    if kind == "count" and populations is not None:
        given = results.merge(populations[["force", "population"]], on="force")
        given = given.assign(numerator=given["value"], denominator=given["population"] / PER)
        kind = "rate"
    pooled = "sum(u.numerator) / sum(u.denominator)" if kind == "rate" else "avg(u.value)"
    own = "u.numerator / u.denominator" if kind == "rate" else "value"
    frame = _query(
        given,
        f"""
        WITH u AS ({_USABLE})
        SELECT month, $focus AS series, {own} AS value, 1 AS forces FROM u WHERE force = $focus
        UNION ALL
        SELECT month, 'peer mean', {pooled}, count(DISTINCT force) FROM u
        WHERE force != $focus GROUP BY month
        ORDER BY series = 'peer mean', month
        """,
        {"focus": focus, "breakdown": False, "offence_group": offence_group},
    )
    frame["month"] = pd.to_datetime(frame["month"])
    return frame[["month", "series", "value", "forces"]]


def breakdown(
    results: pd.DataFrame,
    focus: str,
    months,
    by: str,
    kind: str,
    *,
    offence_group: str = ALL,
) -> pd.DataFrame:
    """The focus force against its peers by age band (`by="age_band"`) or gender, within the
    offence group, over the given months, only for labels where both sides have usable
    figures.

    Columns label, side ('force' or 'peers'), value, denominator. Medians are not broken down
    over several months (they cannot be pooled).
    """
    months = list(months)
    columns = ["label", "side", "value", "denominator"]
    if kind == "median" and len(months) > 1:
        return pd.DataFrame(columns=columns)
    if by not in ("age_band", "gender"):
        raise ValueError(f"breakdown by {by!r}: only age_band or gender")
    other = "gender" if by == "age_band" else "age_band"
    size = "sum(u.value)" if kind == "count" else "sum(u.denominator)"
    frame = _query(
        results,
        f"""
        WITH u AS ({_USABLE} AND {other} = '{ALL}' AND {by} != '{ALL}'
                   AND month IN (SELECT unnest($months::DATE[]))),
        sides AS (
            SELECT {by} AS label, CASE WHEN force = $focus THEN 'force' ELSE 'peers' END AS side,
                   -- rates pool; counts become the side's share in each band (forces of
                   -- different sizes cannot be averaged as counts); medians are averaged
                   CASE $kind WHEN 'rate' THEN sum(u.numerator) / sum(u.denominator)
                              WHEN 'count' THEN sum(u.value) ELSE avg(u.value) END AS value,
                   {size} AS denominator
            FROM u GROUP BY ALL
        )
        SELECT label, side, denominator,
               CASE WHEN $kind = 'count' THEN value / sum(value) OVER (PARTITION BY side)
                    ELSE value END AS value
        FROM sides
        WHERE label IN (SELECT label FROM sides GROUP BY label HAVING count(DISTINCT side) = 2)
        ORDER BY side, label
        """,
        {
            "months": [pd.Timestamp(m).date() for m in months],
            "focus": focus,
            "kind": kind,
            "breakdown": True,
            "offence_group": offence_group,
        },
    )
    return frame[columns].reset_index(drop=True)
