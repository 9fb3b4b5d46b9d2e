"""The suspect lists and a suspect's history for the analyst-only page, read as the signed-in
user: `flightdeck.suspects` checks the role on the server and audits every view, so a viewer
who reaches the page gets a refusal (audited) and nothing else.

A list or a history is read once per choice and kept in the browser session, so the page's
reruns (choosing a row, opening an expander) do not read and audit it again; choosing another
force, month or list reads and audits again.
"""

import datetime as dt
from collections.abc import Callable

import pandas as pd
import streamlit as st

from flightdeck import access
from flightdeck.app import session
from flightdeck.app.data.db import database, forget_version
from flightdeck.suspects import history, lists

_KEPT = "_suspects_read"  # session key: {what was asked: what came back}


class Refused(Exception):
    """The signed-in user's role does not allow the suspect views (already audited)."""


def _read(key: tuple, read: Callable):
    """`read(con, user)` once per `key` in this browser session (audited by `read`)."""
    kept = st.session_state.setdefault(_KEPT, {})
    user = session.current_user()
    key = (user.name, user.role, *key)
    if key not in kept:
        try:
            with database() as con:
                kept[key] = read(con, user)
        except access.PermissionDenied as exc:
            raise Refused(str(exc)) from None
        finally:
            forget_version()  # the audit row changed the database
    return kept[key]


def months(force: str) -> list[dt.date]:
    """The month ends a list can be drawn for (no ids; not audited)."""
    with database() as con:
        return lists.list_months(con, force)


def suspect_list(force: str, month: dt.date, which: str) -> pd.DataFrame:
    """The list asked for (rank, suspect_id, ...); raises Refused for a viewer."""
    return _read(
        ("list", force, month, which),
        lambda con, user: lists.suspect_list(con, user, force, month, which),
    )


def suspect_history(force: str, month: dt.date, suspect_id: str) -> history.SuspectHistory:
    """One suspect's crimes and disruption to the month end; raises Refused for a viewer."""
    return _read(
        ("history", force, month, suspect_id),
        lambda con, user: history.suspect_history(con, user, force, month, suspect_id),
    )


def list_csv(force: str, month: dt.date, which: str) -> Callable[[], bytes]:
    """The list's CSV (handling line first), built and audited as an export when clicked."""

    def build() -> bytes:
        with database() as con:
            data = lists.list_csv(con, session.current_user(), force, month, which)
        forget_version()
        return data

    return build
