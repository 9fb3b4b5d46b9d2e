"""The problem profile's charts, for its Streamlit page and (print-sized) its document: victims
by age band and gender as a population pyramid, recorded volumes against the previous 12
months, outcomes of each cohort year as curves over the days since report and each month's
crimes as charged, other outcome or still open, and how complete the ethnicity recorded is.

None of these is a judgement, so none uses the colours that mean better or worse (blue,
orange): the product's neutral greys and sky blue, told apart also by pattern, dash and words.
A count hidden for small numbers (None, with `<col>_hidden` beside it) is drawn as nothing and
named in a note on the chart, never as 0.

The pyramid draws female victims left and male right, youngest at the bottom; victims of other
or unknown gender or unknown age are counted in a line under it (a pyramid has two sides).
"""

import pandas as pd
import plotly.graph_objects as go

from flightdeck.present import style
from flightdeck.vocabulary import AGE_BANDS, OFFENCE_GROUP_WORDS, UNKNOWN

FEMALE, MALE = "Female", "Male"
SIDE_COLOURS = {FEMALE: style.SKY, MALE: style.GREY}
CURRENT, PREVIOUS = style.SKY, style.LIGHT_GREY
CHARGED, OTHER_OUTCOME, OPEN = "#4D4D4D", style.LIGHT_GREY, "#FFFFFF"
SUPPRESSED = "suppressed"
NOTE_FONT = {"size": 12, "color": "#444"}
NOTE = {"xref": "paper", "yref": "paper", "x": 0, "xanchor": "left", "yanchor": "top"}
NOTE |= {"showarrow": False, "align": "left", "font": NOTE_FONT}
MEASURES = {
    "charged": ("charged_share", "Share charged or summonsed"),
    "outcome": ("outcome_share", "Share with any outcome"),
}


def hidden(row, column: str) -> bool:
    """Whether `row`'s `column` is a count hidden for small numbers (or blank)."""
    flag = row.get(f"{column}_hidden", False) if hasattr(row, "get") else False
    value = row.get(column, None)
    return bool(flag) or value is None or pd.isna(value)


def _note(fig: go.Figure, text: str, y: float = -0.2) -> None:
    if text:
        fig.add_annotation(text=text, y=y, **NOTE)


def pyramid_note(pyramid: pd.DataFrame) -> str:
    """The line under the pyramid: victims it does not draw (other or unknown gender, unknown
    age) and the cells suppressed (drawn as no bar)."""
    outside = []
    for label, part in (
        ("other gender", pyramid[~pyramid["gender"].isin([FEMALE, MALE, UNKNOWN])]),
        ("unknown gender", pyramid[pyramid["gender"] == UNKNOWN]),
        (
            "unknown age",
            pyramid[(pyramid["age_band"] == UNKNOWN) & pyramid["gender"].isin([FEMALE, MALE])],
        ),
    ):
        shown = part[[not hidden(r, "crimes") for _, r in part.iterrows()]]
        words = f"{label}: {shown['crimes'].sum():,.0f}"
        if len(shown) < len(part):
            words += " and some suppressed"
        outside.append(words)
    text = "Not drawn: " + "; ".join(outside) + "."
    gone = [
        f"{r['age_band']} {r['gender'].lower()}"
        for _, r in pyramid.iterrows()
        if r["gender"] in (FEMALE, MALE) and r["age_band"] != UNKNOWN and hidden(r, "crimes")
    ]
    if gone:
        text += " Suppressed (small numbers), drawn as no bar: " + ", ".join(gone) + "."
    return text


