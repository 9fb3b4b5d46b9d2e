"""Feasibility flags: the pure judgement, then flags and their effect computed from a store."""

import csv
from types import SimpleNamespace

from flightdeck.engine import catalogue, refresh, results
from flightdeck.engine.feasibility import FEASIBLE, NOT_FEASIBLE, PARTIAL, ForceData, assess
from helpers.kpis import FORCE, OTHER_FORCE, crime, load_and_refresh, rows, totals
from helpers.store import insert_workforce_load

CHARGE_DATE_RULE = {"column": "charge_date", "where": "charged", "described_as": "charged crimes"}
K05_LIKE = SimpleNamespace(
    requires=("outcome_type", "outcome_date"), expected_where=CHARGE_DATE_RULE, uses_workforce=False
)
K21_LIKE = SimpleNamespace(
    requires=("outcome_type", "outcome_date"), expected_where=None, uses_workforce=True
)


def data(filled=None, expected=None, has_workforce=False) -> ForceData:
    return ForceData("f", filled or {}, expected or {}, has_workforce)


# assess: pure ----------------------------------------------------------------------------
def test_a_required_column_entirely_blank_is_not_feasible_and_named():
    flag, reason = assess(K05_LIKE, data({"outcome_type": 0, "outcome_date": 0}), 0.8)
    assert flag == NOT_FEASIBLE
    assert reason == "outcome_type, outcome_date not recorded (absent or entirely blank)"


def test_one_filled_value_is_enough_to_be_feasible():
    flag, _ = assess(
        K21_LIKE, data({"outcome_type": 1, "outcome_date": 1}, has_workforce=True), 0.8
    )
    assert flag == FEASIBLE


def test_workforce_kpi_without_workforce_figures_is_not_feasible():
    flag, reason = assess(K21_LIKE, data({"outcome_type": 3, "outcome_date": 3}), 0.8)
    assert (flag, reason) == (NOT_FEASIBLE, "no workforce figures loaded for this force")


def test_partial_names_the_completeness_found_and_the_threshold():
    filled = {"outcome_type": 500, "outcome_date": 500}
    # 123 of 212 is 58.0 %
    flag, reason = assess(K05_LIKE, data(filled, {("charge_date", "charged"): (212, 123)}), 0.8)
    assert flag == PARTIAL
    assert reason == "charge_date filled on 58 % of 212 charged crimes (threshold 80 %)"


def test_threshold_is_a_minimum_share():
    filled = {"outcome_type": 9, "outcome_date": 9}
    at = data(filled, {("charge_date", "charged"): (5, 4)})  # exactly 80 %
    below = data(filled, {("charge_date", "charged"): (100, 79)})
    assert assess(K05_LIKE, at, 0.8)[0] == FEASIBLE
    assert assess(K05_LIKE, below, 0.8)[0] == PARTIAL
    assert assess(K05_LIKE, below, 0.75)[0] == FEASIBLE


def test_a_share_just_under_the_threshold_never_reads_as_meeting_it():
    filled = {"outcome_type": 9, "outcome_date": 9}
    flag, reason = assess(K05_LIKE, data(filled, {("charge_date", "charged"): (1000, 799)}), 0.8)
    assert flag == PARTIAL
    assert reason.startswith("charge_date filled on 79 % of 1,000 charged crimes")


def test_nothing_expected_yet_is_feasible():
    filled = {"outcome_type": 9, "outcome_date": 9}
    flag, reason = assess(K05_LIKE, data(filled, {("charge_date", "charged"): (0, 0)}), 0.8)
    assert flag == FEASIBLE
    assert "no charged crimes" in reason


# computed from a store -------------------------------------------------------------------
def _flags(con) -> dict:
    frame = results.feasibility(con)
    return {(r.force, r.kpi_id): (r.flag, r.reason) for r in frame.itertuples()}


def test_not_feasible_kpis_produce_no_rows_and_say_why(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-10", outcome_type="1", outcome_date="2024-02-01"),
            crime("b", "2024-01-11", force=OTHER_FORCE),
            # a cancelled crime's outcome does not make the KPI feasible for the other force
            crime("c", "2024-01-12", force=OTHER_FORCE, outcome_type="15",
                  outcome_date="2024-02-01", cancelled=True),
        ],
        as_of="2024-03-31",
    )  # fmt: skip
    flags = _flags(store)
    assert flags[(FORCE, "K02")] == (FEASIBLE, "all required columns present")
    assert flags[(OTHER_FORCE, "K02")] == (
        NOT_FEASIBLE,
        "outcome_type, outcome_date not recorded (absent or entirely blank)",
    )
    assert flags[(OTHER_FORCE, "K01")][0] == FEASIBLE
    assert totals(store, "K02") == {"2024-02-01": (1, 1, 1, True)}
    assert rows(store, "K02", OTHER_FORCE) == {}
    assert rows(store, "K06", OTHER_FORCE) == {}  # no outcomes recorded: open cases unknown
    assert totals(store, "K01", OTHER_FORCE) == {"2024-01-01": (1, None, 1, True)}
    assert flags[(FORCE, "K20")][0] == NOT_FEASIBLE  # no workforce figures loaded
    assert len(flags) == 2 * len(catalogue.measures())  # the 21 and S01..S06


