"""Errors shown to people as one plain sentence; the detail goes to the server log only.

A stack trace or a file path on screen tells a stranger how the server is laid out and tells
the analyst nothing useful. Exceptions the product raises on purpose (a refused role, a
rejected upload, an unknown load) carry a message written for the user and are shown, with any
path scrubbed; anything else is shown as a generic sentence with a short reference that
matches the logged traceback.

Every page runs inside `reported_on_page` (app.py), and the server's `on_script_error`
(flightdeck/app/server.py) catches what escapes it (a widget callback, the code before the
pages): an exception no page handled shows one sentence with its reference, never Streamlit's
exception box (which offers searches of the error on outside sites).
"""

import contextlib
import logging
import re
import uuid
from collections.abc import Iterator

import streamlit as st
from streamlit.errors import FragmentHandledException

from flightdeck.access import PermissionDenied
from flightdeck.access.roles import RolesFileError
from flightdeck.exports import IdentifierInExport
from flightdeck.extracts.uploads import UploadRejected
from flightdeck.settings import SettingError
from flightdeck.store.connection import DatabaseFileError

LOG = logging.getLogger(__name__)

# Exceptions whose message is written for the person using the app.
USER_FACING: tuple[type[BaseException], ...] = (
    PermissionDenied,
    UploadRejected,
    IdentifierInExport,
    RolesFileError,
    ValueError,  # the store's own refusals (unknown or rolled-back load, bad dates)
)

# Absolute POSIX paths (two or more segments) and Windows drive or UNC paths.
_PATH = re.compile(r"(?:[A-Za-z]:\\|\\\\)[^\s'\"]+|(?<![\w.])/(?:[^\s/'\"]+/)+[^\s/'\"]*")


def scrub_paths(text: str) -> str:
    """The text with absolute file paths replaced by `<path>`."""
    return _PATH.sub("<path>", text)


def new_reference() -> str:
    """A short id the user can quote and the log line carries."""
    return uuid.uuid4().hex[:8]


def user_message(exc: BaseException, reference: str) -> str:
    """One plain sentence for the user: the product's own message, or a generic one."""
    if isinstance(exc, USER_FACING) and str(exc).strip():
        first_line = str(exc).strip().splitlines()[0]
        return scrub_paths(first_line)
    return (
        f"Something went wrong and the action was not completed (reference {reference}). "
        "The details are in the server log."
    )


def _logged(exc: BaseException) -> str:
    """Log the exception with its traceback under a new reference; return the reference."""
    reference = new_reference()
    LOG.error("error %s: %s", reference, type(exc).__name__, exc_info=exc)
    return reference


def report(exc: BaseException) -> str:
    """Log the exception with its traceback and return the message to show the user."""
    return user_message(exc, _logged(exc))


def show_error(exc: BaseException) -> None:
    """Show the exception on the page as one sentence (`st.error`), logging the detail."""
    st.error(report(exc))


# Exceptions that mean the server is set up wrongly (a setting outside its rule, a database
# path naming something else): their message, written to name the setting, is shown.
CONFIGURATION: tuple[type[BaseException], ...] = (SettingError, DatabaseFileError, RolesFileError)


def unexpected(exc: BaseException) -> str:
    """Log an exception nothing handled, with its traceback, and return the sentence shown
    instead: the generic one with the log line's reference, whatever the exception says (an
    uncaught message was not written for the person using the app), except for a setup error
    (`CONFIGURATION`), whose message names what to fix (paths scrubbed)."""
    reference = _logged(exc)
    if isinstance(exc, CONFIGURATION):
        return (
            f"The flight deck is not set up correctly: {scrub_paths(str(exc))} "
            f"(reference {reference}). Tell the administrator."
        )
    return (
        f"Something went wrong and this page could not be shown in full (reference {reference}). "
        "The details are in the server log."
    )


@contextlib.contextmanager
def reported_on_page() -> Iterator[None]:
    """Run a page: an exception it raises is logged and shown as one sentence (`unexpected`).

    Streamlit's own signals (`st.stop`, `st.rerun`, `st.switch_page`) derive from
    BaseException, not Exception, so they pass through untouched.
    """
    try:
        yield
    except FragmentHandledException:
        raise  # a fragment's failure that Streamlit has already reported
    except Exception as exc:
        st.error(unexpected(exc))


def on_script_error(exc: Exception) -> bool:
    """The server's handler (`st.App(on_script_error=...)`) for an exception that escaped every
    page: show the sentence with its reference; True tells Streamlit to show nothing itself."""
    st.error(unexpected(exc))
    return True
