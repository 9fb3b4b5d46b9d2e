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


def breakdown_bars(
    frame: pd.DataFrame,
    *,
    label: str,
    unit: str,
    title: str,
    mean_of: int | None = None,
    noun: str = "crimes",
) -> go.Figure:
    """Horizontal bars of one breakdown (columns `label`, value, numerator, denominator), the
    counts behind each rate written beside the bar. `mean_of`: the counts are means over that
    many month ends (a snapshot), and the text says so ("on average 295 of 972 open crimes at
    a month end"); `noun` is what they count."""
    frame = frame.copy()
    text = [
        cell_text(r.value, r.numerator, r.denominator, unit, mean_of=mean_of, noun=noun)
        for r in frame.itertuples()
    ]
    fig = go.Figure(
        go.Bar(
            x=frame["value"],
            y=frame[label],
            orientation="h",
            marker_color=BLUE,
            text=[t.replace("<br>", "  ") for t in text],
            textposition="outside",
            cliponaxis=False,
            hovertemplate="%{y}: %{text}" + _mean_note(mean_of) + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(**axis_format(unit), rangemode="tozero", title=axis_title(unit, noun))
    layout(fig, height=90 + 32 * max(len(frame), 1), title=title)
    # Room for the text beside the longest bar (the longer words of a mean need more).
    longest = max((len(t) for t in text), default=0)
    fig.update_layout(margin={"r": 110 if mean_of is None else max(110, 7 * longest)})
    return fig


def cell_text(
    value,
    numerator,
    denominator,
    unit: str,
    *,
    mean_of: int | None = None,
    noun: str = "crimes",
    short: bool = False,
) -> str:
    """A cell's value and the counts behind it ("45.0%<br>9 of 20"); for means over
    `mean_of` month ends, "30.4%<br>on average 295.3 of 972 open crimes at a month end"
    (`short`: "30.4%<br>on average<br>295.3 of 972", for a narrow cell)."""
    shown = format_value(value, unit)
    has_denominator = denominator == denominator and bool(denominator)
    if mean_of is not None:
        if is_fraction(unit) and has_denominator:
            num = 0 if numerator != numerator else numerator
            of = f"{mean_count(num)} of {mean_count(denominator)}"
            if short:
                return f"{shown}<br>on average<br>{of}"
            return f"{shown}<br>on average {of} {noun} at a month end"
        return f"on average<br>{shown}" if short else f"on average {shown} at a month end"
    if is_fraction(unit) and has_denominator:
        num = 0 if numerator != numerator else numerator
        return f"{shown}<br>{num:,.0f} of {denominator:,.0f}"
    if unit == "days" and has_denominator:
        return f"{shown}<br>of {counted(denominator)}"
    return shown


def _mean_note(mean_of: int | None) -> str:
    if mean_of is None:
        return ""
    return f" (mean of {mean_of} month end{'' if mean_of == 1 else 's'})"


def mean_count(n: float) -> str:
    """A mean count as read: whole when it is whole to one decimal (295), else one decimal
    (295.3)."""
    rounded = round(float(n), 1)
    return f"{rounded:,.0f}" if rounded.is_integer() else f"{rounded:,.1f}"


def age_gender_heatmap(
    frame: pd.DataFrame,
    *,
    unit: str,
    title: str,
    mean_of: int | None = None,
    noun: str = "crimes",
) -> go.Figure:
    """Age band x gender (columns age_band, gender, value, numerator, denominator), each cell
    showing the value and the counts behind it (means over `mean_of` month ends said as
    such); empty cells had no crimes."""
    present_ages = [a for a in AGE_BANDS if a in set(frame["age_band"])]
    present_genders = [g for g in GENDERS if g in set(frame["gender"])]
    cells = frame.set_index(["age_band", "gender"])
    z, text, full = [], [], []
    for age in present_ages:
        z_row, t_row, f_row = [], [], []
        for gender in present_genders:
            if (age, gender) in cells.index:
                r = cells.loc[(age, gender)]
                z_row.append(r["value"])
                counts = (r["value"], r["numerator"], r["denominator"], unit)
                # A cell is narrow: a mean's words are cut short (the hover has them all).
                t_row.append(cell_text(*counts, mean_of=mean_of, noun=noun, short=True))
                f_row.append(cell_text(*counts, mean_of=mean_of, noun=noun))
            else:
                z_row.append(None)
                t_row.append("")
                f_row.append("")
        z.append(z_row)
        text.append(t_row)
        full.append(f_row)
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=present_genders,
            y=present_ages,
            text=text,
            customdata=full,
            texttemplate="%{text}",
            colorscale=LIGHT_SEQUENTIAL,
            hoverongaps=False,
            xgap=2,
            ygap=2,
            textfont={"color": INK},
            colorbar={"tickformat": ".0%" if is_fraction(unit) else ",~r", "thickness": 12},
            hovertemplate="%{y}, %{x}: %{customdata}" + _mean_note(mean_of) + "<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category", title="Victim age")
    fig.update_xaxes(type="category", title="Victim gender", side="top")
    row = 42 if mean_of is None else 58  # a mean's cell has three lines
    return layout(fig, height=90 + row * max(len(present_ages), 1), title=title)
