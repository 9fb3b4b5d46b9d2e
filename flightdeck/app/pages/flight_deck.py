"""Flight deck (home): all 21 KPIs for one force and month, as tiles grouped by pillar."""

import pandas as pd
import streamlit as st

from flightdeck.app import registry, ui
from flightdeck.app.data import deck, quality
from flightdeck.app.pages import pack_download
from flightdeck.present import formatting, spc_charts, tiles
from flightdeck.present.style import ASSESSMENT_TEXT_COLOURS, FLAG_STYLE, SPARKLINE_CONFIG

COLUMNS = 3
_VERDICT = {"better": ":blue[better]", "worse": ":orange[worse]"}


def _change_line(change: tiles.Change | None, fallback: str) -> str:
    if change is None:
        return fallback
    arrow = "▲" if change.text.startswith("+") else "▼" if change.text.startswith("-") else "●"
    verdict = _VERDICT.get(change.verdict, "")
    return f"{arrow} {change.text} {verdict}".strip()


def _feasibility_badge(flag: str | None, declared: str | None) -> str:
    colour, symbol, words = FLAG_STYLE.get(flag or "", ("", "?", "Not assessed"))
    declared_words = (declared or "none").replace("_", " ")
    return f"{symbol} {words} · declared: {declared_words}"


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
        if tile.signal:
            if tile.assessment:
                st.markdown(ui.signal_text(tile.signal, tile.assessment))
            else:
                st.caption(tile.signal)
        st.caption(_feasibility_badge(flag, declared))
        if st.button(
            "Details", key=f"open_{kpi.id}", icon=":material/monitoring:", type="tertiary"
        ):
            st.session_state["kpi"] = kpi.id
            st.switch_page(registry.page("kpi"))


def _overview(deck_tiles: dict, month: pd.Timestamp) -> None:
    """Where the force stands in one box: the KPIs with a signal named, the rest counted."""
    names = {k.id: k.name for k in deck.catalogue()}
    groups = tiles.overview([(kpi_id, d.tile) for kpi_id, d in deck_tiles.items()])
    lines = []
    for key, ids in groups.items():
        label = f"**{tiles.OVERVIEW[key]} ({len(ids)})**"
        if key in ASSESSMENT_TEXT_COLOURS:
            label = f":{ASSESSMENT_TEXT_COLOURS[key]}-background[{label}]"
            listed = ", ".join(f"{i} {names.get(i, '')}" for i in sorted(ids))
        else:
            listed = ", ".join(sorted(ids))
        lines.append(f"{label}: {listed}")
    with st.container(border=True, key="overview"):
        st.markdown(f"**{formatting.month_label(month)} at a glance**  \n" + "  \n".join(lines))


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
    feasibility = quality.feasibility_of(force)
    as_of = pd.Timestamp(force_row["as_of"]).strftime("%d %b %Y")
    st.markdown(
        f"**{force_row['name']} · {formatting.month_label(month)}** · data as of {as_of}  \n"
        f"KPIs: {tiles.summary_line(feasibility)}"
    )
    st.caption(
        "Each tile: the month's value with the counts behind it, the change on the month before "
        "and on the same month last year, the last 24 months (hollow dots: months still being "
        "counted), and the statistical signal. A signal means the change is unlikely to be "
        "chance: blue for an improvement, orange for a concern. No signal means ordinary "
        "variation. A month still being counted shows its counts so far and the latest "
        "complete month."
    )
    tiles_by_id = {d.kpi_id: d for d in deck.flight_deck(force, month)}
    _overview(tiles_by_id, month)
    pack_download.render(force_row, month)
    for pillar, kpis in tiles.by_pillar(deck.catalogue()).items():
        st.subheader(pillar)
        for start in range(0, len(kpis), COLUMNS):
            columns = st.columns(COLUMNS)
            for column, kpi in zip(columns, kpis[start : start + COLUMNS], strict=False):
                d = tiles_by_id[kpi.id]
                with column:
                    _tile(kpi, d.tile, d.flag, d.declared)
