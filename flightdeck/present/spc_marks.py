"""Change points and notes on an SPC chart: numbered vertical lines on the chart, and the same
numbers with their words below it (on the page and in the board pack)."""

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present.formatting import month_label
from flightdeck.present.style import GREY, INK


def draw(fig: go.Figure, notes: pd.DataFrame | None, window) -> None:
    """Change points and notes as numbered vertical lines (numbered as `mark_lines` lists
    them), only those inside the window drawn."""
    if notes is None or notes.empty:
        return
    for n, row in enumerate(notes.itertuples(), start=1):
        month = pd.Timestamp(row.month)
        if window is not None and (
            (window[0] is not None and month < pd.Timestamp(window[0]))
            or (window[1] is not None and month > pd.Timestamp(window[1]))
        ):
            continue
        change = row.kind == "change_point"
        fig.add_vline(
            x=month,
            line={
                "color": INK if change else GREY,
                "width": 1.5 if change else 1,
                "dash": "dash" if change else "dot",
            },
            annotation_text=f"{'change point' if change else 'note'} {n}",
            annotation_position="top right",
            annotation_font={"size": 10, "color": INK if change else GREY},
        )


def mark_lines(notes: pd.DataFrame | None) -> list[str]:
    """The change points and notes of a chart in words, numbered as drawn: "change point 1,
    Apr 2025: new RASSO team (starts a new baseline)"."""
    if notes is None or notes.empty:
        return []
    out = []
    for n, row in enumerate(notes.itertuples(), start=1):
        change = row.kind == "change_point"
        what = "change point" if change else "note"
        scope = "all KPIs" if row.kpi_id is None or pd.isna(row.kpi_id) else row.kpi_id
        tail = " (starts a new baseline)" if change else ""
        out.append(f"{what} {n}, {month_label(row.month)}, {scope}: {row.text}{tail}")
    return out
