"""Cached reads of the KPIs for the flight deck, the KPI detail page and the load page.

Reads are cached in memory per database path and data version (`db.version`), so they are
recomputed only when the data changes. The flight deck reads a force's headline rows of one
offence group (a few thousand rows), the KPI pages every row of one force (hundreds of thousands
at national scale), each once per version; switching month filters in memory. Every read of
headline figures takes `offence_group` (`All` by default: all RASSO crimes), because the table
holds each figure for all crimes and again for each group.
"""

from dataclasses import dataclass

import pandas as pd
import streamlit as st

from flightdeck import resources
from flightdeck.app.data.db import database, db_path, version
from flightdeck.app.data.quality import feasibility_table
from flightdeck.engine import catalogue as kpi_catalogue
from flightdeck.engine import results
from flightdeck.present import analysis, formatting, tiles
from flightdeck.reference import load_reference
from flightdeck.store import annotations
from flightdeck.store import targets as target_store
from flightdeck.vocabulary import AGE_BANDS, ALL, GENDERS


@st.cache_resource(show_spinner=False)
def catalogue() -> list:
    """The 21 KPIs' metadata, exactly as the engine uses it."""
    return kpi_catalogue.catalogue()


@st.cache_resource(show_spinner=False)
def supplementary() -> list:
    """The supplementary measures of suspect management (S01..S06), shown beside the 21."""
    return kpi_catalogue.supplementary()


@st.cache_resource(show_spinner=False)
def measures() -> list:
    """The 21 KPIs and the supplementary measures: every chart the KPI page can draw."""
    return kpi_catalogue.measures()


@st.cache_resource(show_spinner=False, max_entries=16)
def _results_of(path: str, data_version: int, force: str) -> pd.DataFrame:
    # cache_resource, not cache_data: a force's rows can be hundreds of thousands and must not
    # be copied on every rerun. Callers treat the frame as read-only. One force at a time: at
    # national scale the whole table is millions of rows a page never needs at once.
    with database(path) as con:
        table = results.results(con, force=force)
    table["month"] = pd.to_datetime(table["month"])
    return table


def force_results(force: str) -> pd.DataFrame:
    """Every KPI result row of one force (all breakdowns and offence groups); empty if it has
    none."""
    return _results_of(db_path(), version(), force)


@st.cache_data(show_spinner=False, max_entries=64)
def _force_totals(
    path: str, data_version: int, force: str, offence_group: str = ALL
) -> pd.DataFrame:
    # Read on its own rather than picked from every row of the force (`_results_of`): a force
    # switch on the flight deck then reads a few thousand rows, not hundreds of thousands.
    with database(path) as con:
        totals = results.headline(con, force, offence_group).drop(columns="offence_group")
    totals["month"] = pd.to_datetime(totals["month"])
    return totals


def force_totals(force: str, *, offence_group: str = ALL) -> pd.DataFrame:
    """The force's headline rows (age band and gender `All`) of one offence group (all RASSO
    crimes unless said) for every KPI and month."""
    return _force_totals(db_path(), version(), force, offence_group)


def months(force: str, *, offence_group: str = ALL) -> list[pd.Timestamp]:
    """Months with any result for the force in the offence group, oldest first."""
    totals = force_totals(force, offence_group=offence_group)
    return sorted(pd.to_datetime(totals["month"].unique()))


def kpi_series(force: str, kpi, *, offence_group: str = ALL) -> pd.DataFrame:
    """One KPI's headline series for the force and offence group, zero-filled for a count over
    the force's months (a month with no crime of the group is a real zero), with the counts so
    far of an incomplete month of a rate as its value (drawn hollow)."""
    totals = force_totals(force, offence_group=offence_group)
    series = tiles.kpi_series(totals, kpi, months(force))
    return tiles.value_so_far(series, kpi.unit)


@dataclass(frozen=True)
class DeckTile:
    """One flight-deck tile with the KPI's feasibility for the force."""

    kpi_id: str
    tile: tiles.Tile
    flag: str | None
    declared: str | None


