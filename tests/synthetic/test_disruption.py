"""The synthetic suspect management columns: civil order outcomes, SSRP referrals, bail and order
breaches. They keep the contract's rules (checked here directly as well as by the validator),
come in plausible volumes, and are absent from the third demo force's extract."""

from datetime import date, timedelta

import numpy as np
import pandas as pd
import pytest

from flightdeck.extracts.contract import validate_case_file
from flightdeck.synthetic import disruption, generator
from flightdeck.synthetic.investigations import NEVER

AS_OF = date(2025, 6, 30)
MONTHS, WARMUP = 36, 12
COLUMNS = [
    "civil_order_outcome",
    "civil_order_outcome_date",
    "ssrp_referral_date",
    "bail_breach_date",
    "order_breach_date",
]
APPLICATION = ["suspect_id", "civil_order_type", "civil_order_date"]


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> generator.GeneratedFiles:
    # The demo's size per force: 150 crimes a month on average.
    return generator.generate(
        tmp_path_factory.mktemp("disruption"),
        forces=4,
        months=MONTHS,
        warmup_months=WARMUP,
        crimes_per_month=150,
        seed=2024,
        as_of=AS_OF,
    )


@pytest.fixture(scope="module")
def cases(generated) -> dict[str, pd.DataFrame]:
    return {
        path.name.removeprefix("cases_").removesuffix(".csv"): pd.read_csv(
            path, dtype=str, keep_default_na=False
        )
        for path in generated.case_files
    }


def recording(cases) -> dict[str, pd.DataFrame]:
    return {force: df for force, df in cases.items() if force != "demo-westbury"}


def violations(df: pd.DataFrame, as_of: date) -> list[str]:
    """Every broken contract rule of the five columns, by name (ISO dates compare as text)."""
    problems = []

    def check(name: str, ok: pd.Series) -> None:
        if not ok.all():
            problems.append(f"{name}: {int((~ok).sum())} rows")

    set_ = {c: df[c] != "" for c in df.columns}
    outcome, decided = df["civil_order_outcome"], df["civil_order_outcome_date"]
    check("outcome allowed", outcome.isin({"granted", "refused", "withdrawn", ""}))
    check("outcome needs type", ~set_["civil_order_outcome"] | set_["civil_order_type"])
    check("outcome date iff outcome", set_["civil_order_outcome"] == set_[decided.name])
    check("outcome date >= application", ~set_[decided.name] | (decided >= df["civil_order_date"]))
    check("ssrp needs suspect", ~set_["ssrp_referral_date"] | set_["suspect_id"])
    bail = df["bail_breach_date"]
    check("bail breach needs contact", ~set_[bail.name] | set_["first_contact_date"])
    check("bail breach >= contact", ~set_[bail.name] | (bail >= df["first_contact_date"]))
    breach = df["order_breach_date"]
    check("order breach needs granted", ~set_[breach.name] | (outcome == "granted"))
    check("order breach >= outcome date", ~set_[breach.name] | (breach >= decided))
    for column in COLUMNS[1:]:
        check(f"{column} not after as_of", df[column] <= as_of.isoformat())
    applied = df[set_["civil_order_type"]]
    rows = applied.groupby(APPLICATION)[["civil_order_outcome", decided.name]].transform("nunique")
    check("application rows agree", (rows <= 1).all(axis=1))
    return problems


def test_the_contract_validator_accepts_every_generated_file(generated):
    for path in generated.case_files:
        report = validate_case_file(path, as_of=generated.as_of).report
        assert report.ok, report.to_text()


def test_every_rule_of_the_five_columns_holds(cases):
    for force, df in recording(cases).items():
        assert violations(df, AS_OF) == [], force


def test_the_rule_checker_catches_broken_rows(cases):
    df = cases["demo-northmoor"].copy()
    granted = df.index[df["civil_order_outcome"] == "granted"]
    df.loc[granted[0], "civil_order_outcome_date"] = ""
    df.loc[granted[1], "civil_order_outcome"] = "refused"
    df.loc[granted[1], "order_breach_date"] = "2025-06-01"
    twin = df.loc[granted[2]].copy()
    twin["crime_id"], twin["civil_order_outcome"] = "C000000000000", "withdrawn"
    df = pd.concat([df, twin.to_frame().T], ignore_index=True)
    df.loc[df.index[df["suspect_id"] == ""][0], "ssrp_referral_date"] = "2025-01-01"
    df.loc[df.index[df["first_contact_date"] == ""][0], "bail_breach_date"] = "2025-07-01"
    problems = " | ".join(violations(df, AS_OF))
    for rule in [
        "outcome date iff outcome",
        "order breach needs granted",
        "application rows agree",
        "ssrp needs suspect",
        "bail breach needs contact",
        "bail_breach_date not after as_of",
    ]:
        assert rule in problems


def test_the_third_force_records_none_of_the_columns_and_the_others_all(cases):
    assert not set(COLUMNS) & set(cases["demo-westbury"].columns)
    for force, df in recording(cases).items():
        assert set(COLUMNS) <= set(df.columns), force
        assert (df[COLUMNS] != "").any().all(), force


