"""Change points, notes and targets: what an analyst adds to a force's SPC charts.

A change point restarts a KPI's SPC baseline at a month where the process is known to have
changed (a new team, a new policy), so the chart judges the months after against the new
process; a note is a remark shown on the chart; a target gives the chart an assurance verdict.
Everyone sees them; analysts change them. Free text is shown as plain text, never as markdown,
and the page asks for no names, ids or case details (the store checks for the obvious ones).
"""

import re

import pandas as pd
import streamlit as st

from flightdeck import access
from flightdeck.app import session, ui
from flightdeck.app.data import deck, spc_notes
from flightdeck.app.data.actions import ActionResult
from flightdeck.present.formatting import format_value, is_fraction, month_label
from flightdeck.store.annotations import KINDS, MAX_TEXT

ALL_KPIS = "All KPIs"
_RESULT = "spc_notes_result"  # (section, outcome) of the last change, shown on the next run
_MARKDOWN = re.compile(r"([\\`*_{}\[\]()#+\-.!|<>~:$&=])")


def _plain(text: str) -> str:
    """Text with every markdown character escaped, for the few places shown as markdown."""
    return _MARKDOWN.sub(r"\\\1", str(text))


def _kpis() -> dict[str, object]:
    return {k.id: k for k in deck.measures()}


def _kpi_label(kpi_id: str | None) -> str:
    if kpi_id is None:
        return ALL_KPIS
    kpi = _kpis().get(kpi_id)
    return f"{kpi_id} {kpi.name}" if kpi else kpi_id


def _keep_result(section: str, result: ActionResult) -> None:
    st.session_state[_RESULT] = (section, result)


def _show_result(section: str) -> None:
    """The outcome of the last change, in the section where it was made (a message at the top
    of the page would be out of sight of a button at the bottom)."""
    held = st.session_state.get(_RESULT)
    if held is not None and held[0] == section:
        del st.session_state[_RESULT]
        ui.refusal_or_result(held[1])


# --- the changes, run as callbacks so the page drawn next already shows them ------------------


def _record(force: str) -> None:
    state = st.session_state
    result = spc_notes.record_annotation(
        force,
        state["annotation_kpi"],
        state["annotation_month"],
        state["annotation_kind"],
        state["annotation_text"],
    )
    _keep_result("notes", result)
    if result.ok:
        state["annotation_text"] = ""


def _withdraw(annotation_id: int) -> None:
    _keep_result("notes", spc_notes.withdraw_annotation(annotation_id))


def _entered_target(kpi) -> float | None:
    value = st.session_state.get(f"target_value_{kpi.id}")
    if value is None:
        return None
    return float(value) / 100 if is_fraction(kpi.unit) else float(value)


def _save_target(force: str, kpi) -> None:
    value = _entered_target(kpi)
    if value is None:
        _keep_result("targets", ActionResult(False, "Enter a target first."))
        return
    source = st.session_state.get("target_source", "")
    _keep_result("targets", spc_notes.save_target(force, kpi.id, value, source))


def _remove_target(force: str, kpi_id: str) -> None:
    _keep_result("targets", spc_notes.remove_target(force, kpi_id))


def _reset_targets() -> None:
    _keep_result("targets", spc_notes.reset_targets())


# --- change points and notes ------------------------------------------------------------------


def _annotation_list(force: str, name: str, may_edit: bool) -> None:
    shown = spc_notes.annotations_for(force)
    if shown.empty:
        st.info(f"No change points or notes for {name} yet.", icon=":material/edit_note:")
        return
    for n, row in enumerate(shown.itertuples(index=False)):
        kpi_id = row.kpi_id if isinstance(row.kpi_id, str) else None
        with st.container(border=True, key=f"annotation_row_{n}"):
            left, right = st.columns([6, 1], vertical_alignment="center")
            with left:
                st.markdown(
                    f"**{month_label(row.month)} · {_plain(_kpi_label(kpi_id))} · "
                    f"{KINDS.get(row.kind, row.kind)}**"
                )
                st.text(row.text)  # as written: never read as markdown or HTML
                st.caption(
                    f"Recorded by {_plain(row.recorded_by)}, "
                    f"{pd.Timestamp(row.recorded_at):%d %b %Y %H:%M}"
                )
            right.button(
                "Withdraw",
                key=f"withdraw_{row.id}",
                disabled=not may_edit,
                on_click=_withdraw,
                args=(int(row.id),),
            )


