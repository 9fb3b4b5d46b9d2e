"""The data-quality pictures: which KPIs each force can compute (the feasibility matrix) and how
complete each optional column is, month by month."""

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present.style import (
    FLAG_ORDER,
    FLAG_STYLE,
    GREY,
    INK,
    SEQUENTIAL,
    flag_label,
    layout,
)


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
    scale = [
        [0, colours[0]],
        [0.33, colours[0]],
        [0.34, colours[1]],
        [0.66, colours[1]],
        [0.67, colours[2]],
        [1, colours[2]],
    ]
    fig = go.Figure(
        go.Heatmap(
            z=z,
            x=[(force_names or {}).get(f, f) for f in forces],
            y=[f"{k} {kpi_names.get(k, '')}" for k in kpis],
            text=text,
            customdata=hover,
            texttemplate="%{text}",
            textfont={"size": 10, "color": INK},
            zmin=0,
            zmax=2,
            colorscale=scale,
            showscale=False,
            xgap=2,
            ygap=2,
            hovertemplate="%{y} / %{x}<br>%{customdata}<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    fig.update_xaxes(type="category", side="top", tickangle=-30)
    return layout(fig, height=120 + 26 * len(kpis))


def completeness_heatmap(frame: pd.DataFrame, *, title: str) -> go.Figure:
    """Share of crimes with each optional column filled in (columns column, month, share),
    column x month; an absent column shows 0 %."""
    pivot = frame.pivot_table(index="column", columns="month", values="share", aggfunc="first")
    pivot = pivot.reindex(sorted(pivot.index))
    fig = go.Figure(
        go.Heatmap(
            z=pivot.to_numpy(),
            x=list(pivot.columns),
            y=list(pivot.index),
            zmin=0,
            zmax=1,
            colorscale=SEQUENTIAL,
            xgap=1,
            ygap=1,
            colorbar={"tickformat": ".0%", "title": {"text": "filled"}, "thickness": 12},
            hovertemplate="%{y}, %{x|%b %Y}: %{z:.0%} filled in<extra></extra>",
        )
    )
    fig.update_yaxes(autorange="reversed", type="category")
    return layout(fig, height=120 + 22 * len(pivot.index), title=title)


def flags_table(
    frame: pd.DataFrame, kpi_names: dict[str, str], force_names: dict[str, str]
) -> pd.DataFrame:
    """Feasibility flags (columns force, kpi_id, flag, reason, declared_status) as people read
    them: the force's name, the KPI with its name, the flag as symbol and word, and the declared
    status in words ("not declared" when the force has declared none)."""

    def declared(value) -> str:
        return str(value).replace("_", " ") if isinstance(value, str) and value else "not declared"

    return pd.DataFrame(
        {
            "Force": [force_names.get(f, f) for f in frame["force"]],
            "KPI": [f"{k} {kpi_names.get(k, '')}".strip() for k in frame["kpi_id"]],
            "From the data": [flag_label(f) for f in frame["flag"]],
            "Why": list(frame["reason"]),
            "Declared to the board": [declared(d) for d in frame["declared_status"]],
        }
    )
