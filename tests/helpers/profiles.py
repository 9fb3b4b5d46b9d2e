"""A problem profile built by hand, small enough to know every figure it prints: the 12 months
Dec 2025 to Nov 2026 of a synthetic force, with some counts hidden as small (None, with the
`<col>_hidden` flag beside them) and ethnicity 40 % complete (no breakdown)."""

import pandas as pd

from flightdeck.peers.suppression import SuppressionRule
from flightdeck.profile.build import Profile
from flightdeck.profile.ethnicity import Ethnicity
from flightdeck.profile.period import Period, period_ending
from flightdeck.profile.victims import RepeatSuspects, RepeatVictims
from flightdeck.vocabulary import AGE_BANDS, GENDERS

LAST = pd.Timestamp("2026-11-01")
HIDDEN_BAND = "0-12"  # its male cell is hidden


def _pyramid() -> pd.DataFrame:
    rows = []
    for i, band in enumerate(AGE_BANDS):
        for gender in GENDERS:
            crimes = {"Female": 20 + i, "Male": 10 + i, "Other": 0, "Unknown": 6}[gender]
            hide = band == HIDDEN_BAND and gender == "Male" or band == "13-15" and gender == "Male"
            rows.append((band, gender, None if hide else crimes, hide))
    return pd.DataFrame(rows, columns=["age_band", "gender", "crimes", "crimes_hidden"])


def _cohorts(period: Period) -> pd.DataFrame:
    months = pd.date_range(period.first, period.last, freq="MS")
    rows = []
    for k, month in enumerate(months):
        crimes, charged, other = 40, 8 - k // 2, 20 - k
        open_ = crimes - charged - other
        rows.append((month, crimes, charged, other, open_, charged / crimes,
                     (charged + other) / crimes, open_ / crimes, 30 * (12 - k)))  # fmt: skip
    frame = pd.DataFrame(
        rows,
        columns=["month", "crimes", "charged", "other_outcome", "open", "charged_share",
                 "outcome_share", "open_share", "days_followed_min"],
    )  # fmt: skip
    for column in ("crimes", "charged", "other_outcome", "open"):
        frame[f"{column}_hidden"] = False
    return frame


def _curves() -> pd.DataFrame:
    rows = []
    for cohort, followed_to in ((2024, 730), (2025, 365)):
        for day in (0, 30, 90, 180, 365, 730):
            followed = 400 if day <= followed_to else 150
            charged = 400 * min(day, 365) / 365 * 0.1
            any_outcome = 400 * min(day, 365) / 365 * 0.6
            rows.append((cohort, day, 400, followed, charged, any_outcome, 400 - any_outcome,
                         charged / 400, any_outcome / 400, 1 - any_outcome / 400,
                         day <= followed_to))  # fmt: skip
    return pd.DataFrame(
        rows,
        columns=["cohort", "day", "crimes", "followed", "charged", "any_outcome", "open",
                 "charged_share", "outcome_share", "open_share", "complete"],
    )  # fmt: skip


def ethnicity(period: Period, passes: bool) -> Ethnicity:
    months = pd.date_range(period.first, period.last, freq="MS")
    share = 0.9 if passes else 0.4
    by_month = pd.DataFrame({"month": months, "crimes": 40, "recorded": int(40 * share)})
    by_month["share"] = by_month["recorded"] / by_month["crimes"]
    breakdown = None
    if passes:
        breakdown = pd.DataFrame(
            {"ethnicity": ["white", "mixed", "asian", "black", "other", "not_stated"],
             "crimes": [300, None, 60, 40, None, 20],
             "crimes_hidden": [False, True, False, False, True, False]}
        )  # fmt: skip
    words = (
        "Ethnicity is recorded for 90.0 % of crimes, at least the 80 % threshold."
        if passes
        else "Ethnicity is recorded for only 40.0 % of crimes, below the 80 % threshold "
        "needed for a breakdown, so none is shown."
    )
    return Ethnicity(by_month, 480, int(480 * share), share, 0.8, passes, breakdown, words)


def hand_profile(*, synthetic: bool = True, passes: bool = False, victims: bool = True):
    """The hand-built profile; `passes` gives ethnicity 90 % complete with a breakdown,
    `victims=False` a force that does not record victim_id."""
    period = period_ending(LAST)
    groups = pd.DataFrame(
        {"offence_group": ["All", "rape", "other_sexual"], "current": [480, 200, 280],
         "previous": [400, 150, 250]}
    ).assign(current_hidden=False, previous_hidden=False)  # fmt: skip
    codes = pd.DataFrame(
        {"offence_group": ["rape", "rape", "other_sexual", "other_sexual"],
         "offence_code": ["19C", "19D", "17A", "88E"],
         "title": ["Rape of a female aged 16 and over", "Rape of a female child under 16",
                   "Sexual assault on a male aged 13 and over", "Exposure and voyeurism"],
         "current": [197, None, 277, None], "previous": [148, None, 246, 4.0],
         "current_hidden": [False, True, False, True],
         "previous_hidden": [False, True, False, False]}
    )  # fmt: skip
    non_recent = pd.DataFrame(
        {"offence_group": ["All", "rape", "other_sexual"], "crimes": [480, 200, 280],
         "offence_date_known": [470, 196, 274], "non_recent": [96, 61, 35]}
    )  # fmt: skip
    return Profile(
        force="demo-northmoor",
        force_name="Northmoor Constabulary (synthetic)",
        synthetic=synthetic,
        as_of=pd.Timestamp("2026-11-30"),
        period=period,
        volumes_by_group=groups,
        volumes_by_code=codes,
        pyramid=_pyramid(),
        non_recent=non_recent,
        repeat_victims=RepeatVictims(430, 37, 480, 87) if victims else None,
        repeat_suspects=RepeatSuspects(300, 51, None, True),
        cohorts=_cohorts(period),
        cohort_curves=_curves(),
        ethnicity=ethnicity(period, passes),
        rule=SuppressionRule(),
    )


def hand_partners(period: Period) -> pd.DataFrame:
    """SARC attendances beside K01 for the 12 months, March's count hidden as small; and the
    ISVA service's open cases at each month end (a stock, beside no KPI): 100, 101, ... 111."""
    months = pd.date_range(period.first, period.last, freq="MS")
    frame = pd.DataFrame(
        {"partner": "Northmoor SARC", "measure": "sarc_attendances",
         "title": "Attendances at the sexual assault referral centre", "beside_kpi": "K01",
         "kind": "flow", "beside_title": "Crimes recorded (K01)", "month": months,
         "count": [50.0 + k for k in range(12)], "police": [40.0] * 12}
    )  # fmt: skip
    frame["count_hidden"] = frame["month"] == pd.Timestamp("2026-03-01")
    frame.loc[frame["count_hidden"], "count"] = None
    frame["police_hidden"] = False
    stock = pd.DataFrame(
        {"partner": "Northmoor ISVA service", "measure": "isva_open_cases",
         "title": "Open cases held by the ISVA service", "beside_kpi": None, "kind": "stock",
         "beside_title": "no police figure", "month": months,
         "count": [100.0 + k for k in range(12)], "police": None, "count_hidden": False,
         "police_hidden": False}
    )  # fmt: skip
    return pd.concat([frame, stock], ignore_index=True)
