"""The one data-access layer the pages use: cached reads, and one gate for every change.

Pages never open the database file themselves; they call these functions, or `database()` for
a short-lived connection. The file is opened only for a moment (one read batch, one change)
and closed at once, so the command line can load into the same file while the dashboard runs
(DuckDB lets one process at a time hold a file open for writing). While a load holds the file,
opening waits briefly, then raises `busy.DatabaseBusy`, shown as "The database is busy".

Reads are cached in memory per database path and `store.data_version`, so they are recomputed
only when the data changes: the whole KPI results table is read once per version and split by
force, and switching force or month filters in memory. The version itself is one cheap query,
remembered for `VERSION_TTL` seconds so a page that asks for it many times opens the file once.
Every control that changes data goes through `change`, which runs the store function as the
signed-in user (the store checks the role and audits the outcome) and turns a refusal into a
polite message.
"""

import contextlib
import datetime as dt
import tempfile
import threading
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd
import streamlit as st

from flightdeck import access, auth, busy, errors, kpis, store, tiles, uploads
from flightdeck.columns import CASE_OPTIONAL
from flightdeck.reference import load_reference
from flightdeck.settings import load_settings

TOTAL = "All"


def db_path() -> str:
    return str(load_settings().db_path)


# How long the app waits for a load by another process before saying the database is busy.
BUSY_WAIT_SECONDS = 3.0
# How long a data version read is reused: one page run asks for it many times.
VERSION_TTL = 0.5

_schema_lock = threading.Lock()
_schema_ready: set[str] = set()
_versions: dict[str, tuple[float, int]] = {}


def _open(path: str) -> duckdb.DuckDBPyConnection:
    # store.connect creates the file (owner-only) and applies the schema, which writes to the
    # catalogue: done once per file per server process (under a lock, so two sessions do not
    # replace the same views at once); later opens are plain connections.
    if path in _schema_ready and Path(path).exists():
        return duckdb.connect(path)
    with _schema_lock:
        con = store.connect(path)
        _schema_ready.add(path)
        return con


@contextlib.contextmanager
def database(path: str | None = None) -> Iterator[duckdb.DuckDBPyConnection]:
    """A connection to the database file (default: the configured one), closed on leaving.

    Use one per read batch or per change and never keep it: while it is open no other process
    can load into the file. Waits up to BUSY_WAIT_SECONDS while another process (a command
    line load) holds the file, then raises busy.DatabaseBusy.
    """
    path = path or db_path()
    con = busy.open_when_free(lambda: _open(path), BUSY_WAIT_SECONDS)
    try:
        yield con
    finally:
        con.close()


def version() -> int:
    """The data version: changes whenever a load, rollback or import changes the data (here or
    from the command line). Read from the file at most once per VERSION_TTL seconds."""
    path = db_path()
    held = _versions.get(path)
    now = time.monotonic()
    if held is not None and now - held[0] < VERSION_TTL:
        return held[1]
    with database(path) as con:
        current = store.data_version(con)
    _versions[path] = (now, current)
    return current


def forget_version() -> None:
    """Read the data version afresh next time (called after every change made here)."""
    _versions.clear()


# --- reads -------------------------------------------------------------------------------------


@st.cache_resource(show_spinner=False)
def catalogue() -> list:
    """The 21 KPIs' metadata, exactly as the engine uses it."""
    return kpis.catalogue()


def kpi_by_id() -> dict:
    return {k.id: k for k in catalogue()}


@st.cache_resource(show_spinner=False, max_entries=3)
def _results_by_force(path: str, data_version: int) -> dict[str, pd.DataFrame]:
    # cache_resource, not cache_data: the table can hold millions of rows and must not be
    # copied on every rerun. Callers treat the frames as read-only.
    with database(path) as con:
        table = kpis.results(con)
    table["month"] = pd.to_datetime(table["month"])
    return {force: frame.reset_index(drop=True) for force, frame in table.groupby("force")}


def force_results(force: str) -> pd.DataFrame:
    """Every KPI result row of one force (all breakdowns); empty if it has none."""
    frames = _results_by_force(db_path(), version())
    if force in frames:
        return frames[force]
    return pd.DataFrame(
        columns=["kpi_id", "force", "month", "age_band", "gender", "numerator", "denominator"]
        + ["value", "complete"]
    )


@st.cache_data(show_spinner=False, max_entries=64)
def _force_totals(path: str, data_version: int, force: str) -> pd.DataFrame:
    frame = _results_by_force(path, data_version).get(force)
    if frame is None:
        return pd.DataFrame(
            columns=["kpi_id", "month", "numerator", "denominator", "value", "complete"]
        )
    totals = frame[(frame["age_band"] == TOTAL) & (frame["gender"] == TOTAL)]
    return totals[["kpi_id", "month", "numerator", "denominator", "value", "complete"]]


