"""Invariants of the KPI results on small random datasets, and of the catalogue itself."""

import datetime as dt
from collections import defaultdict

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flightdeck.engine import catalogue as kpi_catalogue
from flightdeck.engine import docs as kpi_docs
from flightdeck.engine import refresh
from flightdeck.store.connection import connect
from flightdeck.vocabulary import RESULT_COLUMNS
from helpers.independent import engine_rows, naive_rows, same
from helpers.kpis import FORCE, OTHER_FORCE
from helpers.paths import ROOT
from helpers.store import insert_case_load, insert_workforce_load

START = dt.date(2023, 1, 1)
AS_OF = dt.date(2024, 12, 20)
CATALOGUE = kpi_catalogue.by_id()  # the 21 and the supplementary measures S01..S06
# A civil order application's date: a few days only, so several crimes share an application.
APPLICATION_DAYS = (150, 400, 650)


def _day(offset: int) -> dt.date:
    return min(START + dt.timedelta(days=offset), AS_OF)


@st.composite
def a_crime(draw, crime_id: str) -> dict:
    recorded = draw(st.integers(0, (AS_OF - START).days))

    def maybe_after(low: int, high: int, base: int = recorded):
        gap = draw(st.none() | st.integers(low, high))
        return None if gap is None else _day(max(base + gap, 0))

    outcome = draw(st.sampled_from([None, "1", "1A", "9", "14", "15", "16", "18", "21"]))
    suspect = draw(st.sampled_from([None, "s1", "s2", "s3"]))
    seized = draw(st.none() | st.integers(0, 60))
    crime = {
        "force": draw(st.sampled_from([FORCE, OTHER_FORCE])),
        "crime_id": crime_id,
        "recorded_date": _day(recorded),
        "offence_code": draw(st.sampled_from(["19C", "19G", "20A", "88E"])),  # rape, other
        "victim_age": draw(st.none() | st.integers(0, 90)),
        "victim_gender": draw(st.sampled_from(["female", "male", "other", "unknown"])),
        "cancelled": draw(st.booleans()),
        "suspect_id": suspect,
        "suspect_identified_date": maybe_after(-5, 60) if suspect else None,
        "first_contact_date": maybe_after(-3, 90) if suspect else None,
        "first_contact_type": draw(st.sampled_from([None, "arrest", "voluntary_interview"])),
        "release_type": draw(st.sampled_from([None, "bail", "rui", "charged", "nfa"])),
        "cps_early_advice_date": maybe_after(0, 200),
        "cps_referral_date": maybe_after(0, 200),
        "cps_decision": draw(st.sampled_from([None, "charge", "nfa", "further_work"])),
        "cps_decision_date": maybe_after(0, 300),
        "outcome_type": outcome,
        "outcome_date": maybe_after(0, 500) if outcome else None,
        "charge_date": maybe_after(-5, 400) if outcome in ("1", "1A") else None,
        "isva_referral_date": maybe_after(0, 15),
        "vcop_assessment_date": maybe_after(0, 10),
        "device_seized_date": None if seized is None else _day(recorded + seized),
        "device_returned_date": None if seized is None else maybe_after(0, 4, recorded + seized),
        "s63g_application": draw(st.none() | st.booleans()),
        "civil_order_type": draw(st.sampled_from([None, "SHPO", "SRO"])) if suspect else None,
        "civil_order_date": maybe_after(0, 300),
        "ssrp_referral_date": maybe_after(0, 300) if suspect else None,
        "victim_id": draw(st.sampled_from([None, "v1", "v2"])),
    }
    if crime["outcome_type"] and crime["outcome_date"] is None:
        crime["outcome_date"] = crime["recorded_date"]
    if crime["civil_order_type"]:
        crime["civil_order_date"] = _day(draw(st.sampled_from(APPLICATION_DAYS)))
    contact = crime["first_contact_date"]
    crime["bail_breach_date"] = (
        maybe_after(0, 120, (contact - START).days) if contact and crime["release_type"] else None
    )
    return crime


def _application(crime: dict) -> tuple | None:
    if not crime["civil_order_type"]:
        return None
    return crime["force"], crime["suspect_id"], crime["civil_order_type"], crime["civil_order_date"]


