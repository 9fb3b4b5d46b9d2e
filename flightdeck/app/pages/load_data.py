"""Load data: upload case and workforce extracts, read the validation report, preview what
would change, confirm, see the KPIs recomputed; the loads history with rollback."""

import datetime as dt

import pandas as pd
import streamlit as st

from flightdeck import access
from flightdeck.app import errors, registry, session, ui
from flightdeck.app.data import actions, deck
from flightdeck.app.data.db import version
from flightdeck.app.pages import loads_history
from flightdeck.extracts import uploads
from flightdeck.reference import load_reference


def _uploader_key(name: str) -> str:
    # A new key empties the uploader after a load, so the same files are not offered again.
    return f"{name}_{st.session_state.get(f'{name}_round', 0)}"


def _next_round(name: str) -> None:
    st.session_state[f"{name}_round"] = st.session_state.get(f"{name}_round", 0) + 1


def _finding_words(finding) -> str:
    """One error in words: "Line 3, recorded_date = 'not a date': <message>"."""
    if "line" in str(finding.message).lower():  # the report's own message already says where
        return f"- {finding.message}"
    where = f"Line {int(finding.line)}" if pd.notna(finding.line) else "The file"
    column = f", {finding.column}" if isinstance(finding.column, str) and finding.column else ""
    value = f" = '{finding.value}'" if isinstance(finding.value, str) and finding.value else ""
    return f"- {where}{column}{value}: {finding.message}"


def _report(report) -> None:
    """One file's validation report: verdict, findings table, CSV download.

    Crime and suspect id values are withheld (the line number still finds the row in the
    analyst's own file), and the download is formula-safe."""
    frame = actions.report_table(report)
    errors = int((frame["severity"] == "error").sum()) if len(frame) else 0
    warnings = int((frame["severity"] == "warning").sum()) if len(frame) else 0
    if report.ok:
        st.success(f"**{report.file_name}** passed validation ({warnings} warning(s) listed).")
    else:
        st.error(
            f"**{report.file_name}** was refused: {errors} error(s) found. Nothing will be loaded "
            "until they are fixed. Line numbers count the header as line 1.  \n"
            + "  \n".join(
                _finding_words(f) for f in frame[frame["severity"] == "error"].head(5).itertuples()
            )
        )
    if len(frame):
        st.dataframe(frame, hide_index=True, key=f"report_{report.file_name}")
        st.download_button(
            f"Download the report for {report.file_name} (CSV)",
            actions.report_download(report),
            on_click="ignore",
            file_name=f"validation-{report.file_name}",
            mime="text/csv",
            icon=":material/download:",
            key=f"download_{report.file_name}",
        )


def _preview(files, as_of: dt.date):
    """Validation and change preview, kept for the session until the files or date change. A
    file turned away before reading is refused (and audited) once, not on every rerun."""
    files_key = (tuple((f.file_id, f.name, f.size) for f in files), as_of)
    key = (*files_key, version())
    held = st.session_state.get("preview")
    refused = st.session_state.get("upload_refused")
    if refused is not None and refused[0] == files_key:
        st.error(refused[1])
        return None
    if held is None or held[0] != key:
        try:
            with st.spinner("Checking the files..."):
                held = (key, actions.preview_cases(files, as_of))
        except uploads.UploadRejected as exc:
            st.session_state["upload_refused"] = (files_key, str(exc))
            st.error(str(exc))
            return None
        except Exception as exc:  # one plain sentence on the page, the detail in the log
            errors.show_error(exc)
            return None
        st.session_state["preview"] = held
    return held[1]


def _recomputed(forces: list[str]) -> None:
    """The KPIs of the forces just loaded, for their latest complete month."""
    for force in forces:
        shown = deck.recomputed(force)
        if shown is None:
            continue
        name, table = shown
        st.markdown(f"**KPIs recomputed for {name}**")
        st.dataframe(table, hide_index=True, key=f"recomputed_{force}")


def _columns_absent(preview) -> None:
    """Which optional columns each file lacks: the KPIs that need them will be not feasible."""
    for file_name, absent in preview.columns_absent.items():
        if absent:
            st.caption(
                f"{file_name} has no column {', '.join(absent)}: the KPIs that need them will "
                "show as not feasible for its forces, with the reason."
            )


def _held(preview) -> bool:
    """A likely wrong extract shown as a danger, with its own explicit confirmation; whether
    the analyst gave it (the store holds the load without it)."""
    if not preview.held:
        return False
    st.error(
        "**This does not look like the right extract.** "
        + " ".join(f"{reason}." for reason in preview.held)
        + " Check the force, the month and the system the file came from before loading.",
        icon=":material/dangerous:",
    )
    return st.checkbox(
        "I have checked: this is the right extract, and I accept that crimes may be counted "
        "twice if it is not",
        key="confirm_wrong_extract",
    )


