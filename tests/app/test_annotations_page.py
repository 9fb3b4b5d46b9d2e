"""The change points, notes and targets page in AppTest: an analyst records and withdraws
annotations and edits targets (percent for rates); a viewer sees everything with every control
disabled; free text is shown as written, never as markdown."""

import datetime as dt
import shutil

import duckdb
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access
from flightdeck.access import identity
from flightdeck.app import registry
from flightdeck.store import annotations, connection, targets
from flightdeck.synthetic import demo

AS_OF = dt.date(2025, 6, 30)
ANALYST = access.User("ana@x.example", "analyst")
VIEWER = access.User("vic@x.example", "viewer")
FORCE = "demo-eastvale"  # the first force, so the page opens on it
TRICKY = "**bold** <b>html</b> [link](http://x.example) :red[alarm] $x$ _under_"


def _page() -> None:
    from flightdeck.app.pages import annotations as page

    page.render()


@pytest.fixture(scope="module")
def demo_template(tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("notes-demo") / "demo.duckdb"
    demo.build_demo(
        path, forces=3, months=15, crimes_per_month=25, seed=5, as_of=AS_OF, warmup_months=0
    )
    return str(path)


@pytest.fixture
def db(demo_template, tmp_path, monkeypatch) -> str:
    """A copy of the demo database for one test (the tests change it)."""
    path = tmp_path / "demo.duckdb"
    shutil.copy(demo_template, path)
    monkeypatch.setenv("FLIGHTDECK_DB", str(path))
    monkeypatch.setenv(identity.TEST_ENV, "1")
    return str(path)


def _run(user: access.User) -> AppTest:
    at = AppTest.from_function(_page, default_timeout=60)
    at.session_state[identity.TEST_USER_KEY] = user
    return at.run()


def _read(db: str, sql: str) -> list[tuple]:
    con = duckdb.connect(db, read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def _audit(db: str) -> list[tuple]:
    return _read(db, "SELECT user_name, action, outcome FROM audit_log ORDER BY audit_id")


def _target_table(at: AppTest) -> dict[str, str]:
    shown = next(d.value for d in at.dataframe if "Target" in d.value.columns)
    return dict(zip(shown["KPI"], shown["Target"], strict=True))


def test_the_page_is_in_the_flight_deck_section_after_kpi_detail():
    assert registry.PAGES["annotations"] == (
        "annotations",
        "Change points and targets",
        ":material/edit_note:",
    )
    section = registry.SECTIONS["Flight deck"]
    assert section.index("annotations") == section.index("kpi") + 1


def test_an_empty_database_says_there_is_no_data_yet(tmp_path, monkeypatch):
    monkeypatch.setenv("FLIGHTDECK_DB", str(tmp_path / "empty.duckdb"))
    at = AppTest.from_function(_page, default_timeout=60).run()
    assert not at.exception
    assert any("No data yet" in i.value for i in at.info)


def test_an_analyst_records_a_change_point_and_sees_it_listed(db):
    at = _run(ANALYST)
    assert not at.exception
    assert any("No change points or notes" in i.value for i in at.info)
    at.selectbox(key="annotation_kpi").set_value("K02")
    at.selectbox(key="annotation_month").set_value(pd.Timestamp("2025-04-01"))
    at.radio(key="annotation_kind").set_value("change_point")
    at.text_input(key="annotation_text").input("New RASSO team from April 2025")
    at.button(key="record_annotation").click().run()
    assert not at.exception
    assert [s.value for s in at.success] == ["Change point recorded for K02 from Apr 2025."]
    assert [t.value for t in at.text] == ["New RASSO team from April 2025"]
    assert any("Apr 2025 · K02 Charge/summons rate · Change point" in m.value for m in at.markdown)
    assert at.text_input(key="annotation_text").value == ""  # ready for the next one
    stored = _read(db, "SELECT force, kpi_id, month, kind, recorded_by FROM spc_annotations")
    assert stored == [(FORCE, "K02", dt.date(2025, 4, 1), "change_point", ANALYST.name)]
    assert _audit(db)[-1] == (ANALYST.name, "record_annotation", "ok")


def test_a_refused_text_is_said_and_kept_in_the_box_to_correct(db):
    at = _run(ANALYST)
    at.text_input(key="annotation_text").input("call 07700900123 about it")
    at.button(key="record_annotation").click().run()
    assert [e.value for e in at.error] == [
        "the text seems to hold a number that looks like a reference or phone number; notes "
        "must hold no names, ids or case details"
    ]
    assert at.text_input(key="annotation_text").value == "call 07700900123 about it"
    assert _read(db, "SELECT count(*) FROM spc_annotations") == [(0,)]
    assert _audit(db)[-1] == (ANALYST.name, "record_annotation", "refused")


def test_annotation_text_and_names_are_shown_as_written_never_as_markdown(db):
    with connection.connect(db) as con:
        annotations.record_annotation(
            con,
            FORCE,
            None,
            dt.date(2025, 3, 1),
            "note",
            TRICKY,
            user=access.User("a_b*c@x.example", "analyst"),
        )
    at = _run(ANALYST)
    assert [t.value for t in at.text] == [TRICKY]  # st.text: no markdown, no HTML
    markdown = "\n".join(m.value for m in at.markdown) + "\n".join(c.value for c in at.caption)
    assert "**bold**" not in markdown and "<b>" not in markdown and ":red[" not in markdown
    assert r"a\_b\*c@x\.example" in markdown  # the recorder's name, escaped
    assert any("Mar 2025 · All KPIs · Note" in m.value for m in at.markdown)


def test_an_analyst_withdraws_an_annotation_and_it_is_kept_and_audited(db):
    with connection.connect(db) as con:
        for text in ("First one", "Second one"):
            annotations.record_annotation(
                con, FORCE, "K03", dt.date(2025, 2, 1), "note", text, user=ANALYST
            )
        first = int(annotations.for_force(con, FORCE)["id"].iloc[0])
    at = _run(ANALYST)
    assert [t.value for t in at.text] == ["First one", "Second one"]
    at.button(key=f"withdraw_{first}").click().run()
    assert [s.value for s in at.success] == ["Note withdrawn."]
    assert [t.value for t in at.text] == ["Second one"]
    assert _read(db, "SELECT count(*) FROM spc_annotations") == [(2,)]
    assert _audit(db)[-1] == (ANALYST.name, "withdraw_annotation", "ok")


def test_targets_are_shown_and_set_in_percent_removed_and_reset(db):
    at = _run(ANALYST)
    shown = _target_table(at)
    assert shown["K02 Charge/summons rate"] == "9.0%"
    assert shown["K09 Days from report to first suspect contact"] == "15 days"
    at.selectbox(key="target_kpi").set_value("K02").run()
    assert at.number_input(key="target_value_K02").value == 9.0
    assert at.number_input(key="target_value_K02").label == "Target (%)"
    at.number_input(key="target_value_K02").set_value(12.5)
    at.button(key="save_target").click().run()
    assert [s.value for s in at.success] == ["Target for K02 saved."]
    assert _target_table(at)["K02 Charge/summons rate"] == "12.5%"
    with connection.connect(db) as con:
        assert targets.targets_for(con, FORCE)["K02"] == pytest.approx(0.125)

    at.selectbox(key="target_kpi").set_value("K09").run()
    assert at.number_input(key="target_value_K09").label == "Target (days)"
    at.button(key="remove_target").click().run()
    assert "K09 Days from report to first suspect contact" not in _target_table(at)
    at.button(key="reset_targets").click().run()
    assert [s.value for s in at.success] == ["Targets are back to the shipped list."]
    assert _target_table(at)["K02 Charge/summons rate"] == "9.0%"
    actions = [a for a in _audit(db) if a[1] == "edit_targets"]
    assert actions == [(ANALYST.name, "edit_targets", "ok")] * 3


def test_context_measures_are_not_offered_a_target(db):
    at = _run(ANALYST)
    offered = at.selectbox(key="target_kpi").options
    assert "K01 Recorded RASSO crimes" not in offered and "K13 Repeat suspect share" not in offered
    assert "K02 Charge/summons rate" in offered


def test_a_viewer_sees_everything_with_every_control_disabled(db):
    with connection.connect(db) as con:
        annotations.record_annotation(
            con, FORCE, "K02", dt.date(2025, 4, 1), "change_point", "New RASSO team", user=ANALYST
        )
    before = len(_audit(db))
    at = _run(VIEWER)
    assert not at.exception
    assert any("Your role can see" in c.value for c in at.caption)
    assert [t.value for t in at.text] == ["New RASSO team"]
    assert "K02 Charge/summons rate" in _target_table(at)
    buttons = [b for b in at.button if b.key]
    assert buttons and all(b.disabled for b in buttons), [(b.key, b.disabled) for b in buttons]
    assert len(_audit(db)) == before  # looking changes nothing


def _viewer_sneaks_changes_in() -> None:
    import pandas as pd
    import streamlit as st

    from flightdeck.app.data import spc_notes

    for result in (
        spc_notes.record_annotation("demo-eastvale", None, pd.Timestamp("2025-04-01"), "note", "x"),
        spc_notes.save_target("demo-eastvale", "K02", 0.5),
        spc_notes.reset_targets(),
    ):
        st.write(f"{result.ok} {result.refused}: {result.message}")


def test_a_viewer_whose_change_gets_through_is_refused_by_the_store_and_audited(db):
    # A disabled control cannot be used in a browser; should a request get through anyway, the
    # store's role check refuses it, the page says so politely, and the refusal is audited.
    at = AppTest.from_function(_viewer_sneaks_changes_in, default_timeout=60)
    at.session_state[identity.TEST_USER_KEY] = VIEWER
    at.run()
    lines = [m.value for m in at.markdown]
    assert len(lines) == 3 and all(
        line.startswith("False True: Sorry, your role") for line in lines
    )
    assert _read(db, "SELECT count(*) FROM spc_annotations") == [(0,)]
    assert _read(db, "SELECT count(*) FROM kpi_targets_state") == [(0,)]
    assert _audit(db)[-3:] == [
        (VIEWER.name, "record_annotation", "refused"),
        (VIEWER.name, "edit_targets", "refused"),
        (VIEWER.name, "edit_targets", "refused"),
    ]
