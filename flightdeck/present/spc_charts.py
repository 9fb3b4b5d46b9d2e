"""The SPC pictures: the tile's sparkline and the XmR chart of the KPI detail page and the
board pack. Data in, figure out, nothing read from anywhere else."""

import html

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present import spc_marks
from flightdeck.present.analysis import ANALYSED, INCOMPLETE, WARMUP, KpiAnalysis
from flightdeck.present.formatting import (
    axis_format,
    axis_title,
    counted,
    format_value,
    hover_value,
    is_fraction,
)
from flightdeck.present.style import (
    BLUE,
    GREY,
    INK,
    LIGHT_GREY,
    ORANGE,
    PURPLE,
    SKY,
    VERMILLION,
    layout,
)


def sparkline(series: pd.DataFrame, unit: str) -> go.Figure:
    """A small line of the last months (columns month, value, complete): complete months
    joined in grey, the latest complete month marked, incomplete months hollow."""
    # Built from one dict in one constructor: 21 of these are drawn on every flight-deck rerun,
    # and plotly's per-call validation would otherwise dominate the page's time.
    done = series[series["complete"] & series["value"].notna()]
    open_ = series[~series["complete"] & series["value"].notna()]
    traces = [
        {
            "type": "scatter",
            "x": list(done["month"]),
            "y": list(done["value"]),
            "mode": "lines",
            "line": {"color": GREY, "width": 2},
            "hoverinfo": "skip",
        },
    ]
    if len(done):
        traces.append(
            {
                "type": "scatter",
                "x": [done["month"].iloc[-1]],
                "y": [done["value"].iloc[-1]],
                "mode": "markers",
                "marker": {"color": INK, "size": 6},
                "hoverinfo": "skip",
            }
        )
    if len(open_):
        traces.append(
            {
                "type": "scatter",
                "x": list(open_["month"]),
                "y": list(open_["value"]),
                "mode": "markers",
                "hoverinfo": "skip",
                "marker": {"color": "white", "size": 6, "line": {"color": GREY, "width": 1.5}},
            }
        )
    layout = {
        "height": 60,
        "margin": {"l": 0, "r": 0, "t": 2, "b": 2},
        "showlegend": False,
        "plot_bgcolor": "white",
        "paper_bgcolor": "white",
        "xaxis": {"visible": False},
        "yaxis": {"visible": False, **axis_format(unit)},
    }
    return go.Figure({"data": traces, "layout": layout})


def hover_counts(frame: pd.DataFrame, unit: str, noun: str = "crimes") -> list[str]:
    """For each row, the counts behind its value as hover text: " (12 of 40 crimes)"."""
    if "denominator" not in frame:
        return [""] * len(frame)
    out = []
    for num, den in zip(frame["numerator"], frame["denominator"], strict=True):
        if pd.isna(den) or not (is_fraction(unit) or unit == "days"):
            out.append("")
        elif is_fraction(unit):
            out.append(f" ({0 if pd.isna(num) else num:,.0f} of {counted(den, noun)})")
        else:
            out.append(f" (median of {counted(den, noun)})")
    return out


_TYPE_STYLE = {  # point type: (legend words, colour, marker symbol)
    "special_cause_improvement": ("Special cause: improvement", BLUE, "diamond"),
    "special_cause_concern": ("Special cause: concern", ORANGE, "square"),
    "special_cause_neutral_high": ("Special cause (context measure): high", PURPLE, "circle"),
    "special_cause_neutral_low": ("Special cause (context measure): low", PURPLE, "circle"),
}


def _in_window(frame: pd.DataFrame, window) -> pd.DataFrame:
    if window is None:
        return frame
    first, last = window
    keep = pd.Series(True, index=frame.index)
    if first is not None:
        keep &= frame["month"] >= pd.Timestamp(first)
    if last is not None:
        keep &= frame["month"] <= pd.Timestamp(last)
    return frame[keep]


def _segment_line(analysed: pd.DataFrame, column: str) -> tuple[list, list]:
    """x and y of a limit or the mean, with a gap where a change point starts a segment."""
    xs, ys, previous = [], [], None
    for month, segment, y in zip(
        analysed["month"], analysed["segment"], analysed[column], strict=True
    ):
        if previous is not None and segment != previous:
            xs.append(None)
            ys.append(None)
        xs.append(month)
        ys.append(y)
        previous = segment
    return xs, ys


