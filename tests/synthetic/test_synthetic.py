"""The synthetic generator: deterministic, the right shape, valid under the contract, and
carrying the patterns the demo is meant to show."""

from datetime import date
from pathlib import Path

import pandas as pd
import pytest

from flightdeck.extracts.contract import validate_case_file, validate_workforce_file
from flightdeck.reference import load_reference
from flightdeck.synthetic import generator

AS_OF = date(2025, 6, 30)
FORCES, MONTHS, PER_MONTH, SEED = 4, 36, 120, 7
THIRD_FORCE_ABSENT = {
    "suspect_identified_date",
    "isva_referral_date",
    "vcop_assessment_date",
    "device_seized_date",
    "device_returned_date",
    "s63g_application",
    "victim_id",
    "civil_order_outcome",
    "civil_order_outcome_date",
    "ssrp_referral_date",
    "bail_breach_date",
    "order_breach_date",
}
FULL_HEADER = [
    "force",
    "crime_id",
    "recorded_date",
    "offence_code",
    "victim_age",
    "victim_gender",
    "cancelled",
    "offence_date",
    "suspect_id",
    "suspect_identified_date",
    "first_contact_date",
    "first_contact_type",
    "release_type",
    "cps_early_advice_date",
    "cps_referral_date",
    "cps_decision",
    "cps_decision_date",
    "charge_date",
    "outcome_type",
    "outcome_date",
    "isva_referral_date",
    "vcop_assessment_date",
    "device_seized_date",
    "device_returned_date",
    "s63g_application",
    "civil_order_type",
    "civil_order_date",
    "civil_order_outcome",
    "civil_order_outcome_date",
    "ssrp_referral_date",
    "bail_breach_date",
    "order_breach_date",
    "victim_id",
    "victim_ethnicity",
]


def _generate(out: Path, seed: int = SEED, **kwargs) -> generator.GeneratedFiles:
    args = dict(forces=FORCES, months=MONTHS, crimes_per_month=PER_MONTH, as_of=AS_OF) | kwargs
    return generator.generate(out, seed=seed, **args)


@pytest.fixture(scope="module")
def generated(tmp_path_factory) -> generator.GeneratedFiles:
    return _generate(tmp_path_factory.mktemp("synthetic"))


@pytest.fixture(scope="module")
def cases(generated) -> dict[str, pd.DataFrame]:
    return {
        path.name.removeprefix("cases_").removesuffix(".csv"): pd.read_csv(
            path, dtype=str, keep_default_na=False
        )
        for path in generated.case_files
    }


# --- determinism -------------------------------------------------------------------------


def test_same_seed_gives_identical_bytes_and_another_seed_differs(generated, tmp_path):
    again = _generate(tmp_path / "again")
    other = _generate(tmp_path / "other", seed=SEED + 1)
    for first, second in zip(generated.case_files, again.case_files, strict=True):
        assert first.read_bytes() == second.read_bytes()
    assert generated.workforce_file.read_bytes() == again.workforce_file.read_bytes()
    assert generated.case_files[0].read_bytes() != other.case_files[0].read_bytes()


# --- volume and shape --------------------------------------------------------------------


def test_demo_forces_are_the_synthetic_forces_in_file_order():
    assert generator.DEMO_FORCES[:3] == ["demo-northmoor", "demo-eastvale", "demo-westbury"]
    assert len(generator.DEMO_FORCES) == 12
    assert all(f.startswith("demo-") for f in generator.DEMO_FORCES)


def test_files_rows_and_columns(generated, cases):
    assert [p.name for p in generated.case_files] == [
        "cases_demo-northmoor.csv",
        "cases_demo-eastvale.csv",
        "cases_demo-westbury.csv",
        "cases_demo-southdown.csv",
    ]
    assert generated.as_of == AS_OF
    assert generated.crimes == 4 * 36 * 120 == sum(len(df) for df in cases.values())
    for force, df in cases.items():
        assert (df["force"] == force).all()
        expected = [
            c for c in FULL_HEADER if force != "demo-westbury" or c not in THIRD_FORCE_ABSENT
        ]
        assert list(df.columns) == expected
    # Forces differ in size (relative sizes 1.3, 1.0, 0.8 and 1.15).
    sizes = sorted(len(df) for df in cases.values())
    assert sizes[0] < 0.9 * sizes[-1]