def test_partial_kpis_still_produce_rows_and_threshold_is_configurable(store):
    charged = [
        crime(str(i), "2024-01-01", outcome_type="1", outcome_date="2024-01-11",
              charge_date="2024-01-11" if i < 3 else None)
        for i in range(5)
    ]  # fmt: skip
    load_and_refresh(store, charged, as_of="2024-03-31")
    assert _flags(store)[(FORCE, "K05")] == (
        PARTIAL,
        "charge_date filled on 60 % of 5 charged crimes (threshold 80 %)",
    )
    assert totals(store, "K05") == {"2024-01-01": (None, 5, 10, True)}
    refresh.refresh(store, threshold=0.6)
    assert _flags(store)[(FORCE, "K05")][0] == FEASIBLE


def test_k07_partial_counts_only_crimes_with_a_named_suspect(store):
    load_and_refresh(
        store,
        [
            crime("a", "2024-01-01", suspect_id="s1", suspect_identified_date="2024-01-02"),
            crime("b", "2024-01-01", suspect_id="s2"),
            crime("c", "2024-01-01"),  # no suspect: not expected to have the date
        ],
        as_of="2024-03-31",
    )
    assert _flags(store)[(FORCE, "K07")] == (
        PARTIAL,
        "suspect_identified_date filled on 50 % of 2 crimes with a named suspect (threshold 80 %)",
    )


def test_workforce_makes_k20_and_k21_feasible(store):
    insert_workforce_load(store, [{"force": FORCE, "month": "2024-01-01", "in_post": 3,
                                   "trained": 1}])  # fmt: skip
    load_and_refresh(store, [crime("a", "2024-01-05", outcome_type="18",
                                   outcome_date="2024-03-01")], as_of="2024-03-31")  # fmt: skip
    flags = _flags(store)
    assert flags[(FORCE, "K20")] == (FEASIBLE, "workforce figures loaded")
    assert flags[(FORCE, "K21")] == (
        FEASIBLE,
        "all required columns present; workforce figures loaded",
    )


def test_declared_status_shown_beside_the_flag_and_written_as_csv(store, tmp_path):
    load_and_refresh(store, [crime("a", "2024-01-05")], as_of="2024-03-31")
    frame = results.feasibility(store)
    assert list(frame.columns) == ["force", "kpi_id", "flag", "reason", "declared_status"]
    declared = dict(zip(frame["kpi_id"], frame["declared_status"], strict=True))
    # From data/reference/declared_status.csv: demo-northmoor declares K01 reported,
    # K07 under assessment, and nothing for K03.
    assert (declared["K01"], declared["K07"], declared["K03"]) == (
        "reported", "under_assessment", "",
    )  # fmt: skip
    path = tmp_path / "feasibility.csv"
    assert results.write_feasibility_csv(store, path) == len(catalogue.measures())
    with path.open(newline="") as f:
        written = list(csv.DictReader(f))
    k03 = next(r for r in written if r["kpi_id"] == "K03")
    assert k03 == {
        "force": FORCE,
        "kpi_id": "K03",
        "flag": NOT_FEASIBLE,
        "reason": "outcome_type, outcome_date not recorded (absent or entirely blank)",
        "declared_status": "",
    }


def test_a_declared_status_contradicting_the_computed_flag_is_a_disagreement():
    import pandas as pd

    from flightdeck.engine.feasibility import disagreements

    flags = pd.DataFrame(
        [
            ("K01", "feasible", "reported"),  # agree
            ("K02", "not_feasible", "reported"),  # says reported, cannot be computed
            ("K03", "not_feasible", "feasible"),  # says feasible, cannot be computed
            ("K04", "feasible", "not_feasible"),  # says not feasible, can be computed
            ("K05", "partial", "not_feasible"),  # partial agrees with anything
            ("K06", "not_feasible", "under_assessment"),  # still being assessed
            ("K07", "not_feasible", ""),  # nothing declared
            ("K08", "feasible", None),
        ],
        columns=["kpi_id", "flag", "declared_status"],
    )
    assert list(disagreements(flags)["kpi_id"]) == ["K02", "K03", "K04"]
