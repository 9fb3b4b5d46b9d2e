"""Everything a board pack is built from, gathered from the database in one place, and the pack
as an audited export: the command line (`flightdeck board-pack`) and the dashboard's downloads
both gather with `gather`, build with `render` and audit with `audited`, so they make the same
pack and audit it the same way:

    data = gather(con, "demo-northmoor", pd.Timestamp("2025-06-01"))  # offence_group="rape"
    body = audited(con, user, data, "pdf", lambda: render(data, "pdf"))

`export` does the three on one connection (the dashboard's download); the command line reads
and audits on two short ones, so Chromium prints with no database held open.

A pack leaves the analyst's screen: small numbers are suppressed in it by the rule in force
(`SuppressionRule.from_settings`, unless one is given), as in every exported figure.
"""

from collections.abc import Callable
from dataclasses import dataclass, fields
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import access, exports
from flightdeck.engine import catalogue as kpi_catalogue
from flightdeck.engine import results
from flightdeck.peers.suppression import SuppressionRule
from flightdeck.present import board_pack, formatting, pdf
from flightdeck.reference import load_reference
from flightdeck.store import annotations as annotation_store
from flightdeck.store import targets as target_store
from flightdeck.vocabulary import ALL, OFFENCE_GROUPS

# The formats a pack is offered in, with their media types.
FORMATS = {"pdf": "application/pdf", "html": "text/html"}


class PackRefused(ValueError):
    """No pack for this force or month here; the message is one line for the user."""


@dataclass(frozen=True)
class PackData:
    """What `board_pack.build` takes, for one force and month."""

    force: str
    force_name: str
    month: pd.Timestamp
    as_of: str  # "30 Jun 2025"
    synthetic: bool
    catalogue: list
    # the force's headline rows: results.HEADLINE_COLUMNS, every KPI, offence group and month
    totals: pd.DataFrame
    feasibility: pd.DataFrame  # kpi_id, flag, reason, declared_status
    rule: SuppressionRule
    annotations: pd.DataFrame  # the force's change points and notes (annotations.for_force)
    targets: dict[str, float]  # the force's targets by KPI id
    offence_group: str = ALL  # whose crimes the figures count: all RASSO crimes, or one group

    def build_arguments(self) -> dict:
        """The keyword arguments of `board_pack.build`."""
        return {f.name: getattr(self, f.name) for f in fields(self)}


def _month_words(month: pd.Timestamp) -> str:
    return f"{pd.Timestamp(month):%Y-%m}"


def gather(
    con: duckdb.DuckDBPyConnection,
    force: str,
    month: pd.Timestamp,
    *,
    rule: SuppressionRule | None = None,
    offence_group: str = ALL,
) -> PackData:
    """The pack's data for `force` (an id with an active case load) and `month` (a month start
    the force has KPI results for): its headline KPI rows of the offence group (all RASSO
    crimes unless said; a force-level KPI has figures for all crimes only), feasibility, name,
    as-of date and whether it is synthetic, its change points, notes and targets, and the
    suppression rule. Raises PackRefused, in one line, for a force, month or offence group the
    database does not hold. Reads only (on a connection opened for writing, so the schema of an
    older file is up to date)."""
    if offence_group not in OFFENCE_GROUPS:
        known = ", ".join(OFFENCE_GROUPS)
        raise PackRefused(f"no offence group {offence_group!r} (the groups: {known})")
    month = pd.Timestamp(month).to_period("M").to_timestamp()
    loaded = con.execute("SELECT force, as_of FROM force_as_of ORDER BY force").df()
    if force not in set(loaded["force"]):
        held = ", ".join(loaded["force"]) or "none"
        raise PackRefused(f"no case data for the force {force!r} here (forces held: {held})")
    # Every group's headline rows: the pack suppresses them together (a figure hidden in one
    # group's pack is not All minus the other group's), then shows the chosen group's. A
    # force-level KPI counts the force as a whole, so its page shows all RASSO crimes.
    whole = [k.id for k in kpi_catalogue.catalogue() if k.force_level]
    totals = results.headline(con, force)
    targets = target_store.targets_for(con, force)
    if offence_group != ALL:
        targets = {k: v for k, v in targets.items() if k in whole}
    totals["month"] = pd.to_datetime(totals["month"])
    shown = (totals["offence_group"] == offence_group) | totals["kpi_id"].isin(whole)
    months = sorted(totals.loc[shown, "month"].unique())
    if month not in set(months):
        span = f"{_month_words(months[0])} to {_month_words(months[-1])}" if months else "none"
        raise PackRefused(f"{force} has no KPI results for {_month_words(month)} (months: {span})")
    flags = results.feasibility(con)
    forces = load_reference().forces.set_index("id")
    known = force in forces.index
    as_of = loaded.loc[loaded["force"] == force, "as_of"].iloc[0]
    return PackData(
        force=force,
        force_name=str(forces.loc[force, "name"]) if known else force,
        month=month,
        as_of=pd.Timestamp(as_of).strftime("%d %b %Y"),
        synthetic=bool(forces.loc[force, "synthetic"]) if known else False,
        catalogue=kpi_catalogue.catalogue(),
        totals=totals,
        feasibility=flags[flags["force"] == force].drop(columns="force").reset_index(drop=True),
        rule=rule or SuppressionRule.from_settings(),
        annotations=annotation_store.for_force(con, force),
        targets=targets,
        offence_group=offence_group,
    )


