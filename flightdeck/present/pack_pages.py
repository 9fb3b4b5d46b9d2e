"""The board pack's HTML: its look on screen and on paper, the summary page and the KPI pages.

Printed (from any browser, or as the PDF), the pack is A4 landscape: the summary first, then one
page per KPI (`break-before: page`), then the notes. Every printed page carries in its margins
what the pack is (force, month) and the page number, and, for a demo force, the synthetic-data
mark, through CSS page-margin boxes; the PDF prints the same in Chromium's header and footer
instead (`flightdeck.present.pdf`). Pure functions: words in, HTML text out.
"""

import html
from dataclasses import replace

import pandas as pd

from flightdeck.present import formatting, icons, matrix, tiles
from flightdeck.present.style import ASSESSMENT_TINTS, flag_label

SCREEN_CSS = """
body{font-family:Arial,sans-serif;color:#222;max-width:1040px;margin:24px auto;padding:0 16px}
h1{margin:0 0 4px;font-size:24px} h2{margin:18px 0 4px;font-size:20px}
.banner{background:#fff6d5;border:1px solid #e6c200;padding:6px 12px;margin:8px 0;
 font-weight:bold}
table{border-collapse:collapse;width:100%;font-size:13px}
th,td{border-bottom:1px solid #e4e4e4;text-align:left;padding:3px 6px;vertical-align:top}
th{background:#f4f6f8} .muted{color:#666} .value{font-weight:bold;white-space:nowrap}
tr.pillar th{background:#e8edf2;font-size:12px;padding:2px 6px}
.page{border-top:2px solid #ccd5dd;margin-top:28px;padding-top:4px}
.facts td,.facts th{font-size:13px} .facts th:first-child{white-space:nowrap}
.facts{table-layout:fixed} .facts td.icons{white-space:nowrap} .facts td.value{white-space:normal}
.facts th:nth-child(1){width:12%} .facts th:nth-child(2){width:9%}
.facts th:nth-child(3){width:19%} .facts th:nth-child(4){width:15%}
.facts th:nth-child(5){width:32%} .facts th:nth-child(6){width:13%} .chart{margin:6px 0}
.caption{font-size:12.5px;color:#333;margin:4px 0 0;line-height:1.35}
.nochart{border:1px dashed #aaa;padding:14px;margin:10px 0;font-size:14px;background:#fafafa}
.notes td{font-size:12.5px}
""" + " ".join(f".{meaning}{{background:{tint}}}" for meaning, tint in ASSESSMENT_TINTS.items())

# On paper: A4 landscape, each KPI on its own page, nothing split across a page break, colours
# printed. Page-margin boxes repeat the pack's name, the page number and the synthetic mark.
PRINT_CSS = """
@page{size:A4 landscape;margin:14mm 10mm}
@media print{
 html,body{-webkit-print-color-adjust:exact;print-color-adjust:exact}
 body{max-width:none;margin:0;padding:0}
 .page{break-before:page;border-top:none;margin-top:0;padding-top:0}
 .summary h1{font-size:19px} .summary p{font-size:11px;margin:3px 0}
 .summary .fd-matrix{font-size:10px;line-height:1.15}
 .summary .fd-matrix caption{font-size:12.5px;padding:2px 0 4px}
 .summary .fd-matrix th,.summary .fd-matrix td{padding:1px 4px}
 .summary .fd-matrix tbody th,.summary .fd-matrix tbody td:first-child{white-space:nowrap}
 .summary .fd-matrix .fd-icon{width:16px;height:16px}
 .summary .fd-matrix .fd-words{font-size:10px}
 .summary .fd-matrix .fd-pillar,.summary .fd-matrix thead th:nth-child(2){display:none}
 .banner{display:none}
 tr,.chart,.caption,.nochart{break-inside:avoid}
 .screen-only{display:none}
}
"""

ICON_SIZE = 36