def test_a_handful_of_ssrp_referrals_a_month_each_the_suspects_own_date(cases):
    since = (AS_OF.replace(day=1) - timedelta(days=365 * 2)).isoformat()
    for force, df in recording(cases).items():
        referred = df[df["ssrp_referral_date"] != ""]
        # One date per suspect, on all their crimes or on one of them.
        assert (referred.groupby("suspect_id")["ssrp_referral_date"].nunique() == 1).all()
        recent = referred[referred["ssrp_referral_date"] >= since]
        per_month = recent["suspect_id"].nunique() / 24
        assert 1 <= per_month <= 15, force
        # Referrals concentrate on repeat suspects.
        crimes = df[df["suspect_id"] != ""].groupby("suspect_id").size()
        repeat = crimes[crimes >= 2].index
        assert referred["suspect_id"].isin(repeat).mean() > 0.2, force
        assert df["suspect_id"].isin(repeat).mean() < 0.2, force


def test_most_decided_applications_are_granted_and_only_recent_ones_pending(cases):
    for force, df in recording(cases).items():
        applications = df[df["civil_order_type"] != ""].drop_duplicates(APPLICATION)
        decided = applications[applications["civil_order_outcome"] != ""]
        assert set(decided["civil_order_outcome"]) == {"granted", "refused", "withdrawn"}, force
        assert 0.6 <= (decided["civil_order_outcome"] == "granted").mean() <= 0.95, force
        weeks = (
            pd.to_datetime(decided["civil_order_outcome_date"])
            - pd.to_datetime(decided["civil_order_date"])
        ).dt.days / 7
        assert weeks.between(1, 10).all(), force
        pending = applications[applications["civil_order_outcome"] == ""]
        assert (pending["civil_order_date"] > (AS_OF - timedelta(days=70)).isoformat()).all()
        per_month = len(applications) / (MONTHS + WARMUP)
        assert 1 <= per_month <= 10, force
    every = pd.concat(recording(cases).values())
    assert (every[every["civil_order_type"] != ""]["civil_order_outcome"] == "").any()


def test_some_bail_and_order_breaches(cases):
    for force, df in recording(cases).items():
        on_bail = df["release_type"] == "bail"
        breached = df["bail_breach_date"] != ""
        assert not (breached & ~on_bail).any(), force
        assert 0.02 < breached[on_bail].mean() < 0.25, force
        granted = df[df["civil_order_outcome"] == "granted"].drop_duplicates(APPLICATION)
        assert 0 < (granted["order_breach_date"] != "").mean() < 0.3, force


def test_suspects_with_two_or_more_crimes_within_a_year(cases):
    for force, df in cases.items():
        named = df[df["suspect_id"] != ""].sort_values(["suspect_id", "recorded_date"])
        gap = pd.to_datetime(named["recorded_date"]).groupby(named["suspect_id"]).diff()
        assert named["suspect_id"][gap.dt.days <= 365].nunique() >= 20, force


# --- the generator's parts, on hand-built crimes ------------------------------------------


def test_crimes_of_one_application_share_its_outcome_decision_and_breach():
    # Suspect 7 has two crimes in one SHPO application (day 100), an SRO the same day and a
    # SHPO on another day; suspect 8 a SHPO on day 100; the last crime has no application.
    suspect = np.array([7, 7, 7, 7, 8, 9])
    order_type = np.array([0, 0, 1, 0, 0, 0])
    order_day = np.array([100, 100, 100, 130, 100, NEVER])
    count, which = disruption.applications(suspect[:5], order_type[:5], order_day[:5])
    assert count == 4
    assert which[0] == which[1] and len(set(which[1:])) == 4
    for seed in range(20):
        rng = np.random.default_rng(seed)
        outcome, decided, breach = disruption.order_decisions(rng, suspect, order_type, order_day)
        assert (outcome[0], decided[0], breach[0]) == (outcome[1], decided[1], breach[1])
        assert ((decided[:5] - order_day[:5] >= 7) & (decided[:5] - order_day[:5] <= 70)).all()
        assert (breach[:5] == NEVER)[outcome[:5] != 0].all()  # only granted orders are breached
        assert (breach[:5] > decided[:5]).all()
        assert (decided[5], breach[5]) == (NEVER, NEVER)


def test_a_referred_suspect_is_referred_at_their_second_crime(monkeypatch):
    monkeypatch.setitem(disruption.SSRP_SHARE, "repeat", 1.0)
    monkeypatch.setitem(disruption.SSRP_SHARE, "other", 1.0)
    monkeypatch.setattr(disruption, "SSRP_ON_EVERY_CRIME", 0.0)
    # Suspect 3 has crimes 0, 2 and 3; suspect 5 crime 1 only; crime 4 has no suspect.
    suspect = np.array([3, 5, 3, 3, 0])
    named = np.array([True, True, True, True, False])
    identified = np.array([10, 20, 30, 40, NEVER])
    high_harm = np.zeros(5, dtype=bool)
    rng = np.random.default_rng(1)
    referral = disruption.ssrp_referrals(rng, suspect, named, identified, high_harm)
    carried = referral < NEVER
    assert carried.tolist() == [False, True, True, False, False]
    assert (referral[carried] >= identified[carried]).all()


def test_bail_is_breached_only_on_bail_after_contact_and_before_it_ends(monkeypatch):
    monkeypatch.setattr(disruption, "BAIL_BREACH_SHARE", 1.0)
    on_bail = np.array([True, True, False])
    contact = np.array([100, 100, 100])
    ends = np.array([NEVER, 101, NEVER])  # the second suspect is charged the next day
    breach = disruption.bail_breaches(np.random.default_rng(3), on_bail, contact, ends)
    assert breach[0] > 100 and breach[1:].tolist() == [NEVER, NEVER]
