"""Flight deck (home): all 21 KPIs for one force and month. The summary matrix leads (every
KPI in a row with its value and its Making Data Count icons, each KPI a link to its chart),
then the KPIs as tiles grouped by pillar, then, in a section of their own, the supplementary
measures of suspect management (S01..S06: counts of suspects, never an id)."""

import html

import pandas as pd
import streamlit as st

from flightdeck.app import registry, ui
from flightdeck.app.data import deck, quality
from flightdeck.app.pages import links, pack_download
from flightdeck.present import formatting, icons, matrix, spc_charts, tiles
from flightdeck.present.style import ASSESSMENT_TINTS, FLAG_STYLE, SPARKLINE_CONFIG
from flightdeck.vocabulary import ALL, OFFENCE_GROUP_WORDS

COLUMNS = 3
MATRIX_SPLIT = [4, 9]  # the KPI's link (and pillar) | its value, icons and words
TILE_ICON = 30
MATRIX_CAPTION = (
    "**Variation** (is this month a signal?): grey, ordinary variation; blue, an improvement; "
    "orange, a concern; purple, a change in a measure that is context only; H or L, higher or "
    "lower than expected. **Assurance**, where a target is set: P, the target will consistently "
    "be met; F, consistently missed; grey, hit and miss. Choose a KPI to open its chart."
)
TILES_CAPTION = (
    "Each tile: the month's value with the counts behind it; the change on the month before "
    "and on the same month last year, in grey, as context only (without a signal a change is "
    "most likely noise); the last 24 months (hollow dots: months still being counted); the "
    "variation icon with the statistical signal in words and, where a target is set, the "
    "assurance icon. A month still being counted shows its counts so far and the latest "
    "complete month."
)
SUSPECT_MANAGEMENT_CAPTION = (
    "Supplementary measures, not part of the national 21: how many suspects the force is "
    "managing and disrupting (repeat suspects, Suspect Sexual Risk Pathway referrals, civil "
    "orders and their breaches). Counted for the force as a whole, whichever offences are "
    "chosen; counts of suspects, never a name or an id. Analysts find the suspects behind them "
    "on the Suspect lists page."
)
# The page's own touches on Streamlit's elements, by the keys given to them.
_PAGE_CSS = """
[class*="st-key-matrix_row_"]{border-bottom:1px solid #e3e3e3;padding:4px 0}
.st-key-matrix [data-testid="stPageLink-NavLink"] span{white-space:normal;overflow:visible}
.st-key-matrix [data-testid="stPageLink-NavLink"] p{font-weight:600;line-height:1.3}
.st-key-matrix .fd-grid{margin-bottom:1rem}
.st-key-matrix .fd-grid-head{padding-bottom:4px;margin-bottom:1rem}
.fd-pillar-head{font-weight:700;font-size:1.02rem;padding:14px 0 4px;margin-bottom:1rem;
border-bottom:2px solid #bbb}
.fd-line{display:flex;align-items:center;gap:8px;margin:2px 0}
.fd-line svg{flex:none}
.fd-line span{padding:1px 4px;border-radius:3px;line-height:1.35}
"""
_MARKDOWN_SPECIALS = str.maketrans({c: f"\\{c}" for c in "\\`*_{}[]#|<>~:$"})


def _plain(text: str) -> str:
    """Text shown as it is in a markdown label (no emphasis, links or colour directives)."""
    return text.translate(_MARKDOWN_SPECIALS)


def _change_line(change: tiles.Change | None, fallback: str) -> str:
    """A change as grey context: an arrow and the change, never "better" or "worse"."""
    if change is None:
        return f":gray[{fallback}]"
    arrow = "▲" if change.text.startswith("+") else "▼" if change.text.startswith("-") else "●"
    return f":gray[{arrow} {_plain(change.text)}]"


def _feasibility_badge(flag: str | None, declared: str | None) -> str:
    colour, symbol, words = FLAG_STYLE.get(flag or "", ("", "?", "Not assessed"))
    declared_words = (declared or "none").replace("_", " ")
    return f"{symbol} {words} · declared: {declared_words}"


def _icon_line(svg: str, words: str, tint: str | None = None) -> str:
    """An icon beside its words, as HTML (the words escaped)."""
    style = f' style="background:{tint}"' if tint else ""
    return f'<div class="fd-line">{svg}<span{style}>{html.escape(words)}</span></div>'


def _icons(tile: tiles.Tile) -> None:
    """The variation icon with the signal in words, and the assurance icon with its words."""
    if tile.variation:
        tint = ASSESSMENT_TINTS.get(tile.assessment or "")
        svg = icons.variation_svg(tile.variation, TILE_ICON)
        st.markdown(_icon_line(svg, tile.signal, tint), unsafe_allow_html=True)
    elif tile.signal:
        st.caption(tile.signal)
    if tile.assurance:
        svg = icons.assurance_svg(tile.assurance, TILE_ICON)
        st.markdown(_icon_line(svg, tile.assurance_words), unsafe_allow_html=True)


