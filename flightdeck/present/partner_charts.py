"""Partner agencies' monthly counts beside the police figure they relate to, as one chart: the
police line dark, each partner measure a grey or sky-blue line with its own dash. The two count
different things (a SARC sees people who never report to the police; an ISVA service takes
referrals from elsewhere too), so the chart sets them side by side and never subtracts,
divides or colours one against the other."""

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present import style

PARTNER_STYLES = ((style.SKY, "dash"), (style.GREY, "dot"), (style.LIGHT_GREY, "dashdot"))


def beside_figure(
    police: pd.DataFrame, police_label: str, partners: pd.DataFrame, height: int = 340
) -> go.Figure:
    """police: month, figure (the KPI's monthly count); partners: partner, title, month, count
    (`partners.figures.partner_totals`). One line each, on one count axis."""
    fig = go.Figure()
    fig.add_scatter(
        x=police["month"],
        y=police["figure"],
        name=police_label,
        mode="lines+markers",
        line={"color": style.INK, "width": 2.5},
        marker={"size": 6},
    )
    measures = partners.groupby(["partner", "title"], sort=False)
    for i, ((partner, title), part) in enumerate(measures):
        colour, dash = PARTNER_STYLES[i % len(PARTNER_STYLES)]
        fig.add_scatter(
            x=part["month"],
            y=part["count"],
            name=f"{title} ({partner})",
            mode="lines+markers",
            line={"color": colour, "width": 2, "dash": dash},
            marker={"size": 5, "symbol": "square"},
        )
    fig.update_layout(
        height=height,
        margin={"l": 60, "r": 20, "t": 10, "b": 40},
        font=style.FONT,
        plot_bgcolor="white",
        legend={"orientation": "h", "y": -0.18},
        yaxis={"title": "Count in the month", "rangemode": "tozero", "gridcolor": "#eee"},
        xaxis={"title": None},
        hovermode="x unified",
    )
    return fig