def test_header_is_plain_and_blanks_are_empty_fields(generated):
    text = generated.case_files[0].read_text(encoding="utf-8")
    assert text.startswith("force,crime_id,recorded_date,")
    assert '"' not in text and "nan" not in text.lower() and "\r" not in text


def test_months_end_with_as_of_month_and_nothing_after_as_of(cases):
    recorded = pd.concat(df["recorded_date"] for df in cases.values())
    assert recorded.min() >= "2022-07-01" and recorded.max() <= "2025-06-30"
    assert sorted({d[:7] for d in recorded})[0] == "2022-07"
    assert len({d[:7] for d in recorded}) == 36


def test_as_of_mid_month_takes_a_share_of_that_month(tmp_path):
    files = generator.generate(
        tmp_path, forces=1, months=2, crimes_per_month=120, as_of=date(2025, 6, 15)
    )
    df = pd.read_csv(files.case_files[0], dtype=str, keep_default_na=False)
    # May in full plus 15 of June's 30 days: 120 + 60 crimes.
    assert files.crimes == len(df) == 180
    date_columns = [c for c in df.columns if c.endswith("_date")]
    assert df[date_columns].max().max() <= "2025-06-15"


def test_too_many_forces_is_refused(tmp_path):
    with pytest.raises(ValueError, match="between 1 and 12"):
        generator.generate(tmp_path, forces=13)


def test_default_as_of_and_month_starts():
    assert generator.default_as_of(date(2025, 3, 15)) == date(2025, 2, 28)
    assert generator.default_as_of(date(2025, 1, 1)) == date(2024, 12, 31)
    assert generator.month_starts(date(2025, 2, 28), 3) == [
        date(2024, 12, 1),
        date(2025, 1, 1),
        date(2025, 2, 1),
    ]


def test_workforce_file(generated):
    wf = pd.read_csv(generated.workforce_file, dtype=str)
    assert list(wf.columns) == [
        "force",
        "month",
        "investigators_in_post",
        "investigators_trained",
    ]
    assert len(wf) == 4 * 36
    assert wf["month"].str.fullmatch(r"\d{4}-\d{2}").all()
    assert wf["investigators_in_post"].str.fullmatch(r"\d+\.\d").all()
    in_post = wf["investigators_in_post"].astype(float)
    trained = wf["investigators_trained"].astype(float)
    assert in_post.between(20, 80).all()
    assert ((trained >= 0) & (trained <= in_post)).all()
    # The trained share rises by at least 0.2 over the 36 months, so the mean of the last 12
    # months exceeds that of the first 12 by at least 0.2 x 24/35 = 0.137 (less a little noise).
    share = (trained / in_post).groupby(wf["force"])
    assert (share.apply(lambda s: s.iloc[-12:].mean() - s.iloc[:12].mean()) > 0.1).all()


# --- the data contract holds -------------------------------------------------------------

DATE_COLUMNS = [c for c in FULL_HEADER if c.endswith("_date")]
ALLOWED = {
    "victim_gender": {"female", "male", "other", "unknown", "F", "M", "O", "U"},
    "cancelled": {"true", "false"},
    "s63g_application": {"true", "false", ""},
    "first_contact_type": {"arrest", "voluntary_interview", ""},
    "release_type": {"bail", "rui", "charged", "nfa", "other", ""},
    "cps_decision": {"charge", "nfa", "further_work", ""},
    "civil_order_type": {"SHPO", "SRO", ""},
    "civil_order_outcome": {"granted", "refused", "withdrawn", ""},
    "victim_ethnicity": {"white", "mixed", "asian", "black", "other", "not_stated", ""},
}
# Offence codes that fix the victim's age band (when the age is known) and sex.
UNDER_13 = {"19E", "19H", "20B", "17B", "21"}
AGED_13_TO_15 = {"19D", "19G"}
AGED_16_PLUS = {"19C", "19F"}
AGED_13_PLUS = {"20A", "17A"}
FEMALE_VICTIM = {"19C", "19D", "19E", "20A", "20B"}
MALE_VICTIM = {"19F", "19G", "19H", "17A", "17B"}


