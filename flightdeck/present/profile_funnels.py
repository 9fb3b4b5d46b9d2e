"""The problem profile's comparison page: the force against its peer group or every force, as
funnels side by side (`funnel_chart.funnel_figure`, the force ringed, its own case-data figure
beside its published one), each with the limits drawn and every force outside them in words
(`funnel_words`), and the forces not compared with why."""

import textwrap

import plotly.graph_objects as go

from flightdeck.present import funnel_chart, funnel_words
from flightdeck.present import profile_pages as pages
from flightdeck.present.profile_comparison import ComparisonPart

HALF = 500
# The printed height of a funnel with its legend of up to nine entries (the legend is drawn at
# the figure's foot, so it takes the plot's room, never the axis title's); taller, the page's
# captions run onto a page of their own.
TALL = 370


def section(anchor: str, heading: str, part: ComparisonPart | None, missing: str, draw) -> str:
    """The comparison's page: its funnels side by side, what each says in words, the forces
    not compared; `missing` says why there is no comparison when `part` is None. `draw` turns a
    figure into HTML at a width and height."""
    if part is None:
        return pages.section(anchor, heading, pages.lead(missing))
    shown, words = [], []
    drawn = [f for f in part.funnels if f.result is not None]
    # The forces not compared are usually the same for every funnel: said once, not twice.
    once = len(drawn) > 1 and all(f.not_compared == drawn[0].not_compared for f in drawn)
    for f in part.funnels:
        if f.result is None:
            shown.append(
                f"<h3>{pages.esc(f.heading)}</h3><p class='nochart'>{pages.esc(f.reason)}</p>"
            )
            continue
        shown.append(f"<h3>{pages.esc(f.heading)}</h3>{draw(figure(part, f), HALF, TALL)}")
        words.append(caption_html(part, f, with_not_compared=not once))
    if once:
        words.append(pages.not_compared_text(part.names, drawn[0].not_compared))
    return pages.section(
        anchor, heading, pages.lead(intro(part)), pages.pair(*padded(shown), (HALF, HALF)), *words
    )


def padded(shown: list[str]) -> list[str]:
    return (shown + ["", ""])[:2]


def figure(part: ComparisonPart, f) -> go.Figure:
    """One funnel of the comparison: the force ringed, its own case-data figure beside its
    published one where it has both."""
    fig = funnel_chart.funnel_figure(f.result, part.names, part.focus, "", f.direction, f.scale)
    if f.own is not None:
        name = part.names.get(part.focus, part.focus)
        funnel_chart.add_own_figure(fig, f.own[0], f.own[1], name, f.scale)
    fig.update_layout(
        title=None,
        margin={"l": 60, "r": 15, "t": 28, "b": 60},
        legend={
            "orientation": "h",
            "yref": "container",
            "yanchor": "bottom",
            "y": 0,
            "font": {"size": 9},
        },
    )
    # A long axis title on two lines: on one, "per 100,000 people" ran past the plot's height.
    title = fig.layout.yaxis.title.text or ""
    fig.update_yaxes(title_text="<br>".join(textwrap.wrap(title, 24)))
    # A force's name above its marker at the top of the plot is drawn whole, in the margin.
    fig.update_traces(cliponaxis=False, selector={"type": "scatter"})
    return fig


def caption_html(part: ComparisonPart, f, *, with_not_compared: bool = True) -> str:
    """What the funnel shows in words: the limits drawn, the forces outside them, and (unless
    said once for all the funnels) the forces not compared with why."""
    said = outside_words(f.result, part.names, f.direction)
    left_out = pages.not_compared_text(part.names, f.not_compared) if with_not_compared else ""
    return (
        f"<p class='caption'><b>{pages.esc(f.heading)}:</b> "
        f"{pages.esc(first_sentence(funnel_words.limits_drawn(f.result)))} "
        f"{pages.esc(said)}</p>" + left_out
    )


def intro(part: ComparisonPart) -> str:
    """How to read the comparison, before its funnels."""
    return (
        f"{part.title}, over {part.period}. Each dot is a force; the limits narrow as forces "
        "grow. Colour means better or worse only outside a limit, and recorded crime is a "
        "context measure, never better or worse. About one force in 20 lies outside the 95 % "
        "limits by chance alone; before reading a difference as performance, rule out "
        f"{funnel_words.OTHER_REASONS}. " + part.note
    )


def first_sentence(text: str) -> str:
    """The limits' heading sentence without its markdown stars (the rest is in docs)."""
    return text.replace("**", "").split(". ")[0].rstrip(".") + "."


def outside_words(result, names: dict, direction: str) -> str:
    """The forces outside each limit, in one sentence per limit, with better or worse only for
    a KPI with a direction (`funnel_words.verdict`)."""
    out = []
    for level, words in (("998", "99.8 %"), ("95", "95 %")):
        listed = []
        for r in result.points.sort_values("value", ascending=False).itertuples():
            side, _, found = r.position.partition("_")
            if found != level:
                continue
            kind = funnel_words.verdict(r.position, direction)
            said = side if kind == funnel_words.NEUTRAL else f"{side}, {kind}"
            listed.append(f"{names.get(r.force, r.force)} ({said})")
        if listed:
            out.append(f"Outside the {words} limits: {', '.join(listed)}.")
    return " ".join(out) or "Every force is within the 95 % limits."
