"""The board pack: one self-contained HTML file for a force and month, for circulating to a
governance board and printing (A4 landscape): a summary page (the summary matrix of
`flightdeck.present.matrix`, headed by the month at a glance: every KPI counted once), then one
page for each of the 21 KPIs with its figure, counts, changes (as context, never "better" or
"worse"), variation and assurance icons, signal and SPC chart with its change points and notes
and where its baseline is, or the reason it has no chart (not feasible, suppressed this month,
nothing to count), then the force's change points and notes. The PDF is this HTML printed
(`flightdeck.present.pdf`); `flightdeck.present.pack_data` gathers the data and audits the
export. The look is in `pack_pages`, the print-sized charts in `pack_charts`.

A pack leaves the analyst's screen, so small numbers are suppressed in it with the product's
disclosure rule, through the same `flightdeck.peers.suppression.suppress` as the peer export: a
count from 1 to N (default 4), a rate whose numerator or denominator minus numerator is from 1
to N ("1 of 19 crimes"), or a rate or median on fewer than M (default 10) crimes is shown as
"suppressed (small numbers)", and no value, change, chart point or count behind it is printed.
The KPI is still listed: counted at a glance, in the matrix and on its own page.
Pure functions: data in, HTML text out.
"""

from dataclasses import dataclass, replace

import pandas as pd

from flightdeck.peers import suppression
from flightdeck.present import analysis, formatting, pack_charts, pack_pages, tiles
from flightdeck.stats import spc
from flightdeck.vocabulary import ALL, OFFENCE_GROUP_WORDS

SUPPRESSED = "suppressed (small numbers)"


def suppressed_totals(
    totals: pd.DataFrame,
    force: str,
    kinds: dict[str, str],
    rule: suppression.SuppressionRule,
    *,
    offence_group: str = ALL,
    force_level: frozenset[str] = frozenset(),
) -> pd.DataFrame:
    """The force's headline rows of one offence group (kpi_id, month, numerator, denominator,
    value, complete) with the disclosure rule applied; a `suppressed` column marks the blanked
    rows. When `totals` holds every group's headline rows (an `offence_group` column), they are
    suppressed together before the group's are kept: the packs of all RASSO crimes and of rape
    then never give back a hidden figure of other sexual offences as one minus the other. A
    `force_level` KPI has All rows only, and they are kept whichever group is chosen."""
    if "offence_group" not in totals.columns:
        totals = totals.assign(offence_group=offence_group)
    rows = totals.assign(force=force, age_band=ALL, gender=ALL)
    out = suppression.suppress(rows, rule, kinds)
    whole = out["kpi_id"].isin(force_level) & (out["offence_group"] == ALL)
    out = out[(out["offence_group"] == offence_group) | whole].reset_index(drop=True)
    out["month"] = pd.to_datetime(out["month"])
    return out


def suppressed_note(rule: suppression.SuppressionRule, noun: str = "crimes") -> str:
    """What a suppressed tile says instead of its figure and counts (`noun`: what they count)."""
    n, m = rule.count_max, rule.min_denominator
    return (
        f"Too few to publish: fewer than {m} {noun}, or from 1 to {n} counted (or not counted) "
        "in the figure"
    )


@dataclass(frozen=True)
class PackKpi:
    """One KPI as the pack shows it: its tile (suppressed where the rule says), its published
    series (every month held; a suppressed month has no value), the annotations that touch it
    (its own and the force's for all KPIs), its change points and target."""

    kpi: object
    tile: tiles.Tile
    series: pd.DataFrame
    notes: pd.DataFrame
    change_points: list
    target: float | None


def pack_kpis(
    *,
    force: str,
    month: pd.Timestamp,
    catalogue: list,
    totals: pd.DataFrame,
    feasibility: pd.DataFrame,
    rule: suppression.SuppressionRule,
    annotations: pd.DataFrame | None = None,
    targets: dict[str, float] | None = None,
    options: spc.Options | None = None,
    offence_group: str = ALL,
) -> dict[str, PackKpi]:
    """Every KPI of the catalogue, in its order, with what its page shows (`totals` are those
    of `offence_group`). Averages, limits and signals are worked out from the published months
    only."""
    month = pd.Timestamp(month)
    targets = targets or {}
    options = options or analysis.options_from_settings()
    kinds = {k.id: k.kind for k in catalogue}
    whole = frozenset(k.id for k in catalogue if k.force_level)
    safe = suppressed_totals(
        totals, force, kinds, rule, offence_group=offence_group, force_level=whole
    )
    spine = sorted(safe["month"].unique())
    flags = feasibility.set_index("kpi_id")
    out: dict[str, PackKpi] = {}
    for kpi in catalogue:
        mine = safe[safe["kpi_id"] == kpi.id]
        hidden = set(mine.loc[mine["suppressed"], "month"])
        series = tiles.kpi_series(
            mine.drop(columns=["force", "offence_group", "age_band", "gender"]), kpi, spine
        )
        series = series.drop(columns="suppressed")
        # a suppressed figure stays blank: never the zero of a month without crimes
        series.loc[series["month"].isin(hidden), ["value", "numerator"]] = float("nan")
        change_points = analysis.change_points_for(annotations, kpi.id)
        target = targets.get(kpi.id)
        tile = tiles.kpi_tile(
            kpi,
            series,
            month,
            flags,
            change_points=change_points,
            target=target,
            options=options,
        )
        if month in hidden and tile.status != "not_feasible":
            tile = replace(
                tile,
                headline=SUPPRESSED,
                status="suppressed",
                previous=None,
                last_year=None,
                note=suppressed_note(rule, kpi.noun),
                signal="",
                assessment=None,
                variation=None,
                assurance=None,
                assurance_words="",
                latest="",
            )
        notes = analysis.notes_for(known_by(annotations, month), kpi.id)
        out[kpi.id] = PackKpi(kpi, tile, series, notes, change_points, target)
    return out


