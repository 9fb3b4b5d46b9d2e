"""The board pack: one self-contained HTML file with the flight-deck summary for a force and
month and the SPC charts of the KPIs with a signal, for circulating to a governance board.

A pack leaves the analyst's screen, so small numbers are suppressed in it with the product's
disclosure rule, through the same `flightdeck.peers.suppression.suppress` as the peer export: a
count from 1 to N (default 4), a rate whose numerator or denominator minus numerator is from 1
to N ("1 of 19 crimes"), or a rate or median on fewer than M (default 10) crimes is shown as
"suppressed (small numbers)", and no value, change, chart point or count behind it is printed.
The KPI is still listed, in its pillar's table and in the at-a-glance summary. Pure functions:
data in, HTML text out.
"""

import html
from dataclasses import replace

import pandas as pd

from flightdeck.peers import suppression
from flightdeck.present import formatting, spc_charts, tiles
from flightdeck.present.style import ASSESSMENT_TINTS
from flightdeck.stats import spc
from flightdeck.vocabulary import ALL

MAX_CHARTS = 8  # a pack is read on paper too: the charts of the signals that matter most
SUPPRESSED = "suppressed (small numbers)"
_CSS = """
body{font-family:Arial,sans-serif;color:#222;max-width:1100px;margin:24px auto;padding:0 16px}
h1{margin-bottom:4px} h2{margin-top:28px;border-bottom:1px solid #ddd;padding-bottom:4px}
.banner{background:#fff6d5;border:1px solid #e6c200;padding:8px 12px;margin:12px 0}
table{border-collapse:collapse;width:100%;font-size:14px}
th,td{border-bottom:1px solid #eee;text-align:left;padding:6px 8px;vertical-align:top}
th{background:#f4f6f8} .muted{color:#777} .value{font-weight:bold;white-space:nowrap}
""" + " ".join(f".{meaning}{{background:{tint}}}" for meaning, tint in ASSESSMENT_TINTS.items())


def suppressed_totals(
    totals: pd.DataFrame, force: str, kinds: dict[str, str], rule: suppression.SuppressionRule
) -> pd.DataFrame:
    """The force's headline rows (kpi_id, month, numerator, denominator, value, complete) with
    the disclosure rule applied; a `suppressed` column marks the blanked rows."""
    rows = totals.assign(force=force, age_band=ALL, gender=ALL)
    out = suppression.suppress(rows, rule, kinds)
    out["month"] = pd.to_datetime(out["month"])
    return out


def suppressed_note(rule: suppression.SuppressionRule, noun: str = "crimes") -> str:
    """What a suppressed tile says instead of its figure and counts (`noun`: what they count)."""
    n, m = rule.count_max, rule.min_denominator
    return (
        f"Too few to publish: fewer than {m} {noun}, or from 1 to {n} counted (or not counted) "
        "in the figure"
    )


def _cell(tile: tiles.Tile) -> tuple[str, str, str]:
    """(value, counts or reason, changes) for a table row, escaped."""
    value = html.escape(tile.headline)
    note = html.escape(tile.note)
    if tile.latest:
        note += "<br>" + html.escape(tile.latest)
    changes = "<br>".join(
        html.escape(f"{c.text} {c.verdict}".strip()) for c in (tile.previous, tile.last_year) if c
    )
    return value, note, changes


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
) -> str:
    """The pack as HTML. totals: the force's headline rows for every KPI and month; feasibility:
    kpi_id, flag, reason, declared_status for the force."""
    month = pd.Timestamp(month)
    kinds = {k.id: k.kind for k in catalogue}
    safe = suppressed_totals(totals, force, kinds, rule)
    spine = sorted(safe["month"].unique())
    flags = feasibility.set_index("kpi_id")
    built: dict[str, tuple[object, tiles.Tile, pd.DataFrame]] = {}
    for kpi in catalogue:
        mine = safe[safe["kpi_id"] == kpi.id]
        hidden = set(mine.loc[mine["suppressed"], "month"])
        series = tiles.kpi_series(mine.drop(columns=["force", "age_band", "gender"]), kpi, spine)
        series = series.drop(columns="suppressed")
        # a suppressed figure stays blank: never the zero of a month without crimes
        series.loc[series["month"].isin(hidden), ["value", "numerator"]] = float("nan")
        tile = tiles.kpi_tile(kpi, series, month, flags)
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
            )
        # Charts read the same 36 months as the tile's signal (and the KPI page's default).
        built[kpi.id] = (kpi, tile, tiles.shown_period(series, spc.DEFAULT_PERIOD_MONTHS, month))
    groups = tiles.overview([(k, t) for k, (_, t, _) in built.items()])
    return _html(force_name, month, as_of, synthetic, feasibility, groups, built, rule)


