"""Plotly figures for the pages: data in, figure out, nothing read from anywhere else.

Colours are the Okabe-Ito palette, safe for colour-blind readers, and meaning is never carried by
colour alone: signals also differ in marker shape, and incomplete months are hollow, dashed and
labelled. Fractions are shown as percentages.
"""

import math

import pandas as pd
import plotly.graph_objects as go

from flightdeck import spc

# Okabe-Ito colours and what they mean on every page.
BLUE = "#0072B2"  # improvement
ORANGE = "#E69F00"  # concern
PURPLE = "#CC79A7"  # a signal on a measure that is context only
GREY = "#7F7F7F"  # common-cause variation, the ordinary run of the data
LIGHT_GREY = "#BBBBBB"
SKY = "#56B4E9"
INK = "#222222"
ASSESSMENT_COLOURS = {spc.IMPROVEMENT: BLUE, spc.CONCERN: ORANGE, spc.NEUTRAL: PURPLE}
ASSESSMENT_SYMBOLS = {spc.IMPROVEMENT: "diamond", spc.CONCERN: "square", spc.NEUTRAL: "circle"}
# A sequential scale readable in colour blindness and in greyscale.
SEQUENTIAL = "Cividis"
# Light to mid blue, for grids whose cells carry dark text (readable at both ends).
LIGHT_SEQUENTIAL = [[0.0, "#F2F7FB"], [1.0, "#4A9FD8"]]

AGE_BANDS = ["0-12", "13-15", "16-17", "18-24", "25-34", "35-44", "45-54", "55+", "Unknown"]
GENDERS = ["Female", "Male", "Other", "Unknown"]
FLAG_ORDER = ["feasible", "partial", "not_feasible"]
FLAG_STYLE = {  # colour, symbol and words for each feasibility flag
    "feasible": (SKY, "✓", "Feasible"),
    "partial": (ORANGE, "◐", "Partial"),
    "not_feasible": (LIGHT_GREY, "✗", "Not feasible"),
}
SPARKLINE_CONFIG = {"displayModeBar": False, "staticPlot": True}
CHART_CONFIG = {"displayModeBar": False}
_FONT = {"family": "Source Sans Pro, Arial, sans-serif", "color": INK}


def is_fraction(unit: str) -> bool:
    return unit in {"fraction", "rate", "share", "%"}


