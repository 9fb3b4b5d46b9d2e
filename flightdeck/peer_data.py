"""Cached reads and audited changes for the compare and peer-group pages.

Each read opens a short-lived connection through `flightdeck.data.database` (so the command
line can load into the same file meanwhile) and is cached by the data layer's data version,
so it is recomputed only after a load, rollback, import or peer-group edit (each of those
writes an audit row, which changes the version).
"""

import tempfile
from pathlib import Path

import pandas as pd
import streamlit as st

from flightdeck import data, peers


@st.cache_data(show_spinner=False)
def catalogue() -> pd.DataFrame:
    """KPI metadata: kpi_id, name, unit, direction, kind."""
    return peers.kpi_catalogue()


@st.cache_data(show_spinner=False, max_entries=4)
def _forces(path: str, version: int) -> pd.DataFrame:
    with data.database(path) as con:
        return peers.comparable_forces(con)


def forces() -> pd.DataFrame:
    """Every force with figures here: force, name, source (own/peer), as_of, synthetic."""
    return _forces(data.db_path(), data.version())


@st.cache_data(show_spinner=False, max_entries=4)
def _groups(path: str, version: int) -> pd.DataFrame:
    with data.database(path) as con:
        return peers.peer_groups(con)


def groups() -> pd.DataFrame:
    """Peer groups: group, force."""
    return _groups(data.db_path(), data.version())


@st.cache_data(show_spinner=False, max_entries=32)
def _results(path: str, version: int, kpi_id: str) -> pd.DataFrame:
    with data.database(path) as con:
        frame = peers.comparable_results(con, kpi_id)
    frame["month"] = pd.to_datetime(frame["month"])
    return frame


def results(kpi_id: str) -> pd.DataFrame:
    """One KPI's rows for every comparable force (with `suppressed` and `source`)."""
    return _results(data.db_path(), data.version(), kpi_id)


@st.cache_data(show_spinner=False, max_entries=4)
def _feasibility(path: str, version: int) -> pd.DataFrame:
    with data.database(path) as con:
        return peers.peer_feasibility(con)


def feasibility() -> pd.DataFrame:
    """force, kpi_id, flag, reason, source for own forces and imported peers."""
    return _feasibility(data.db_path(), data.version())


@st.cache_data(show_spinner=False, max_entries=4)
def _imports(path: str, version: int) -> pd.DataFrame:
    with data.database(path) as con:
        return peers.list_imports(con)


def imports() -> pd.DataFrame:
    return _imports(data.db_path(), data.version())


# --- changes (each checked against the user's role and audited by the peers module) --------


def import_upload(csv_file, meta_file) -> data.ActionResult:
    """Import an uploaded results CSV with its side file (Streamlit UploadedFile objects)."""
    with tempfile.TemporaryDirectory(prefix="flightdeck-peer-") as folder:
        path = Path(folder) / "results.csv"
        path.write_bytes(csv_file.getvalue())
        meta_path = None
        if meta_file is not None:
            meta_path = Path(folder) / "results.csv.meta.json"
            meta_path.write_bytes(meta_file.getvalue())
        return data.change(
            lambda con, user: peers.import_results(
                con, path, user=user, meta_path=meta_path or path.with_name("missing.json"),
                file_name=csv_file.name,
            )
        )  # fmt: skip


def remove(force: str) -> data.ActionResult:
    return data.change(lambda con, user: peers.remove_import(con, force, user=user))


def save_group(group: str, members: list[str]) -> data.ActionResult:
    return data.change(lambda con, user: peers.save_peer_group(con, group, members, user=user))


def delete_group(group: str) -> data.ActionResult:
    return data.change(lambda con, user: peers.delete_peer_group(con, group, user=user))


def reset_groups() -> data.ActionResult:
    return data.change(lambda con, user: peers.reset_peer_groups(con, user=user))


def export_bytes(force: str) -> tuple[bytes, bytes] | data.ActionResult:
    """The force's suppressed export (CSV, side file) as bytes for a download button."""
    with tempfile.TemporaryDirectory(prefix="flightdeck-export-") as folder:
        out = Path(folder) / f"{force}-kpi-results.csv"
        result = data.change(lambda con, user: peers.export_results(con, force, out, user=user))
        if not result.ok:
            return result
        return out.read_bytes(), result.value.meta_path.read_bytes()
