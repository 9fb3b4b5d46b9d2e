"""The SPC verdict of one month for a tile, a matrix row or a pack page: the signal in words,
its assessment, the variation icon and, with a target, the assurance icon and its words."""

from dataclasses import dataclass

import pandas as pd

from flightdeck.present import analysis, formatting
from flightdeck.stats import spc, spc_icons, spc_words

_ASSURANCE = {
    spc_icons.CONSISTENT_PASS: "the process will consistently meet it",
    spc_icons.CONSISTENT_FAIL: "the process will consistently miss it unless something changes",
    spc_icons.INCONSISTENT: "hit and miss: the target lies within the process limits",
}


def assurance_words(reading: analysis.KpiAnalysis) -> str:
    """ "Target 60 %: hit and miss ..." for a reading with an assurance icon, else "".

    The verdict reads the latest baseline's limits. When the latest month is itself a signal,
    the process may have moved away from them (a sustained shift, say), so the words say so and
    how to judge the target against the new process: record a change point."""
    if reading.assurance is None:
        return ""
    target = formatting.format_value(reading.target, reading.unit)
    words = f"Target {target}: {_ASSURANCE[reading.assurance]}"
    if reading.variation not in (None, spc_icons.COMMON_CAUSE):
        words += (
            " (judged against limits set before the latest signal; if the change is sustained, "
            "a change point gives limits of the new process)"
        )
    return words


@dataclass(frozen=True)
class Verdict:
    words: str
    assessment: str | None
    variation: str | None
    assurance: str | None
    assurance_words: str


def spc_verdict(
    series: pd.DataFrame,
    month: pd.Timestamp,
    kpi,
    *,
    change_points=(),
    target: float | None = None,
    options: spc.Options | None = None,
) -> Verdict:
    """The SPC reading of the month (the series as known up to it): its signal in words, its
    assessment and icons. A month in the warm-up or without two analysed months has none."""
    reading = analysis.analyse_series(
        series, kpi, until=month, change_points=change_points, target=target, options=options
    )
    if reading.last_month is None or reading.last_month != pd.Timestamp(month):
        if reading.warmup_end is not None and pd.Timestamp(month) < reading.warmup_end:
            words = f"Warm-up month: the first {reading.warmup} months are not analysed"
        else:
            words = "Not enough complete months for a signal"
        return Verdict(words, None, None, None, "")
    if reading.analysis.limits is None:
        return Verdict("Not enough complete months for a signal", None, None, None, "")
    words, assessment = spc_words.latest_words(reading.analysis, reading.labels)
    return Verdict(
        words, assessment, reading.variation, reading.assurance, assurance_words(reading)
    )