def format_value(value: float | None, unit: str) -> str:
    """A value as a board member reads it: 41.2%, 87 days, 312 crimes, 5.4 cases per FTE."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return "n/a"
    if is_fraction(unit):
        return f"{value:.1%}"
    if unit == "days":
        return f"{value:,.0f} days" if value != 1 else "1 day"
    if float(value).is_integer():
        return f"{value:,.0f} {_unit_for(value, unit)}".strip()
    return f"{value:,.1f} {unit}".strip()


def _unit_for(n: float, unit: str) -> str:
    """A plain plural unit (crimes, suspects) in the singular for exactly one."""
    return unit.removesuffix("s") if abs(n) == 1 and " " not in unit else unit


def format_change(change: float, unit: str) -> str:
    """A signed change: +2.1 pts for fractions (percentage points), +12 days, -3 crimes."""
    if is_fraction(unit):
        return f"{change * 100:+.1f} pts"
    if unit == "days" and abs(change) == 1:
        return f"{change:+,.0f} day"
    if float(change).is_integer():
        return f"{change:+,.0f}" + (f" {_unit_for(change, unit)}" if unit else "")
    return f"{change:+,.1f}" + (f" {unit}" if unit else "")


def direction_words(direction: str) -> str:
    return {
        "up": "Higher is better",
        "down": "Lower is better",
    }.get(direction, "Neither higher nor lower is better: context")


def counted(n: float, noun: str = "crimes") -> str:
    """A count with its noun, singular for one: "1 crime", "40 crimes", "2.5 investigators"."""
    shown = f"{n:,.0f}" if float(n).is_integer() else f"{n:,.1f}"
    return f"{shown} {noun.removesuffix('s') if n == 1 else noun}"


def axis_title(unit: str, noun: str = "crimes") -> str:
    """The value axis in words with its unit: "% of crimes", "Days (median)", "Crimes"."""
    if is_fraction(unit):
        return f"% of {noun}"
    return {
        "days": "Days (median)",
        "cases per FTE": "Open cases per investigator",
    }.get(unit, unit.capitalize())


# What places a crime (or a count) in a month, by the words of a KPI's `basis`, most specific
# first: the first fragment found in the basis gives the month axis its title.
_MONTH_AXIS = (
    ("charge", "Month of charge"),
    ("outcome", "Month of outcome"),
    ("snapshot", "Month end"),
    ("first contact", "Month of first contact"),
    ("cps decision", "Month of CPS decision"),
    ("cps referral", "Month of referral"),
    ("civil order", "Month of application"),
    ("device seized", "Month seized"),
    ("recorded", "Month recorded"),
    ("workforce", "Month"),
)


def month_axis_title(basis: str) -> str:
    """The month axis in words for a KPI's basis: what puts a crime in a month.

    "median by charge event date" -> "Month of charge", "outcome-based" -> "Month of outcome",
    "snapshot at month end" -> "Month end", "cohort of crimes recorded in the month" -> "Month
    recorded"; a basis not recognised (or workforce) -> "Month".
    """
    words = basis.lower()
    return next((title for fragment, title in _MONTH_AXIS if fragment in words), "Month")


def _axis_format(unit: str) -> dict:
    return {"tickformat": ".0%"} if is_fraction(unit) else {"tickformat": ",~r"}


def _hover_value(unit: str) -> str:
    return "%{y:.1%}" if is_fraction(unit) else "%{y:,.1f}"


def _layout(fig: go.Figure, *, height: int, title: str | None = None) -> go.Figure:
    fig.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 50 if title else 10, "b": 10},
        title={"text": title, "x": 0, "font": {"size": 16}} if title else None,
        font=_FONT,
        plot_bgcolor="white",
        paper_bgcolor="white",
        legend={"orientation": "h", "y": -0.18, "x": 0},
        hoverlabel={"bgcolor": "white"},
    )
    fig.update_xaxes(showgrid=False, linecolor=LIGHT_GREY)
    fig.update_yaxes(gridcolor="#EEEEEE", zeroline=False)
    return fig


def sparkline(series: pd.DataFrame, unit: str) -> go.Figure:
    """A small line of the last months (columns month, value, complete): complete months
    joined in grey, the latest complete month marked, incomplete months hollow."""
    # Built from one dict in one constructor: 21 of these are drawn on every flight-deck rerun,
    # and plotly's per-call validation would otherwise dominate the page's time.
    done = series[series["complete"] & series["value"].notna()]
    open_ = series[~series["complete"] & series["value"].notna()]
    traces = [
        {"type": "scatter", "x": list(done["month"]), "y": list(done["value"]), "mode": "lines",
         "line": {"color": GREY, "width": 2}, "hoverinfo": "skip"},
    ]  # fmt: skip
    if len(done):
        traces.append(
            {"type": "scatter", "x": [done["month"].iloc[-1]], "y": [done["value"].iloc[-1]],
             "mode": "markers", "marker": {"color": INK, "size": 6}, "hoverinfo": "skip"}
        )  # fmt: skip
    if len(open_):
        traces.append(
            {"type": "scatter", "x": list(open_["month"]), "y": list(open_["value"]),
             "mode": "markers", "hoverinfo": "skip",
             "marker": {"color": "white", "size": 6, "line": {"color": GREY, "width": 1.5}}}
        )  # fmt: skip
    layout = {
        "height": 60, "margin": {"l": 0, "r": 0, "t": 2, "b": 2}, "showlegend": False,
        "plot_bgcolor": "white", "paper_bgcolor": "white", "xaxis": {"visible": False},
        "yaxis": {"visible": False, **_axis_format(unit)},
    }  # fmt: skip
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
            hovertemplate="%{x|%b %Y}: " + _hover_value(unit) + "%{customdata}<extra></extra>",
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
                    hovertemplate="%{x|%b %Y}: "
                    + _hover_value(unit)
                    + f" ({label})<extra></extra>",
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
                + _hover_value(unit)
                + " so far (incomplete)<extra></extra>",
            )
        )
    limits = analysis.limits
    if limits is not None and len(done):
        start, end = analysis.baseline
        x0, x1 = done["month"].iloc[start], done["month"].iloc[end - 1]
        fig.add_vrect(
            x0=x0, x1=x1, fillcolor=SKY, opacity=0.08, line_width=0, layer="below",
            annotation_text=f"baseline: {end - start} months", annotation_position="top left",
            annotation_font={"size": 11, "color": GREY},
        )  # fmt: skip
        for y, name, dash in (
            (limits.mean, "Average", "solid"),
            (limits.upper, "Upper limit", "dash"),
            (limits.lower, "Lower limit", "dash"),
        ):
            fig.add_hline(
                y=y, line={"color": INK if dash == "solid" else GREY, "width": 1, "dash": dash},
                annotation_text=f"{name} {format_value(y, unit)}", annotation_position="right",
                annotation_font={"size": 11, "color": GREY},
            )  # fmt: skip
        # Lines drawn with add_hline have no legend entry: these empty traces explain them.
        for words, colour, dash in (
            ("Average (over the baseline)", INK, "solid"),
            ("Control limits (average ± 2.66 × average monthly change)", GREY, "dash"),
        ):
            fig.add_trace(go.Scatter(x=[None], y=[None], mode="lines", name=words,
                                     line={"color": colour, "width": 1, "dash": dash}))  # fmt: skip
    if chosen is not None and len(series):
        fig.add_vline(x=pd.Timestamp(chosen), line={"color": LIGHT_GREY, "width": 1})
    fig.update_yaxes(title=axis_title(unit, noun), rangemode="tozero", **_axis_format(unit))
    fig.update_xaxes(title=month_title, dtick="M3", tickformat="%b %Y")
    _layout(fig, height=460, title=title)
    fig.update_layout(margin={"r": 170}, legend={"orientation": "h", "y": -0.22})
    return fig


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
    fig.update_xaxes(**_axis_format(unit), rangemode="tozero", title=axis_title(unit))
    _layout(fig, height=90 + 32 * max(len(frame), 1), title=title)
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
            z=z, x=present_genders, y=present_ages, text=text, texttemplate="%{text}",
            colorscale=LIGHT_SEQUENTIAL, hoverongaps=False, xgap=2, ygap=2,
            textfont={"color": INK},
            colorbar={"tickformat": ".0%" if is_fraction(unit) else ",~r", "thickness": 12},
            hovertemplate="%{y}, %{x}: %{text}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category", title="Victim age")
    fig.update_xaxes(type="category", title="Victim gender", side="top")
    return _layout(fig, height=90 + 42 * max(len(present_ages), 1), title=title)


def feasibility_matrix(
    frame: pd.DataFrame, kpi_names: dict[str, str], force_names: dict[str, str] | None = None
) -> go.Figure:
    """KPI x force grid of computed flags (columns force, kpi_id, flag, declared_status):
    colour and symbol for the flag, the declared status written in the cell."""
    kpis = sorted(frame["kpi_id"].unique())
    forces = sorted(frame["force"].unique())
    cells = frame.set_index(["kpi_id", "force"])
    levels = {flag: i for i, flag in enumerate(FLAG_ORDER)}
    z, text, hover = [], [], []
    for kpi in kpis:
        z_row, t_row, h_row = [], [], []
        for force in forces:
            if (kpi, force) not in cells.index:
                z_row.append(None)
                t_row.append("")
                h_row.append("")
                continue
            r = cells.loc[(kpi, force)]
            _, symbol, words = FLAG_STYLE.get(r["flag"], (GREY, "?", r["flag"]))
            declared = r.get("declared_status") or ""
            z_row.append(levels.get(r["flag"], 2))
            t_row.append(f"{symbol} {declared.replace('_', ' ')}".strip())
            h_row.append(f"{words}. {r.get('reason', '')}. Declared: {declared or 'none'}")
        z.append(z_row)
        text.append(t_row)
        hover.append(h_row)
    colours = [FLAG_STYLE[f][0] for f in FLAG_ORDER]
    scale = [[0, colours[0]], [0.33, colours[0]], [0.34, colours[1]], [0.66, colours[1]],
             [0.67, colours[2]], [1, colours[2]]]  # fmt: skip
    fig = go.Figure(
        go.Heatmap(
            z=z, x=[(force_names or {}).get(f, f) for f in forces],
            y=[f"{k} {kpi_names.get(k, '')}" for k in kpis], text=text,
            customdata=hover, texttemplate="%{text}", textfont={"size": 10, "color": INK},
            zmin=0, zmax=2,
            colorscale=scale, showscale=False, xgap=2, ygap=2,
            hovertemplate="%{y} / %{x}<br>%{customdata}<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top", tickangle=-30)
    return _layout(fig, height=120 + 26 * len(kpis))


def completeness_heatmap(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Share of crimes with each optional column filled in (columns column, month, share),
    column x month; an absent column shows 0 %."""
    pivot = frame.pivot_table(index="column", columns="month", values="share", aggfunc="first")
    pivot = pivot.reindex(sorted(pivot.index))
    fig = go.Figure(
        go.Heatmap(
            z=pivot.to_numpy(), x=list(pivot.columns), y=list(pivot.index), zmin=0, zmax=1,
            colorscale=SEQUENTIAL, xgap=1, ygap=1,
            colorbar={"tickformat": ".0%", "title": {"text": "filled"}, "thickness": 12},
            hovertemplate="%{y}, %{x|%b %Y}: %{z:.0%} filled in<extra></extra>",
        )
    )  # fmt: skip
    fig.update_yaxes(autorange="reversed", type="category")
    return _layout(fig, height=120 + 22 * len(pivot.index), title=title)