@st.cache_data(show_spinner=False, max_entries=256)
def _deck(
    path: str,
    data_version: int,
    force: str,
    month: pd.Timestamp,
    offence_group: str = ALL,
    section: str = kpi_catalogue.FLIGHT_DECK,
) -> list[DeckTile]:
    totals = _force_totals(path, data_version, force, offence_group)
    every_group = _force_totals(path, data_version, force)
    spine = sorted(pd.to_datetime(every_group["month"].unique()))
    feasible = feasibility_table(path, data_version)
    feasible = feasible[feasible["force"] == force].set_index("kpi_id")
    notes, targets = _marks(path, data_version, force)
    options = analysis.options_from_settings()
    deck = []
    shown = supplementary() if section == kpi_catalogue.SUSPECT_MANAGEMENT else catalogue()
    for kpi in shown:
        # A force-level KPI counts the force as a whole: its tile shows all RASSO crimes. A
        # target is set for all RASSO crimes, so a group's tile has no assurance against it.
        whole = kpi.force_level or offence_group == ALL
        tile = tiles.kpi_tile(
            kpi,
            tiles.kpi_series(every_group if kpi.force_level else totals, kpi, spine),
            month,
            feasible,
            change_points=analysis.change_points_for(notes, kpi.id),
            target=targets.get(kpi.id) if whole else None,
            options=options,
        )
        row = feasible.loc[kpi.id] if kpi.id in feasible.index else None
        flag, declared = (None, None) if row is None else (row["flag"], row["declared_status"])
        deck.append(DeckTile(kpi.id, tile, flag, declared))
    return deck


@st.cache_data(show_spinner=False, max_entries=16)
def _marks(path: str, data_version: int, force: str) -> tuple[pd.DataFrame, dict[str, float]]:
    """The force's change points and notes, and its targets by KPI: what every tile, chart and
    pack page of the force reads its SPC with."""
    with database(path) as con:
        return annotations.for_force(con, force), target_store.targets_for(con, force)


def force_marks(force: str) -> tuple[pd.DataFrame, dict[str, float]]:
    """The force's active change points and notes (`annotations.for_force`'s columns) and its
    targets by KPI id (in the KPI's own units), cached per data version."""
    return _marks(db_path(), version(), force)


def flight_deck(force: str, month: pd.Timestamp, *, offence_group: str = ALL) -> list[DeckTile]:
    """Every KPI's tile for the force, month and offence group (all RASSO crimes unless said),
    in catalogue order (cached per data version, so returning to a force or month costs
    nothing). A force-level KPI has figures for all crimes only, and its tile shows them
    whichever group is chosen; a group's tiles have no target (targets are for all crimes)."""
    return _deck(db_path(), version(), force, pd.Timestamp(month), offence_group)


def suspect_management(force: str, month: pd.Timestamp) -> list[DeckTile]:
    """The tiles of the supplementary measures S01..S06 for the force and month: force-level
    counts and rates of suspects (no id), built exactly as the flight deck's tiles."""
    section = kpi_catalogue.SUSPECT_MANAGEMENT
    return _deck(db_path(), version(), force, pd.Timestamp(month), ALL, section)


