"""The board pack's chart of one KPI, sized for a printed A4 landscape page.

The chart is the KPI page's XmR chart (`spc_charts.spc_chart`) at a fixed size (1000 x 450 px,
so what prints is what was drawn), with margins wide enough for tick labels and axis titles,
the legend below the month axis title (the average and limits with their values in it, never as
labels stacked at the right-hand edge, which overlap when the limits are close), and under the
chart a caption saying where the baseline is, the latest signals, and the change points and
notes drawn. A KPI that has no chart (not feasible, suppressed this month, nothing to count, or
fewer than two published complete months) gets the reason in words instead.
"""

from dataclasses import dataclass

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present import analysis, formatting, spc_charts, spc_marks, tiles
from flightdeck.stats import spc, spc_words

WIDTH, HEIGHT, MIN_HEIGHT = 1000, 450, 340
# What a line of text on a KPI page holds: the caption (full width) and the signal's column.
CAPTION_CHARS, SIGNAL_CHARS, LINE_PX = 150, 60, 17
# Left for the value axis's tick labels and title; bottom for the month ticks, the month axis
# title and a legend of up to four rows under it.
MARGIN = {"l": 90, "r": 30, "t": 24, "b": 140}
LEGEND_BELOW_PX = 62  # from the foot of the plot area to the top of the legend
MAX_SIGNALS_SAID = 3
CONFIG = {"displayModeBar": False, "responsive": False}


@dataclass(frozen=True)
class PackChart:
    """A KPI page's picture: the figure (None when there is none), the caption under it and,
    without a figure, why there is none."""

    figure: go.Figure | None
    caption: str = ""
    reason: str = ""


def no_chart_reason(tile: tiles.Tile, month: pd.Timestamp) -> str:
    """Why a KPI has no chart this month ("" when it has one)."""
    label = formatting.month_label(month)
    if tile.status == "not_feasible":
        return "No chart: this KPI cannot be computed from this force's data (see why above)."
    if tile.status == "suppressed":
        return (
            f"No chart: {label}'s figure is suppressed (small numbers), so the KPI is not drawn "
            "in this pack."
        )
    if tile.status == "no_data":
        return f"No chart: there was nothing to count for this force in {label}."
    return ""


def print_sized(fig: go.Figure, width: int = WIDTH, height: int = HEIGHT) -> go.Figure:
    """The figure at a fixed print size: no title (the page has a heading), margins that keep
    tick labels and axis titles inside, and the legend (which gives the average's and the
    limits' values) below the month axis title."""
    plot_height = height - MARGIN["t"] - MARGIN["b"]
    fig.update_layout(
        width=width,
        height=height,
        autosize=False,
        title=None,
        margin=MARGIN,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -LEGEND_BELOW_PX / plot_height,
            "yanchor": "top",
            "font": {"size": 12},
        },
        font={"size": 13},
    )
    # 36 months at one tick a quarter fit level on a page's width: no slanted labels.
    fig.update_xaxes(automargin=True, title_standoff=12, tickfont={"size": 12}, tickangle=0)
    fig.update_yaxes(automargin=True, title_standoff=10, tickfont={"size": 12})
    return fig


def caption(reading: analysis.KpiAnalysis, notes: pd.DataFrame | None) -> str:
    """Under the chart: where the average and limits come from, the latest signals in words,
    and the change points and notes drawn (numbered as on the chart)."""
    parts = [reading.baseline_text()]
    found = [words for words, _ in spc_words.summarise(reading.analysis.signals, reading.labels)]
    if found:
        shown = found[-MAX_SIGNALS_SAID:]  # the latest: a printed page has room for a few
        more = len(found) - len(shown)
        earlier = f" (and {more} earlier: see the KPI's page on the dashboard)" if more else ""
        parts.append("Signals: " + "; ".join(shown) + earlier + ".")
    elif reading.analysis.limits is not None:
        parts.append("No signal: the months vary no more than chance would explain.")
    marks = spc_marks.mark_lines(notes)
    if marks:
        parts.append("On the chart: " + "; ".join(marks) + ".")
    return " ".join(parts)


def kpi_chart(
    kpi,
    tile: tiles.Tile,
    series: pd.DataFrame,
    month: pd.Timestamp,
    *,
    notes: pd.DataFrame | None = None,
    change_points=(),
    target: float | None = None,
    options: spc.Options | None = None,
) -> PackChart:
    """The KPI's chart for its page: `series` holds the published months (month, numerator,
    denominator, value, complete; a suppressed month has no value), read up to `month` as the
    tile reads it, drawn over the default period (36 months) with the notes that touch it."""
    reason = no_chart_reason(tile, month)
    if reason:
        return PackChart(None, reason=reason)
    month = pd.Timestamp(month)
    reading = analysis.analyse_series(
        tiles.value_so_far(series, kpi.unit),
        kpi,
        until=month,
        change_points=change_points,
        target=target,
        options=options,
    )
    if reading.frame["value"].notna().sum() < 2:
        label = formatting.month_label(month)
        return PackChart(None, reason=f"No chart: fewer than two published months up to {label}.")
    first = month - pd.DateOffset(months=tiles.DEFAULT_PERIOD_MONTHS - 1)
    if notes is not None and not notes.empty:  # those drawn, numbered as the caption says
        drawn = pd.to_datetime(notes["month"])
        notes = notes[(drawn >= first) & (drawn <= month)]
    words = caption(reading, notes)
    height = chart_height(words, tile.signal + tile.assurance_words)
    fig = spc_charts.spc_chart(
        reading,
        title=f"{kpi.id} {kpi.name}",
        noun=kpi.noun,
        chosen=month,
        month_title=formatting.month_axis_title(getattr(kpi, "basis", "")),
        window=(first, month),
        notes=notes,
        height=height,
        width=WIDTH,
    )
    return PackChart(print_sized(fig, height=height), caption=words)


def chart_height(caption_text: str, signal_text: str) -> int:
    """The chart's height so that its page holds the facts, the chart and the caption: HEIGHT,
    less a line's height for every line of the caption beyond two and of the signal's words
    beyond two (never below MIN_HEIGHT)."""
    caption_lines = -(-len(caption_text) // CAPTION_CHARS)
    signal_lines = -(-len(signal_text) // SIGNAL_CHARS)
    extra = max(0, caption_lines - 2) + max(0, signal_lines - 2)
    return max(MIN_HEIGHT, HEIGHT - LINE_PX * extra)


def figure_html(fig: go.Figure, *, with_plotly_js: bool) -> str:
    """The figure as an HTML fragment at its print size; plotly.js inline once per pack (the
    pack opens without an internet connection)."""
    return fig.to_html(
        full_html=False,
        include_plotlyjs=with_plotly_js,
        config=CONFIG,
        default_width=f"{fig.layout.width or WIDTH}px",
        default_height=f"{fig.layout.height or HEIGHT}px",
    )