def footer(data: PackData) -> str:
    """The foot of every printed page: what the pack is, and the synthetic mark for demo data."""
    return board_pack.footer_text(
        data.force_name, data.month, data.as_of, data.synthetic, data.offence_group
    )


def render(data: PackData, fmt: str, *, chromium: Path | None = None) -> bytes:
    """The pack as `fmt` ("html" or "pdf") bytes. The PDF is the HTML printed by Chromium
    (`pdf.html_to_pdf`), with the synthetic-data mark at the top of every page of a demo
    force's pack; raises pdf.PdfUnavailable when it cannot be printed here."""
    check_format(fmt)
    html = board_pack.build(**data.build_arguments())
    if fmt == "html":
        return html.encode("utf-8")
    header = formatting.SYNTHETIC_BANNER if data.synthetic else ""
    return pdf.html_to_pdf(html, footer=footer(data), header=header, chromium=chromium)


def audit_detail(force: str, month: pd.Timestamp, fmt: str, offence_group: str = ALL) -> str:
    """How the audit trail names a pack: "board pack of demo-northmoor for 2025-06 (PDF)", or
    "board pack of demo-northmoor for 2025-06, rape (PDF)" for one offence group's."""
    group = "" if offence_group == ALL else f", {offence_group}"
    return f"board pack of {force} for {_month_words(month)}{group} ({fmt.upper()})"


def audited(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    data: PackData,
    fmt: str,
    build: Callable[[], bytes],
) -> bytes:
    """`build` the pack as an audited export (`exports.audited_download`, action `export`,
    detail `audit_detail`): the user's role must allow EXPORT, else the refusal is audited and
    access.PermissionDenied raised before `build` runs."""
    detail = audit_detail(data.force, data.month, fmt, data.offence_group)
    return exports.audited_download(con, user, detail, build)


def export(
    con: duckdb.DuckDBPyConnection,
    user: access.User,
    force: str,
    month: pd.Timestamp,
    fmt: str,
    *,
    chromium: Path | None = None,
    rule: SuppressionRule | None = None,
    offence_group: str = ALL,
) -> bytes:
    """The pack of `force` for `month` (and `offence_group`, all RASSO crimes unless said) as
    `fmt` bytes, gathered, built and audited on one
    connection (the dashboard's download). Raises PackRefused for a force or month not held,
    and pdf.PdfUnavailable when a PDF is asked for without Chromium: neither builds anything
    nor writes an audit row (nothing left the database)."""
    check_format(fmt)
    data = gather(con, force, month, rule=rule, offence_group=offence_group)
    if fmt == "pdf":
        pdf.check_chromium(chromium)
    return audited(con, user, data, fmt, lambda: render(data, fmt, chromium=chromium))


def check_format(fmt: str) -> None:
    """ValueError unless `fmt` is one of FORMATS."""
    if fmt not in FORMATS:
        raise ValueError(f"a board pack is a PDF or an HTML file, not {fmt!r}")
