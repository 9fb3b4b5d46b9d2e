"""The problem profile's printed funnels: drawn whole at their print size (a long axis title, a
name at the top of the plot and a legend of many entries each keep their room)."""

import pandas as pd

from flightdeck.present import profile_funnels
from flightdeck.present.funnel_chart import Scale
from flightdeck.present.profile_comparison import ComparisonPart, FunnelPart
from flightdeck.stats.funnel import RATE, funnel

NAMES = {"a": "Ayshire", "b": "Beeshire", "c": "Ceeshire", "d": "Deeshire"}


def part() -> ComparisonPart:
    # Rates per head: d's 300 crimes in 1,000,000 people is far above the others' 200.
    frame = pd.DataFrame(
        {
            "force": ["a", "b", "c", "d"],
            "numerator": [200.0, 210.0, 190.0, 300.0],
            "denominator": [1_000_000.0, 1_000_000.0, 1_000_000.0, 1_000_000.0],
        }
    )
    scale = Scale(
        factor=100_000,
        percent=False,
        y_title="Crimes recorded per 100,000 people",
        x_title="Population (log scale)",
    )
    shown = FunnelPart("K01", funnel(frame, measure=RATE), scale, "neutral")
    return ComparisonPart("Against its peers", "the 12 months", "a", NAMES, [shown])


def test_a_printed_funnel_keeps_its_titles_names_and_legend_apart():
    p = part()
    fig = profile_funnels.figure(p, p.funnels[0])
    # The y title, 34 characters, on two lines: on one it ran past a 370-pixel chart's plot.
    lines = fig.layout.yaxis.title.text.split("<br>")
    assert lines == ["Crimes recorded per", "100,000 people"]
    # The legend sits at the foot of the figure, below the x axis title, never over it.
    assert fig.layout.legend.yref == "container" and fig.layout.legend.y == 0
    assert fig.layout.legend.yanchor == "bottom"
    # A name written above a marker at the top of the plot is drawn whole, not cut at the axis.
    scatters = [t for t in fig.data if t.type == "scatter"]
    assert scatters and all(t.cliponaxis is False for t in scatters)
