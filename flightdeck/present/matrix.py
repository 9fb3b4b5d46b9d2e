"""The board's summary matrix: every KPI in one row with its latest value, its Making Data Count
variation and assurance icons, and one line in words (pure functions).

No KPI is ever dropped: a KPI without a value this month keeps its row with what its tile says
("n/a", "incomplete", "suppressed (small numbers)") and why. The matrix leads the flight deck
and opens the printed board pack; `html_table` gives it as an accessible HTML table whose look
lives in `MATRIX_CSS` (classes only, so it can sit in any page).
"""

import html
from collections.abc import Callable, Sequence

import pandas as pd

from flightdeck.present import icons, tiles
from flightdeck.present.style import GREY, INK

ICON_SIZE = 28
NO_TARGET = "no target set"
NO_VARIATION = "no variation icon: no value to judge this month"
COLUMNS = ["KPI", "Pillar", "Value", "Variation", "Assurance", "In words"]
GRID_COLUMNS = ["Value", "Variation", "Assurance", "In words"]
_FIELDS = [
    *("kpi_id", "name", "pillar", "value", "status", "variation", "assurance", "target"),
    *("words", "group", "pillar_order", "number", "group_order"),
]

# The order of "Concerns first": a concern, an improvement, a change in a context measure,
# ordinary variation, then the KPIs without a value to judge.
_GROUP_ORDER = {"concern": 0, "improvement": 1, "neutral": 2, "common_cause": 3}
_NO_VALUE = len(_GROUP_ORDER)
PILLAR_SORT = "Pillar (the model's order)"
SORTS: dict[str, tuple[str, ...]] = {
    PILLAR_SORT: ("pillar_order", "number"),
    "Concerns first": ("group_order", "number"),
    "KPI number": ("number",),
}
DEFAULT_SORT = PILLAR_SORT

# What the count line calls each group (singular, plural), in the order a board reads them.
_GROUP_NOUNS = {
    "concern": ("concern", "concerns"),
    "improvement": ("improvement", "improvements"),
    "neutral": ("change in a context measure", "changes in context measures"),
    "common_cause": ("ordinary variation", "ordinary variation"),
    "value": ("not enough months to judge", "not enough months to judge"),
    "incomplete": ("still being counted", "still being counted"),
    "suppressed": ("suppressed (small numbers)", "suppressed (small numbers)"),
    "not_feasible": ("cannot be computed", "cannot be computed"),
    "no_data": ("nothing to count", "nothing to count"),
}


def group(variation: str | None, status: str) -> str:
    """What a row counts as: the variation's meaning (concern, improvement, neutral,
    common_cause) when there is a variation icon, else the tile's status."""
    if variation:
        return variation if variation == icons.COMMON_CAUSE else variation.partition("_")[0]
    return status


def _words(tile) -> str:
    """The row's line in words: for a KPI without a value the reason first (the tile's note and
    the latest complete month); then the signal; then what the target's assurance says."""
    parts = [] if tile.status == "value" else [tile.note, tile.latest]
    parts += [tile.signal, tile.assurance_words]
    return ". ".join(p.strip().rstrip(".") for p in parts if p and p.strip())


def _number(kpi_id: str) -> int:
    digits = "".join(c for c in kpi_id if c.isdigit())
    return int(digits) if digits else 0


def rows(deck: Sequence[tuple[object, object]]) -> pd.DataFrame:
    """One row per (kpi, tile) of `deck`, every KPI kept: kpi_id, name, pillar (full name),
    value (the tile's headline), status, variation, assurance, target, words, group, and the
    sort keys pillar_order, number and group_order. In the deck's order."""
    pillar_order = list(tiles.PILLARS)
    out = []
    for kpi, tile in deck:
        kind = group(tile.variation, tile.status)
        out.append(
            {
                "kpi_id": kpi.id,
                "name": kpi.name,
                "pillar": tiles.PILLARS.get(kpi.pillar, kpi.pillar),
                "value": tile.headline,
                "status": tile.status,
                "variation": tile.variation,
                "assurance": tile.assurance,
                "target": tile.target,
                "words": _words(tile),
                "group": kind,
                "pillar_order": pillar_order.index(kpi.pillar)
                if kpi.pillar in pillar_order
                else len(pillar_order),
                "number": _number(kpi.id),
                "group_order": _GROUP_ORDER.get(kind, _NO_VALUE),
            }
        )
    return pd.DataFrame(out, columns=_FIELDS)


