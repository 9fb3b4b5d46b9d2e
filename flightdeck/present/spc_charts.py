"""The SPC pictures: the tile's sparkline and the XmR chart of the KPI detail page and the
board pack. Data in, figure out, nothing read from anywhere else."""

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present.formatting import (
    axis_format,
    axis_title,
    counted,
    format_value,
    hover_value,
    is_fraction,
)
from flightdeck.present.style import (
    ASSESSMENT_COLOURS,
    ASSESSMENT_SYMBOLS,
    GREY,
    INK,
    LIGHT_GREY,
    SKY,
    layout,
)
from flightdeck.stats import spc


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


def spc_chart(
    series: pd.DataFrame,
    analysis: spc.Analysis,
    *,
    title: str,
    unit: str,
    direction: str,
    noun: str = "crimes",
    chosen: pd.Timestamp | None = None,
    month_title: str = "Month",
) -> go.Figure:
    """An XmR chart. series: month, value, complete (analysis indexes its complete rows in order).
    `month_title` names the month axis (what places a crime in a month: `month_axis_title`).

    Mean solid, limits dashed and labelled with their values (and explained in the legend), the
    baseline shaded, every signal point coloured and shaped by its assessment, incomplete months
    hollow and labelled, and the chosen month marked with a thin vertical line.
    """
    fig = go.Figure()
    done = series[series["complete"] & series["value"].notna()].reset_index(drop=True)
    open_ = series[~series["complete"]]
    fig.add_trace(
        go.Scatter(
            x=done["month"],
            y=done["value"],
            mode="lines+markers",
            name="Month (ordinary variation)",
            line={"color": GREY, "width": 2},
            marker={"color": GREY, "size": 7},
            customdata=hover_counts(done, unit, noun),
            hovertemplate="%{x|%b %Y}: " + hover_value(unit) + "%{customdata}<extra></extra>",
        )
    )
    for assessment, colour in ASSESSMENT_COLOURS.items():
        points = sorted(
            {
                i
                for s in analysis.signals
                if s.assessment == assessment
                for i in range(s.start, s.end + 1)
            }
        )
        if points:
            label = {"improvement": "Signal: improvement", "concern": "Signal: concern"}.get(
                assessment, "Signal (context measure)"
            )
            fig.add_trace(
                go.Scatter(
                    x=done["month"].iloc[points],
                    y=done["value"].iloc[points],
                    mode="markers",
                    name=label,
                    marker={"color": colour, "size": 11, "symbol": ASSESSMENT_SYMBOLS[assessment]},
                    hovertemplate="%{x|%b %Y}: " + hover_value(unit) + f" ({label})<extra></extra>",
                )
            )
    if len(open_) and open_["value"].notna().any():
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
    limits = analysis.limits
    if limits is not None and len(done):
        start, end = analysis.baseline
        x0, x1 = done["month"].iloc[start], done["month"].iloc[end - 1]
        fig.add_vrect(
            x0=x0,
            x1=x1,
            fillcolor=SKY,
            opacity=0.08,
            line_width=0,
            layer="below",
            annotation_text=f"baseline: {end - start} months",
            annotation_position="top left",
            annotation_font={"size": 11, "color": GREY},
        )
        for y, name, dash in (
            (limits.mean, "Average", "solid"),
            (limits.upper, "Upper limit", "dash"),
            (limits.lower, "Lower limit", "dash"),
        ):
            fig.add_hline(
                y=y,
                line={"color": INK if dash == "solid" else GREY, "width": 1, "dash": dash},
                annotation_text=f"{name} {format_value(y, unit)}",
                annotation_position="right",
                annotation_font={"size": 11, "color": GREY},
            )
        # Lines drawn with add_hline have no legend entry: these empty traces explain them.
        for words, colour, dash in (
            ("Average (over the baseline)", INK, "solid"),
            ("Control limits (average ± 2.66 × average monthly change)", GREY, "dash"),
        ):
            fig.add_trace(
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="lines",
                    name=words,
                    line={"color": colour, "width": 1, "dash": dash},
                )
            )
    if chosen is not None and len(series):
        fig.add_vline(x=pd.Timestamp(chosen), line={"color": LIGHT_GREY, "width": 1})
    fig.update_yaxes(title=axis_title(unit, noun), rangemode="tozero", **axis_format(unit))
    fig.update_xaxes(title=month_title, dtick="M3", tickformat="%b %Y")
    layout(fig, height=460, title=title)
    fig.update_layout(margin={"r": 170}, legend={"orientation": "h", "y": -0.22})
    return fig
