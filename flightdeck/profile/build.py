"""The annual problem profile's data for a force and the 12 months ending with a month, every
figure already disclosure-controlled (the profile leaves the force): what the profile's pages
and its printed document draw.

    last = latest_full_month(con, "demo-northmoor")
    profile = build_profile(con, "demo-northmoor", last)

Partner figures and the peer and national comparisons come from their own modules.
"""

import dataclasses
from dataclasses import dataclass

import duckdb
import pandas as pd

from flightdeck.peers.suppression import SuppressionRule
from flightdeck.profile import cohorts, controlled, ethnicity, victims, volumes
from flightdeck.profile.ethnicity import Ethnicity
from flightdeck.profile.period import Period, period_ending
from flightdeck.profile.victims import RepeatSuspects, RepeatVictims
from flightdeck.reference import load_reference
from flightdeck.vocabulary import ALL


class NoCaseData(ValueError):
    """The force has no active case load here; the message is one line for the user."""


@dataclass(frozen=True)
class Profile:
    """A force's problem profile for `period`. Counts hidden as small are None, with a
    `<column>_hidden` flag beside them in the tables; `rule` is the rule applied."""

    force: str
    force_name: str
    synthetic: bool
    as_of: pd.Timestamp
    period: Period
    volumes_by_group: pd.DataFrame
    volumes_by_code: pd.DataFrame
    pyramid: pd.DataFrame
    non_recent: pd.DataFrame
    repeat_victims: RepeatVictims | None
    repeat_suspects: RepeatSuspects
    cohorts: pd.DataFrame  # cohort_table for the period's months
    cohort_curves: pd.DataFrame  # by year of recording
    ethnicity: Ethnicity
    rule: SuppressionRule


def as_of_date(con: duckdb.DuckDBPyConnection, force: str) -> pd.Timestamp:
    """The force's as-of date; raises NoCaseData when the force has no active case load."""
    row = con.execute("SELECT as_of FROM force_as_of WHERE force = ?", [force]).fetchone()
    if row is None:
        raise NoCaseData(f"no case data for the force {force!r} here")
    return pd.Timestamp(row[0])


def latest_full_month(con: duckdb.DuckDBPyConnection, force: str) -> pd.Timestamp:
    """The latest month (its first day) that has ended by the force's as-of date."""
    as_of_date(con, force)
    month = con.execute(
        "SELECT month_of(as_of + 1) - INTERVAL 1 MONTH FROM force_as_of WHERE force = ?", [force]
    ).fetchone()[0]
    return pd.Timestamp(month)


def _ethnicity(raw: Ethnicity, by_month: pd.DataFrame, total: pd.Series, rule) -> Ethnicity:
    shown = not (total["crimes_hidden"] or total["recorded_hidden"])
    shown = shown and raw.crimes is not None and raw.crimes >= rule.min_denominator
    breakdown = raw.breakdown
    if breakdown is not None:
        breakdown = controlled.ethnicity_breakdown(
            breakdown, raw.recorded, rule, recorded_hidden=bool(total["recorded_hidden"])
        )
    return dataclasses.replace(
        raw,
        by_month=by_month,
        crimes=total["crimes"],
        recorded=total["recorded"],
        share=raw.share if shown else None,
        breakdown=breakdown,
        reason=ethnicity.reason(raw.share, raw.threshold, share_shown=shown),
    )


def _victims(raw: RepeatVictims | None, rule, crimes_hidden: bool) -> RepeatVictims | None:
    if raw is None:
        return None
    safe = controlled.scalars(
        dataclasses.asdict(raw),
        rule,
        complements={
            "single_victims": ("victims", "repeat_victims"),
            "other_crimes": ("crimes", "crimes_of_repeat_victims"),
        },
        hidden=["crimes"] if crimes_hidden else [],
    )
    return RepeatVictims(**safe)


def _suspects(raw: RepeatSuspects, rule) -> RepeatSuspects:
    counts = {k: v for k, v in dataclasses.asdict(raw).items() if k != "named"}
    safe = controlled.scalars(
        counts, rule, complements={"k13_not_repeat": ("k13_crimes", "k13_repeat")}
    )
    return RepeatSuspects(**safe, named=raw.named)


def build_profile(
    con: duckdb.DuckDBPyConnection,
    force: str,
    last: pd.Timestamp,
    *,
    rule: SuppressionRule | None = None,
    threshold: float | None = None,
) -> Profile:
    """The profile of `force` for the 12 months ending with the month of `last`, small numbers
    hidden by `rule` (default: the rule in force, as in exports), the ethnicity breakdown shown
    when completeness reaches `threshold` (default: FLIGHTDECK_ETHNICITY_THRESHOLD). Raises
    NoCaseData for a force without an active case load."""
    as_of = as_of_date(con, force)
    rule = rule or SuppressionRule.from_settings()
    period = period_ending(last)
    by_group = volumes.volumes_by_group(con, force, period)
    by_code = volumes.volumes_by_code(con, force, period)
    table = cohorts.cohort_table(con, force, first=period.first, last=period.last)
    raw_ethnicity = ethnicity.ethnicity(con, force, period, threshold)

    safe_groups, safe_codes = controlled.volumes(by_group, by_code, rule)
    all_hidden = bool(safe_groups.set_index("offence_group").at[ALL, "current_hidden"])
    cohort, by_month, total = controlled.monthly(
        table, raw_ethnicity.by_month, rule, total_hidden=all_hidden
    )
    if total["crimes_hidden"] and not all_hidden:  # the months gave the total away: hide it
        all_hidden = True
        safe_groups, safe_codes = controlled.volumes(by_group, by_code, rule, all_hidden=True)
    hidden_groups = safe_groups.loc[safe_groups["current_hidden"], "offence_group"].tolist()

    forces = load_reference().forces.set_index("id")
    known = force in forces.index
    return Profile(
        force=force,
        force_name=str(forces.loc[force, "name"]) if known else force,
        synthetic=bool(forces.loc[force, "synthetic"]) if known else False,
        as_of=as_of,
        period=period,
        volumes_by_group=safe_groups,
        volumes_by_code=safe_codes,
        pyramid=controlled.pyramid(
            volumes.pyramid(con, force, period), rule, total_hidden=all_hidden
        ),
        non_recent=controlled.non_recent(
            volumes.non_recent(con, force, period), rule, hidden_groups
        ),
        repeat_victims=_victims(victims.repeat_victims(con, force, period), rule, all_hidden),
        repeat_suspects=_suspects(victims.repeat_suspects(con, force, period), rule),
        cohorts=cohort,
        cohort_curves=controlled.cohort_curves(cohorts.cohort_curves(con, force), rule),
        ethnicity=_ethnicity(raw_ethnicity, by_month, total, rule),
        rule=rule,
    )
