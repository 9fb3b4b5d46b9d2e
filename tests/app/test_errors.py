"""Errors shown on a page as one plain sentence, the detail in the server log."""

import logging

import pytest

from flightdeck import access
from flightdeck.app import errors
from flightdeck.extracts import uploads


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


# ---- every CSV the product writes is formula-safe ---------------------------------------------