def _tile(kpi, tile: tiles.Tile, flag: str | None, declared: str | None) -> None:
    # height="stretch": the tiles of a row fill the row, so they line up at the bottom.
    with st.container(border=True, key=f"tile_{kpi.id}", height="stretch"):
        st.markdown(
            f"**{kpi.name}**  \n:gray[{kpi.id} · {formatting.direction_words(kpi.direction)}]"
        )
        if tile.status == "value":
            st.markdown(f"## {tile.headline}")
            st.caption(tile.note or " ")
            st.markdown(
                _change_line(tile.previous, "no complete previous month")
                + "  \n"
                + _change_line(tile.last_year, "no complete month a year earlier")
            )
        else:
            st.markdown(f"## :gray[{tile.headline}]")
            st.caption(tile.note)
            if tile.latest:
                st.markdown(tile.latest)
        if len(tile.spark) and tile.spark["value"].notna().any():
            st.plotly_chart(
                spc_charts.sparkline(tile.spark, kpi.unit),
                config=SPARKLINE_CONFIG,
                key=f"spark_{kpi.id}",
            )
        _icons(tile)
        st.caption(_feasibility_badge(flag, declared))
        if st.button(
            "Details", key=f"open_{kpi.id}", icon=":material/monitoring:", type="tertiary"
        ):
            st.session_state["kpi"] = kpi.id
            st.switch_page(registry.page("kpi"))


def _sort_choice() -> str:
    """How the matrix is sorted, remembered across pages and reruns."""
    options = list(matrix.SORTS)
    ui.remembered("matrix_sort", options, matrix.DEFAULT_SORT)
    return st.segmented_control(
        "Sort the KPIs",
        options,
        required=True,
        key="_matrix_sort",
        on_change=ui.keep,
        args=("matrix_sort",),
    )


def _matrix_row(row: pd.Series, kpi_page: st.Page, show_pillar: bool) -> None:
    with st.container(key=f"matrix_row_{row['kpi_id']}"):
        left, right = st.columns(MATRIX_SPLIT, vertical_alignment="center")
        with left, st.container(gap=None):
            st.page_link(
                kpi_page,
                label=_plain(f"{row['kpi_id']} · {row['name']}"),
                query_params=links.kpi_query(row["kpi_id"]),
            )
            if show_pillar:
                st.caption(_plain(row["pillar"]))
        right.markdown(matrix.grid_row_html(row), unsafe_allow_html=True)


def _matrix(table: pd.DataFrame, month: pd.Timestamp) -> None:
    """Every KPI in a row: its link to the KPI page (a page link keeps the session, so the
    force and month stay as chosen), its value, icons and words; under pillar headings in the
    model's order, else with its pillar under its name."""
    st.html(f"<style>{matrix.MATRIX_CSS}{_PAGE_CSS}</style>")
    kpi_page = registry.page("kpi")
    with st.container(border=True, key="matrix", gap=None):
        with st.container():
            st.markdown(
                f"**{formatting.month_label(month)} at a glance:** "
                + _plain(matrix.count_line(table))
            )
            how = _sort_choice()
            st.caption(MATRIX_CAPTION)
        left, right = st.columns(MATRIX_SPLIT, vertical_alignment="bottom")
        left.markdown('<div class="fd-grid-head">KPI</div>', unsafe_allow_html=True)
        right.markdown(matrix.grid_header_html(), unsafe_allow_html=True)
        by_pillar = how == matrix.PILLAR_SORT
        pillar = None
        for _, row in matrix.sorted_rows(table, how).iterrows():
            if by_pillar and row["pillar"] != pillar:
                pillar = row["pillar"]
                st.markdown(
                    f'<div class="fd-pillar-head">{html.escape(pillar)}</div>',
                    unsafe_allow_html=True,
                )
            _matrix_row(row, kpi_page, show_pillar=not by_pillar)
        with st.expander("What the icons mean"):
            st.markdown(matrix.legend_html(), unsafe_allow_html=True)


def render() -> None:
    ui.page_header(
        "Flight deck",
        "Where the force stands on the 21 KPIs of the national operating model for RASSO.",
    )
    chosen = ui.force_and_month()
    if chosen is None or chosen[1] is None:
        return
    force_row, month = chosen
    force = force_row["force"]
    group = ui.offence_group_picker()
    catalogue = deck.catalogue()
    feasibility = quality.feasibility_of(force)
    feasibility = feasibility[feasibility["kpi_id"].isin([k.id for k in catalogue])]
    as_of = pd.Timestamp(force_row["as_of"]).strftime("%d %b %Y")
    st.markdown(
        f"**{force_row['name']} · {formatting.month_label(month)} · "
        f"{OFFENCE_GROUP_WORDS[group]}** · data as of {as_of}  \n"
        f"KPIs: {tiles.summary_line(feasibility)}"
    )
    if group != ALL:
        st.caption(ui.FORCE_LEVEL_NOTE)
    tiles_by_id = {d.kpi_id: d for d in deck.flight_deck(force, month, offence_group=group)}
    table = matrix.rows([(k, tiles_by_id[k.id].tile) for k in catalogue if k.id in tiles_by_id])
    _matrix(table, month)
    pack_download.render(force_row, month, group)
    st.caption(TILES_CAPTION)
    for pillar, kpis in tiles.by_pillar(catalogue).items():
        st.subheader(pillar)
        _tile_rows(kpis, tiles_by_id)
    _suspect_management(force, month)


def _tile_rows(kpis: list, tiles_by_id: dict) -> None:
    for start in range(0, len(kpis), COLUMNS):
        columns = st.columns(COLUMNS)
        for column, kpi in zip(columns, kpis[start : start + COLUMNS], strict=False):
            d = tiles_by_id[kpi.id]
            with column:
                _tile(kpi, d.tile, d.flag, d.declared)


def _suspect_management(force: str, month: pd.Timestamp) -> None:
    """S01..S06 in their own section, after the 21 and apart from them."""
    measures = deck.supplementary()
    if not measures:
        return
    st.divider()
    st.header("Suspect management", anchor="suspect-management")
    st.caption(SUSPECT_MANAGEMENT_CAPTION)
    _tile_rows(measures, {d.kpi_id: d for d in deck.suspect_management(force, month)})
