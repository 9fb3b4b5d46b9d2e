"""The Suspect lists page per role (AppTest) on hand-built crimes: an analyst sees the list in the
catalogue's order with the handling line, a viewer is refused with an audit row and sees no
suspect reference, and the navigation lists the page for analysts only."""

import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access
from flightdeck.access import identity
from flightdeck.app import registry
from flightdeck.engine import refresh
from flightdeck.store import connection
from helpers.kpis import FORCE, crime
from helpers.store import insert_case_load

ANALYST = access.User("ana@x.example", "analyst")
VIEWER = access.User("vic@x.example", "viewer")
AS_OF = "2025-07-15"


def _page() -> None:
    from flightdeck.app.pages import suspect_lists

    suspect_lists.render()


@pytest.fixture
def db(tmp_path, monkeypatch):
    """June 2025's window (2024-07-01 to 2025-06-30) holds S-AAA with three crimes, S-BBB with
    two and S-CCC with one; S-DDD's two crimes are 365 days and more before the month end."""
    path = tmp_path / "suspects.duckdb"
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    monkeypatch.setenv(identity.TEST_ENV, "1")
    crimes = [
        crime("c1", "2025-06-20", suspect_id="S-AAA"),
        crime("c2", "2025-03-01", suspect_id="S-AAA"),
        crime("c3", "2024-07-01", suspect_id="S-AAA"),  # E - 364: inside
        crime("c4", "2025-05-05", suspect_id="S-BBB", offence_code="20A"),
        crime("c5", "2025-01-05", suspect_id="S-BBB", offence_code="20A"),
        crime("c6", "2025-06-01", suspect_id="S-CCC"),
        crime("c7", "2024-06-30", suspect_id="S-DDD"),  # E - 365: outside
        crime("c8", "2024-01-10", suspect_id="S-DDD"),
    ]
    con = connection.connect(path)
    insert_case_load(con, crimes, as_of=AS_OF)
    refresh.refresh(con)
    con.close()
    return path


def _run(user: access.User) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    at.session_state[identity.TEST_USER_KEY] = user
    at.session_state["force"] = FORCE
    return at.run()


def _audit(db) -> list[tuple]:
    with connection.connect(db) as con:
        return con.execute(
            "SELECT user_name, action, detail, outcome FROM audit_log ORDER BY audit_id"
        ).fetchall()


def _text(at: AppTest) -> str:
    kinds = ("markdown", "caption", "subheader", "info")
    parts = [e.value for kind in kinds for e in getattr(at, kind)]
    parts += [e.proto.body for e in at.warning] + [e.proto.body for e in at.error]
    parts += [df.value.to_csv() for df in at.dataframe]
    return "\n".join(str(p) for p in parts)


def test_an_analyst_sees_the_frequency_list_in_order_and_the_view_is_audited(db):
    at = _run(ANALYST)
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    # S-AAA 3 crimes, S-BBB 2; S-CCC has one crime and S-DDD none in the window
    assert list(table["suspect_id"]) == ["S-AAA", "S-BBB"]
    assert list(table["rank"]) == [1, 2]
    assert list(table["crimes"]) == [3, 2]
    assert "OFFICIAL-SENSITIVE" in _text(at)
    user, action, detail, outcome = _audit(db)[-1]
    assert (user, action, outcome) == (ANALYST.name, "view_suspects", "ok")
    assert FORCE in detail and "2025-06" in detail and "frequency" in detail
    assert "S-AAA" not in detail
    at.run()  # a rerun of the same choice is the same view: not read or audited again
    assert sum(1 for row in _audit(db) if row[1] == "view_suspects") == 1


def test_the_harm_list_holds_every_suspect_of_the_window(db):
    at = _run(ANALYST)
    at.segmented_control(key="_suspect_list").set_value("harm").run()
    assert not at.exception
    table = at.dataframe[0].value
    # rape (19C) weighs 1,825 days, sexual assault on a female 13+ (20A) 182
    assert list(table["suspect_id"]) == ["S-AAA", "S-CCC", "S-BBB"]
    assert list(table["harm"]) == [3 * 1825, 1825, 2 * 182]


def test_choosing_a_suspect_opens_their_history_audited_without_their_reference(db):
    at = _run(ANALYST)
    at.selectbox(key="suspect_history_choice").set_value("S-AAA").run()
    assert not at.exception
    assert "Suspect S-AAA: history to the end of" in _text(at)
    crimes = at.dataframe[1].value
    assert sorted(crimes["crime_id"]) == ["c1", "c2", "c3"]
    user, action, detail, outcome = _audit(db)[-1]
    assert (user, action, outcome) == (ANALYST.name, "view_suspect_history", "ok")
    assert FORCE in detail and "2025-06" in detail and "S-AAA" not in detail


def test_a_viewer_is_refused_sees_no_suspect_and_the_refusal_is_audited(db):
    at = _run(VIEWER)
    assert not at.exception
    page = _text(at)
    assert "analysts only" in page
    assert not at.dataframe
    for suspect in ("S-AAA", "S-BBB", "S-CCC", "S-DDD"):
        assert suspect not in page
    user, action, _, outcome = _audit(db)[-1]
    assert (user, action, outcome) == (VIEWER.name, "view_suspects", "refused")


def _paths(sections: dict) -> set[str]:
    return {p for pages in sections.values() for p in pages}


def test_the_navigation_lists_the_suspect_lists_for_analysts_only():
    assert "suspects" in _paths(registry.listed(suspects=True))
    assert "suspects" not in _paths(registry.listed(suspects=False))
    assert "suspects" not in _paths(registry.listed(admin=True))
