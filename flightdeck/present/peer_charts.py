"""Plotly figures for the compare page: funnel plot, ranked dot plot with intervals, force
against the peer mean over time, and breakdowns side by side. Data in, figure out.

Okabe-Ito colours (`flightdeck.present.style`); meaning is never carried by colour alone
(marker shapes and words differ too).
"""

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present.style import BLUE, GREY, INK, ORANGE, SKY, VERMILLION
from flightdeck.stats.funnel import Funnel

POSITION_STYLE = {  # colour, symbol, legend words
    "within": (GREY, "circle", "Within the limits"),
    "above_95": (ORANGE, "triangle-up", "Above the 95 % limit"),
    "below_95": (SKY, "triangle-down", "Below the 95 % limit"),
    "above_998": (VERMILLION, "diamond", "Above the 99.8 % limit"),
    "below_998": (BLUE, "square", "Below the 99.8 % limit"),
}


def _layout(fig: go.Figure, title: str, x_title: str, y_title: str, percent: bool) -> go.Figure:
    fig.update_layout(
        title=title,
        xaxis_title=x_title,
        yaxis_title=y_title,
        template="plotly_white",
        margin={"l": 60, "r": 20, "t": 60, "b": 50},
        legend={"orientation": "h", "y": -0.2},
        height=440,
    )
    if percent:
        fig.update_yaxes(tickformat=".0%")
    return fig


def _short(name: str) -> str:
    """A force's name without the words every force has, to keep labels on the plot legible."""
    for word in (" (synthetic)", " Constabulary", " Police Service", " Police"):
        name = name.replace(word, "")
    return name


def funnel_labels(
    forces: list[str], positions: list[str], names: dict[str, str], focus: str
) -> list[str]:
    """Labels written on the funnel: the chosen force (in bold) and every force outside the
    95 % limits; the others are left to the hover text, so that names do not pile up where
    forces of a similar size sit close together."""
    out = []
    for force, position in zip(forces, positions, strict=True):
        name = _short(names.get(force, force))
        if force == focus:
            out.append(f"<b>{name}</b>")
        elif position != "within":
            out.append(name)
        else:
            out.append("")
    return out


def funnel_figure(
    result: Funnel, names: dict[str, str], focus: str, title: str, y_title: str = "Rate"
) -> go.Figure:
    """Each force's rate against its denominator, the group rate and the 95 % / 99.8 % limits.
    The chosen force is ringed and named; forces outside the limits are named."""
    fig = go.Figure()
    curve = result.curve
    for level, dash, words in (("998", "dot", "99.8 % limits"), ("95", "dash", "95 % limits")):
        for side in ("lower", "upper"):
            fig.add_trace(
                go.Scatter(
                    x=curve["denominator"],
                    y=curve[f"{side}_{level}"],
                    mode="lines",
                    line={"color": GREY, "dash": dash, "width": 1.5},
                    name=words,
                    legendgroup=level,
                    showlegend=side == "upper",
                    hoverinfo="skip",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[curve["denominator"].min(), curve["denominator"].max()],
            y=[result.group_rate] * 2,
            mode="lines",
            line={"color": INK, "width": 2},
            name=f"Group rate {result.group_rate:.1%}",
        )
    )
    points = result.points
    for pos, (colour, symbol, words) in POSITION_STYLE.items():
        part = points[points["position"] == pos]
        if part.empty:
            continue
        forces = list(part["force"])
        full = [names.get(f, f) for f in forces]
        fig.add_trace(
            go.Scatter(
                x=part["denominator"],
                y=part["rate"],
                mode="markers+text",
                name=words,
                text=funnel_labels(forces, [pos] * len(forces), names, focus),
                textposition="top center",
                textfont={"size": 12, "color": INK},
                marker={
                    "color": colour,
                    "symbol": symbol,
                    "size": [16 if f == focus else 11 for f in forces],
                    "line": {"color": INK, "width": [3 if f == focus else 0.5 for f in forces]},
                },
                customdata=list(zip(full, part["numerator"], strict=True)),
                hovertemplate="%{customdata[0]}: %{y:.1%} (%{customdata[1]:,.0f} of %{x:,.0f})"
                "<extra></extra>",
            )
        )
    fig.update_xaxes(type="log")
    return _layout(
        fig,
        title,
        "Crimes the rate is based on (log scale: bigger forces to the right)",
        y_title,
        percent=True,
    )


def ranked_figure(
    ranked: pd.DataFrame,
    names: dict[str, str],
    focus: str,
    title: str,
    percent: bool,
    x_title: str = "Value",
) -> go.Figure:
    """Forces in order of value, each with its 95 % interval where one exists."""
    labels = [names.get(f, f) for f in ranked["force"]]
    has_ci = ranked["lower"].notna().any()
    colours = [ORANGE if f == focus else BLUE for f in ranked["force"]]
    symbols = ["diamond" if f == focus else "circle" for f in ranked["force"]]
    error = None
    if has_ci:
        error = {
            "type": "data",
            "symmetric": False,
            "color": GREY,
            "array": ranked["upper"] - ranked["value"],
            "arrayminus": ranked["value"] - ranked["lower"],
        }
    fig = go.Figure(
        go.Scatter(
            x=ranked["value"],
            y=labels,
            mode="markers",
            error_x=error,
            marker={"color": colours, "symbol": symbols, "size": 11},
            name="Value" + (" with 95 % interval" if has_ci else ""),
        )
    )
    fig = _layout(fig, title, x_title, "", percent=False)
    if percent:
        fig.update_xaxes(tickformat=".0%")
    fig.update_layout(height=max(260, 40 * len(ranked) + 120), showlegend=True)
    return fig


def over_time_figure(
    series: pd.DataFrame,
    names: dict[str, str],
    focus: str,
    title: str,
    percent: bool,
    y_title: str = "",
) -> go.Figure:
    """The focus force and the peer mean, month by month."""
    fig = go.Figure()
    for key, colour, dash, symbol in (
        (focus, ORANGE, "solid", "diamond"),
        ("peer mean", BLUE, "dash", "circle"),
    ):
        part = series[series["series"] == key].sort_values("month")
        fig.add_trace(
            go.Scatter(
                x=part["month"],
                y=part["value"],
                mode="lines+markers",
                name=names.get(key, key) if key == focus else "Peer mean",
                line={"color": colour, "dash": dash},
                marker={"symbol": symbol},
            )
        )
    return _layout(fig, title, "Month", y_title, percent=percent)


def breakdown_figure(
    frame: pd.DataFrame,
    order: list[str],
    force_name: str,
    title: str,
    percent: bool,
    y_title: str = "",
) -> go.Figure:
    """The force and its peers side by side for each age band or gender."""
    fig = go.Figure()
    labels = [x for x in order if x in set(frame["label"])]
    for side, colour, pattern, words in (
        ("force", ORANGE, "", force_name),
        ("peers", BLUE, "/", "Peers"),
    ):
        part = frame[frame["side"] == side].set_index("label").reindex(labels)
        fig.add_trace(
            go.Bar(
                x=labels,
                y=part["value"],
                name=words,
                marker={"color": colour, "pattern": {"shape": pattern}},
            )
        )
    fig.update_layout(barmode="group")
    return _layout(fig, title, "", y_title, percent=percent)