def css_string(text: str) -> str:
    """Text as a CSS string literal (for `content:`)."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", " ")
    return f'"{escaped}"'


def margin_boxes(footer: str, mark: str) -> str:
    """@page margin boxes: the mark at the top of every printed page (when given), the footer
    words bottom left and "Page X of Y" bottom right."""
    box = "font-family:Arial,sans-serif;font-size:8.5pt;color:#333"
    rules = [
        f"@bottom-left{{content:{css_string(footer)};{box}}}",
        f'@bottom-right{{content:"Page " counter(page) " of " counter(pages);{box}}}',
    ]
    if mark:
        rules.append(
            f"@top-center{{content:{css_string(mark)};{box};font-weight:bold;"
            "background:#fff6d5;border:1px solid #e6c200}"
        )
    return "@page{" + "".join(rules) + "}"


def document(title: str, body: list[str], *, footer: str, mark: str) -> str:
    """The whole pack: one HTML file with its styles inline (it opens offline)."""
    css = SCREEN_CSS + matrix.MATRIX_CSS + PRINT_CSS + margin_boxes(footer, mark)
    return "\n".join(
        [
            "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
            f"<title>{html.escape(title)}</title><style>{css}</style></head><body>",
            *body,
            "</body></html>",
        ]
    )


def summary(title, label, as_of, mark, feasibility, kpis, rule) -> str:
    """The first page: what the pack is, then the summary matrix (every KPI with its value,
    icons and words, its name a link to its page), headed by the month at a glance: how many
    KPIs are in each group, which adds up to all of them, suppressed ones included. `kpis` maps
    a KPI id to its pack entry (`.kpi`, `.tile`)."""
    out = [
        f"<section class='summary'><h1>{html.escape(title)}</h1>",
        f"<p class='muted'>Data as of {html.escape(as_of)}. Small numbers suppressed: "
        f"{html.escape(rule.describe())}. Averages, limits and signals are worked out from the "
        "published months only, so they can differ slightly from the dashboard's. Changes on "
        "the previous month and year are context: only a signal says a change is real.</p>",
    ]
    if mark:
        out.append(f"<div class='banner'>{html.escape(mark)}</div>")
    # The flags of the pack's KPIs only: the store flags the supplementary measures too, and
    # "feasible 27" beside "all 21 KPIs" would not add up.
    counted = feasibility[feasibility["kpi_id"].isin(list(kpis))]
    out.append(f"<p>KPIs: {html.escape(tiles.summary_line(counted))}</p>")
    in_order = [
        k for members in tiles.by_pillar([p.kpi for p in kpis.values()]).values() for k in members
    ]
    table = matrix.rows([(k, summary_tile(kpis[k.id].tile)) for k in in_order])
    caption = f"{label} at a glance, all {len(table)} KPIs: {matrix.count_line(table)}"
    out.append(matrix.html_table(table, href=lambda kpi_id: f"#{kpi_id}", caption=caption))
    out.append("</section>")
    return "".join(out)


# What the summary says of a KPI without a figure: one line, the full reason is on its page.
SHORT_NOTES = {
    "not_feasible": "Not feasible with this force's data: why is on its page",
    "suppressed": "Too few to publish (small numbers): the rule is on its page",
}


def summary_tile(tile):
    """The tile as the summary matrix shows it: a KPI without a figure says why in one line."""
    return replace(tile, note=SHORT_NOTES[tile.status]) if tile.status in SHORT_NOTES else tile


def notes_page(annotations: pd.DataFrame, names: dict[str, str]) -> str:
    """The force's change points and notes, by month: what analysts recorded about the KPIs
    (a change point starts a new baseline on the KPI's chart)."""
    rows = []
    for row in annotations.sort_values("month").itertuples():
        scope = "All KPIs" if row.kpi_id is None or pd.isna(row.kpi_id) else row.kpi_id
        if scope in names:
            scope = f"{scope} {names[scope]}"
        kind = "Change point (new baseline)" if row.kind == "change_point" else "Note"
        rows.append(
            f"<tr><td>{formatting.month_label(row.month)}</td><td>{html.escape(scope)}</td>"
            f"<td>{kind}</td><td>{html.escape(str(row.text))}</td></tr>"
        )
    return (
        "<section class='page notes'><h2>Change points and notes</h2><p class='muted'>"
        "Recorded by the force's analysts. A change point says the process changed in that "
        "month, so the KPI's chart works out a new average and limits from it.</p>"
        "<table><tr><th>Month</th><th>KPI</th><th>Kind</th><th>What happened</th></tr>"
        + "".join(rows)
        + "</table></section>"
    )


def icon_cell(tile, size: int = ICON_SIZE) -> str:
    """The tile's variation and assurance icons (each an image named in words), or a dash."""
    shown = []
    if tile.variation:
        shown.append(icons.variation_svg(tile.variation, size))
    if tile.assurance:
        shown.append(icons.assurance_svg(tile.assurance, size))
    return " ".join(shown) or "—"


def changes_text(tile) -> str:
    """The changes on last month and last year as neutral context, never "better" or
    "worse": two months apart say nothing about a real change (the signal does)."""
    found = [c.text for c in (tile.previous, tile.last_year) if c is not None]
    return "<br>".join(html.escape(text) for text in found) or "—"


def feasibility_text(flag: str | None, declared: str | None) -> str:
    shown = flag_label(flag) if flag else "not assessed"
    if declared:
        shown += f" (declared: {declared.replace('_', ' ')})"
    return html.escape(shown)


def kpi_page(kpi, tile, *, pillar: str, label: str, picture: str, feasibility: str) -> str:
    """One KPI's page: its heading, this month's figure with counts, changes and signal, and
    its chart (or why there is none) with the caption under it."""
    signal = tile.signal or {"suppressed": "No signal shown: the figure is suppressed"}.get(
        tile.status, "No signal: there is no figure this month"
    )
    if tile.assurance_words:
        signal += f". {tile.assurance_words}"
    note = tile.note.removeprefix("n/a — ")  # the value column already says n/a
    note = note[:1].upper() + note[1:] + (f" · {tile.latest}" if tile.latest else "")
    axis = formatting.month_axis_title(getattr(kpi, "basis", ""))
    return (
        f"<section class='page kpi' id='{kpi.id}'><h2>{kpi.id} {html.escape(kpi.name)}</h2>"
        f"<p class='muted'>{html.escape(pillar)} · {formatting.direction_words(kpi.direction)}"
        f" · {html.escape(axis)}</p>"
        f"<table class='facts'><tr><th>{label}</th><th>Icons</th><th>Counts</th>"
        "<th>Change (context, not a verdict)</th><th>Signal</th><th>Feasibility</th></tr>"
        f"<tr><td class='value'>{html.escape(tile.headline)}</td><td class='icons'>"
        f"{icon_cell(tile)}</td><td>{html.escape(note)}</td>"
        f"<td>{changes_text(tile)}</td><td class='{tile.assessment or ''}'>"
        f"{html.escape(signal)}</td><td>{feasibility}</td></tr></table>"
        f"{picture}</section>"
    )


def picture(chart_html: str | None, caption: str, reason: str) -> str:
    """The chart with its caption, or the sentence saying why there is no chart."""
    if chart_html is None:
        return f"<p class='nochart'>{html.escape(reason)}</p>"
    return f"<div class='chart'>{chart_html}</div><p class='caption'>{html.escape(caption)}</p>"
