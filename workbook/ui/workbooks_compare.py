"""On the Workbooks tab: a new workbook from the starter set, and two workbooks side by side.

The starter set (:mod:`workbook.templates.starter`) is common B2B attributes and activities,
chosen by ticking boxes. The comparison puts the open workbook beside another workbook of
this server, or beside an uploaded model file: the model's differences in words and the
scenarios that land somewhere else (the History tab's view, :mod:`workbook.ui.history_compare`).
"""

from __future__ import annotations

import streamlit as st

from workbook.templates import STARTER_ACTIVITIES, STARTER_ATTRIBUTES, TemplateError, starter_model
from workbook.ui import actions
from workbook.ui.actions import StoreError, diff_models
from workbook.ui.help import HELP
from workbook.ui.history_compare import compare_upload, render_diff
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.state import Workshop
from workbook.ui.text import md

STARTER_NAME = page_key("workbooks", "starter_name")
OTHER = page_key("workbooks", "compare_with")
FILE = "file"


def tick_key(kind: str, index: int) -> str:
    """The key of one tick box of the starter set ("attribute" / "activity", its position)."""
    return page_key("workbooks", "starter", kind, index)


def _create_from_starter() -> None:
    attributes = [f.name for i, f in enumerate(STARTER_ATTRIBUTES) if st.session_state.get(tick_key("attribute", i))]
    activities = [f.name for i, f in enumerate(STARTER_ACTIVITIES) if st.session_state.get(tick_key("activity", i))]
    name = (st.session_state.get(STARTER_NAME) or "").strip() or "New lead scoring model"
    try:
        model = starter_model(name, attributes, activities)
    except TemplateError as exc:
        st.session_state[StateKeys.ERROR] = f"Not created: {exc}"
        return
    actions.create_workbook(
        model, "blank",
        f"Created '{model.name}' from the starter set: {len(attributes)} attributes, {len(activities)} activities",
    )


def render_starter() -> None:
    """Tick the common attributes and activities the team uses; the new workbook opens here."""
    st.caption(HELP["workbooks.starter"])
    with st.form(page_key("workbooks", "starter_form"), border=False):
        st.text_input("Name", value="New lead scoring model", key=STARTER_NAME, help=HELP["workbooks.blank_name"])
        left, right = st.columns(2, gap="large")
        with left:
            st.markdown("**ICP attributes**")
            for i, f in enumerate(STARTER_ATTRIBUTES):
                st.checkbox(f.name, value=True, key=tick_key("attribute", i), help=f.why.capitalize() or None)
        with right:
            st.markdown("**Activities**")
            for i, f in enumerate(STARTER_ACTIVITIES):
                st.checkbox(f.name, value=True, key=tick_key("activity", i), help=f.why.capitalize() or None)
        st.form_submit_button(
            "Create from the starter set",
            icon=":material/add:",
            type="primary",
            key=page_key("workbooks", "create_starter"),
            on_click=_create_from_starter,
        )


def render_compare_workbooks(ws: Workshop) -> None:
    """The open workbook beside another workbook or an uploaded model file."""
    st.subheader("Compare two workbooks")
    st.caption(
        "The open workbook beside another one (or a model file): what differs in the model, in words, and the "
        "scenarios whose state differs."
    )
    try:
        others = [w for w in actions.workbooks(include_archived=False) if w.id != ws.workbook_id]
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    names = {w.id: w.name for w in others}
    options: list[str] = [*names, FILE]
    picked = st.selectbox(
        "Compare with",
        options,
        index=None,
        format_func=lambda o: "A model file (upload)" if o == FILE else names.get(o, o),
        placeholder="Choose a workbook…",
        key=OTHER,
        help=HELP["workbooks.compare_with"],
    )
    if picked is None:
        return
    if picked == FILE:
        other = compare_upload(page_key("workbooks", "compare_upload"))
        side = "The file"
        if other is None:
            return
    else:
        try:
            other = actions.revision(picked, actions.head_revision(picked)).model
        except StoreError as exc:
            st.error(md(exc), icon=":material/error:")
            return
        side = "The other workbook"
    st.caption(f"This workbook: {md(ws.model.name)} · {side.lower()}: {md(other.name)}")
    # Two workbooks always differ in name: that is no difference of the model.
    same_name = other.model_copy(update={"name": ws.model.name})
    render_diff(diff_models(ws.model, same_name), ws.model, other, sides=("This workbook", side), page="workbooks")