@st.composite
def an_outcome(draw, application: tuple, crimes: list[dict]) -> None:
    """Give every crime of one civil order application the same outcome (as a file must), and a
    breach of the order to some of them when it is granted."""
    outcome = draw(st.sampled_from([None, "granted", "refused", "withdrawn"]))
    decided = None
    if outcome:
        decided = _day((application[3] - START).days + draw(st.integers(0, 200)))
    for c in crimes:
        if _application(c) == application:
            c["civil_order_outcome"], c["civil_order_outcome_date"] = outcome, decided
            breach = draw(st.none() | st.integers(0, 150)) if outcome == "granted" else None
            c["order_breach_date"] = (
                None if breach is None else _day((decided - START).days + breach)
            )


@st.composite
def a_dataset(draw) -> tuple[list[dict], list[dict], list[dict]]:
    """Crimes, workforce figures, and a later load updating some crimes' civil order outcomes
    (rows of one application then disagree across the two loads, as a store can hold)."""
    n = draw(st.integers(1, 25))
    crimes = [draw(a_crime(f"c{i}")) for i in range(n)]
    applications = sorted({a for a in map(_application, crimes) if a}, key=str)
    for application in applications:
        draw(an_outcome(application, crimes))
    updated = []
    for application in draw(
        st.lists(st.sampled_from(applications), unique=True, max_size=3)
        if applications
        else st.just([])
    ):
        # a later extract holding some of the application's crimes, with another outcome
        mine = [dict(c) for c in crimes if _application(c) == application]
        some = draw(st.lists(st.sampled_from(mine), min_size=1, unique_by=lambda c: c["crime_id"]))
        draw(an_outcome(application, some))
        updated += some
    months = draw(st.lists(st.integers(0, 23), max_size=3, unique=True))
    workforce = []
    for m in months:
        in_post = draw(st.floats(0.5, 20, allow_nan=False))
        trained = draw(st.floats(0, 1)) * in_post
        month = dt.date(2023 + m // 12, m % 12 + 1, 1)
        workforce.append({"force": FORCE, "month": month, "in_post": in_post, "trained": trained})
    return crimes, workforce, updated


@pytest.fixture(scope="module")
def shared_store(tmp_path_factory):
    con = connect(tmp_path_factory.mktemp("properties") / "p.duckdb")
    yield con
    con.close()


def _computed(con, crimes, workforce, updated=()) -> list[tuple]:
    for table in ("crime_versions", "workforce_versions", "loads"):
        con.execute(f"DELETE FROM {table}")
    insert_case_load(con, crimes, as_of=AS_OF.isoformat(), forces=[FORCE, OTHER_FORCE])
    if updated:
        insert_case_load(con, updated, as_of=AS_OF.isoformat(), forces=[FORCE, OTHER_FORCE])
    if workforce:
        insert_workforce_load(con, workforce)
    refresh.refresh(con)
    return con.execute(f"SELECT {', '.join(RESULT_COLUMNS)} FROM kpi_results").fetchall()


PROPERTY_SETTINGS = settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


def _check_conventions(results: list[tuple]) -> None:
    """Sizes at least 1, rates within [0, 1] and equal to their fraction, counts and medians
    filled in as the results table says, force-level KPIs as totals only."""
    for kpi_id, _, _, group, age, gender, num, den, value, complete in results:
        kpi = CATALOGUE[kpi_id]
        size = den if kpi.kind in ("rate", "median") else num
        assert size >= 1
        assert group in ("All", "rape", "other_sexual")
        if kpi.force_level:
            assert (group, age, gender) == ("All", "All", "All")
        if kpi.complete_after_days is None:
            assert complete
        if kpi.kind == "rate":
            if kpi_id != "K21":  # open cases per investigator is a ratio, not a share
                assert 0 <= num <= den + 1e-9
            if complete:
                assert value == pytest.approx(num / den)
            else:
                assert value is None
        elif kpi.kind == "count":
            assert (den, value) == (None, num)
        else:
            assert num is None and value >= 0


def _check_breakdowns_add_up(results: list[tuple]) -> None:
    """Numerators and denominators: the total equals the sum over age bands, over genders and
    over age band x gender, within each offence group; and All = rape + other_sexual in every
    (age band, gender) cell."""
    # (kpi, force, month, offence group, measure) -> cut -> sum
    sums = defaultdict(lambda: defaultdict(float))
    # (kpi, force, month, age, gender, measure) -> offence group -> figure
    groups = defaultdict(lambda: defaultdict(float))
    for kpi_id, force, month, group, age, gender, num, den, _, _ in results:
        if age == "All":
            cut = "total" if gender == "All" else "by gender"
        else:
            cut = "by age" if gender == "All" else "age x gender"
        for measure, x in (("numerator", num), ("denominator", den)):
            if x is not None:
                sums[(kpi_id, force, month, group, measure)][cut] += x
                groups[(kpi_id, force, month, age, gender, measure)][group] += x
    for key, by_group in groups.items():
        if not CATALOGUE[key[0]].force_level:
            assert by_group["All"] == pytest.approx(by_group["rape"] + by_group["other_sexual"]), (
                key
            )
    for key, cuts in sums.items():
        if CATALOGUE[key[0]].force_level:
            assert set(cuts) == {"total"}
            continue
        expected = cuts["total"]
        for cut in ("by gender", "by age", "age x gender"):
            assert cuts[cut] == pytest.approx(expected), (key, cut)


@PROPERTY_SETTINGS
@given(dataset=a_dataset())
def test_results_obey_the_conventions_and_breakdowns_add_up(shared_store, dataset):
    results = _computed(shared_store, *dataset)
    _check_conventions(results)
    _check_breakdowns_add_up(results)


def _month_end(month: dt.date) -> dt.date:
    following = dt.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following - dt.timedelta(days=1)


@PROPERTY_SETTINGS
@given(dataset=a_dataset())
def test_every_row_matches_the_independent_implementation(shared_store, dataset):
    _computed(shared_store, *dataset)
    engine = engine_rows(shared_store)
    naive = naive_rows(shared_store)
    assert [r[:6] for r in engine] == [r[:6] for r in naive]
    for e, n in zip(engine, naive, strict=True):
        assert all(same(x, y) for x, y in zip(e[6:], n[6:], strict=True)), (e, n)


@settings(PROPERTY_SETTINGS, max_examples=12)
@given(dataset=a_dataset())
def test_open_case_counts_match_a_crime_by_crime_count(shared_store, dataset):
    crimes, workforce, _ = dataset
    results = _computed(shared_store, crimes, workforce)
    in_scope = [c for c in crimes if c["force"] == FORCE and not c["cancelled"]]
    if not any(c["outcome_type"] for c in in_scope):
        return  # K06 is not feasible for the force: no rows to check
    k06 = {month: den for k, f, month, o, a, g, _, den, _, _ in results
           if (k, f, o, a, g) == ("K06", FORCE, "All", "All", "All")}  # fmt: skip
    first = min(c["recorded_date"] for c in in_scope).replace(day=1)
    month = first
    while _month_end(month) <= AS_OF:
        end = _month_end(month)
        open_at_end = sum(
            1
            for c in in_scope
            if c["recorded_date"] <= end and (c["outcome_type"] is None or c["outcome_date"] > end)
        )
        assert k06.get(month, 0) == open_at_end, month
        month = end + dt.timedelta(days=1)


# The catalogue ---------------------------------------------------------------------------
def test_catalogue_has_the_21_kpis_each_with_its_sql_file():
    catalogue = kpi_catalogue.catalogue()
    assert [k.id for k in catalogue] == [f"K{i:02d}" for i in range(1, 22)]
    for kpi in catalogue:
        assert kpi.sql_path.parent == ROOT / "kpis"  # beside its YAML file
        assert kpi.sql_path.name.startswith(kpi.id.lower() + "_")
        assert "SELECT" in kpi.sql
        assert kpi.kind in ("rate", "count", "median")
        assert kpi.direction in ("up", "down", "neutral")
    assert {k.id for k in catalogue if k.force_level} == {"K14", "K20", "K21"}
    assert {k.id: k.cohort_days for k in catalogue if k.cohort_days} == {
        "K07": 30, "K08": 30, "K16": 7, "K17": 5,
    }  # fmt: skip
    assert {k.id: k.complete_after_days for k in catalogue if k.complete_after_days} == {
        "K07": 30, "K08": 30, "K16": 7, "K17": 5, "K18": 1,
    }  # fmt: skip
    assert {k.id for k in catalogue if k.expected_where} == {"K05", "K07"}


def test_docs_page_is_written_from_the_catalogue():
    # If this fails after changing a KPI's YAML: python -m flightdeck.engine.docs
    page = (ROOT / kpi_docs.DOC_PATH).read_text(encoding="utf-8")
    assert page == kpi_docs.catalogue_markdown(
        kpi_catalogue.catalogue(), kpi_catalogue.supplementary()
    )
    supplementary = page.index("# Supplementary measures (suspect management)")
    assert page.index("## K21 ") < supplementary < page.index("## S01 ") < page.index("## S06 ")
