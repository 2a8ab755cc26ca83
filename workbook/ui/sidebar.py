"""The sidebar shown on every page: name, validity, weight totals, scenario agreement."""

from __future__ import annotations

import streamlit as st

from workbook import fmt
from workbook.places import in_words
from workbook.ui import actions
from workbook.ui.actions import StoreError, head_revision, request_sync, undo_last_change
from workbook.ui.help import HELP
from workbook.ui.identity import may, render_identity
from workbook.ui.signals import agreement_signal, provisional_note, weight_signal
from workbook.ui.state import StateKeys, current_workshop
from workbook.ui.text import md
from workbook.validate import weight_total

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
    st.caption(" · ".join(part for part in (
        f"Revision {ws.store_revision}", "saved automatically", md(source_words(ws.source))) if part))
    n_err, n_warn = len(ws.report.errors), len(ws.report.warnings)
    if n_err:
        errors = fmt.count(n_err, "error")
        st.error(f"Invalid: {errors}, {fmt.count(n_warn, 'warning')}" if n_warn else f"Invalid: {errors}",
                 icon=":material/error:")
    elif n_warn:
        st.warning(f"Valid, with {fmt.count(n_warn, 'warning')}", icon=":material/warning:")
    else:
        st.success("Valid: ready for a final export", icon=":material/verified:")
    if n_err or n_warn:
        with st.expander("Problems", expanded=bool(n_err)):
            # In the words of the tabs; the file locations stay in the CLI and the exports.
            lines = [f"✖ {in_words(ws.model, p)}" for p in ws.report.errors]
            lines += [f"⚠ {in_words(ws.model, p)}" for p in ws.report.warnings]
            st.markdown("\n\n".join(md(line) for line in lines))
    col1, col2 = st.columns(2, vertical_alignment="bottom")  # numbers level when a label wraps
    for col, label, factors in (
        (col1, "ICP weights", ws.model.profile),
        (col2, "Activity weights", ws.model.engagement),
    ):
        total = weight_total(factors)
        words, colour = weight_signal(total)
        col.metric(
            label,
            fmt.pct(float(total), 2),
            delta=words,
            delta_color=colour,
            delta_arrow="off",
            help=HELP["sidebar.help"],
        )
    agree = ws.agreement
    words, colour = agreement_signal(agree, ws.report.is_valid)
    st.metric(
        "Scenario agreement",
        f"{agree.agreeing} of {agree.with_estimate}",
        delta=words,
        delta_color=colour,
        delta_arrow="off",
        help=HELP["sidebar.scenario_agreement"],
    )
    st.caption(agree.sentence())
    provisional_note(ws, "sidebar")
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


def source_words(source: str) -> str:
    """Where the workbook came from, in words: never the store's ``duplicate:<id>@<revision>``."""
    kind, _, rest = source.partition(":")
    if kind == "example":
        return f"from the example {rest.removesuffix('.yaml').removesuffix('.yml').replace('_', ' ')}"
    if kind == "duplicate":
        original, _, number = rest.partition("@")
        try:
            name = actions.workbook(original).name
        except StoreError:
            return "a copy of another workbook"
        return f"a copy of '{name}'" + (f" at revision {number}" if number.isdigit() else "")
    return {"blank": "started blank", "upload": "from an uploaded file"}.get(source, "")


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
