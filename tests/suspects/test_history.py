"""A suspect's history at a month end: the crimes to the month end (newest first, those of the
window marked), the disruption as the lists count it, and the orders, referrals and breaches
behind it. Month 2025-06: E = 2025-06-30, the window [2024-07-01, 2025-06-30]."""

import datetime as dt

import pandas as pd
import pytest

from flightdeck import access
from flightdeck.suspects import history, lists
from flightdeck.suspects.scope import SuspectsRefused
from helpers.kpis import FORCE, OTHER_FORCE, crime
from helpers.store import audit_rows, insert_case_load

ANALYST = access.User("ana", "analyst")
JUNE = dt.date(2025, 6, 1)
ORDER = dict(civil_order_type="SHPO", civil_order_date="2025-02-01",
             civil_order_outcome="granted", civil_order_outcome_date="2025-03-01")  # fmt: skip


@pytest.fixture
def suspect_store(store):
    insert_case_load(
        store,
        [
            crime("C1", "2024-05-01", suspect_id="X", victim_id="V1", release_type="bail",
                  first_contact_date="2024-05-03", bail_breach_date="2024-06-01"),
            crime("C2", "2025-01-10", suspect_id="X", victim_id="V2", offence_code="20A",
                  outcome_type="16", outcome_date="2025-04-01", s63g_application=True,
                  ssrp_referral_date="2025-01-20", **ORDER),
            crime("C3", "2025-06-05", suspect_id="X", victim_id="V2",
                  order_breach_date="2025-06-20", **ORDER),
            crime("C4", "2025-07-01", suspect_id="X"),  # after E
            crime("C5", "2025-06-05", suspect_id="X", cancelled=True),
            crime("C6", "2025-06-05", suspect_id="X", force=OTHER_FORCE),
            crime("C7", "2025-06-05", suspect_id="Y"),
        ],
        "2025-07-10",
    )  # fmt: skip
    return store


def test_the_crimes_to_the_month_end_newest_first(suspect_store):
    found = history.suspect_history(suspect_store, ANALYST, FORCE, JUNE, "X")
    assert tuple(found.crimes.columns) == history.CRIME_COLUMNS
    crimes = found.crimes
    assert crimes["crime_id"].tolist() == ["C3", "C2", "C1"]
    assert crimes["recorded_date"].tolist() == [
        dt.date(2025, 6, 5), dt.date(2025, 1, 10), dt.date(2024, 5, 1),
    ]  # fmt: skip
    assert crimes["in_window"].tolist() == [True, True, False]
    assert crimes["open_at_month_end"].tolist() == [True, False, True]
    assert crimes["harm"].tolist() == [1825, 182, 1825]
    assert crimes["offence_title"].tolist()[1] == "Sexual assault on a female aged 13 and over"
    assert crimes["offence_group"].tolist() == ["rape", "other_sexual", "rape"]
    assert crimes["victim_id"].tolist() == ["V2", "V2", "V1"]
    assert crimes["outcome_date"].tolist()[1] == dt.date(2025, 4, 1)


def test_the_disruption_is_the_suspects_line_of_the_lists(suspect_store):
    found = history.suspect_history(suspect_store, ANALYST, FORCE, JUNE, "X")
    assert tuple(found.disruption.columns) == (*lists.COLUMNS[1:], "score")
    line = found.disruption.iloc[0].to_dict()
    listed = lists.suspect_list(suspect_store, ANALYST, FORCE, JUNE, "rfg")
    assert line == listed.iloc[0].drop("rank").to_dict()
    assert line == {
        "suspect_id": "X", "crimes": 2, "harm": 1825 + 182, "victims": 1,
        "last_recorded": dt.date(2025, 6, 5), "open_crimes": 2, "on_bail": True,
        "civil_order": "granted", "ssrp": True, "s63g": True, "breaches": 2,
        "score": 5 + 2 + 3,
    }  # fmt: skip


def test_the_orders_referrals_and_breaches_to_the_month_end(suspect_store):
    found = history.suspect_history(suspect_store, ANALYST, FORCE, JUNE, "X")
    assert found.orders.values.tolist() == [
        [dt.date(2025, 6, 20), "order breach", "SHPO"],
        [dt.date(2025, 3, 1), "civil order granted", "SHPO"],
        [dt.date(2025, 2, 1), "civil order application", "SHPO"],
        [dt.date(2025, 1, 20), "SSRP referral", None],
        [dt.date(2024, 6, 1), "bail breach", None],
    ]


def test_an_outcome_after_the_month_end_is_left_out_of_the_orders(suspect_store):
    found = history.suspect_history(suspect_store, ANALYST, FORCE, dt.date(2025, 2, 1), "X")
    assert [event for _, event, _ in found.orders.values.tolist()] == [
        "civil order application", "SSRP referral", "bail breach",
    ]  # fmt: skip
    assert found.disruption.iloc[0]["civil_order"] == "applied"


def test_a_suspect_with_crimes_only_before_the_window_has_a_history_but_no_score(store):
    insert_case_load(store, [crime("C1", "2023-05-01", suspect_id="Q")], "2025-07-10")
    found = history.suspect_history(store, ANALYST, FORCE, JUNE, "Q")
    line = found.disruption.iloc[0]
    assert (line["crimes"], line["harm"], line["open_crimes"]) == (0, 0, 1)
    assert line["last_recorded"] is None and pd.isna(line["score"])


def test_a_suspect_with_no_crime_to_the_month_end_is_refused_without_the_id(suspect_store):
    with pytest.raises(SuspectsRefused) as refused:
        history.suspect_history(suspect_store, ANALYST, FORCE, JUNE, "NOBODY-77")
    assert "NOBODY-77" not in str(refused.value)
    last = audit_rows(suspect_store).iloc[0]
    assert (last["action"], last["outcome"]) == ("view_suspect_history", "refused")
    assert "NOBODY-77" not in last["detail"]


def test_the_audit_row_carries_a_digest_not_the_id(suspect_store):
    history.suspect_history(suspect_store, ANALYST, FORCE, JUNE, "X")
    last = audit_rows(suspect_store).iloc[0]
    digest = history.suspect_digest(FORCE, "X")
    assert len(digest) == 12 and digest != history.suspect_digest(OTHER_FORCE, "X")
    assert last["detail"] == (
        f"suspect history demo-northmoor 2025-06 suspect digest {digest}: 3 crimes"
    )
    assert (last["user_name"], last["action"], last["outcome"]) == (
        "ana", "view_suspect_history", "ok",
    )  # fmt: skip
