"""Outcomes by recording cohort: what became of the crimes recorded in each month (or year).

The outcome-based charge rate (K02) mixes crimes recorded years apart, and rises as old cases
are finalised. A cohort view follows the crimes recorded in one month, or one year, to their
outcomes instead: the share charged, the share with any outcome and the share still open,
by days since report. At day d only crimes followed for at least d days by the as-of date
count (censoring), and a crime still open is shown as open, never as "not charged".
The SQL is `sql/profile/cohort_curves.sql` and `sql/profile/cohort_table.sql`.
"""

import duckdb
import pandas as pd

from flightdeck.profile import queries
from flightdeck.vocabulary import ALL, OFFENCE_GROUPS

# Days since report at which the cohort curves are read.
DAY_GRID: tuple[int, ...] = (0, 7, 14, 30, 60, 90, 120, 180, 270, 365, 455, 545, 730, 1095)
COHORT_BY = ("year", "month")

CURVE_COLUMNS = [
    "cohort",
    "day",
    "crimes",
    "followed",
    "charged",
    "any_outcome",
    "open",
    "charged_share",
    "outcome_share",
    "open_share",
    "complete",
]
TABLE_COLUMNS = [
    "month",
    "crimes",
    "charged",
    "other_outcome",
    "open",
    "charged_share",
    "outcome_share",
    "open_share",
    "days_followed_min",
]
CURVE_COUNTS = ["crimes", "followed", "charged", "any_outcome", "open"]
TABLE_COUNTS = ["crimes", "charged", "other_outcome", "open"]


def _check_group(offence_group: str) -> None:
    if offence_group not in OFFENCE_GROUPS:
        raise ValueError(f"offence_group is {offence_group!r}: it must be one of {OFFENCE_GROUPS}")


def cohort_curves(
    con: duckdb.DuckDBPyConnection,
    force: str,
    *,
    offence_group: str = ALL,
    by: str = "year",
    days: tuple[int, ...] = DAY_GRID,
) -> pd.DataFrame:
    """Per cohort (an int year, or a month-start Timestamp when `by="month"`) and day of
    `days`: the cohort's crimes, those followed for at least that many days, and among them
    the charged (charge event on or before recorded_date + day), those with any outcome by then
    (a charge counts as an outcome from its charge event date) and the open; each share of the
    followed; complete when every crime of the cohort is followed. Rows only where at least one
    crime is followed; ordered by cohort and day."""
    _check_group(offence_group)
    if by not in COHORT_BY:
        raise ValueError(f"by is {by!r}: it must be one of {COHORT_BY}")
    frame = queries.run(
        con,
        "cohort_curves",
        force=force,
        offence_group=offence_group,
        by=by,
        days=[int(d) for d in days],
    )
    frame["cohort"] = pd.to_datetime(frame["cohort"])
    if by == "year":
        frame["cohort"] = frame["cohort"].dt.year.astype("int64")
    frame["day"] = frame["day"].astype("int64")
    frame["complete"] = frame["complete"].astype(bool)
    return frame[CURVE_COLUMNS]


def cohort_table(
    con: duckdb.DuckDBPyConnection,
    force: str,
    *,
    offence_group: str = ALL,
    first: pd.Timestamp | None = None,
    last: pd.Timestamp | None = None,
) -> pd.DataFrame:
    """One row per recording month from `first` to `last` (month starts; default the force's
    first recorded month and its as-of month), zero rows filled in: crimes recorded, charged,
    other_outcome (an outcome that is not a charge), open (no outcome at the as-of date), their
    shares of the crimes (outcome_share = charged or other outcome) and days_followed_min, the
    least follow-up of a crime in the month (as_of - the month's end, 0 for the as-of month)."""
    _check_group(offence_group)

    def month(value: pd.Timestamp | None):
        return None if value is None else pd.Timestamp(value).to_period("M").to_timestamp().date()

    frame = queries.run(
        con,
        "cohort_table",
        force=force,
        offence_group=offence_group,
        first=month(first),
        last=month(last),
    )
    frame["month"] = pd.to_datetime(frame["month"])
    return frame[TABLE_COLUMNS]