def spc_chart(
    reading: KpiAnalysis,
    *,
    title: str,
    noun: str = "crimes",
    chosen: pd.Timestamp | None = None,
    month_title: str = "Month",
    window: tuple | None = None,
    notes: pd.DataFrame | None = None,
    height: int = 480,
    width: int | None = None,
) -> go.Figure:
    """An XmR chart of a KPI's SPC reading, drawn over `window` (first, last month; None: all).

    Warm-up months light grey and hollow; analysed months grey with every special-cause point
    coloured and shaped by its type; the average solid and the limits dashed per baseline
    segment (their values in the legend, not stacked beside the lines); each baseline shaded;
    change points and notes as numbered vertical lines (their words go below the chart); the
    target dotted; incomplete months hollow and labelled; the chosen month a thin line. The
    subtitle says where the baseline is.
    """
    unit = reading.unit
    frame = _in_window(reading.frame, window)
    fig = go.Figure()
    warm = frame[frame["phase"] == WARMUP]
    if len(warm):
        fig.add_trace(
            go.Scatter(
                x=warm["month"],
                y=warm["value"],
                mode="lines+markers",
                name=f"Warm-up (first {reading.warmup} months, not analysed)",
                line={"color": LIGHT_GREY, "width": 1.5},
                marker={"color": "white", "size": 6, "line": {"color": LIGHT_GREY, "width": 1.5}},
                hovertemplate="%{x|%b %Y}: " + hover_value(unit) + " (warm-up)<extra></extra>",
            )
        )
    done = frame[frame["phase"] == ANALYSED]
    fig.add_trace(
        go.Scatter(
            x=done["month"],
            y=done["value"],
            mode="lines+markers",
            name="Common cause (ordinary variation)",
            line={"color": GREY, "width": 2},
            marker={"color": GREY, "size": 7},
            customdata=hover_counts(done, unit, noun),
            hovertemplate="%{x|%b %Y}: " + hover_value(unit) + "%{customdata}<extra></extra>",
        )
    )
    for point_type, (words, colour, symbol) in _TYPE_STYLE.items():
        points = done[done["point_type"] == point_type]
        if len(points):
            fig.add_trace(
                go.Scatter(
                    x=points["month"],
                    y=points["value"],
                    mode="markers",
                    name=words,
                    marker={"color": colour, "size": 11, "symbol": symbol},
                    hovertemplate="%{x|%b %Y}: " + hover_value(unit) + f" ({words})<extra></extra>",
                )
            )
    _incomplete(fig, frame, done, unit)
    _limits(fig, reading, done)
    spc_marks.draw(fig, notes, window)
    if chosen is not None and len(frame):
        fig.add_vline(x=pd.Timestamp(chosen), line={"color": LIGHT_GREY, "width": 1})
    months = frame["month"].nunique()
    fig.update_yaxes(
        title=axis_title(unit, noun), rangemode="tozero", automargin=True, **axis_format(unit)
    )
    fig.update_xaxes(
        title=month_title,
        dtick="M3" if months <= 40 else "M6" if months <= 72 else "M12",
        tickformat="%b %Y",
        tickangle=-45,
        automargin=True,
    )
    subtitle = html.escape(reading.baseline_text())
    layout(fig, height=height, title=f"{html.escape(title)}<br><sup>{subtitle}</sup>")
    fig.update_layout(
        margin={"l": 10, "r": 20, "t": 80, "b": 10},
        legend={"orientation": "h", "y": -0.32, "x": 0, "font": {"size": 11}},
    )
    if width is not None:
        fig.update_layout(width=width)
    return fig


def _incomplete(fig: go.Figure, frame: pd.DataFrame, done: pd.DataFrame, unit: str) -> None:
    open_ = frame[(frame["phase"] == INCOMPLETE) & frame["value"].notna()]
    if open_.empty:
        return
    bridge = pd.concat([done.tail(1), open_]) if len(done) else open_
    fig.add_trace(
        go.Scatter(
            x=bridge["month"],
            y=bridge["value"],
            mode="lines+markers+text",
            name="Incomplete month (still counting)",
            line={"color": GREY, "width": 1.5, "dash": "dot"},
            marker={"color": "white", "size": 8, "line": {"color": GREY, "width": 2}},
            text=[""] * (len(bridge) - len(open_)) + ["incomplete"] * len(open_),
            textposition="top center",
            textfont={"size": 10, "color": GREY},
            hovertemplate="%{x|%b %Y}: "
            + hover_value(unit)
            + " so far (incomplete)<extra></extra>",
        )
    )


def _limits(fig: go.Figure, reading: KpiAnalysis, done: pd.DataFrame) -> None:
    """The average and limits per segment, each baseline shaded, and the target."""
    limits = reading.analysis.limits
    unit = reading.unit
    if limits is None or done.empty or done["mean"].isna().all():
        return
    shown_first, shown_last = done["month"].min(), done["month"].max()
    for b in reading.baselines:
        # shaded where it is drawn; a baseline before the window is named in the subtitle only
        first, last = max(b.first, shown_first), min(b.last, shown_last)
        if first <= last:
            fig.add_vrect(
                x0=first, x1=last, fillcolor=SKY, opacity=0.08, line_width=0, layer="below"
            )
    latest = f"{format_value(limits.lower, unit)} to {format_value(limits.upper, unit)}"
    for column, name, colour, dash in (
        (
            "mean",
            f"Average {format_value(limits.mean, unit)} (over the shaded baseline)",
            INK,
            "solid",
        ),
        (
            "upper",
            f"Control limits {latest} (average ± 2.66 × average monthly change)",
            GREY,
            "dash",
        ),
        ("lower", None, GREY, "dash"),
    ):
        xs, ys = _segment_line(done, column)
        fig.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name=name or "",
                showlegend=name is not None,
                legendgroup="limits" if column != "mean" else "mean",
                line={"color": colour, "width": 1, "dash": dash},
                hoverinfo="skip",
            )
        )
    if reading.target is not None:
        fig.add_trace(
            go.Scatter(
                x=[done["month"].iloc[0], done["month"].iloc[-1]],
                y=[reading.target, reading.target],
                mode="lines",
                name=f"Target {format_value(reading.target, unit)}",
                line={"color": VERMILLION, "width": 1.5, "dash": "dot"},
                hoverinfo="skip",
            )
        )
