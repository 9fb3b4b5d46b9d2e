"""Victim ethnicity in the problem profile: completeness first, a breakdown only when it is
reliable enough. Forces record ethnicity poorly; the profile says how complete it is, month by
month, and shows figures by ethnicity only when the period's completeness reaches the force's
threshold (FLIGHTDECK_ETHNICITY_THRESHOLD, default 0.8). Blank is "not recorded";
`not_stated` (asked, and the victim did not say) is recorded. The SQL is
`sql/profile/ethnicity_by_month.sql` and `sql/profile/ethnicity_breakdown.sql`."""

import math
from dataclasses import dataclass

import duckdb
import pandas as pd

from flightdeck import settings
from flightdeck.profile import queries
from flightdeck.profile.period import Period
from flightdeck.vocabulary import ETHNICITIES


@dataclass(frozen=True)
class Ethnicity:
    """Completeness of victim ethnicity over the period, and the breakdown when it passes.

    by_month: month, crimes, recorded, share (recorded / crimes; None with no crimes).
    share: recorded / crimes over the period, None with no crimes. passes: share >= threshold.
    breakdown: ethnicity, crimes (every value of ETHNICITIES in order, no row for blank), only
    when it passes. reason: one sentence saying why there is a breakdown or not. In a built
    profile a count hidden as small is None."""

    by_month: pd.DataFrame
    crimes: int | None
    recorded: int | None
    share: float | None
    threshold: float
    passes: bool
    breakdown: pd.DataFrame | None
    reason: str


def threshold_in_force() -> float:
    """FLIGHTDECK_ETHNICITY_THRESHOLD as the settings read it."""
    return settings.load_settings().ethnicity_threshold


def _percent(share: float) -> str:
    """85 %, 79.9 %: rounded down to one decimal at most, so a share just below the threshold
    never reads as equal to it."""
    tenths = math.floor(round(share * 1000, 6)) / 10
    return f"{tenths:.1f}".removesuffix(".0") + " %"


def reason(share: float | None, threshold: float, *, share_shown: bool = True) -> str:
    """Why the profile shows a breakdown by ethnicity or only its completeness."""
    if share is None:
        return "No crimes were recorded in the period: there is nothing to break down by ethnicity."
    limit = _percent(threshold)
    recorded = f"recorded for {_percent(share)} of crimes" if share_shown else "recorded"
    if share >= threshold:
        return (
            f"Victim ethnicity is {recorded} in the period, at or above the {limit} this "
            "force set as reliable enough to break figures down by."
        )
    if not share_shown:
        recorded = "recorded for too few crimes"
    return (
        f"Victim ethnicity is {recorded} in the period, below the {limit} this force set as "
        "reliable enough to break figures down by; the profile shows completeness only."
    )


def ethnicity(
    con: duckdb.DuckDBPyConnection,
    force: str,
    period: Period,
    threshold: float | None = None,
) -> Ethnicity:
    """Completeness of victim ethnicity for the force's crimes recorded in the period, with
    the breakdown by ethnicity when completeness reaches `threshold` (default: the setting)."""
    threshold = threshold_in_force() if threshold is None else float(threshold)
    months = queries.run(con, "ethnicity_by_month", force=force, **period.months())
    total = months[months["month"].isna()].iloc[0]
    by_month = months[months["month"].notna()].reset_index(drop=True)
    by_month["month"] = pd.to_datetime(by_month["month"])
    by_month["share"] = by_month["share"].astype(object).where(by_month["share"].notna(), None)
    share = None if pd.isna(total["share"]) else float(total["share"])
    passes = share is not None and share >= threshold
    breakdown = None
    if passes:
        breakdown = queries.run(
            con, "ethnicity_breakdown", force=force, ethnicities=[*ETHNICITIES], **period.months()
        )
    return Ethnicity(
        by_month=by_month[["month", "crimes", "recorded", "share"]],
        crimes=int(total["crimes"]),
        recorded=int(total["recorded"]),
        share=share,
        threshold=threshold,
        passes=passes,
        breakdown=breakdown,
        reason=reason(share, threshold),
    )
