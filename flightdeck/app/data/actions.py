"""The one gate for every control that changes data or downloads it.

Each action runs a store, peers or exports function as the signed-in user in a short-lived
connection; that function checks the role and audits the outcome (`flightdeck.access.guard`).
A refusal by role comes back as a polite message, not an exception, and every download a page
offers is built only when clicked and audited as an export.
"""

import datetime as dt
import tempfile
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

import duckdb
import pandas as pd

from flightdeck import access, exports
from flightdeck.access import guard
from flightdeck.app import errors, session
from flightdeck.app.data.db import database, forget_version
from flightdeck.extracts import uploads
from flightdeck.extracts.report import ValidationReport
from flightdeck.partners import loads as partner_loads
from flightdeck.peers import export, groups, imports
from flightdeck.present import pack_data
from flightdeck.store import admission, busy, history, loads, preview
from flightdeck.vocabulary import ALL


@dataclass
class ActionResult:
    ok: bool
    message: str
    value: object = None
    refused: bool = False  # the user's role does not allow it


def change(action: Callable[[duckdb.DuckDBPyConnection, access.User], object]) -> ActionResult:
    """Run one data-changing call as the current user. Its value is a message (str) or an
    outcome with a `message`; a refusal by role or a plain refusal (ValueError) is a polite
    message; anything else is logged with a reference and shown as one sentence."""
    user = session.current_user()
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
    if isinstance(value, str):
        return ActionResult(True, value, value)
    refused = isinstance(value, loads.LoadOutcome | imports.ImportOutcome) and (
        value.status in ("refused", "held")
    )
    return ActionResult(not refused, value.message, value)


def download(export: Callable[[duckdb.DuckDBPyConnection, access.User], bytes]):
    """A download for `st.download_button`, built when clicked by `export(con, user)`, which
    checks the role and audits the export (`flightdeck.exports`)."""

    def build() -> bytes:
        with database() as con:
            data = export(con, session.current_user())
        forget_version()
        return data

    return build


def table_download(what: str, frame: pd.DataFrame) -> Callable[[], bytes]:
    """A formula-safe CSV of a table (no id columns) as an audited download."""
    return download(lambda con, user: exports.export_csv(con, user, frame, what))


def report_download(report: ValidationReport) -> Callable[[], bytes]:
    """A file's validation report as an audited CSV download, crime and suspect ids withheld."""
    return table_download(f"validation report of {report.file_name}", report_table(report))


def report_table(report: ValidationReport) -> pd.DataFrame:
    """The report's findings as the page shows them: crime and suspect ids withheld (the line
    number still finds the row in the analyst's own file)."""
    return exports.redact_identifier_values(report.to_frame())


@dataclass
class Uploaded:
    """Uploaded files written to a private temporary folder, as the store reads paths."""

    folder: tempfile.TemporaryDirectory
    paths: list[Path]
    names: list[str] = field(default_factory=list)


def save_uploads(files: Sequence) -> Uploaded:
    """Write Streamlit UploadedFile objects (or anything with .name and .getvalue()) to a private
    temporary folder. The store checks (and audits) that each is a CSV extract before reading."""
    folder = tempfile.TemporaryDirectory(prefix="flightdeck-upload-")
    paths, names = [], []
    for i, f in enumerate(files):
        path = Path(folder.name) / f"upload-{i}.csv"
        path.write_bytes(f.getvalue())
        paths.append(path)
        names.append(f.name)
    return Uploaded(folder, paths, names)


def preview_cases(files: Sequence, as_of: dt.date) -> preview.Preview:
    """Validate uploaded case extracts and say what loading them would change (changes nothing).

    Raises uploads.UploadRejected (one plain sentence) for a file that is not a CSV extract
    within the size limit, before anything is read; that refusal is audited as a refused
    attempt to load, as the load itself would audit it.
    """
    up = save_uploads(files)
    with up.folder, database() as con:
        refusal = admission.rejected_upload(up.paths, up.names)
        if refusal:
            detail = f"case files {', '.join(up.names)} as of {as_of}"
            guard.begin(con, session.current_user(), "load_cases", access.LOAD, detail).refuse(
                refusal
            )
            forget_version()
            raise uploads.UploadRejected(refusal)
        return preview.preview_case_files(con, up.paths, as_of=as_of, file_names=up.names)