def _cases_section() -> None:
    st.header("Case extracts")
    st.markdown(
        "One CSV per force (or several forces in one file), one row per recorded crime. The "
        "file is checked in full; it loads completely or not at all."
    )
    done = st.session_state.pop("load_done", None)
    if done:
        ui.refusal_or_result(done["result"])
        if done["result"].ok:
            _recomputed(done["forces"])
            st.page_link(
                registry.page("flight_deck"),
                label="Open the flight deck",
                icon=":material/dashboard:",
            )
    left, right = st.columns([1, 2])
    with left:
        as_of = st.date_input(
            "Extract date (as of)",
            value=dt.date.today(),
            max_value=dt.date.today(),
            format="DD/MM/YYYY",
            help="The date the extract was taken from the records system.",
            key="as_of",
        )
    with right:
        files = st.file_uploader(
            "Case extract files (CSV)",
            type=["csv"],
            accept_multiple_files=True,
            key=_uploader_key("case_files"),
        )
    if not files:
        return
    preview = _preview(files, as_of)
    if preview is None:
        return
    for report in preview.reports:
        _report(report)
    if not preview.ok:
        return
    _columns_absent(preview)
    st.subheader("What loading would change")
    st.dataframe(
        preview.changes.rename(
            columns={
                "rows_new": "new crimes",
                "rows_updated": "updated",
                "rows_unchanged": "unchanged",
                "missing_from_previous": "missing since the previous load",
                "previous_crimes": "crimes in the previous load",
            }
        ),
        hide_index=True,
        key="changes",
    )
    allowed = session.may(access.LOAD)
    if not allowed:
        st.info("Your role can check files but not load them.", icon=":material/lock:")
    confirmed = _held(preview)
    ready = allowed and (confirmed or not preview.held)
    if st.button("Confirm and load", type="primary", disabled=not ready, key="confirm_cases"):
        with st.spinner("Loading and recomputing the KPIs..."):
            result = actions.load_cases(files, as_of, confirm_wrong_extract=confirmed)
        forces = sorted(preview.changes["force"].unique()) if len(preview.changes) else []
        st.session_state["load_done"] = {"result": result, "forces": forces}
        if result.ok and forces:
            # The flight deck then opens on what was just loaded, at its latest month.
            st.session_state["force"] = forces[0]
            st.session_state.pop("month", None)
        st.session_state.pop("preview", None)
        _next_round("case_files")
        st.rerun()


def _workforce_section() -> None:
    st.header("Workforce extract")
    st.markdown(
        "One row per force and month: investigators in post and how many have specialist "
        "training. A later load replaces the same force and month."
    )
    done = st.session_state.pop("workforce_done", None)
    if done:
        ui.refusal_or_result(done)
        for report in done.value.reports if done.value is not None else []:
            if not report.ok:
                _report(report)
    file = st.file_uploader(
        "Workforce extract (CSV)", type=["csv"], key=_uploader_key("workforce_file")
    )
    allowed = session.may(access.LOAD)
    if file and st.button("Load workforce extract", disabled=not allowed, key="confirm_workforce"):
        with st.spinner("Loading and recomputing the KPIs..."):
            result = actions.load_workforce(file)
        st.session_state["workforce_done"] = result
        _next_round("workforce_file")
        st.rerun()


def _partner_section() -> None:
    st.header("Partner agency figures")
    st.markdown(
        "Monthly counts from partner services (the SARC, the ISVA service): one row per "
        "partner, measure and month, optionally by age band or gender. Counts only, never "
        "case-level rows. A later load replaces the same figures; see docs/partners.md."
    )
    done = st.session_state.pop("partner_done", None)
    if done:
        ui.refusal_or_result(done)
        for report in done.value.reports if done.value is not None else []:
            if not report.ok:
                _report(report)
    forces = load_reference().forces.sort_values("name")
    held = list(deck.forces()["force"])
    ids = list(forces["id"])
    chosen = st.session_state.get("force")
    default = chosen if chosen in ids else (held[0] if held else ids[0])
    force = st.selectbox(
        "Force the figures belong to",
        ids,
        index=ids.index(default),
        format_func=dict(zip(forces["id"], forces["name"], strict=True)).get,
        key="partner_force",
    )
    file = st.file_uploader(
        "Partner figures (CSV)", type=["csv"], key=_uploader_key("partner_file")
    )
    allowed = session.may(access.LOAD)
    if file and st.button("Load partner figures", disabled=not allowed, key="confirm_partner"):
        with st.spinner("Checking and loading the figures..."):
            st.session_state["partner_done"] = actions.load_partners(file, force)
        _next_round("partner_file")
        st.rerun()


VIEWER_MESSAGE = (
    "Viewers cannot load or roll back data: your role shows the dashboards and downloads "
    "results with small numbers suppressed. Ask an analyst to load this month's extracts."
)


def render() -> None:
    ui.page_header(
        "Load data", "Upload this month's extracts and see at once what is wrong with them."
    )
    if not session.may(access.LOAD):
        # No uploader or button for a role that may not use them; the store refuses (and
        # audits) a load or rollback by such a role anyway.
        st.info(VIEWER_MESSAGE, icon=":material/lock:")
        loads_history.render_section()
        return
    _cases_section()
    st.divider()
    _workforce_section()
    st.divider()
    _partner_section()
    st.divider()
    loads_history.render_section()
