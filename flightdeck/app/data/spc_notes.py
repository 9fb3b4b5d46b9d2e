"""Cached reads and the actions for what analysts add to the SPC charts: change points, notes
and targets (`flightdeck.store.annotations`, `flightdeck.store.targets`).

Reads are cached by database path and data version, like every other read: each change here
writes an audit row, which changes the version, so the next read sees it. The actions run the
store's guarded functions through `actions.change`, which turns a refusal into a polite message.
"""

import pandas as pd
import streamlit as st

from flightdeck.app.data import deck
from flightdeck.app.data.actions import ActionResult, change
from flightdeck.app.data.db import database, db_path, version
from flightdeck.store import annotations, targets


def annotations_for(force: str) -> pd.DataFrame:
    """The force's active change points and notes (`annotations.for_force`'s columns): the
    same cached read the flight deck's tiles and the KPI page draw with."""
    return deck.force_marks(force)[0]


@st.cache_data(show_spinner=False, max_entries=4)
def _targets(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return targets.all_targets(con)


def all_targets() -> pd.DataFrame:
    """Every force's targets: force, kpi_id, target (the KPI's own units), source."""
    return _targets(db_path(), version())


def targets_for(force: str) -> dict[str, float]:
    """The force's targets by KPI id (the KPI's own units: a fraction for a rate), as the
    tiles and charts read them."""
    return deck.force_marks(force)[1]


def record_annotation(force: str, kpi_id: str | None, month, kind: str, text: str) -> ActionResult:
    return change(
        lambda con, user: annotations.record_annotation(
            con, force, kpi_id, month, kind, text, user=user
        )
    )


def withdraw_annotation(annotation_id: int) -> ActionResult:
    return change(
        lambda con, user: annotations.withdraw_annotation(con, int(annotation_id), user=user)
    )


def save_target(force: str, kpi_id: str, target: float, source: str = "") -> ActionResult:
    return change(
        lambda con, user: targets.save_target(con, force, kpi_id, target, user=user, source=source)
    )


def remove_target(force: str, kpi_id: str) -> ActionResult:
    return change(lambda con, user: targets.remove_target(con, force, kpi_id, user=user))


def reset_targets() -> ActionResult:
    return change(lambda con, user: targets.reset_targets(con, user=user))
