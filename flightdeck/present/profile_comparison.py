"""The problem profile's comparison: the force against its peer group (the KPI results held
here, `flightdeck.peers.comparison`) and against every force's published figures
(`flightdeck.national.figures`), each as funnels of recorded crimes per 100,000 people (K01)
and the charge rate (K02) over a year, read as the compare pages read them: colour only outside
the limits, the force ringed, forces not compared named with why.

A profile leaves the analyst's screen, so a force's figure over the year that breaks the
small-number rule (`suppression.is_primary`) is left out of a funnel, said so, never drawn.
"""

import datetime as dt
from dataclasses import dataclass, field

import duckdb
import pandas as pd

from flightdeck.engine.catalogue import by_id
from flightdeck.national import figures as national_figures
from flightdeck.national.measures import COUNT, measure
from flightdeck.peers import comparable, comparison, groups, suppression
from flightdeck.present.funnel_chart import Scale
from flightdeck.reference import load_reference
from flightdeck.stats.funnel import PROPORTION, RATE, Funnel, funnel

PER_WORDS = "per 100,000 people"
SMALL = "too few to publish (small numbers)"
# The two KPIs compared, and the national measures counting the same.
COMPARED = (("K01", "recorded"), ("K02", "charge"))


@dataclass(frozen=True)
class FunnelPart:
    """One funnel of the comparison: its heading, the funnel (None when fewer than two forces
    can be compared, `reason` says so), how its values are shown, the KPI's direction, the
    forces not compared and why, and (national) the force's own figure from its case data."""

    heading: str
    result: Funnel | None
    scale: Scale
    direction: str
    not_compared: dict[str, str] = field(default_factory=dict)
    own: tuple[float, float] | None = None  # (value, denominator)
    reason: str = ""


@dataclass(frozen=True)
class ComparisonPart:
    """A comparison section: whom against, over which period, and its funnels."""

    title: str
    period: str
    focus: str
    names: dict[str, str]
    funnels: list[FunnelPart]
    note: str = ""


def _scale(kpi_id: str) -> Scale:
    if kpi_id == "K01":
        return Scale(
            factor=comparison.PER,
            percent=False,
            y_title=f"Crimes recorded {PER_WORDS}",
            x_title="Population (log scale)",
        )
    return Scale(
        y_title="% of outcomes charged",
        x_title="Outcomes the share is based on (log scale)",
    )


def _heading(kpi_id: str) -> str:
    return {
        "K01": f"Recorded rape and other sexual offences {PER_WORDS} (K01)",
        "K02": "Charge rate: share of outcomes charged or summonsed (K02)",
    }[kpi_id]


def without_small(figures: pd.DataFrame, kind: str, rule) -> tuple[pd.DataFrame, dict]:
    """The figures whose year breaks no small-number rule, and the others with why."""
    small = [
        suppression.is_primary(kind, r.numerator, getattr(r, "denominator", None), rule)
        for r in figures.itertuples()
    ]
    mask = pd.Series(small, index=figures.index, dtype=bool)
    return figures[~mask].reset_index(drop=True), dict.fromkeys(figures.loc[mask, "force"], SMALL)


def _part(kpi_id, figures, left_out, direction, own=None) -> FunnelPart:
    measured = RATE if kpi_id == "K01" else PROPORTION
    scale, heading = _scale(kpi_id), _heading(kpi_id)
    if len(figures) < 2:
        why = "Fewer than two forces have a figure for the whole year, so there is no funnel."
        return FunnelPart(heading, None, scale, direction, left_out, own, why)
    result = funnel(figures[["force", "numerator", "denominator"]], measure=measured)
    return FunnelPart(heading, result, scale, direction, left_out, own)


def names() -> dict[str, str]:
    forces = load_reference().forces
    return dict(zip(forces["id"], forces["name"], strict=True))


