"""Errors shown on a page as one plain sentence, the detail in the server log."""

import logging
import re

import pytest
from streamlit.testing.v1 import AppTest

from flightdeck import access
from flightdeck.app import errors
from flightdeck.extracts import uploads

REFERENCE = re.compile(r"\(reference ([0-9a-f]{8})\)")
OUTSIDE_HELP = ("google", "chatgpt", "search", "http")


@pytest.mark.parametrize(
    "text, expected",
    [
        ("cannot open /work/main/data/flightdeck.duckdb now", "cannot open <path> now"),
        (r"cannot open C:\Users\ana\june.csv", "cannot open <path>"),
        ("3/4 of the rows", "3/4 of the rows"),
        ("load 7 does not exist.", "load 7 does not exist."),
    ],
)
def test_paths_are_scrubbed(text, expected):
    assert errors.scrub_paths(text) == expected


def test_product_messages_are_shown_as_one_sentence_without_paths():
    refused = access.PermissionDenied("vic (viewer) may not load")
    assert errors.user_message(refused, "ab12") == "vic (viewer) may not load"
    failed = ValueError("Load 9 does not exist.\nTraceback: /srv/app/store.py line 3")
    assert errors.user_message(failed, "ab12") == "Load 9 does not exist."
    upload = uploads.UploadRejected("june.txt is not a .csv file")
    assert errors.user_message(upload, "ab12") == "june.txt is not a .csv file"


def test_unexpected_errors_give_a_reference_and_log_the_detail(caplog):
    exc = OSError("[Errno 13] Permission denied: '/var/lib/flightdeck/fd.duckdb'")
    with caplog.at_level(logging.ERROR, logger="flightdeck.errors"):
        message = errors.report(exc)
    assert "/var/lib" not in message and "Errno" not in message
    reference = message.split("(reference ")[1][:8]
    assert message == (
        f"Something went wrong and the action was not completed (reference {reference}). "
        "The details are in the server log."
    )
    assert reference in caplog.text and "OSError" in caplog.text


# ---- an exception no page handled -----------------------------------------------------------


def _app_with_a_failing_page() -> None:
    import streamlit as st

    from flightdeck.app import errors

    def failing() -> None:
        st.markdown("before the failure")
        with st.columns(2)[1]:
            raise RuntimeError("boom in /srv/flightdeck/app/pages/kpi_detail.py")

    def stopping() -> None:
        st.markdown("stopped page")
        st.stop()

    def switching() -> None:
        st.switch_page(pages[0])

    first = st.session_state.get("first_page", "failing")  # the page a test opens first
    pages = [
        st.Page(run, title=name, url_path=name, default=name == first)
        for name, run in (("failing", failing), ("stopping", stopping), ("switching", switching))
    ]
    with errors.reported_on_page():
        st.navigation(pages).run()
    st.markdown("after the pages")


def _shown(at: AppTest) -> str:
    return " ".join(
        [e.value for e in at.error]
        + [m.value for m in at.markdown]
        + [str(x) for x in at.exception]
    )


def _one_reference(at: AppTest, caplog) -> str:
    """The page's one error: the generic sentence, whose reference is in the log."""
    assert not at.exception  # no Streamlit exception box, whose links search outside sites
    [message] = [e.value for e in at.error]
    [reference] = REFERENCE.findall(message)
    assert message == (
        f"Something went wrong and this page could not be shown in full (reference {reference}). "
        "The details are in the server log."
    )
    assert not any(word in _shown(at).lower() for word in OUTSIDE_HELP)
    assert f"error {reference}: RuntimeError" in caplog.text
    assert "boom in /srv/flightdeck" in caplog.text  # the detail is in the log only
    return reference


def test_a_failing_page_shows_one_sentence_whose_reference_is_in_the_log(caplog):
    with caplog.at_level(logging.ERROR, logger="flightdeck.app.errors"):
        at = AppTest.from_function(_app_with_a_failing_page, default_timeout=30).run()
    _one_reference(at, caplog)
    assert "/srv" not in _shown(at)
    assert [m.value for m in at.markdown] == ["before the failure", "after the pages"]