def force_totals(force: str) -> pd.DataFrame:
    """The force's headline rows (age band and gender `All`) for every KPI and month."""
    return _force_totals(db_path(), version(), force)


def months(force: str) -> list[pd.Timestamp]:
    """Months with any result for the force, oldest first."""
    totals = force_totals(force)
    return sorted(pd.to_datetime(totals["month"].unique()))


@dataclass(frozen=True)
class DeckTile:
    """One flight-deck tile with the KPI's feasibility for the force."""

    kpi_id: str
    tile: tiles.Tile
    flag: str | None
    declared: str | None


@st.cache_data(show_spinner=False, max_entries=256)
def _deck(path: str, data_version: int, force: str, month: pd.Timestamp) -> list[DeckTile]:
    totals = _force_totals(path, data_version, force)
    spine = sorted(pd.to_datetime(totals["month"].unique()))
    feasible = _feasibility(path, data_version)
    feasible = feasible[feasible["force"] == force].set_index("kpi_id")
    deck = []
    for kpi in catalogue():
        series = totals[totals["kpi_id"] == kpi.id]
        if tiles.is_count(kpi.kind):
            series = tiles.fill_count_months(series, spine)
        row = feasible.loc[kpi.id] if kpi.id in feasible.index else None
        tile = tiles.build_tile(
            series,
            month,
            unit=kpi.unit,
            direction=kpi.direction,
            flag=None if row is None else row["flag"],
            reason="" if row is None else row["reason"],
            noun=tiles.noun_for(kpi),
        )
        deck.append(
            DeckTile(
                kpi.id,
                tile,
                None if row is None else row["flag"],
                None if row is None else row["declared_status"],
            )
        )
    return deck


def flight_deck(force: str, month: pd.Timestamp) -> list[DeckTile]:
    """Every KPI's tile for the force and month, in catalogue order (cached per data version,
    so returning to a force or month costs nothing)."""
    return _deck(db_path(), version(), force, pd.Timestamp(month))


