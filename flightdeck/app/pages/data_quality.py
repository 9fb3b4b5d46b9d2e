"""Data quality and feasibility: which KPIs each force can compute and why, how complete each
optional column is over time, the warnings stored with the loads, and the crimes a median left
out because a date comes before the report."""

import streamlit as st

from flightdeck.app import ui
from flightdeck.app.data import actions, deck, quality
from flightdeck.present import quality_charts
from flightdeck.present.style import CHART_CONFIG


def _feasibility_section() -> None:
    st.header("Which KPIs each force can compute")
    feasibility = quality.feasibility()
    if feasibility.empty:
        st.info("No feasibility yet: it is worked out when case data is loaded.")
        return
    st.caption(
        "Computed from each force's own data: ✓ feasible, ◐ partial (a column is filled in too "
        "rarely), ✗ not feasible (a column is not recorded). The status the force has declared "
        "to its board is written in each cell; where the two disagree is worth a conversation."
    )
    names = {k.id: k.name for k in deck.measures()}
    forces = deck.forces()
    force_names = dict(zip(forces["force"], forces["name"], strict=True))
    fig = quality_charts.feasibility_matrix(feasibility, names, force_names)
    st.plotly_chart(fig, config=CHART_CONFIG, key="feasibility_matrix")
    disagree = quality.disagreements()
    if len(disagree):
        st.markdown("**Where the computed flag and the declared status disagree**")
        table = quality_charts.flags_table(disagree, names, force_names)
        st.dataframe(table, hide_index=True, key="disagree")
    with st.expander("Every flag with its reason"):
        table = quality_charts.flags_table(feasibility, names, force_names)
        st.dataframe(table, hide_index=True, key="feasibility_table")


def _completeness_section() -> None:
    st.header("How complete each optional column is, month by month")
    forces = deck.forces()
    if forces.empty:
        return
    force = ui.force_picker(forces)
    frame = quality.completeness()
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
    fig = quality_charts.completeness_heatmap(frame, title=f"{name}: columns filled in")
    st.plotly_chart(fig, config=CHART_CONFIG, key="completeness")


def _warnings_section() -> None:
    st.header("Warnings stored with the loads")
    # Crime and suspect id values are withheld; the line number locates the row in the file.
    warnings = quality.warnings()
    if warnings.empty:
        st.info("No warnings stored.")
        return
    st.caption("These files loaded, but these rows deserve a look (line 1 is the header).")
    st.dataframe(warnings, hide_index=True, key="warnings_table")
    st.download_button(
        "Download the warnings (CSV)",
        actions.table_download("load warnings", warnings),
        file_name="load-warnings.csv",
        on_click="ignore",
        mime="text/csv",
        icon=":material/download:",
    )


def _left_out_section() -> None:
    st.header("Crimes left out of a median")
    left_out = quality.left_out_of_medians()
    if left_out.empty:
        st.info("No crime was left out of the K05 or K09 medians.")
        return
    st.caption(
        "The days from report to charge (K05) or to first suspect contact (K09) are medians of "
        "whole days. A crime whose later date comes before its recorded date is a data error: "
        "it is left out of the median and listed here by its dates, so the force can correct "
        "its records."
    )
    st.dataframe(left_out, hide_index=True, key="left_out_of_medians")


def render() -> None:
    ui.page_header(
        "Data quality and feasibility",
        "What each force's data can support, and what to fix in the next extract.",
    )
    if deck.forces().empty:
        ui.no_data_yet()
        return
    _feasibility_section()
    _completeness_section()
    _warnings_section()
    _left_out_section()