def contract_violations(df: pd.DataFrame, as_of: date) -> list[str]:
    """Every broken contract rule (and every warning the generator should avoid), by name."""
    ref = load_reference()
    problems = []

    def check(name: str, ok: pd.Series) -> None:
        if not ok.all():
            problems.append(f"{name}: {int((~ok).sum())} rows, e.g. line {int((~ok).idxmax()) + 2}")

    blank = {c: df[c] == "" for c in df.columns}
    present = {c: ~b for c, b in blank.items()}
    check("force known", df["force"].isin(ref.force_ids))
    check("crime_id pseudonym", df["crime_id"].str.fullmatch(r"C[0-9a-f]{12}"))
    check("crime_id unique", ~df["crime_id"].duplicated())
    check("offence code known", df["offence_code"].isin(ref.offence_code_set))
    check(
        "suspect_id pseudonym",
        blank["suspect_id"] | df["suspect_id"].str.fullmatch(r"S[0-9a-f]{10}"),
    )
    if "victim_id" in df:
        check("victim_id pseudonym", df["victim_id"].str.fullmatch(r"V[0-9a-f]{12}"))
    for column, allowed in ALLOWED.items():
        if column in df:
            check(f"{column} allowed", df[column].isin(allowed))
    check(
        "outcome allowed",
        blank["outcome_type"] | df["outcome_type"].isin(set(ref.outcome_types["code"])),
    )
    age = pd.to_numeric(df["victim_age"].where(present["victim_age"]), errors="raise")
    check("age 0-120 integer", age.isna() | (age.between(0, 120) & (age % 1 == 0)))

    dates = {}
    for column in (c for c in DATE_COLUMNS if c in df):
        check(f"{column} ISO", blank[column] | df[column].str.fullmatch(r"\d{4}-\d{2}-\d{2}"))
        dates[column] = pd.to_datetime(df[column].where(present[column]), format="%Y-%m-%d")
        check(
            f"{column} not after as_of",
            dates[column].isna() | (dates[column] <= pd.Timestamp(as_of)),
        )

    def not_before(later: str, earlier: str) -> None:
        if later in dates and earlier in dates:
            a, b = dates[later], dates[earlier]
            check(f"{later} >= {earlier}", a.isna() | b.isna() | (a >= b))

    def needs(column: str, other: str) -> None:
        if column in df and other in df:
            check(f"{column} needs {other}", blank[column] | present[other])

    check("recorded_date set and from 2000", dates["recorded_date"] >= pd.Timestamp("2000-01-01"))
    for later, earlier in [
        ("recorded_date", "offence_date"),
        ("suspect_identified_date", "offence_date"),
        ("cps_decision_date", "cps_referral_date"),
        ("cps_referral_date", "cps_early_advice_date"),
        ("charge_date", "recorded_date"),
        ("outcome_date", "recorded_date"),
        ("outcome_date", "charge_date"),
        ("device_returned_date", "device_seized_date"),
        ("first_contact_date", "suspect_identified_date"),  # a warning in the contract
    ]:
        not_before(later, earlier)
    for column, other in [
        ("suspect_identified_date", "suspect_id"),
        ("first_contact_date", "suspect_id"),
        ("first_contact_type", "first_contact_date"),
        ("first_contact_date", "first_contact_type"),
        ("release_type", "first_contact_date"),
        ("cps_decision", "cps_decision_date"),
        ("cps_decision_date", "cps_decision"),
        ("outcome_type", "outcome_date"),
        ("outcome_date", "outcome_type"),
        ("device_returned_date", "device_seized_date"),
        ("civil_order_type", "suspect_id"),
        ("civil_order_type", "civil_order_date"),
        ("civil_order_date", "civil_order_type"),
    ]:
        needs(column, other)
    charged = df["outcome_type"].isin({"1", "1A"})
    check("charge_date only on charged crimes (warning)", blank["charge_date"] | charged)

    code, gender = df["offence_code"], df["victim_gender"]
    check("under-13 codes", ~code.isin(UNDER_13) | age.isna() | (age < 13))
    check("13-15 codes", ~code.isin(AGED_13_TO_15) | age.isna() | age.between(13, 15))
    check("16+ codes", ~code.isin(AGED_16_PLUS) | age.isna() | (age >= 16))
    check("13+ codes", ~code.isin(AGED_13_PLUS) | age.isna() | (age >= 13))
    check("female-victim codes", ~code.isin(FEMALE_VICTIM) | ~gender.isin({"male", "M"}))
    check("male-victim codes", ~code.isin(MALE_VICTIM) | ~gender.isin({"female", "F"}))
    return problems


