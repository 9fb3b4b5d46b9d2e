"""SPC findings in plain words for a board: each signal with its months, what the icons mean,
and how the rules work."""

from collections.abc import Sequence

from flightdeck.stats.spc import Analysis, Options, Signal, signals_at
from flightdeck.stats.spc_rules import BEYOND_LIMIT, SHIFT, TREND

_ASSESSMENT_WORDS = {"improvement": "an improvement", "concern": "a concern", "neutral": "a change"}


def _span(signal: Signal, labels: Sequence[str]) -> str:
    if signal.length == 1:
        return labels[signal.start]
    return f"{labels[signal.start]} to {labels[signal.end]}"


def describe(signal: Signal, labels: Sequence[str]) -> str:
    """The signal in words, e.g. "7 months in a row above the average (Jan 2024 to Jul 2024):
    an improvement". `labels` name the points (month names)."""
    span = _span(signal, labels)
    high = signal.side == "high"
    if signal.rule == BEYOND_LIMIT:
        text = f"{span} {'above the upper' if high else 'below the lower'} control limit"
    elif signal.rule == SHIFT:
        text = (
            f"{signal.length} months in a row {'above' if high else 'below'} the average ({span})"
        )
    elif signal.rule == TREND:
        text = f"{signal.length} months in a row {'rising' if high else 'falling'} ({span})"
    else:
        where = "upper" if high else "lower"
        text = f"2 of 3 months close to the {where} control limit ({span})"
    return f"{text}: {_ASSESSMENT_WORDS[signal.assessment]}"


def _spans(indexes: Sequence[int], labels: Sequence[str]) -> str:
    """Consecutive indexes as ranges: "Nov 2024; Jan 2025 to Oct 2026"."""
    parts, start = [], None
    for k, i in enumerate(indexes):
        if start is None:
            start = i
        if k + 1 == len(indexes) or indexes[k + 1] != i + 1:
            parts.append(labels[start] if start == i else f"{labels[start]} to {labels[i]}")
            start = None
    return "; ".join(parts)


def summarise(signals: Sequence[Signal], labels: Sequence[str]) -> list[tuple[str, str]]:
    """The signals in words, as (words, assessment), one line per finding, in the order their
    first month appears. Points beyond the same limit are gathered in one line ("Above the
    upper control limit in 20 months (Nov 2024; Jan 2025 to Oct 2026): a concern")."""
    lines: list[tuple[int, str, str]] = []
    beyond: dict[tuple[str, str], list[int]] = {}
    for s in signals:
        if s.rule == BEYOND_LIMIT:
            beyond.setdefault((s.side, s.assessment), []).append(s.start)
        else:
            lines.append((s.start, describe(s, labels), s.assessment))
    for (side, assessment), points in beyond.items():
        points = sorted(points)
        if len(points) == 1:
            only = Signal(BEYOND_LIMIT, points[0], points[0], side, assessment)
            lines.append((points[0], describe(only, labels), assessment))
            continue
        where = "Above the upper" if side == "high" else "Below the lower"
        words = (
            f"{where} control limit in {len(points)} months ({_spans(points, labels)}): "
            f"{_ASSESSMENT_WORDS[assessment]}"
        )
        lines.append((points[0], words, assessment))
    lines.sort(key=lambda line: line[0])
    return [(words, assessment) for _, words, assessment in lines]


def latest_words(analysis: Analysis, labels: Sequence[str]) -> tuple[str, str | None]:
    """(words, assessment) for the last point: its first signal by precedence, or no signal."""
    if not analysis.points:
        return "No complete months to analyse", None
    found = signals_at(analysis, len(analysis.points) - 1)
    if not found:
        return "No signal: ordinary month-to-month variation", None
    return "Signal: " + describe(found[0], labels), found[0].assessment


def rules_explained(options: Options) -> str:
    """How signals are found, in the order a point is labelled, for the pages and the pack."""
    return (
        "A month is labelled by the first of these that applies: **beyond a control limit** "
        "(strictly above the upper or below the lower limit); **a trend**: "
        f"{options.trend_points} or more months in a row each higher (or each lower) than the "
        "one before (an equal value ends a trend); **two of three** consecutive months close "
        "to a limit (beyond two thirds of the way from the average) on the same side; "
        f"**a shift**: {options.shift_points} or more months in a row on one side of the average "
        "(a month exactly on the average ends it). Otherwise the month is ordinary (common "
        "cause) variation."
    )
