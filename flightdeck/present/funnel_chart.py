"""The funnel plot: each force's figure against its size, the group value and the limits.

Colour says better, worse or neutral only for a force outside a limit, read through the KPI's
direction (`funnel_words.verdict`); forces within the limits are grey. The marker's shape says
the side (a triangle up above, down below) and its fill the limit (open beyond 95 %, solid
beyond 99.8 %), so colour never carries the meaning alone. The chosen force is marked by a
black ring and its name in bold, never by a colour of its own.
"""

from dataclasses import dataclass

import plotly.graph_objects as go

from flightdeck.present import funnel_words
from flightdeck.present.peer_charts import layout, short_name
from flightdeck.present.style import ASSESSMENT_COLOURS, GREY, INK
from flightdeck.stats import spc
from flightdeck.stats.funnel import Funnel

_VERDICT_COLOURS = {
    funnel_words.BETTER: ASSESSMENT_COLOURS[spc.IMPROVEMENT],
    funnel_words.WORSE: ASSESSMENT_COLOURS[spc.CONCERN],
    funnel_words.NEUTRAL: ASSESSMENT_COLOURS[spc.NEUTRAL],
}
_LEVEL_WORDS = {"95": "95 %", "998": "99.8 %"}


@dataclass(frozen=True)
class Scale:
    """How a funnel's values are shown: multiplied by `factor` (100,000 for rates per 100,000
    people), as percentages or not, and the words of both axes."""

    factor: float = 1.0
    percent: bool = True
    y_title: str = "Rate"
    x_title: str = "Crimes the rate is based on (log scale: bigger forces to the right)"

    def hover(self) -> str:
        return "%{y:.1%}" if self.percent else "%{y:,.1f}"


def legend_words(position: str, kind: str | None) -> str:
    """The legend entry of a group of forces: where they lie and what that means."""
    if kind is None:
        return "Within the limits"
    side, level = position.split("_")
    words = {"better": "better", "worse": "worse", "neutral": "context measure"}[kind]
    return f"{side.capitalize()} the {_LEVEL_WORDS[level]} limit ({words})"


def marker_style(position: str, kind: str | None) -> tuple[str, str]:
    """(colour, Plotly symbol) for a force's position and verdict."""
    if kind is None:
        return GREY, "circle"
    side, level = position.split("_")
    symbol = "triangle-up" if side == "above" else "triangle-down"
    return _VERDICT_COLOURS[kind], symbol if level == "998" else f"{symbol}-open"


def funnel_labels(forces: list[str], positions: list[str], names: dict, focus: str) -> list[str]:
    """Names written on the plot: the chosen force (bold) and every force outside the 95 %
    limits; the others are left to the hover text, so names do not pile up."""
    out = []
    for force, position in zip(forces, positions, strict=True):
        name = short_name(names.get(force, force))
        if force == focus:
            out.append(f"<b>{name}</b>")
        else:
            out.append(name if position != "within" else "")
    return out


def _limit_lines(fig: go.Figure, result: Funnel, scale: Scale) -> None:
    curve = result.curve
    adjusted = " (adjusted)" if result.adjusted else ""
    for level, dash in (("998", "dot"), ("95", "dash")):
        for side in ("lower", "upper"):
            fig.add_trace(
                go.Scatter(
                    x=curve["denominator"],
                    y=curve[f"{side}_{level}"] * scale.factor,
                    mode="lines",
                    line={"color": GREY, "dash": dash, "width": 1.5},
                    name=f"{_LEVEL_WORDS[level]} limits{adjusted}",
                    legendgroup=level,
                    showlegend=side == "upper",
                    hoverinfo="skip",
                )
            )
    target = result.target * scale.factor
    words = f"{target:.1%}" if scale.percent else f"{target:,.1f}"
    fig.add_trace(
        go.Scatter(
            x=[curve["denominator"].min(), curve["denominator"].max()],
            y=[target] * 2,
            mode="lines",
            line={"color": INK, "width": 2},
            name=f"Group value {words}",
        )
    )


def _forces(fig, result: Funnel, names, focus, direction, scale: Scale) -> None:
    points = result.points.assign(
        kind=lambda p: [funnel_words.verdict(x, direction) for x in p["position"]]
    )
    for (position, kind), part in points.groupby(["position", "kind"], dropna=False, sort=True):
        kind = None if not isinstance(kind, str) else kind
        colour, symbol = marker_style(position, kind)
        forces = list(part["force"])
        fig.add_trace(
            go.Scatter(
                x=part["denominator"],
                y=part["value"] * scale.factor,
                mode="markers+text",
                name=legend_words(position, kind),
                text=funnel_labels(forces, [position] * len(forces), names, focus),
                textposition="top center",
                textfont={"size": 12, "color": INK},
                marker={"color": colour, "symbol": symbol, "size": 12, "line": {"width": 2}},
                customdata=[
                    [names.get(f, f), n] for f, n in zip(forces, part["numerator"], strict=True)
                ],
                hovertemplate="%{customdata[0]}: " + scale.hover() + " (%{customdata[1]:,.0f} "
                "of %{x:,.0f})<extra></extra>",
            )
        )


def _ring(fig, result: Funnel, names, focus, scale: Scale) -> None:
    chosen = result.points[result.points["force"] == focus]
    if chosen.empty:
        return
    fig.add_trace(
        go.Scatter(
            x=chosen["denominator"],
            y=chosen["value"] * scale.factor,
            mode="markers",
            name=f"{short_name(names.get(focus, focus))} (ringed)",
            marker={"symbol": "circle-open", "size": 26, "color": INK, "line": {"width": 3}},
            hoverinfo="skip",
        )
    )


def add_own_figure(fig, value: float, denominator: float, name: str, scale: Scale) -> None:
    """The chosen force's figure from its own case data, beside its published one."""
    fig.add_trace(
        go.Scatter(
            x=[denominator],
            y=[value * scale.factor],
            mode="markers",
            name=f"{short_name(name)} from its own case data",
            marker={"symbol": "x-thin", "size": 14, "color": INK, "line": {"width": 3}},
            hovertemplate=f"{name}, own case data: " + scale.hover() + "<extra></extra>",
        )
    )


def funnel_figure(
    result: Funnel, names: dict, focus: str, title: str, direction: str, scale: Scale = Scale()
) -> go.Figure:
    """The funnel of `result`: limits, group value, forces by verdict, the chosen force ringed."""
    fig = go.Figure()
    _limit_lines(fig, result, scale)
    _forces(fig, result, names, focus, direction, scale)
    _ring(fig, result, names, focus, scale)
    fig.update_xaxes(type="log")
    return layout(fig, title, scale.x_title, scale.y_title, percent=scale.percent)