def test_every_contract_rule_holds(generated, cases):
    for force, df in cases.items():
        assert contract_violations(df, generated.as_of) == [], force


def test_the_rule_checker_catches_broken_rows(cases):
    # The checker must be able to fail: break three rules in a copy of real output.
    df = cases["demo-northmoor"].head(50).copy()
    df.loc[0, "recorded_date"] = "2025-07-01"
    df.loc[1, "device_returned_date"] = "2025-01-01"
    df.loc[1, "device_seized_date"] = ""
    df.loc[2, "crime_id"] = df.loc[3, "crime_id"]
    problems = " | ".join(contract_violations(df, AS_OF))
    for rule in ["recorded_date not after as_of", "device_returned_date needs", "crime_id unique"]:
        assert rule in problems


# --- realism and the built-in signals ----------------------------------------------------


def _charge_rate(df: pd.DataFrame, first: str, last: str) -> float:
    """Share charged (1 or 1A) of crimes given an outcome between two dates (as K02 does)."""
    finalised = df[(df["outcome_date"] >= first) & (df["outcome_date"] <= last)]
    return finalised["outcome_type"].isin({"1", "1A"}).mean()


def test_first_force_charge_rate_improves_beyond_the_others(cases):
    northmoor = cases["demo-northmoor"]
    others = pd.concat([df for force, df in cases.items() if force != "demo-northmoor"])
    assert _charge_rate(northmoor, "2024-07-01", "2025-06-30") > 2 * _charge_rate(
        northmoor, "2022-07-01", "2023-06-30"
    )

    # Every force's outcome-based rate climbs while a rolling window warms up (charges take a
    # year), so compare the last year with the middle year, against the other forces. Force 1's
    # charge multiplier rises linearly from 0.4 to 2.2: the crimes charged in the middle year
    # were recorded when it averaged about 0.9, those in the last year about 1.5 (ratio ~1.65).
    def growth(df: pd.DataFrame) -> float:
        last = _charge_rate(df, "2024-07-01", "2025-06-30")
        return last / _charge_rate(df, "2023-07-01", "2024-06-30")

    assert growth(northmoor) > 1.3 * growth(others)


def _isva_within_7(df: pd.DataFrame) -> pd.Series:
    days = pd.to_datetime(df["isva_referral_date"]) - pd.to_datetime(df["recorded_date"])
    return days.dt.days <= 7


def test_second_force_isva_referrals_step_up_halfway(cases):
    # 65 % of victims are referred; within 7 days for 35 % of them before the step and 85 %
    # after: 0.65 x 0.35 = 0.23 of all crimes, then 0.65 x 0.85 = 0.55.
    for force, df in cases.items():
        if "isva_referral_date" not in df:
            continue
        within = _isva_within_7(df)
        before = within[df["recorded_date"] < "2024-01-01"].mean()
        after = within[df["recorded_date"] >= "2024-01-01"].mean()
        if force == "demo-eastvale":
            assert before == pytest.approx(0.23, abs=0.04)
            assert after == pytest.approx(0.55, abs=0.04)
        else:
            assert abs(after - before) < 0.05, force