def load_cases(
    files: Sequence, as_of: dt.date, confirm_wrong_extract: bool = False
) -> ActionResult:
    """Load uploaded case extracts (all or none); value is the store's LoadOutcome. A likely
    wrong extract is held unless `confirm_wrong_extract`."""
    up = save_uploads(files)
    with up.folder:
        return change(
            lambda con, user: loads.load_case_files(
                con,
                up.paths,
                as_of=as_of,
                user=user,
                file_names=up.names,
                confirm_wrong_extract=confirm_wrong_extract,
            )
        )


def load_workforce(file) -> ActionResult:
    """Load an uploaded workforce extract; value is the store's LoadOutcome."""
    up = save_uploads([file])
    with up.folder:
        return change(
            lambda con, user: loads.load_workforce_file(
                con, up.paths[0], user=user, file_name=up.names[0]
            )
        )


def load_partners(file, force: str) -> ActionResult:
    """Load an uploaded partner figures file for `force`; value is the store's LoadOutcome (the
    role is checked, and the attempt audited, by the store)."""
    up = save_uploads([file])
    with up.folder:
        return change(
            lambda con, user: partner_loads.load_partner_file(
                con, up.paths[0], user=user, force=force, file_name=up.names[0]
            )
        )


def rollback(load_id: int) -> ActionResult:
    return change(lambda con, user: history.rollback(con, load_id, user=user))


def board_pack_download(
    force_row: pd.Series, month: pd.Timestamp, fmt: str = "html", *, offence_group: str = ALL
) -> Callable[[], bytes]:
    """The force's board pack for the month (and offence group: all RASSO crimes unless said)
    as `fmt` ("pdf" or "html"), small numbers suppressed by the rule in force, as an audited
    download built when clicked: the same pack, gathered, built and audited by
    `pack_data.export`, as `flightdeck board-pack` writes."""
    force = force_row["force"]
    return download(
        lambda con, user: pack_data.export(
            con, user, force, month, fmt, offence_group=offence_group
        )
    )


# --- peers -------------------------------------------------------------------------------------


def import_peer_results(csv_file, meta_file) -> ActionResult:
    """Import an uploaded results CSV with its side file (Streamlit UploadedFile objects)."""
    with tempfile.TemporaryDirectory(prefix="flightdeck-peer-") as folder:
        path = Path(folder) / "results.csv"
        path.write_bytes(csv_file.getvalue())
        # Named for the uploaded CSV, so a missing side file is named as the sender wrote it.
        meta_path = Path(folder) / f"{Path(csv_file.name).name}.meta.json"
        if meta_file is not None:
            meta_path.write_bytes(meta_file.getvalue())
        return change(
            lambda con, user: imports.import_results(
                con, path, user=user, meta_path=meta_path, file_name=csv_file.name
            )
        )


def remove_peer_results(force: str) -> ActionResult:
    return change(lambda con, user: imports.remove_import(con, force, user=user))


def save_peer_group(group: str, members: list[str]) -> ActionResult:
    return change(lambda con, user: groups.save_peer_group(con, group, members, user=user))


def delete_peer_group(group: str) -> ActionResult:
    return change(lambda con, user: groups.delete_peer_group(con, group, user=user))


def reset_peer_groups() -> ActionResult:
    return change(lambda con, user: groups.reset_peer_groups(con, user=user))


def export_results(force: str) -> tuple[bytes, bytes] | ActionResult:
    """The force's suppressed export (CSV, side file) as bytes for download buttons; the
    export is audited as such, or the refusal comes back as an ActionResult."""
    with tempfile.TemporaryDirectory(prefix="flightdeck-export-") as folder:
        out = Path(folder) / f"{force}-kpi-results.csv"
        result = change(lambda con, user: export.export_results(con, force, out, user=user))
        if not result.ok:
            return result
        return out.read_bytes(), result.value.meta_path.read_bytes()