def pyramid_figure(pyramid: pd.DataFrame, height: int = 430, note: bool = True) -> go.Figure:
    """Victims by age band (youngest at the bottom) and gender: female bars to the left, male
    to the right, each bar labelled with its count; what is not drawn is said under it
    (`pyramid_note`; `note=False` leaves it to a caption under the chart)."""
    bands = [b for b in AGE_BANDS if b != UNKNOWN]
    fig = go.Figure()
    largest = 1.0
    for gender, sign in ((FEMALE, -1), (MALE, 1)):
        rows = pyramid[pyramid["gender"] == gender].set_index("age_band")
        counts = [
            None if b not in rows.index or hidden(rows.loc[b], "crimes") else rows.loc[b, "crimes"]
            for b in bands
        ]
        largest = max([largest, *(c for c in counts if c is not None)])
        fig.add_trace(
            go.Bar(
                y=bands,
                x=[None if c is None else sign * c for c in counts],
                orientation="h",
                name=f"{gender} victims",
                marker={"color": SIDE_COLOURS[gender], "line": {"color": style.INK, "width": 0.5}},
                text=[SUPPRESSED if c is None else f"{c:,.0f}" for c in counts],
                textposition="outside",
                cliponaxis=False,
                hovertemplate="%{y}: %{text}<extra>" + gender + "</extra>",
            )
        )
    reach = largest * 1.3
    step = _tick_step(reach)
    ticks = [t * step for t in range(-int(reach // step), int(reach // step) + 1)]
    fig.update_layout(barmode="overlay", bargap=0.15)
    style.layout(fig, height=height)
    fig.update_xaxes(
        range=[-reach, reach],
        tickvals=ticks,
        ticktext=[f"{abs(t):,.0f}" for t in ticks],
        title="← female victims · crimes · male victims →",
        zeroline=True,
        zerolinecolor=style.INK,
    )
    fig.update_yaxes(title="Victim's age band", categoryorder="array", categoryarray=bands)
    fig.update_layout(legend={"y": 1.02, "yanchor": "bottom"}, margin={"t": 40})
    if note:
        fig.update_layout(margin={"b": 110})
        _note(fig, pyramid_note(pyramid), y=-0.22)
    return fig


def _tick_step(reach: float) -> float:
    for step in (1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000, 2000, 5000):
        if reach / step <= 4:
            return step
    return 10_000


def volumes_figure(volumes_by_group: pd.DataFrame, height: int = 380) -> go.Figure:
    """Crimes recorded in the 12 months against the 12 before, per offence group, grouped
    bars labelled with their counts (a suppressed count is named, not drawn)."""
    words = [OFFENCE_GROUP_WORDS.get(g, g) for g in volumes_by_group["offence_group"]]
    fig = go.Figure()
    for column, name, colour in (
        ("previous", "Previous 12 months", PREVIOUS),
        ("current", "Latest 12 months", CURRENT),
    ):
        rows = [r for _, r in volumes_by_group.iterrows()]
        counts = [None if hidden(r, column) else r[column] for r in rows]
        fig.add_trace(
            go.Bar(
                x=words,
                y=counts,
                name=name,
                cliponaxis=False,
                marker={"color": colour, "line": {"color": style.INK, "width": 0.5}},
                text=[SUPPRESSED if c is None else f"{c:,.0f}" for c in counts],
                textposition="outside",
            )
        )
    style.layout(fig, height=height)
    fig.update_layout(barmode="group", legend={"y": -0.15})
    fig.update_yaxes(title="Crimes recorded", rangemode="tozero")
    return fig


# The cohort years drawn: the latest few, each with its own colour and marker shape.
COHORT_YEARS_DRAWN = 4
COHORT_STYLES = ((style.LIGHT_GREY, "square"), (style.GREY, "diamond"),
                 (style.SKY, "triangle-up"), (style.INK, "circle"))  # fmt: skip


def _shade(n: int) -> list[tuple[str, str]]:
    """(colour, marker) for n cohort years, oldest first: the latest year darkest."""
    return list(COHORT_STYLES[-n:]) if n else []


def cohort_figure(curves: pd.DataFrame, measure: str = "charged", height: int = 400) -> go.Figure:
    """One line per cohort year (crimes recorded that year; the latest COHORT_YEARS_DRAWN):
    x the days since report, y the
    share charged (`measure="charged"`) or with any outcome ("outcome"). A point where not
    every crime has been followed that long yet is hollow on a dashed line, so a young
    cohort's low share is read as young, not as fewer charges."""
    column, title = MEASURES[measure]
    fig = go.Figure()
    years = sorted(curves["cohort"].unique())[-COHORT_YEARS_DRAWN:]
    for year, (colour, symbol) in zip(years, _shade(len(years)), strict=True):
        part = curves[curves["cohort"] == year].sort_values("day")
        done = part[part["complete"].astype(bool)]
        young = part[~part["complete"].astype(bool)]
        if not done.empty and not young.empty:  # the dashed line starts where the solid ends
            young = pd.concat([done.tail(1), young])
        for rows, dashed in ((done, False), (young, True)):
            if rows.empty:
                continue
            fig.add_trace(
                go.Scatter(
                    x=rows["day"],
                    y=rows[column],
                    mode="lines+markers",
                    name=f"{year}" + (" (still being followed)" if dashed else ""),
                    legendgroup=str(year),
                    showlegend=not dashed or done.empty,
                    line={"color": colour, "width": 2.5, "dash": "dash" if dashed else "solid"},
                    marker={
                        "color": "white" if dashed else colour,
                        "size": 7,
                        "symbol": f"{symbol}-open" if dashed else symbol,
                        "line": {"color": colour, "width": 2},
                    },
                    hovertemplate=f"{year}, day %{{x}}: %{{y:.1%}}<extra></extra>",
                )
            )
    fig.add_trace(
        go.Scatter(
            x=[None],
            y=[None],
            mode="lines+markers",
            name="Dashed, hollow: not every crime followed this long yet",
            line={"color": style.GREY, "dash": "dash"},
            marker={"symbol": "circle-open", "color": style.GREY},
        )
    )
    style.layout(fig, height=height)
    fig.update_xaxes(title="Days since the crime was reported", rangemode="tozero")
    fig.update_yaxes(title=title, tickformat=".0%", rangemode="tozero")
    return fig


def open_note(cohorts: pd.DataFrame) -> str:
    """The months whose shares are suppressed (drawn as no bar), or ""."""
    whole = cohorts[["charged_share", "outcome_share", "open_share"]].notna().all(axis=1)
    gone = [f"{m:%b %Y}" for m in pd.to_datetime(cohorts.loc[~whole, "month"])]
    return "No bar (a share suppressed, small numbers): " + ", ".join(gone) + "." if gone else ""


def open_figure(cohorts: pd.DataFrame, height: int = 380, note: bool = True) -> go.Figure:
    """Each month's recorded crimes as shares charged, given another outcome and still open,
    stacked to 100 %: open crimes are drawn as open, never read as not charged. A month whose
    shares are suppressed has no bar and is named in the note."""
    months = pd.to_datetime(cohorts["month"])
    labels = [
        f"{m:%b}<br>{m:%Y}" if m.month == 1 or i == 0 else f"{m:%b}" for i, m in enumerate(months)
    ]
    # a month with any share hidden has no bar at all: a part-drawn stack would misread
    whole = cohorts[["charged_share", "outcome_share", "open_share"]].notna().all(axis=1)
    fig = go.Figure()
    for column, name, colour, pattern in (
        ("charged_share", "Charged or summonsed", CHARGED, ""),
        ("other_share", "Another outcome", OTHER_OUTCOME, ""),
        ("open_share", "Still open", OPEN, "/"),
    ):
        if column == "other_share":
            values = cohorts["outcome_share"] - cohorts["charged_share"]
        else:
            values = cohorts[column]
        values = values.where(whole)
        fig.add_trace(
            go.Bar(
                x=labels,
                y=values,
                name=name,
                marker={
                    "color": colour,
                    "line": {"color": style.INK, "width": 0.8},
                    "pattern": {"shape": pattern, "fgcolor": style.GREY},
                },
                hovertemplate="%{x}: %{y:.0%}<extra>" + name + "</extra>",
            )
        )
    style.layout(fig, height=height)
    fig.update_layout(barmode="stack", legend={"y": -0.12}, margin={"b": 70})
    fig.update_yaxes(title="Share of the month's crimes", tickformat=".0%", range=[0, 1])
    fig.update_xaxes(title=None, tickangle=0)
    if note:
        _note(fig, open_note(cohorts), y=-0.25)
    return fig


def ethnicity_completeness_figure(
    by_month: pd.DataFrame, threshold: float, height: int = 340
) -> go.Figure:
    """The share of crimes with the victim's ethnicity recorded, month by month, against the
    threshold below which the profile shows no breakdown (a labelled line)."""
    months = pd.to_datetime(by_month["month"])
    fig = go.Figure(
        go.Scatter(
            x=months,
            y=by_month["share"],
            mode="lines+markers",
            name="Ethnicity recorded",
            line={"color": style.GREY, "width": 2.5},
            marker={"color": style.GREY, "size": 7},
            hovertemplate="%{x|%b %Y}: %{y:.0%}<extra></extra>",
        )
    )
    fig.add_hline(
        y=threshold,
        line={"color": style.INK, "dash": "dash", "width": 1.5},
        annotation_text=f"Threshold {threshold:.0%}: a breakdown needs this much recorded",
        annotation_position="top left",
        annotation_font=NOTE_FONT,
    )
    style.layout(fig, height=height)
    fig.update_yaxes(title="Ethnicity recorded", tickformat=".0%", range=[0, 1.05])
    fig.update_xaxes(title="Month recorded", dtick="M1", tickformat="%b<br>%Y")
    return fig