def _annotation_form(force: str, months: list[pd.Timestamp], may_edit: bool) -> None:
    with st.form("record_annotation_form"):
        st.markdown("**Record a change point or a note**")
        left, right = st.columns(2)
        left.selectbox("KPI", [None, *_kpis()], format_func=_kpi_label, key="annotation_kpi")
        right.selectbox(
            "From the month",
            sorted(months, reverse=True),
            format_func=month_label,
            key="annotation_month",
        )
        st.radio(
            "Kind",
            list(KINDS),
            format_func=KINDS.get,
            horizontal=True,
            key="annotation_kind",
            captions=["a new SPC baseline starts at this month", "shown on the chart only"],
        )
        st.text_input(
            f"What changed (at most {MAX_TEXT} characters; no names, ids or case details)",
            max_chars=MAX_TEXT,
            placeholder="e.g. new RASSO team from April 2025",
            key="annotation_text",
        )
        st.form_submit_button(
            "Record",
            key="record_annotation",
            disabled=not may_edit,
            on_click=_record,
            args=(force,),
        )


def _annotations_section(force: str, name: str, may_edit: bool) -> None:
    st.header("Change points and notes")
    st.caption(
        "A change point says the process changed at a month (a new team, a new policy): the "
        "SPC chart starts a new baseline there, so later months are judged against the new "
        "process. A note is a remark shown on the chart. Either is for one KPI or for all. "
        "A withdrawn one stops showing but is kept in the record, with who withdrew it."
    )
    st.warning(
        "Boards read these notes: write no names, ids or case details.", icon=":material/shield:"
    )
    _show_result("notes")
    _annotation_list(force, name, may_edit)
    months = deck.months(force)
    if not months:
        st.info(f"{name} has no KPI results yet, so there is no month to annotate.")
        return
    _annotation_form(force, months, may_edit)


# --- targets ----------------------------------------------------------------------------------


def _target_table(force: str, name: str) -> dict[str, float]:
    frame = spc_notes.all_targets()
    mine = frame[frame["force"] == force]
    if mine.empty:
        st.info(f"No targets for {name}.", icon=":material/flag:")
        return {}
    kpis = _kpis()
    shown = pd.DataFrame(
        {
            "KPI": [_kpi_label(k) for k in mine["kpi_id"]],
            "Target": [
                format_value(t, kpis[k].unit) if k in kpis else str(t)
                for k, t in zip(mine["kpi_id"], mine["target"], strict=True)
            ],
            "Source": list(mine["source"]),
        }
    )
    st.dataframe(shown, hide_index=True, key="target_table")
    return dict(zip(mine["kpi_id"], mine["target"], strict=True))


def _target_controls(force: str, current: dict[str, float], may_edit: bool) -> None:
    kpis = {k: v for k, v in _kpis().items() if v.direction != "neutral"}
    left, right = st.columns(2)
    kpi_id = left.selectbox("KPI", list(kpis), format_func=_kpi_label, key="target_kpi")
    kpi = kpis[kpi_id]
    fraction = is_fraction(kpi.unit)
    now = current.get(kpi_id)
    if now is not None and fraction:
        now = round(now * 100, 4)
    right.number_input(
        "Target (%)" if fraction else f"Target ({kpi.unit})",
        min_value=0.0,
        max_value=100.0 if fraction else None,
        value=now,
        step=0.5 if fraction else 1.0,
        key=f"target_value_{kpi_id}",
    )
    st.text_input(
        "Source (optional: the plan or board decision it comes from)",
        max_chars=100,
        key="target_source",
    )
    save, remove, reset = st.columns(3)
    save.button(
        "Save target",
        key="save_target",
        disabled=not may_edit,
        on_click=_save_target,
        args=(force, kpi),
    )
    remove.button(
        "Remove target",
        key="remove_target",
        disabled=not may_edit or now is None,
        on_click=_remove_target,
        args=(force, kpi_id),
    )
    reset.button(
        "Go back to the shipped targets",
        key="reset_targets",
        disabled=not may_edit,
        on_click=_reset_targets,
    )


def _targets_section(force: str, name: str, may_edit: bool) -> None:
    st.header("Targets")
    st.caption(
        "A target is drawn on the KPI's SPC chart, which then says whether the process will "
        "meet it reliably, only sometimes, or not unless something changes. Rates are entered "
        "in percent; other KPIs in their own units (days, crimes, cases per FTE). Context "
        "measures, where neither higher nor lower is better, take no target. The shipped "
        "targets are used until the first change here."
    )
    current = _target_table(force, name)
    _show_result("targets")
    _target_controls(force, current, may_edit)


def render() -> None:
    ui.page_header("Change points, notes and targets")
    forces = deck.forces()
    if forces.empty:
        ui.no_data_yet()
        return
    force = ui.force_picker(forces)
    name = forces.loc[forces["force"] == force, "name"].iloc[0]
    may_edit = session.may(access.EDIT_REFERENCE)
    if not may_edit:
        st.caption(
            "Your role can see the change points, notes and targets but not change them; "
            "an analyst can."
        )
    _annotations_section(force, name, may_edit)
    _targets_section(force, name, may_edit)