def build(
    *,
    force: str,
    force_name: str,
    month: pd.Timestamp,
    as_of: str,
    synthetic: bool,
    catalogue: list,
    totals: pd.DataFrame,
    feasibility: pd.DataFrame,
    rule: suppression.SuppressionRule,
    annotations: pd.DataFrame | None = None,
    targets: dict[str, float] | None = None,
    options: spc.Options | None = None,
    offence_group: str = ALL,
) -> str:
    """The pack as HTML. totals: the force's headline rows for every KPI and month, of every
    offence group (an `offence_group` column: suppressed together, then those of
    `offence_group` shown) or of `offence_group` alone (all RASSO crimes unless said; the title
    names any other); feasibility:
    kpi_id, flag, reason, declared_status for the force; annotations: the force's change points
    and notes (`store.annotations.for_force`); targets: its targets by KPI id; options: the SPC
    choices (default: the settings in force)."""
    month = pd.Timestamp(month)
    kpis = pack_kpis(
        force=force,
        month=month,
        catalogue=catalogue,
        totals=totals,
        feasibility=feasibility,
        rule=rule,
        annotations=annotations,
        targets=targets,
        options=options,
        offence_group=offence_group,
    )
    label = formatting.month_label(month)
    mark = formatting.SYNTHETIC_BANNER if synthetic else ""
    crimes = _group_words(offence_group)
    title = f"RASSO flight deck: {force_name}, {crimes}{label}"
    body = [pack_pages.summary(title, label, as_of, mark, feasibility, kpis, rule)]
    body += _kpi_pages(kpis, month, feasibility, options)
    recorded = known_by(annotations, month)
    if not recorded.empty:
        body.append(pack_pages.notes_page(recorded, {k.id: k.name for k in catalogue}))
    name = f"RASSO board pack: {force_name}, {crimes}{label}"  # the file's title (browser tab)
    footer = footer_text(force_name, month, as_of, synthetic, offence_group)
    return pack_pages.document(name, body, footer=footer, mark=mark)


def _group_words(offence_group: str) -> str:
    """The offence group as a title says it ("Rape, "), nothing for all RASSO crimes."""
    return "" if offence_group == ALL else f"{OFFENCE_GROUP_WORDS[offence_group]}, "


def footer_text(
    force_name: str, month: pd.Timestamp, as_of: str, synthetic: bool, offence_group: str = ALL
) -> str:
    """The foot of every printed page: what the pack is (naming the offence group unless it is
    all RASSO crimes), and the synthetic mark for demo data."""
    group = "" if offence_group == ALL else f" · {OFFENCE_GROUP_WORDS[offence_group]}"
    words = (
        f"RASSO board pack · {force_name}{group} · {formatting.month_label(month)} · "
        f"data as of {as_of}"
    )
    return f"{words} · Synthetic demo data" if synthetic else words


def known_by(annotations: pd.DataFrame | None, month: pd.Timestamp) -> pd.DataFrame:
    """The change points and notes of months up to the pack's (a later one is not its news)."""
    if annotations is None or annotations.empty:
        return pd.DataFrame(columns=["month", "kind", "text", "kpi_id"])
    return annotations[pd.to_datetime(annotations["month"]) <= pd.Timestamp(month)]


def _kpi_pages(kpis: dict[str, PackKpi], month, feasibility, options) -> list[str]:
    """One page per KPI, in the pillars' order; plotly.js inline with the first chart only."""
    flags = feasibility.set_index("kpi_id")
    pages, first = [], True
    by_pillar = tiles.by_pillar([p.kpi for p in kpis.values()])
    for pillar, members in by_pillar.items():
        for kpi in members:
            p = kpis[kpi.id]
            chart = pack_charts.kpi_chart(
                kpi,
                p.tile,
                p.series,
                month,
                notes=p.notes,
                change_points=p.change_points,
                target=p.target,
                options=options,
            )
            fig_html = None
            if chart.figure is not None:
                fig_html = pack_charts.figure_html(chart.figure, with_plotly_js=first)
                first = False
            row = flags.loc[kpi.id] if kpi.id in flags.index else None
            feasible = pack_pages.feasibility_text(
                None if row is None else row["flag"],
                None if row is None else row["declared_status"],
            )
            picture = pack_pages.picture(fig_html, chart.caption, chart.reason)
            pages.append(
                pack_pages.kpi_page(
                    kpi,
                    p.tile,
                    pillar=pillar,
                    label=formatting.month_label(month),
                    picture=picture,
                    feasibility=feasible,
                )
            )
    return pages