def test_recorded_crimes_peak_in_summer(cases):
    # Seasonal weight 1 + 0.15 cos(2 pi (month - 7) / 12): Jun-Aug average 1.10, Dec-Feb 0.86.
    month = pd.concat(df["recorded_date"].str[5:7] for df in cases.values())
    summer = month.isin({"06", "07", "08"}).sum()
    winter = month.isin({"12", "01", "02"}).sum()
    assert summer > 1.15 * winter


def test_victims_offences_and_outcomes_look_like_rasso(cases):
    df = pd.concat(cases.values())
    rape = df["offence_code"].str.startswith("19")
    female = df["victim_gender"].isin({"female", "F"})
    age = pd.to_numeric(df["victim_age"])
    assert female[rape].mean() == pytest.approx(0.89, abs=0.03)
    assert (age < 18)[age.notna()].mean() == pytest.approx(0.40, abs=0.03)
    assert age.isna().mean() == pytest.approx(0.03, abs=0.01)
    assert (df["cancelled"] == "true").mean() == pytest.approx(0.02, abs=0.01)
    years_before = pd.to_datetime(df["recorded_date"]) - pd.to_datetime(df["offence_date"])
    assert (years_before.dt.days >= 365).mean() == pytest.approx(0.05, abs=0.015)

    steady = pd.concat([d for f, d in cases.items() if f != "demo-northmoor"])
    finalised = steady[steady["outcome_type"] != ""]
    charged = finalised["outcome_type"].isin({"1", "1A"})
    is_rape = finalised["offence_code"].str.startswith("19")
    assert 0.02 < charged[is_rape].mean() < 0.07
    assert 0.06 < charged[~is_rape].mean() < 0.12
    assert finalised["outcome_type"].value_counts().index[0] == "16"
    assert {"14", "15", "18", "9", "10", "20", "21"} <= set(finalised["outcome_type"])


def test_investigations_look_like_rasso(cases):
    df = pd.concat(cases.values())
    named = df["suspect_id"] != ""
    assert named.mean() == pytest.approx(0.70, abs=0.04)
    release = df["release_type"].value_counts()
    assert release["rui"] > release["bail"] > 0
    assert set(df["cps_decision"]) == {"", "charge", "nfa", "further_work"}
    assert set(df["civil_order_type"]) == {"", "SHPO", "SRO"}
    assert (df["s63g_application"] == "true").any()

    # Report to charge takes many months: median about a year.
    charged = df[df["outcome_type"].isin({"1", "1A"})]
    charge_event = charged["charge_date"].where(
        charged["charge_date"] != "", charged["outcome_date"]
    )
    days = pd.to_datetime(charge_event) - pd.to_datetime(charged["recorded_date"])
    assert 270 < days.dt.days.median() < 450

    # A backlog: crimes from the first year of the window mostly finalised, recent ones open.
    open_ = df["outcome_type"] == ""
    assert open_[df["recorded_date"] < "2023-07-01"].mean() < 0.12
    assert open_[df["recorded_date"] >= "2025-01-01"].mean() > 0.6


def test_some_suspects_are_linked_to_several_crimes_within_three_years(cases):
    for force, df in cases.items():
        named = df[df["suspect_id"] != ""]
        recorded = pd.to_datetime(named["recorded_date"])
        span = recorded.groupby(named["suspect_id"]).agg(["count", "min", "max"])
        repeat = span[(span["count"] >= 2) & ((span["max"] - span["min"]).dt.days <= 1095)]
        assert repeat["count"].sum() > 0.05 * len(named), force


def test_fourth_force_records_charge_date_on_about_sixty_percent(cases):
    for force, df in cases.items():
        charged = df[df["outcome_type"].isin({"1", "1A"})]
        filled = (charged["charge_date"] != "").mean()
        if force == "demo-southdown":
            assert filled == pytest.approx(0.6, abs=0.08)
        else:
            assert filled == 1.0, force


def test_the_contract_validator_accepts_every_generated_file(generated):
    for path in generated.case_files:
        report = validate_case_file(path, as_of=generated.as_of).report
        assert report.ok, report.to_text()
    report = validate_workforce_file(generated.workforce_file).report
    assert report.ok, report.to_text()


# --- warm-up: history before the months meant to be read ---------------------------------

