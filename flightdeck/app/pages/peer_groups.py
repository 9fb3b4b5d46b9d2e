"""Peer groups and peer data: edit the groups, import or remove other forces' results, and
export this force's results (small numbers suppressed) for its peers."""

import streamlit as st

from flightdeck import access
from flightdeck.app import session, ui
from flightdeck.app.data import actions
from flightdeck.app.data import peers as peer_data
from flightdeck.peers import groups as peer_groups
from flightdeck.peers.suppression import SuppressionRule
from flightdeck.reference import load_reference

NEW_GROUP = "(new group)"


def _groups_section() -> None:
    st.header("Peer groups")
    st.caption(
        "The forces each comparison is made against. The shipped groups are one per region, "
        "plus the synthetic demo forces; analysts can change them here."
    )
    reference = load_reference()
    names = dict(zip(reference.forces["id"], reference.forces["name"], strict=True))
    groups = peer_data.peer_groups()
    st.dataframe(peer_groups.summary(groups), hide_index=True, key="peer_group_table")
    may_edit = session.may(access.EDIT_REFERENCE)
    if not may_edit:
        st.caption("Your role can view the groups but not change them.")
    with st.form("edit_group"):
        options = [NEW_GROUP, *sorted(set(groups["group"]))]
        chosen = st.selectbox("Group to edit", options, key="edit_group_choice")
        new_name = st.text_input("Name of a new group", key="edit_group_name")
        current = sorted(groups.loc[groups["group"] == chosen, "force"])
        members = st.multiselect(
            "Forces in the group (for an existing group, leave empty to keep its members)",
            list(names),
            default=current if chosen != NEW_GROUP else [],
            format_func=lambda f: names.get(f, f),
            key="edit_group_members",
        )
        save = st.form_submit_button("Save group", disabled=not may_edit)
        delete = st.form_submit_button("Delete group", disabled=not may_edit)
    if save:
        group = new_name.strip() if chosen == NEW_GROUP else chosen
        ui.refusal_or_result(actions.save_peer_group(group, members or current))
    if delete and chosen != NEW_GROUP:
        ui.refusal_or_result(actions.delete_peer_group(chosen))
    if st.button("Go back to the shipped groups", disabled=not may_edit, key="reset_groups"):
        ui.refusal_or_result(actions.reset_peer_groups())


def _import_section() -> None:
    st.header("Peers' results")
    st.caption(
        "Other forces send their KPI results as two files from `flightdeck export-results`: the "
        "CSV and its side file `.meta.json`. Both are needed. A later file for the same force "
        "replaces the earlier one; results of a force whose own case data is loaded here are "
        "never replaced by an import."
    )
    imports = peer_data.peer_imports()
    if imports.empty:
        st.info("No peers' results imported yet.")
    else:
        st.dataframe(imports, hide_index=True, key="peer_imports")
    may_import = session.may(access.IMPORT_PEERS)
    csv_file = st.file_uploader("Results CSV", type=["csv"], key="peer_csv")
    meta_file = st.file_uploader("Its side file (.meta.json)", type=["json"], key="peer_meta")
    if st.button("Import", disabled=not may_import or csv_file is None, key="peer_import"):
        result = actions.import_peer_results(csv_file, meta_file)
        outcome = result.value
        if outcome is not None and outcome.status == "refused":
            st.error(outcome.message)
            st.dataframe(outcome.report.to_frame(), hide_index=True, key="import_report")
        else:
            ui.refusal_or_result(result)
            for note in outcome.notes if outcome is not None else []:
                st.warning(note)
    if not imports.empty:
        force = st.selectbox("Remove the results of", list(imports["force"]), key="peer_remove")
        if st.button("Remove", disabled=not may_import, key="peer_remove_button"):
            ui.refusal_or_result(actions.remove_peer_results(force))


def _export_section() -> None:
    st.header("Share this force's results")
    forces = peer_data.forces()
    own = forces[forces["source"] == "own"]
    if own.empty:
        st.info("No force has its own case data here yet.")
        return
    st.caption(
        "The export holds the KPI results only, never case data: "
        f"{SuppressionRule.from_settings().describe()}."
    )
    names = dict(zip(own["force"], own["name"], strict=True))
    force = st.selectbox("Force", list(names), format_func=names.get, key="export_force")
    if st.button(
        "Prepare the export", disabled=not session.may(access.EXPORT), key="export_button"
    ):
        prepared = actions.export_results(force)
        if isinstance(prepared, actions.ActionResult):
            ui.refusal_or_result(prepared)
            return
        csv_bytes, meta_bytes = prepared
        st.download_button(
            "Download the results CSV",
            csv_bytes,
            f"{force}-kpi-results.csv",
            mime="text/csv",
            key="export_csv",
        )
        st.download_button(
            "Download its side file",
            meta_bytes,
            f"{force}-kpi-results.csv.meta.json",
            mime="application/json",
            key="export_meta",
        )


def render() -> None:
    ui.page_header("Peer groups and peers' results")
    _groups_section()
    _import_section()
    _export_section()
