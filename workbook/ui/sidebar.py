"""The sidebar shown on every page: name, validity, weight totals, scenario agreement."""

from __future__ import annotations

import streamlit as st

from workbook import fmt
from workbook.ui.actions import StoreError, head_revision, may, request_sync, undo_last_change
from workbook.ui.help import HELP
from workbook.ui.identity import render_identity
from workbook.ui.state import StateKeys, current_workshop
from workbook.ui.text import md
from workbook.validate import weight_total, weights_add_up

SIDEBAR = "sidebar"  # the key of the sidebar's status fragment, for edits that rerun only some parts


def render_sidebar() -> None:
    """The sidebar: the workbook's status and controls, a fragment (see :data:`SIDEBAR`)."""
    with st.sidebar:
        sidebar()


@st.fragment(key=SIDEBAR)
def sidebar() -> None:
    """Name, validity, weight totals and scenario agreement of the model as it is now.

    A fragment: an edit that changes only some parts of a page reruns it with them
    (:func:`workbook.ui.actions.edit_in_callback`). Its undo reruns the whole app.
    """
    ws = current_workshop()
    st.markdown(f"**{md(ws.model.name)}**")
    st.caption(f"Revision {ws.store_revision} · saved automatically · from {md(ws.source)}")
    n_err, n_warn = len(ws.report.errors), len(ws.report.warnings)
    if n_err:
        st.error(f"Invalid: {n_err} error(s), {n_warn} warning(s)", icon=":material/error:")
    elif n_warn:
        st.warning(f"Valid, with {n_warn} warning(s)", icon=":material/warning:")
    else:
        st.success("Valid: ready for a final export", icon=":material/verified:")
    if n_err or n_warn:
        with st.expander("Problems", expanded=bool(n_err)):
            for problem in ws.report.errors:
                st.text(f"✖ {problem}")
            for problem in ws.report.warnings:
                st.text(f"⚠ {problem}")
    col1, col2 = st.columns(2)
    for col, label, factors in (
        (col1, "ICP weights", ws.model.profile),
        (col2, "Activity weights", ws.model.engagement),
    ):
        total = weight_total(factors)
        ok = weights_add_up(total)
        col.metric(
            label,
            fmt.pct(float(total), 2),
            delta="adds up to 100" if ok else f"{fmt.points(float(total - 100), 2)} off 100",
            delta_color="off" if ok else "inverse",
            delta_arrow="off",
            help=HELP["sidebar.help"],
        )
    agree = ws.agreement
    st.metric(
        "Scenario agreement",
        f"{agree.agreeing} of {agree.with_estimate}",
        help=HELP["sidebar.scenario_agreement"],
    )
    st.caption(agree.sentence())
    if agree.rate is not None:
        st.progress(agree.rate, text=f"{fmt.pct(agree.rate * 100, 0)} agree")
    render_identity()
    st.button(
        "Undo last change",
        icon=":material/undo:",
        key="undo_last_change",
        on_click=_undo,
        disabled=ws.store_revision <= 1 or not may("undo"),
        help=HELP["sidebar.undo_last_change"],
        width="stretch",
    )


def _undo() -> None:
    undo_last_change()
    st.rerun()  # the whole app, not only the sidebar: the undone change may be anywhere


@st.fragment(run_every=3)
def watch_for_changes(workbook_id: str, seen: int) -> None:
    """Every few seconds: if someone else saved a change, rerun so this session shows it.

    Call it last in the script: in a full run it then runs after the page has saved its
    own edit, so it never reruns the app before that edit is made.
    """
    try:
        head = head_revision(workbook_id)
    except StoreError:
        return
    if head != seen and head != st.session_state.get(StateKeys.BASE):
        request_sync()
        st.rerun(scope="app")
