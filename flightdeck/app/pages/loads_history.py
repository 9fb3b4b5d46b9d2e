"""The loads history on the Load data page: every load with its counts, and rolling a load
back (its rows stop counting; the KPIs are recomputed). Shown to viewers too, without the
rollback."""

import streamlit as st

from flightdeck import access
from flightdeck.app import session, ui
from flightdeck.app.data import actions, quality

# The loads table in words; the file's SHA-256 stays in the database.
HISTORY_COLUMNS = {
    "load_id": st.column_config.NumberColumn("Load", format="%d"),
    "status": st.column_config.TextColumn("Status"),
    "kind": st.column_config.TextColumn("Extract"),
    "file_name": st.column_config.TextColumn("File"),
    "forces": st.column_config.TextColumn("Forces"),
    "as_of": st.column_config.DateColumn("As of", format="D MMM YYYY"),
    "rows_total": st.column_config.NumberColumn("Rows", format="localized"),
    "rows_new": st.column_config.NumberColumn("New", format="localized"),
    "rows_updated": st.column_config.NumberColumn("Updated", format="localized"),
    "rows_unchanged": st.column_config.NumberColumn("Unchanged", format="localized"),
    "warnings": st.column_config.NumberColumn("Warnings", format="localized"),
    "loaded_by": st.column_config.TextColumn("Loaded by"),
    "loaded_at": st.column_config.DatetimeColumn("Loaded at", format="D MMM YYYY, HH:mm"),
    "rolled_back_by": st.column_config.TextColumn("Rolled back by"),
    "rolled_back_at": st.column_config.DatetimeColumn("Rolled back at", format="D MMM YYYY, HH:mm"),
}


def render_section() -> None:
    """The loads table, newest first, and (for a role that may) rolling a load back."""
    st.header("Loads history")
    done = st.session_state.pop("rollback_done", None)
    if done:
        ui.refusal_or_result(done)
    loads = quality.loads()
    if loads.empty:
        st.info("Nothing has been loaded yet.")
        return
    st.dataframe(
        loads.assign(status=loads["active"].map({True: "active", False: "rolled back"})),
        hide_index=True,
        key="loads_table",
        column_order=list(HISTORY_COLUMNS),
        column_config=HISTORY_COLUMNS,
    )
    active = loads[loads["active"]]
    if active.empty or not session.may(access.ROLLBACK):
        return
    st.subheader("Roll back a load")
    st.caption(
        "Its rows stop counting and the earlier versions of those crimes come back. The KPIs are "
        "recomputed. The load stays in the history."
    )
    labels = {
        int(r.load_id): f"load {r.load_id}: {r.file_name} ({r.forces}), "
        f"loaded {r.loaded_at:%d %b %Y %H:%M}"
        for r in active.itertuples()
    }
    load_id = st.selectbox("Load", list(labels), format_func=labels.get, key="rollback_load")
    sure = st.checkbox("I understand the KPIs will change", key="rollback_sure")
    allowed = session.may(access.ROLLBACK)
    if st.button("Roll back", disabled=not (sure and allowed), key="rollback_button"):
        st.session_state["rollback_done"] = actions.rollback(load_id)
        st.rerun()