def peer_part(
    con: duckdb.DuckDBPyConnection, force: str, last: pd.Timestamp, rule
) -> ComparisonPart | None:
    """The force against its own peer group (its first group in the reference list or as
    edited) over the 12 months to `last`; None when the group holds no other force with data."""
    table = groups.peer_groups(con)
    _, group = groups.group_choices(table, force)
    with_data = list(comparable.comparable_forces(con)["force"])
    members = groups.members(table, group, force, with_data)
    if len(members) < 2:
        return None
    absent = groups.without_data(table, group, force, with_data)
    catalogue, parts = by_id(), []
    for kpi_id, _ in COMPARED:
        kpi = catalogue[kpi_id]
        rows = comparable.comparable_results(con, kpi_id, members)  # all RASSO crimes
        rows = rows.assign(month=pd.to_datetime(rows["month"]))
        figures, left_out = comparison.window_totals(rows, last, True, kpi.kind)
        figures, small = without_small(figures, kpi.kind, rule)
        if kpi.kind == "count":
            figures, no_population = comparison.per_population(
                figures, load_reference().populations
            )
            left_out |= no_population
        left_out |= small | dict.fromkeys(absent, "no figures in this database")
        parts.append(_part(kpi_id, figures, left_out, kpi.direction))
    first = pd.Timestamp(last) - pd.DateOffset(months=11)
    return ComparisonPart(
        title=f"Against its peer group: {group}",
        period=f"the 12 months {first:%b %Y} to {pd.Timestamp(last):%b %Y}",
        focus=force,
        names=names(),
        funnels=parts,
    )


def national_end(con: duckdb.DuckDBPyConnection, last: pd.Timestamp) -> dt.date | None:
    """The latest published quarter ending by the end of the month `last`."""
    limit = (pd.Timestamp(last) + pd.DateOffset(months=1)).date()
    for _, _, start in national_figures.latest_quarters(con, "recorded"):
        start = pd.Timestamp(start).date()
        if (pd.Timestamp(start) + pd.DateOffset(months=3)).date() <= limit:
            return start
    return None


def national_part(
    con: duckdb.DuckDBPyConnection, force: str, last: pd.Timestamp, rule
) -> ComparisonPart | None:
    """The force against every force's published figures over the four financial quarters to
    the latest one ending by `last`, its own case-data figure beside; None without figures."""
    end = national_end(con, last)
    if end is None:
        return None
    populations, parts = load_reference().populations, []
    for kpi_id, measure_id in COMPARED:
        m = measure(measure_id)
        published, left = national_figures.published(con, measure_id, end, 4)
        own = national_figures.own(con, measure_id, end, 4)
        own = own[own["force"] == force]
        published, no_population = comparison.valued(published, m.kind == COUNT, populations)
        own, _ = comparison.valued(own, m.kind == COUNT, populations)
        own_kind = "count" if m.kind == COUNT else "rate"
        own_ok, _ = without_small(own, own_kind, rule)
        beside = None
        if not own_ok.empty and own_ok["denominator"].iloc[0] > 0:
            beside = (float(own_ok["value"].iloc[0]), float(own_ok["denominator"].iloc[0]))
        left_out = dict(zip(left["force"], left["reason"], strict=True)) | no_population
        left_out = {f: w for f, w in left_out.items() if f == force}  # only the force's own
        parts.append(_part(kpi_id, published, left_out, m.direction, beside))
    first, _ = national_figures.quarter_window(end, 4)
    note = (
        "SYNTHETIC national figures (the demo's), not Home Office ones."
        if (national_figures.figures_synthetic(con))
        else "Published by the Home Office (police recorded crime and outcomes open data)."
    )
    return ComparisonPart(
        title="Against every force in England and Wales (published figures)",
        period=f"the four financial quarters {national_figures.quarter_label(first)} to "
        f"{national_figures.quarter_label(end)}",
        focus=force,
        names=names(),
        funnels=parts,
        note=note,
    )
