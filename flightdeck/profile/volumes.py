"""Volumes for the problem profile: crimes recorded in the period and the 12 months before, by
offence group and offence code; the victims' age band and gender (the pyramid); non-recent
offences. The SQL is under `sql/profile/`; every crime is counted by its `recorded_date`."""

import duckdb
import pandas as pd

from flightdeck.profile import queries
from flightdeck.profile.period import Period
from flightdeck.reference import load_reference
from flightdeck.vocabulary import AGE_BANDS, GENDERS, OFFENCE_GROUPS, OTHER_SEXUAL, RAPE

# An offence is non-recent when it happened more than this many days before it was recorded.
NON_RECENT_DAYS = 365


def volumes_by_group(con: duckdb.DuckDBPyConnection, force: str, period: Period) -> pd.DataFrame:
    """offence_group, current, previous: rows All, rape, other_sexual, in that order."""
    return queries.run(
        con, "volumes_by_group", force=force, groups=list(OFFENCE_GROUPS), **period.both()
    )


def volumes_by_code(con: duckdb.DuckDBPyConnection, force: str, period: Period) -> pd.DataFrame:
    """offence_group, offence_code, title, current, previous: every code with a crime in either
    period, ordered by group (rape, then other_sexual) and code; the title from the reference
    list of offence codes."""
    frame = queries.run(
        con, "volumes_by_code", force=force, groups=[RAPE, OTHER_SEXUAL], **period.both()
    )
    titles = dict(zip(*(load_reference().offence_codes[c] for c in ("code", "title")), strict=True))
    frame["title"] = [titles.get(code, code) for code in frame["offence_code"]]
    return frame[["offence_group", "offence_code", "title", "current", "previous"]]


def pyramid(con: duckdb.DuckDBPyConnection, force: str, period: Period) -> pd.DataFrame:
    """age_band, gender, crimes: crimes recorded in the period by the victim's age band and
    gender, every cell of AGE_BANDS x GENDERS (0 where none), in that order."""
    return queries.run(
        con,
        "pyramid",
        force=force,
        age_bands=list(AGE_BANDS),
        genders=list(GENDERS),
        **period.months(),
    )


def non_recent(con: duckdb.DuckDBPyConnection, force: str, period: Period) -> pd.DataFrame:
    """offence_group, crimes, offence_date_known, non_recent (All, rape, other_sexual): crimes
    recorded in the period, those with an offence date, and those whose offence date is more
    than 365 days before the recorded date (365 days is recent, 366 non-recent)."""
    return queries.run(
        con,
        "non_recent",
        force=force,
        groups=list(OFFENCE_GROUPS),
        non_recent_days=NON_RECENT_DAYS,
        **period.months(),
    )
