"""Plotly figures for the compare pages besides the funnel (`funnel_chart`): forces in order
with their intervals, the force against the peer mean over time, and breakdowns side by side.
Data in, figure out.

The chosen force is marked by a black ring or a solid dark line and its name, never by one of
the colours that mean better or worse elsewhere (blue, orange); peers are grey.
"""

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present.style import GREY, INK, LIGHT_GREY


def layout(fig: go.Figure, title: str, x_title: str, y_title: str, percent: bool) -> go.Figure:
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


def short_name(name: str) -> str:
    """A force's name without the words every force has, to keep labels on the plot legible."""
    for word in (" (synthetic)", " Constabulary", " Police Service", " Police"):
        name = name.replace(word, "")
    return name


def ranked_figure(
    ranked: pd.DataFrame,
    names: dict[str, str],
    focus: str,
    title: str,
    percent: bool,
    x_title: str = "Value",
) -> go.Figure:
    """Forces in order of value, each with its 95 % interval where one exists; the chosen force
    ringed and named in bold."""
    labels = [
        f"<b>{names.get(f, f)}</b>" if f == focus else names.get(f, f) for f in ranked["force"]
    ]
    has_ci = ranked["lower"].notna().any()
    error = None
    if has_ci:
        error = {
            "type": "data",
            "symmetric": False,
            "color": GREY,
            "array": ranked["upper"] - ranked["value"],
            "arrayminus": ranked["value"] - ranked["lower"],
        }
    chosen = ranked["force"] == focus
    fig = go.Figure(
        go.Scatter(
            x=ranked["value"],
            y=labels,
            mode="markers",
            error_x=error,
            marker={
                "color": [INK if c else GREY for c in chosen],
                "size": 11,
                "line": {"color": "white", "width": 1},
            },
            name="Value" + (" with 95 % interval" if has_ci else ""),
        )
    )
    fig.add_trace(
        go.Scatter(
            x=ranked.loc[chosen, "value"],
            y=[label for label, c in zip(labels, chosen, strict=True) if c],
            mode="markers",
            marker={"symbol": "circle-open", "size": 22, "color": INK, "line": {"width": 3}},
            name=f"{names.get(focus, focus)} (ringed)",
            hoverinfo="skip",
        )
    )
    fig = layout(fig, title, x_title, "", percent=False)
    if percent:
        fig.update_xaxes(tickformat=".0%")
    fig.update_layout(height=max(260, 26 * len(ranked) + 140), showlegend=True)
    return fig


def over_time_figure(
    series: pd.DataFrame,
    names: dict[str, str],
    focus: str,
    title: str,
    percent: bool,
    y_title: str = "",
) -> go.Figure:
    """The focus force (a solid dark line) and the peer mean (a grey dashed one), by month."""
    fig = go.Figure()
    for key, colour, dash, symbol in (
        (focus, INK, "solid", "circle"),
        ("peer mean", GREY, "dash", "square"),
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
    return layout(fig, title, "Month", y_title, percent=percent)


def breakdown_figure(
    frame: pd.DataFrame,
    order: list[str],
    force_name: str,
    title: str,
    percent: bool,
    y_title: str = "",
) -> go.Figure:
    """The force (dark bars) and its peers (light hatched bars) for each age band or gender."""
    fig = go.Figure()
    labels = [x for x in order if x in set(frame["label"])]
    for side, colour, pattern, words in (
        ("force", INK, "", force_name),
        ("peers", LIGHT_GREY, "/", "Peers"),
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
    return layout(fig, title, "", y_title, percent=percent)
