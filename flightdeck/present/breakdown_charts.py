"""Breakdowns of one KPI by victim age band and gender: bars with the counts behind each
figure, and the age band x gender grid. Empty cells had no crimes."""

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present.formatting import (
    axis_format,
    axis_title,
    counted,
    format_value,
    is_fraction,
)
from flightdeck.present.style import BLUE, INK, LIGHT_SEQUENTIAL, layout
from flightdeck.vocabulary import AGE_BANDS, GENDERS


def breakdown_bars(frame: pd.DataFrame, *, label: str, unit: str, title: str) -> go.Figure:
    """Horizontal bars of one breakdown (columns `label`, value, numerator, denominator), the
    counts behind each rate written beside the bar."""
    frame = frame.copy()
    text = [_cell_text(r.value, r.numerator, r.denominator, unit) for r in frame.itertuples()]
    fig = go.Figure(
        go.Bar(
            x=frame["value"],
            y=frame[label],
            orientation="h",
            marker_color=BLUE,
            text=[t.replace("<br>", "  ") for t in text],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(**axis_format(unit), rangemode="tozero", title=axis_title(unit))
    layout(fig, height=90 + 32 * max(len(frame), 1), title=title)
    fig.update_layout(margin={"r": 110})
    return fig


def _cell_text(value, numerator, denominator, unit: str) -> str:
    shown = format_value(value, unit)
    if is_fraction(unit) and denominator == denominator and denominator:
        num = 0 if numerator != numerator else numerator
        return f"{shown}<br>{num:,.0f} of {denominator:,.0f}"
    if unit == "days" and denominator == denominator and denominator:
        return f"{shown}<br>of {counted(denominator)}"
    return shown


def age_gender_heatmap(frame: pd.DataFrame, *, unit: str, title: str) -> go.Figure:
    """Age band x gender (columns age_band, gender, value, numerator, denominator), each cell
    showing the value and the counts behind it; empty cells had no crimes."""
    present_ages = [a for a in AGE_BANDS if a in set(frame["age_band"])]
    present_genders = [g for g in GENDERS if g in set(frame["gender"])]
    cells = frame.set_index(["age_band", "gender"])
    z, text = [], []
    for age in present_ages:
        z_row, t_row = [], []
        for gender in present_genders:
            if (age, gender) in cells.index:
                r = cells.loc[(age, gender)]
                z_row.append(r["value"])
                t_row.append(_cell_text(r["value"], r["numerator"], r["denominator"], unit))
            else:
                z_row.append(None)
                t_row.append("")
        z.append(z_row)
        text.append(t_row)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=present_genders,
            y=present_ages,
            text=text,
            texttemplate="%{text}",
            colorscale=LIGHT_SEQUENTIAL,
            hoverongaps=False,
            xgap=2,
            ygap=2,
            textfont={"color": INK},
            colorbar={"tickformat": ".0%" if is_fraction(unit) else ",~r", "thickness": 12},
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", title="Victim age")
    fig.update_xaxes(type="category", title="Victim gender", side="top")
    return layout(fig, height=90 + 42 * max(len(present_ages), 1), title=title)