def test_streamlit_stop_and_page_switches_pass_through(caplog):
    at = AppTest.from_function(_app_with_a_failing_page, default_timeout=30)
    at.session_state["first_page"] = "stopping"
    at.run()
    assert not at.error and not at.exception
    assert [m.value for m in at.markdown] == ["stopped page"]  # st.stop ended the whole run
    at = AppTest.from_function(_app_with_a_failing_page, default_timeout=30)
    at.session_state["first_page"] = "switching"
    with caplog.at_level(logging.ERROR, logger="flightdeck.app.errors"):
        at.run()  # st.switch_page lands on the failing page
    _one_reference(at, caplog)


def test_the_entry_point_reports_a_failing_page(monkeypatch, tmp_path, caplog):
    from flightdeck.app.pages import flight_deck

    def broken() -> None:
        raise RuntimeError("boom in /srv/flightdeck/app/pages/flight_deck.py")

    monkeypatch.setenv("FLIGHTDECK_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setattr(flight_deck, "render", broken)
    with caplog.at_level(logging.ERROR, logger="flightdeck.app.errors"):
        at = AppTest.from_file("../../app.py", default_timeout=60).run()
    _one_reference(at, caplog)


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("FLIGHTDECK_MAX_UPLOAD_MB", "abc", "FLIGHTDECK_MAX_UPLOAD_MB is 'abc': it must be"),
        ("FLIGHTDECK_HOLD_SHARE", "2", "FLIGHTDECK_HOLD_SHARE is '2': it must be"),
    ],
)
def test_a_malformed_setting_stops_the_app_with_its_name_not_a_traceback(
    monkeypatch, tmp_path, caplog, name, value, said
):
    monkeypatch.setenv("FLIGHTDECK_DB", str(tmp_path / "empty.duckdb"))
    monkeypatch.setenv(name, value)
    with caplog.at_level(logging.ERROR, logger="flightdeck.app.errors"):
        at = AppTest.from_file("../../app.py", default_timeout=60).run()
    assert not at.exception
    [shown] = [e.value for e in at.error]
    assert shown.startswith(f"The flight deck is not set up correctly: {said}")
    assert shown.endswith("Tell the administrator.")
    reference = re.search(r"reference ([0-9a-f]{8})", shown).group(1)
    assert any(reference in r.getMessage() for r in caplog.records)


def test_a_database_path_naming_another_kind_of_file_is_a_setup_error(monkeypatch, tmp_path):
    not_a_db = tmp_path / "cases.csv"
    not_a_db.write_text("force,crime_id\n")
    monkeypatch.setenv("FLIGHTDECK_DB", str(not_a_db))
    at = AppTest.from_file("../../app.py", default_timeout=60).run()
    [shown] = [e.value for e in at.error]
    assert "is not a flight deck database (not a DuckDB file)" in shown
    assert str(tmp_path) not in shown  # the server's paths stay in the log
    assert not_a_db.read_text() == "force,crime_id\n"


def _app_calling_the_server_handler() -> None:
    import streamlit as st

    from flightdeck.app import errors

    suppressed = errors.on_script_error(RuntimeError("boom in /srv/flightdeck/callback.py"))
    st.markdown(f"suppressed: {suppressed}")


def test_the_server_handler_shows_the_sentence_and_suppresses_streamlits_box(caplog):
    with caplog.at_level(logging.ERROR, logger="flightdeck.app.errors"):
        at = AppTest.from_function(_app_calling_the_server_handler, default_timeout=30).run()
    [message] = [e.value for e in at.error]
    [reference] = REFERENCE.findall(message)
    assert f"error {reference}: RuntimeError" in caplog.text
    assert at.markdown[0].value == "suppressed: True"