WARMUP = 24


@pytest.fixture(scope="module")
def warmed(tmp_path_factory) -> generator.GeneratedFiles:
    return _generate(tmp_path_factory.mktemp("warmed"), warmup_months=WARMUP)


@pytest.fixture(scope="module")
def warmed_cases(warmed) -> dict[str, pd.DataFrame]:
    return {
        path.name.removeprefix("cases_").removesuffix(".csv"): pd.read_csv(
            path, dtype=str, keep_default_na=False
        )
        for path in warmed.case_files
    }


def test_warmup_adds_months_before_the_window(warmed, warmed_cases):
    recorded = pd.concat(df["recorded_date"] for df in warmed_cases.values())
    months = sorted({d[:7] for d in recorded})
    # 36 + 24 = 60 months ending June 2025 start in July 2020.
    assert len(months) == 60
    assert months[0] == "2020-07" and months[-1] == "2025-06"
    # as_of is a month end, so exactly 4 forces x 60 months x 120 crimes.
    assert warmed.crimes == len(recorded) == 4 * 60 * 120
    wf = pd.read_csv(warmed.workforce_file, dtype=str)
    assert len(wf) == 4 * 60 and wf["month"].min() == "2020-07"


def test_warmup_is_deterministic_and_zero_changes_nothing(generated, warmed, tmp_path):
    again = _generate(tmp_path / "again", warmup_months=WARMUP)
    for first, second in zip(warmed.case_files, again.case_files, strict=True):
        assert first.read_bytes() == second.read_bytes()
    assert warmed.workforce_file.read_bytes() == again.workforce_file.read_bytes()
    zero = _generate(tmp_path / "zero", warmup_months=0)
    for first, second in zip(generated.case_files, zero.case_files, strict=True):
        assert first.read_bytes() == second.read_bytes()


def test_warmup_puts_no_date_after_as_of_and_stays_valid(warmed, warmed_cases):
    for df in warmed_cases.values():
        dates = df[[c for c in df.columns if c.endswith("_date")]]
        assert dates.max().max() <= "2025-06-30"
    for path in warmed.case_files:
        report = validate_case_file(path, as_of=warmed.as_of).report
        assert report.ok, report.to_text()


def test_negative_warmup_is_refused(tmp_path):
    with pytest.raises(ValueError, match="warmup_months"):
        generator.generate(tmp_path, forces=1, months=3, warmup_months=-1)


def _median_days_to_charge(frames: dict[str, pd.DataFrame], first: str, last: str) -> float:
    """Median days from report to charge of crimes charged between two dates (as K05 does)."""
    df = pd.concat(frames.values())
    df = df[(df["charge_date"] >= first) & (df["charge_date"] <= last)]
    days = pd.to_datetime(df["charge_date"]) - pd.to_datetime(df["recorded_date"])
    return days.dt.days.median()


def test_warmup_removes_the_climb_in_days_to_charge(cases, warmed_cases):
    # Without history before the window, a charge in the window's first year can only be of a
    # crime reported in the last few months, so the median is truncated far below the typical
    # year; with 24 months of history it is not.
    def first_over_last(frames) -> float:
        first = _median_days_to_charge(frames, "2022-07-01", "2023-06-30")
        return first / _median_days_to_charge(frames, "2024-07-01", "2025-06-30")

    assert first_over_last(cases) < 0.7
    assert first_over_last(warmed_cases) > 0.85


def test_warmup_keeps_the_first_forces_improvement_and_levels_the_others(warmed_cases):
    def growth(df: pd.DataFrame) -> float:
        last = _charge_rate(df, "2024-07-01", "2025-06-30")
        return last / _charge_rate(df, "2022-07-01", "2023-06-30")

    # The others have no trend: their charge rate no longer climbs through the first year.
    for force, df in warmed_cases.items():
        if force != "demo-northmoor":
            assert 0.75 < growth(df) < 1.33, force
    # Force 1's multiplier rises from 0.4 (through the warm-up) to 2.2 across the window.
    assert growth(warmed_cases["demo-northmoor"]) > 1.8