def sorted_rows(table: pd.DataFrame, how: str = DEFAULT_SORT) -> pd.DataFrame:
    """The rows in one of the SORTS orders (a stable sort; an unknown name: the default)."""
    keys = list(SORTS.get(how, SORTS[DEFAULT_SORT]))
    return table.sort_values(keys, kind="stable").reset_index(drop=True)


def count_line(table: pd.DataFrame) -> str:
    """How many KPIs fall in each group, in the order a board reads them: "2 concerns ·
    1 improvement · 14 ordinary variation · 2 still being counted · 2 cannot be computed",
    then how many of those with an icon are still being counted this month (their icon reads
    the latest complete month)."""
    counts = table["group"].value_counts()
    parts = []
    for key, (one, many) in _GROUP_NOUNS.items():
        n = int(counts.get(key, 0))
        if n:
            parts.append(f"{n} {one if n == 1 else many}")
    line = " · ".join(parts)
    read_earlier = int(((table["status"] == "incomplete") & (table["group"] != "incomplete")).sum())
    if read_earlier:
        kpis = "1 KPI is" if read_earlier == 1 else f"{read_earlier} KPIs are"
        line += (
            f". {kpis} still being counted this month: "
            + ("its icon reads" if read_earlier == 1 else "their icons read")
            + " the latest complete month"
        )
    return line


def _given(key) -> bool:
    """A key as a table holds it: a string, or None (NaN in a frame's column) for none."""
    return isinstance(key, str) and bool(key)


def _sr(text: str) -> str:
    return f'<span class="fd-sr">{html.escape(text)}</span>'


def variation_cell(variation: str | None, size: int = ICON_SIZE) -> str:
    """The variation icon as inline SVG; blank with a screen-reader text when there is none."""
    return icons.variation_svg(variation, size) if _given(variation) else _sr(NO_VARIATION)


def assurance_cell(assurance: str | None, target: float | None, size: int = ICON_SIZE) -> str:
    """The assurance icon as inline SVG; blank with a screen-reader text without one ("no
    target set", or why a set target has no assurance this month)."""
    if _given(assurance):
        return icons.assurance_svg(assurance, size)
    if target is None or pd.isna(target):
        return _sr(NO_TARGET)
    return _sr("no assurance: no value to judge against the target this month")


def _value_cell(row) -> str:
    muted = "" if row["status"] == "value" else " fd-muted"
    return f'<td class="fd-value{muted}">{html.escape(str(row["value"]))}</td>'


def html_table(
    table: pd.DataFrame,
    *,
    href: Callable[[str], str] | None = None,
    caption: str = "Every KPI at a glance",
) -> str:
    """The matrix as an accessible HTML table (a caption, column and row headers, every cell
    escaped, icons inline SVG with their words as accessible names), the KPI's name a link to
    `href(kpi_id)` when given. Style it with MATRIX_CSS."""
    head = "".join(f'<th scope="col">{c}</th>' for c in COLUMNS)
    body = []
    for _, row in table.iterrows():
        name = html.escape(f"{row['kpi_id']} · {row['name']}")
        if href is not None:
            name = f'<a href="{html.escape(href(row["kpi_id"]), quote=True)}">{name}</a>'
        body.append(
            f'<tr class="fd-group-{html.escape(row["group"])}"><th scope="row">{name}</th>'
            f'<td class="fd-pillar">{html.escape(row["pillar"])}</td>{_value_cell(row)}'
            f'<td class="fd-icon-cell">{variation_cell(row["variation"])}</td>'
            f'<td class="fd-icon-cell">{assurance_cell(row["assurance"], row["target"])}</td>'
            f'<td class="fd-words">{html.escape(row["words"])}</td></tr>'
        )
    return (
        f'<table class="fd-matrix"><caption>{html.escape(caption)}</caption>'
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>"
    )