def _html(force_name, month, as_of, synthetic, feasibility, groups, built, rule) -> str:
    label = formatting.month_label(month)
    parts = [
        f"<!doctype html><html><head><meta charset='utf-8'><title>RASSO board pack: "
        f"{html.escape(force_name)}, {label}</title><style>{_CSS}</style></head><body>",
        f"<h1>RASSO flight deck: {html.escape(force_name)}, {label}</h1>",
        f"<p class='muted'>Data as of {html.escape(as_of)}. Small numbers suppressed: "
        f"{html.escape(rule.describe())}. Averages, limits and signals are worked out from the "
        "published months only, so they can differ slightly from the dashboard's.</p>",
    ]
    if synthetic:
        parts.append(f"<div class='banner'><b>{formatting.SYNTHETIC_BANNER}</b></div>")
    parts.append(f"<p>KPIs: {html.escape(tiles.summary_line(feasibility))}</p>")
    parts.append(f"<h2>{label} at a glance</h2><ul>")
    for key, ids in groups.items():
        names = ", ".join(f"{i} {html.escape(built[i][0].name)}" for i in ids)
        parts.append(
            f"<li class='{key}'><b>{tiles.OVERVIEW.get(key, key)} ({len(ids)})</b>: {names}</li>"
        )
    parts.append("</ul>")
    for pillar, kpis in tiles.by_pillar([k for k, _, _ in built.values()]).items():
        parts.append(
            f"<h2>{html.escape(pillar)}</h2><table><tr><th>KPI</th><th>Value</th>"
            "<th>Counts</th><th>Change</th><th>Signal</th></tr>"
        )
        for kpi in kpis:
            _, tile, _ = built[kpi.id]
            value, note, changes = _cell(tile)
            parts.append(
                f"<tr><td>{kpi.id} {html.escape(kpi.name)}<br><span class='muted'>"
                f"{formatting.direction_words(kpi.direction)}</span></td><td class='value'>{value}"
                f"</td><td>{note}</td><td>{changes}</td><td class='{tile.assessment or ''}'>"
                f"{html.escape(tile.signal)}</td></tr>"
            )
        parts.append("</table>")
    parts.append(_charts(groups, built))
    parts.append("</body></html>")
    return "\n".join(parts)


def _charts(groups: dict[str, list[str]], built) -> str:
    """SPC charts of the KPIs with a signal this month, concerns first."""
    chosen = [i for key in (spc.CONCERN, spc.IMPROVEMENT, spc.NEUTRAL) for i in groups.get(key, [])]
    if not chosen:
        return "<h2>Charts</h2><p>No KPI has a signal this month: no charts are needed.</p>"
    out = ["<h2>The KPIs with a signal, month by month</h2>"]
    for n, kpi_id in enumerate(chosen[:MAX_CHARTS]):
        kpi, _, series = built[kpi_id]
        done = series[series["complete"] & series["value"].notna()].reset_index(drop=True)
        bound = 1.0 if formatting.is_fraction(kpi.unit) else None
        analysis = spc.analyse(list(done["value"]), direction=kpi.direction, upper_bound=bound)
        fig = spc_charts.spc_chart(
            tiles.value_so_far(series, kpi.unit),
            analysis,
            title=f"{kpi.id} {kpi.name}",
            unit=kpi.unit,
            direction=kpi.direction,
            noun=kpi.noun,
        )
        # plotly.js once, inline: the pack must open without an internet connection
        out.append(fig.to_html(full_html=False, include_plotlyjs=n == 0))
    return "\n".join(out)
