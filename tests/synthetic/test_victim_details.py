"""The synthetic victims as a problem profile reads them: the rape share, repeat victims who stay
the same person, ethnicity recorded poorly and unevenly, and partner figures drawn around the
force's crimes that load like a partner's own file."""

from datetime import date

import numpy as np
import pandas as pd
import pytest

from flightdeck.partners.contract import validate_partner_file
from flightdeck.reference import load_reference
from flightdeck.synthetic import generator, victim_details
from flightdeck.vocabulary import AGE_BANDS, GENDERS

AS_OF = date(2025, 6, 30)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> generator.GeneratedFiles:
    return generator.generate(
        tmp_path_factory.mktemp("victims"),
        forces=4,
        months=36,
        crimes_per_month=120,
        seed=11,
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


@pytest.fixture(scope="module")
def partners(generated) -> dict[str, pd.DataFrame]:
    return {
        path.name.removeprefix("partners_").removesuffix(".csv"): pd.read_csv(
            path, dtype=str, keep_default_na=False
        )
        for path in generated.partner_files
    }


def test_rape_is_a_little_over_a_third_of_rasso_crimes(cases):
    groups = load_reference().offence_codes.set_index("code")["group"]
    df = pd.concat(cases.values())
    rape = df["offence_code"].map(groups) == "rape"
    # RAPE_SHARE 0.37 over 17,280 crimes: the standard error is 0.004.
    assert rape.mean() == pytest.approx(0.37, abs=0.015)
    assert 0.35 <= rape.mean() <= 0.40


def test_about_one_crime_in_ten_belongs_to_a_repeat_victim(cases):
    for force, df in cases.items():
        if force == "demo-westbury":
            assert "victim_id" not in df.columns  # the force that does not record victims
            continue
        assert (df["victim_id"] != "").all()
        repeat = df["victim_id"].duplicated(keep=False)
        assert 0.08 <= repeat.mean() <= 0.12, force
        assert df.loc[repeat, "victim_id"].value_counts().min() >= 2


def test_victim_ids_are_pseudonyms_apart_from_crimes_and_suspects(cases):
    df = cases["demo-northmoor"]
    assert df["victim_id"].str.fullmatch(r"V[0-9a-f]{12}").all()
    hex_part = set(df["victim_id"].str[1:])
    assert not hex_part & set(df["crime_id"].str[1:])
    assert not hex_part & set(df["suspect_id"].str[1:])


def test_a_repeat_victim_keeps_gender_ethnicity_and_ages_with_time(cases):
    df = cases["demo-eastvale"]
    repeat = df[df["victim_id"].duplicated(keep=False)].copy()
    repeat["day"] = pd.to_datetime(repeat["recorded_date"])
    repeat = repeat.sort_values(["victim_id", "day"], kind="stable")
    first = repeat.groupby("victim_id").transform("first")
    assert (repeat["victim_gender"] == first["victim_gender"]).all()
    known = (repeat["victim_age"] != "") & (first["victim_age"] != "")
    assert ((repeat["victim_age"] == "") == (first["victim_age"] == "")).all()
    grown = repeat.loc[known, "victim_age"].astype(int) - first.loc[known, "victim_age"].astype(int)
    years = (repeat.loc[known, "day"] - first.loc[known, "day"]).dt.days // 365
    assert (grown == years).all()
    assert (grown > 0).any()  # some victims are a year older at a later crime
    recorded = repeat[repeat["victim_ethnicity"] != ""]
    assert (recorded.groupby("victim_id")["victim_ethnicity"].nunique() == 1).all()


def _completeness(df: pd.DataFrame) -> pd.Series:
    """The share of crimes with ethnicity recorded, by recorded month."""
    return (df["victim_ethnicity"] != "").groupby(df["recorded_date"].str[:7]).mean()


def test_ethnicity_is_recorded_poorly_and_unevenly(cases):
    overall = {force: (df["victim_ethnicity"] != "").mean() for force, df in cases.items()}
    # Built in: 55-60 %, 86-89 %, 42-45 %, and 33 rising to 75 % (mean 54 %).
    assert 0.85 <= overall["demo-eastvale"] <= 0.90
    for force in ("demo-northmoor", "demo-westbury", "demo-southdown"):
        assert 0.40 <= overall[force] <= 0.65, force
    southdown = _completeness(cases["demo-southdown"])
    assert southdown.iloc[:12].mean() < 0.45 and southdown.iloc[-12:].mean() > 0.65
    # Month to month the share moves by more than counting noise alone (about 0.045 here).
    assert _completeness(cases["demo-northmoor"]).std() > 0.05


def test_recorded_ethnicity_follows_the_census(cases):
    df = pd.concat(cases.values())
    shares = df.loc[df["victim_ethnicity"] != "", "victim_ethnicity"].value_counts(normalize=True)
    # Among about 10,000 recorded: census shares times 0.96, and 4 % not stated.
    assert shares["white"] == pytest.approx(0.787, abs=0.025)
    assert shares["asian"] == pytest.approx(0.086, abs=0.015)
    assert shares["black"] == pytest.approx(0.038, abs=0.01)
    assert shares["mixed"] == pytest.approx(0.029, abs=0.01)
    assert shares["other"] == pytest.approx(0.019, abs=0.008)
    assert shares["not_stated"] == pytest.approx(0.04, abs=0.01)
    assert victim_details.ETHNICITY_SHARES.sum() == pytest.approx(1.0)


def test_victim_numbers_put_every_repeat_crime_with_another():
    number = victim_details.victim_numbers(np.random.default_rng(3), 10_000)
    counts = pd.Series(number).value_counts()
    in_repeat = counts[counts >= 2].sum()
    assert 900 <= in_repeat <= 1100
    assert (counts[counts >= 2] <= 12).all()


def test_partner_files_validate(generated):
    for path in generated.partner_files:
        report = validate_partner_file(path, today=AS_OF).report
        assert report.ok, report.to_text()


def _totals(df: pd.DataFrame, measure: str) -> pd.Series:
    rows = df[(df["measure"] == measure) & (df["age_band"] == "") & (df["gender"] == "")]
    return rows.set_index("month")["count"].astype(int)


def test_partner_figures_follow_the_forces_crimes(cases, partners):
    for force, df in partners.items():
        crimes = cases[force]["recorded_date"].str[:7].value_counts().sort_index()
        attended = _totals(df, "sarc_attendances").reindex(crimes.index)
        ratio = attended.sum() / crimes.sum()
        assert 0.45 <= ratio <= 0.75, force
        examined = _totals(df, "sarc_forensic_examinations").reindex(crimes.index)
        assert (examined <= attended).all()
        assert 0.35 <= examined.sum() / attended.sum() <= 0.65
        open_cases = _totals(df, "isva_open_cases")
        received = _totals(df, "isva_referrals_received")
        assert (open_cases > received).all()  # a stock of several months' referrals
        if "isva_referral_date" in cases[force]:
            by_month = cases[force]["isva_referral_date"].ne("")
            referred = by_month.groupby(cases[force]["recorded_date"].str[:7]).sum()
            assert received.sum() / referred.sum() == pytest.approx(1.15, abs=0.05), force


def test_sarc_breakdowns_add_up_to_their_month_as_drawn(partners):
    df = partners["demo-northmoor"]
    sarc = df[df["measure"] == "sarc_attendances"].copy()
    sarc["count"] = sarc["count"].astype(int)
    total = _totals(df, "sarc_attendances")
    by_band = sarc[sarc["gender"] == "All"]
    by_gender = sarc[sarc["age_band"] == "All"]
    assert set(by_band["age_band"]) == set(AGE_BANDS)
    assert set(by_gender["gender"]) == set(GENDERS)
    assert (by_band.groupby("month")["count"].sum() == total).all()
    assert (by_gender.groupby("month")["count"].sum() == total).all()