@st.cache_data(show_spinner=False, max_entries=4)
def _feasibility(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return kpis.feasibility(con)


def feasibility() -> pd.DataFrame:
    """force, kpi_id, flag, reason, declared_status for every force with case data."""
    return _feasibility(db_path(), version())


@st.cache_data(show_spinner=False, max_entries=4)
def _forces(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        loaded = con.execute("SELECT force, as_of FROM force_as_of ORDER BY force").df()
    ref = load_reference().forces[["id", "name", "synthetic"]]
    out = loaded.merge(ref, how="left", left_on="force", right_on="id")
    out["name"] = out["name"].fillna(out["force"])
    out["synthetic"] = out["synthetic"].fillna(False).astype(bool)
    return out[["force", "name", "synthetic", "as_of"]]


def forces() -> pd.DataFrame:
    """Forces with an active case load: force, name, synthetic, as_of."""
    return _forces(db_path(), version())


def any_synthetic() -> bool:
    return bool(forces()["synthetic"].any())


@st.cache_data(show_spinner=False, max_entries=4)
def _completeness(path: str, data_version: int) -> pd.DataFrame:
    columns = [c for c in CASE_OPTIONAL if c != "cancelled"]
    # Column names come from the contract, never from input, so building the list is safe.
    shares = ", ".join(f"avg(({c} IS NOT NULL)::INTEGER) AS {c}" for c in columns)
    with database(path) as con:
        wide = con.execute(
            f"""SELECT force, date_trunc('month', recorded_date) AS month, count(*) AS crimes,
                       {shares}
                FROM current_crimes WHERE NOT cancelled GROUP BY ALL ORDER BY force, month"""
        ).df()
    long = wide.melt(id_vars=["force", "month", "crimes"], var_name="column", value_name="share")
    long["month"] = pd.to_datetime(long["month"])
    return long


def completeness() -> pd.DataFrame:
    """Share of current, not cancelled crimes with each optional column filled in, by force
    and month of recording: force, month, crimes, column, share."""
    return _completeness(db_path(), version())


@st.cache_data(show_spinner=False, max_entries=4)
def _loads(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return store.list_loads(con)


def loads() -> pd.DataFrame:
    """Every load, newest first, active or rolled back."""
    return _loads(db_path(), version())


@st.cache_data(show_spinner=False, max_entries=4)
def _warnings(path: str, data_version: int) -> pd.DataFrame:
    with database(path) as con:
        return store.stored_warnings(con)


def warnings() -> pd.DataFrame:
    """Warnings stored with loads, newest load first."""
    return _warnings(db_path(), version())


# --- changes -----------------------------------------------------------------------------------


NOBODY = access.User(name="not signed in", role="none")


def sign_in() -> access.User:
    """The access gate every page passes (called by app.py): the user allowed to use this
    session, or the page stops (sign-in mode: sign-in button; local mode: loopback only)."""
    # The database is opened only when the session's sign-in row is written.
    try:
        return auth.sign_in_gate(database)
    except busy.DatabaseBusy as exc:
        st.warning(str(exc), icon=":material/hourglass_top:")
        st.stop()


def sign_out_button(user: access.User) -> None:
    """The sidebar sign-out button in sign-in mode (audited)."""
    auth.sign_out_button(database, user)


def current_user() -> access.User:
    """Who is using the app (local mode: the single local analyst); a role-less nobody when no
    one is signed in, so every permission check fails closed."""
    return auth.current_user() or NOBODY


def may(permission: str) -> bool:
    """Whether the current user's role allows an action (to grey out controls; the store
    checks again on the server side)."""
    return access.allowed(current_user(), permission)


@dataclass
class ActionResult:
    ok: bool
    message: str
    value: object = None
    refused: bool = False  # the user's role does not allow it


def change(action: Callable[[duckdb.DuckDBPyConnection, access.User], object]) -> ActionResult:
    """Run one data-changing store call as the current user: the single gate for every control
    that changes data. A refusal by role comes back as a polite message, not an exception."""
    user = current_user()
    try:
        with database() as con:
            value = action(con, user)
    except busy.DatabaseBusy as exc:
        return ActionResult(False, str(exc))
    except access.PermissionDenied as exc:
        return ActionResult(
            False,
            f"Sorry, your role does not allow this ({exc}). Nothing was changed.",
            refused=True,
        )
    except ValueError as exc:  # the store's plain refusals (unknown load, already rolled back)
        return ActionResult(False, str(exc))
    except Exception as exc:  # logged with a reference; the user gets one plain sentence
        return ActionResult(False, errors.report(exc))
    finally:
        forget_version()  # even a refusal writes an audit row, which changes the version
    return ActionResult(True, getattr(value, "message", str(value)), value)


@dataclass
class Uploaded:
    """Uploaded files written to a private temporary folder, as the store reads paths."""

    folder: tempfile.TemporaryDirectory
    paths: list[Path]
    names: list[str] = field(default_factory=list)


def save_uploads(files: Sequence) -> Uploaded:
    """Write Streamlit UploadedFile objects (or anything with .name and .getvalue()) to disk.

    Raises uploads.UploadRejected (a ValueError with one plain sentence) for a file that is not
    a CSV extract within the size limit, before anything is read.
    """
    limit = load_settings().max_upload_bytes
    for f in files:
        content = f.getvalue()
        uploads.check_upload(f.name, len(content), content[: uploads.SNIFF_BYTES], limit)
    folder = tempfile.TemporaryDirectory(prefix="flightdeck-upload-")
    paths, names = [], []
    for i, f in enumerate(files):
        path = Path(folder.name) / f"upload-{i}.csv"
        path.write_bytes(f.getvalue())
        paths.append(path)
        names.append(f.name)
    return Uploaded(folder, paths, names)


def preview_cases(files: Sequence, as_of: dt.date) -> store.Preview:
    """Validate uploaded case extracts and say what loading them would change (changes nothing)."""
    up = save_uploads(files)
    with up.folder, database() as con:
        return store.preview_case_files(con, up.paths, as_of=as_of, file_names=up.names)


def _refused_is_not_ok(result: ActionResult) -> ActionResult:
    if result.value is not None and getattr(result.value, "status", None) == "refused":
        result.ok = False
    return result


def load_cases(files: Sequence, as_of: dt.date) -> ActionResult:
    """Load uploaded case extracts (all or none); value is the store's LoadOutcome."""
    up = save_uploads(files)
    with up.folder:
        return _refused_is_not_ok(
            change(
                lambda con, user: store.load_case_files(
                    con, up.paths, as_of=as_of, user=user, file_names=up.names
                )
            )
        )


def load_workforce(file) -> ActionResult:
    """Load an uploaded workforce extract; value is the store's LoadOutcome."""
    up = save_uploads([file])
    with up.folder:
        return _refused_is_not_ok(
            change(
                lambda con, user: store.load_workforce_file(
                    con, up.paths[0], user=user, file_name=up.names[0]
                )
            )
        )


def rollback(load_id: int) -> ActionResult:
    return change(lambda con, user: store.rollback(con, load_id, user=user))
