"""How the product's pictures look, defined once: the palette and what each colour means, the
marks of the feasibility flags, and the base layout of a Plotly figure.

Colours are the Okabe-Ito palette, safe for colour-blind readers, and meaning is never carried
by colour alone: signals also differ in marker shape and words, incomplete months are hollow,
dashed and labelled, and feasibility flags carry a symbol and a word.
"""

import plotly.graph_objects as go

from flightdeck.engine.feasibility import FEASIBLE, NOT_FEASIBLE, PARTIAL
from flightdeck.stats import spc

# Okabe-Ito colours and what they mean on every page and in every pack.
BLUE = "#0072B2"  # improvement
ORANGE = "#E69F00"  # concern
PURPLE = "#CC79A7"  # a signal on a measure that is context only
GREY = "#7F7F7F"  # common-cause variation, the ordinary run of the data
LIGHT_GREY = "#BBBBBB"
SKY = "#56B4E9"
VERMILLION = "#D55E00"
INK = "#222222"
ASSESSMENT_COLOURS = {spc.IMPROVEMENT: BLUE, spc.CONCERN: ORANGE, spc.NEUTRAL: PURPLE}
ASSESSMENT_SYMBOLS = {spc.IMPROVEMENT: "diamond", spc.CONCERN: "square", spc.NEUTRAL: "circle"}
# Light tints of the same meanings, as backgrounds behind text (the board pack's table cells).
ASSESSMENT_TINTS = {spc.CONCERN: "#fdebd0", spc.IMPROVEMENT: "#d6eaf8", spc.NEUTRAL: "#f5e1ee"}
# Streamlit's named text colours for the same meanings (`:blue-background[...]`).
ASSESSMENT_TEXT_COLOURS = {spc.IMPROVEMENT: "blue", spc.CONCERN: "orange", spc.NEUTRAL: "violet"}
# A sequential scale readable in colour blindness and in greyscale.
SEQUENTIAL = "Cividis"
# Light to mid blue, for grids whose cells carry dark text (readable at both ends).
LIGHT_SEQUENTIAL = [[0.0, "#F2F7FB"], [1.0, "#4A9FD8"]]

FLAG_ORDER = [FEASIBLE, PARTIAL, NOT_FEASIBLE]
FLAG_STYLE = {  # colour, symbol and words for each feasibility flag
    FEASIBLE: (SKY, "✓", "Feasible"),
    PARTIAL: (ORANGE, "◐", "Partial"),
    NOT_FEASIBLE: (LIGHT_GREY, "✗", "Not feasible"),
}


def flag_label(flag: str) -> str:
    """A feasibility flag as its symbol and word: "✓ feasible"; an unknown flag as it is."""
    if flag not in FLAG_STYLE:
        return flag
    _, symbol, words = FLAG_STYLE[flag]
    return f"{symbol} {words.lower()}"


SPARKLINE_CONFIG = {"displayModeBar": False, "staticPlot": True}
CHART_CONFIG = {"displayModeBar": False}
FONT = {"family": "Source Sans Pro, Arial, sans-serif", "color": INK}


def layout(fig: go.Figure, *, height: int, title: str | None = None) -> go.Figure:
    """The base look of a page's figure: white, a left-aligned title, the legend below."""
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        title={"text": title, "x": 0, "font": {"size": 16}} if title else None,
        font=FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "y": -0.18, "x": 0},
        hoverlabel={"bgcolor": "white"},
    )
    fig.update_xaxes(showgrid=False, linecolor=LIGHT_GREY)
    fig.update_yaxes(gridcolor="#EEEEEE", zeroline=False)
    return fig
