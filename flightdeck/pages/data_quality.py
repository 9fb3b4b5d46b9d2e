"""Data quality and feasibility: which KPIs each force can compute and why, how complete each
optional column is over time, and the warnings stored with the loads."""

import streamlit as st

from flightdeck import charts, data, safe_export, ui


def _feasibility_section() -> None:
    st.header("Which KPIs each force can compute")
    feasibility = data.feasibility()
    if feasibility.empty:
        st.info("No feasibility yet: it is worked out when case data is loaded.")
        return
    st.caption(
        "Computed from each force's own data: ✓ feasible, ◐ partial (a column is filled in too "
        "rarely), ✗ not feasible (a column is not recorded). The status the force has declared "
        "to its board is written in each cell; where the two disagree is worth a conversation."
    )
    names = {k.id: k.name for k in data.catalogue()}
    forces = data.forces()
    fig = charts.feasibility_matrix(
        feasibility, names, dict(zip(forces["force"], forces["name"], strict=True))
    )
    st.plotly_chart(fig, config=charts.CHART_CONFIG, key="feasibility_matrix")
    declared = feasibility["declared_status"].fillna("")
    disagree = feasibility[
        ((feasibility["flag"] == "not_feasible") & declared.isin(["reported", "feasible"]))
        | ((feasibility["flag"] == "feasible") & (declared == "not_feasible"))
    ]
    if len(disagree):
        st.markdown("**Where the computed flag and the declared status disagree**")
        st.dataframe(disagree, hide_index=True, key="disagree")
    with st.expander("Every flag with its reason"):
        st.dataframe(feasibility, hide_index=True, key="feasibility_table")


def _completeness_section() -> None:
    st.header("How complete each optional column is, month by month")
    forces = data.forces()
    if forces.empty:
        return
    force = ui.force_picker(forces)
    frame = data.completeness()
    frame = frame[frame["force"] == force]
    if frame.empty:
        st.info("No crimes for this force.")
        return
    name = forces.set_index("force").loc[force, "name"]
    st.caption(
        "Share of the crimes recorded each month (not cancelled) with the column filled in. Some "
        "columns are only expected for some crimes (a charge date only where charged), so 100 % "
        "is not always the target; a column at 0 % throughout is not recorded at all."
    )
    fig = charts.completeness_heatmap(frame, title=f"{name}: columns filled in")
    st.plotly_chart(fig, config=charts.CHART_CONFIG, key="completeness")


def _warnings_section() -> None:
    st.header("Warnings stored with the loads")
    # Crime and suspect id values are withheld; the line number locates the row in the file.
    warnings = safe_export.redact_identifier_values(data.warnings())
    if warnings.empty:
        st.info("No warnings stored.")
        return
    st.caption("These files loaded, but these rows deserve a look (line 1 is the header).")
    st.dataframe(warnings, hide_index=True, key="warnings_table")
    st.download_button(
        "Download the warnings (CSV)",
        safe_export.csv_bytes(warnings),
        file_name="load-warnings.csv",
        mime="text/csv",
        icon=":material/download:",
    )


def render() -> None:
    ui.page_header(
        "Data quality and feasibility",
        "What each force's data can support, and what to fix in the next extract.",
    )
    if data.forces().empty:
        ui.no_data_yet()
        return
    _feasibility_section()
    _completeness_section()
    _warnings_section()