def grid_header_html() -> str:
    """The column names of `grid_row_html`, on the same grid."""
    names = "".join(f"<div>{c}</div>" for c in GRID_COLUMNS)
    return f'<div class="fd-grid fd-grid-head">{names}</div>'


def grid_row_html(row) -> str:
    """A row's value, icons and words on a fixed grid, escaped: for a page that draws the KPI's
    link and its pillar itself (the flight deck, with `st.page_link`)."""
    muted = "" if row["status"] == "value" else " fd-muted"
    return (
        f'<div class="fd-grid"><div class="fd-value{muted}">{html.escape(str(row["value"]))}</div>'
        f'<div class="fd-icon-cell">{variation_cell(row["variation"])}</div>'
        f'<div class="fd-icon-cell">{assurance_cell(row["assurance"], row["target"])}</div>'
        f'<div class="fd-words">{html.escape(row["words"])}</div></div>'
    )


def legend_html(size: int = 24) -> str:
    """Every icon with its words, as a two-column list (what the icons mean)."""
    items = [(icons.variation_svg(k, size), w) for k, w in icons.VARIATION_WORDS.items()]
    items += [(icons.assurance_svg(k, size), w) for k, w in icons.ASSURANCE_WORDS.items()]
    entries = "".join(
        f'<li>{svg}<span aria-hidden="true">{html.escape(w)}</span></li>' for svg, w in items
    )
    return f'<ul class="fd-legend">{entries}</ul>'


# The matrix's look, by class only: `.fd-matrix` the table, `.fd-sr` text for screen readers
# only, `.fd-legend` the icons' key.
MATRIX_CSS = f"""
.fd-matrix{{border-collapse:collapse;width:100%;color:{INK};font-size:0.95rem;line-height:1.35}}
.fd-matrix caption{{text-align:left;font-weight:600;font-size:1.05rem;padding:0 0 6px}}
.fd-matrix th,.fd-matrix td{{text-align:left;vertical-align:middle;padding:5px 8px;
border:none;border-bottom:1px solid #e3e3e3;background:none}}
.fd-matrix thead th{{font-weight:600;border-bottom:2px solid #bbb;white-space:nowrap}}
.fd-matrix tbody th{{font-weight:600}}
.fd-matrix a{{color:inherit;text-decoration:underline;text-decoration-color:#999}}
.fd-matrix .fd-value{{font-weight:700;white-space:nowrap}}
.fd-matrix .fd-muted{{color:{GREY};font-weight:400}}
.fd-matrix .fd-pillar,.fd-matrix .fd-words{{font-size:0.88rem}}
.fd-matrix .fd-icon-cell{{text-align:center;width:44px;padding:3px 4px}}
.fd-icon{{vertical-align:middle;-webkit-print-color-adjust:exact;print-color-adjust:exact}}
.fd-sr{{position:absolute;width:1px;height:1px;padding:0;margin:-1px;overflow:hidden;
clip:rect(0,0,0,0);white-space:nowrap;border:0}}
.fd-legend{{list-style:none;padding:0;margin:0;columns:2;font-size:0.88rem}}
.fd-legend li{{display:flex;align-items:center;gap:8px;margin:0 0 6px;break-inside:avoid}}
.fd-legend svg{{flex:none}}
.fd-grid{{display:grid;grid-template-columns:7.5rem 4.2rem 4.2rem 1fr;gap:0 8px;
align-items:center;color:{INK};line-height:1.3}}
.fd-grid .fd-words{{font-size:0.88rem}}
.fd-grid .fd-value{{font-weight:700}} .fd-grid .fd-muted{{color:{GREY};font-weight:400}}
.fd-grid .fd-icon-cell{{text-align:center}} .fd-grid-head{{font-weight:600;font-size:0.85rem}}
@media print{{.fd-matrix{{font-size:10pt}} .fd-matrix tr{{break-inside:avoid}}}}
"""