@st.cache_data(show_spinner=False, max_entries=4)
def _forces(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        loaded = con.execute("SELECT force, as_of FROM force_as_of ORDER BY force").df()
    ref = load_reference().forces[["id", "name", "synthetic"]]
    out = loaded.merge(ref, how="left", left_on="force", right_on="id")
    out["name"] = out["name"].fillna(out["force"])
    out["synthetic"] = out["synthetic"].fillna(False).astype(bool)
    return out[["force", "name", "synthetic", "as_of"]]


def forces() -> pd.DataFrame:
    """Forces with an active case load: force, name, synthetic, as_of."""
    return _forces(db_path(), version())


def any_synthetic() -> bool:
    return bool(forces()["synthetic"].any())


def default_month(months: list[pd.Timestamp], as_of) -> pd.Timestamp:
    """The latest month that had fully ended by the force's as-of date (else the latest)."""
    if as_of is not None and not pd.isna(as_of):
        ended = [m for m in months if m + pd.offsets.MonthEnd(0) <= pd.Timestamp(as_of)]
        if ended:
            return ended[-1]
    return months[-1]


def recomputed(force: str, *, offence_group: str = ALL) -> tuple[str, pd.DataFrame] | None:
    """After a load: the force's name and its KPIs of the offence group (all RASSO crimes
    unless said) for its latest complete month, as a table of KPI and value in words (None
    when the force has no results)."""
    known = forces().set_index("force")
    force_months = months(force)
    if force not in known.index or not force_months:
        return None
    month = default_month(force_months, known.loc[force, "as_of"])
    totals = force_totals(force, offence_group=offence_group)
    now = totals[totals["month"] == month].set_index("kpi_id")
    rows = []
    for kpi in catalogue():
        value = "n/a"
        if kpi.id in now.index:
            r = now.loc[kpi.id]
            value = formatting.format_value(r["value"], kpi.unit) if r["complete"] else "incomplete"
        rows.append({"KPI": f"{kpi.id} {kpi.name}", formatting.month_label(month): value})
    return known.loc[force, "name"], pd.DataFrame(rows)


@dataclass(frozen=True)
class Breakdown:
    """One KPI for one force and offence group by victim age band, by gender, and by both
    (the `All` rows left out); columns age_band and/or gender, numerator, denominator, value,
    complete.

    `over` says how the figures were made: "month" (the month's own rows), "sum" (a flow's
    numerators and denominators added up over the complete months) or "mean" (a snapshot's
    mean over the month ends: each count is the mean month-end count, the rate is mean
    numerator / mean denominator). `months` is how many months or month ends are in them."""

    table: pd.DataFrame  # every row, totals included
    by_age: pd.DataFrame
    by_gender: pd.DataFrame
    cross: pd.DataFrame
    complete: bool  # False when the figures are counts so far of a month still open
    over: str = "month"
    months: int = 1

    @property
    def empty(self) -> bool:
        return self.table.empty or self.table["value"].isna().all()


@st.cache_data(show_spinner=False, max_entries=64)
def _pooled(path: str, data_version: int, force: str, kpi_id: str, kind: str, first, last,
            over: str, offence_group: str = ALL) -> pd.DataFrame:  # fmt: skip
    """The months `first` to `last` of one KPI and offence group made into one figure per
    cell, `over` "sum" (a flow) or "mean" (a snapshot's month ends); columns as the results
    plus `months`."""
    sql = (resources.sql_dir() / "breakdowns" / f"over_months_{over}.sql").read_text()
    params = {"force": force, "kpi_id": kpi_id, "kind": kind, "first": first, "last": last,
              "offence_group": offence_group}  # fmt: skip
    with database(path) as con:
        return con.execute(sql, params).df()


def breakdown(
    force: str, kpi, month: pd.Timestamp, months: int = 1, *, offence_group: str = ALL
) -> Breakdown:
    """The KPI's breakdowns within the offence group (all RASSO crimes unless said) for the
    month (`months=1`; a month still open gives its counts so far), or over the `months`
    months to it, complete months only, as the KPI's kind allows
    (`kpi.over_months`): a flow's numerators and denominators added up and the rate worked out
    from them; a snapshot's mean over its month ends, never a sum. A median is never pooled:
    asking for more than one month of one raises ValueError."""
    month = pd.Timestamp(month)
    if months == 1:
        rows = force_results(force)
        table = rows[
            (rows["kpi_id"] == kpi.id)
            & (rows["month"] == month)
            & (rows["offence_group"] == offence_group)
        ]
        complete, over, held = bool(table["complete"].all()), "month", 1
        if not complete:
            table = table.assign(value=table["numerator"] / table["denominator"])
    else:
        over = kpi.over_months
        if over is None:
            raise ValueError(f"{kpi.id} is a median: medians are never pooled over months")
        first = (month - pd.DateOffset(months=months - 1)).date()
        args = (db_path(), version(), force, kpi.id, kpi.kind, first, month.date(), over)
        table, complete = _pooled(*args, offence_group), True
        held = int(table["months"].iloc[0]) if len(table) else 0
        table = table.drop(columns="months")
    by_age = table[(table["gender"] == ALL) & (table["age_band"] != ALL)]
    by_gender = table[(table["age_band"] == ALL) & (table["gender"] != ALL)]
    cross = table[(table["age_band"] != ALL) & (table["gender"] != ALL)]
    by_age = by_age.set_index("age_band").reindex(list(AGE_BANDS)).dropna(subset=["value"])
    by_gender = by_gender.set_index("gender").reindex(list(GENDERS)).dropna(subset=["value"])
    parts = (table, by_age.reset_index(), by_gender.reset_index(), cross, complete)
    return Breakdown(*parts, over=over, months=held)
