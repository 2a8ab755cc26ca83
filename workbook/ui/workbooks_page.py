"""The Workbooks tab: the open workbook (link, rename, duplicate, archive), new workbooks, the list.

A workbook is a model with its whole history in the store. Nothing is ever deleted from
here: archiving hides a workbook from the list, and "Show archived" brings it back.
Every action is one call to :mod:`workbook.ui.actions` in a
button callback, so it runs exactly once; success is said once, a refusal above the page.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import streamlit as st

from workbook.editing import blank_model
from workbook.examples import list_examples
from workbook.files import max_model_bytes
from workbook.ui import actions, provenance
from workbook.ui.actions import ModelFile, StoreError, WorkbookInfo
from workbook.ui.components import import_xlsx
from workbook.ui.components.read_problems import show_read_problems
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import page_key
from workbook.ui.state import StateKeys, Workshop, editor_key, workshop
from workbook.ui.text import md
from workbook.ui.workbooks_compare import render_compare_workbooks, render_starter

PAGE_PATH = "workbooks"  # the page's url path (pages/workbooks.py)
SHOW_ARCHIVED = page_key("workbooks", "show_archived")
START_FROM = page_key("workbooks", "start_from")
UPLOAD_GENERATION = page_key("workbooks", "upload_generation")  # moves on after an upload became a workbook
BLANK_NAME = page_key("workbooks", "blank_name")
EXAMPLE = page_key("workbooks", "example")
DEFAULT_NAME = "New lead scoring model"



def _zone():
    return provenance.local_zone(st.context.timezone, st.context.timezone_offset)


# --------------------------------------------------------------------------------------------
# Actions: button callbacks, so they run exactly once before the page is drawn again
# --------------------------------------------------------------------------------------------
def _act(action: Callable[[], Any], message: str) -> None:
    """Do a store action; say once what happened, or why it was refused (shown above the page)."""
    try:
        action()
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return
    st.session_state[StateKeys.FLASH] = message


def _rename(workbook_id: str, old_name: str, key: str) -> None:
    name = (st.session_state.get(key) or "").strip()
    if name == old_name:
        st.session_state[StateKeys.FLASH] = "That is already its name"
        return

    _act(lambda: actions.rename(workbook_id, name), f"Renamed '{old_name}' → '{name}'")


def _duplicate(workbook_id: str, old_name: str, key: str) -> None:
    name = (st.session_state.get(key) or "").strip()
    _act(
        lambda: actions.duplicate(workbook_id, name),
        f"Duplicated '{old_name}' as '{name}': you are now working on the copy",
    )


def _set_archived(workbook_id: str, name: str, archived: bool, note: str = "") -> None:
    if archived:
        _act(lambda: actions.set_archived(workbook_id, True), f"Archived '{name}'{note}")
    else:
        _act(lambda: actions.set_archived(workbook_id, False), f"Unarchived '{name}'")


def _open(workbook_id: str, name: str) -> None:
    _act(lambda: actions.open_workbook(workbook_id), f"Opened '{name}'")


def _create_blank() -> None:
    name = (st.session_state.get(BLANK_NAME) or "").strip() or DEFAULT_NAME
    actions.create_workbook(blank_model(name), "blank", f"Created the blank workbook '{name}'")


def _create_from_example() -> None:
    path: Path | None = st.session_state.get(EXAMPLE)
    if path is None:
        return
    file = actions.read_example(path)
    if file.model is None:
        st.session_state[StateKeys.ERROR] = f"The example {path.name} cannot be opened: " + "; ".join(file.errors)
        return
    if actions.open_model_file(file, "example"):
        st.session_state[StateKeys.FLASH] = f"Created '{file.model.name}' from the example {path.name}"


def _create_from_upload(file: ModelFile) -> None:
    st.session_state[UPLOAD_GENERATION] = st.session_state.get(UPLOAD_GENERATION, 0) + 1
    if actions.open_model_file(file, "upload") and file.model is not None:
        st.session_state[StateKeys.FLASH] = f"Created '{file.model.name}' from {file.name}"


# --------------------------------------------------------------------------------------------
# The open workbook
# --------------------------------------------------------------------------------------------
def render_current(ws: Workshop) -> None:
    """Name, link, revision and source of the open workbook; rename, duplicate, archive."""
    try:
        info = actions.workbook(ws.workbook_id)
        names = {w.id: w.name for w in actions.workbooks(include_archived=True)}
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    zone = _zone()
    with st.container(border=True):
        st.subheader(md(info.name))
        st.caption(
            f"{_revisions(info.head_revision)} · last change {provenance.when_text(info.updated_at, zone)} · "
            f"created {provenance.when_text(info.created_at, zone)} · "
            f"{md(provenance.source_text(info.source, names))}" + (" · archived" if info.archived else "")
        )
        st.markdown("**Link to this workbook**", help=HELP["workbooks.link"])
        st.code(provenance.share_link(st.context.url, info.id, PAGE_PATH), language=None)
        rename_col, copy_col = st.columns(2, gap="large")
        with rename_col:
            _render_rename(info)
        with copy_col:
            _render_duplicate(info, list(names.values()))
        if info.archived:
            st.button(
                "Unarchive",
                icon=":material/unarchive:",
                key=page_key("workbooks", "unarchive_current"),
                help=HELP["workbooks.unarchive_current"],
                disabled=not may("archive"),
                on_click=_set_archived,
                args=(info.id, info.name, False),
            )
        else:
            st.button(
                "Archive",
                icon=":material/archive:",
                key=page_key("workbooks", "archive_current"),
                help=HELP["workbooks.archive"],
                disabled=not may("archive"),
                on_click=_set_archived,
                args=(info.id, info.name, True, ": it stays open here, hidden from the list"),
            )


def _revisions(n: int) -> str:
    return f"{n:,} revision{'s' if n != 1 else ''}"


def _render_rename(info: WorkbookInfo) -> None:
    key = editor_key(page_key("workbooks", "rename"))
    with st.form(editor_key(page_key("workbooks", "rename_form")), border=False):
        st.text_input("Workbook name", value=info.name, key=key, help=HELP["workbooks.rename"],
                      disabled=not may("rename"))
        st.form_submit_button(
            "Rename",
            icon=":material/edit:",
            key=page_key("workbooks", "rename_submit"),
            disabled=not may("rename"),
            on_click=_rename,
            args=(info.id, info.name, key),
        )


def _render_duplicate(info: WorkbookInfo, taken: list[str]) -> None:
    key = editor_key(page_key("workbooks", "copy_name"))
    with st.form(editor_key(page_key("workbooks", "duplicate_form")), border=False):
        st.text_input(
            "Name of the copy", value=provenance.copy_name(info.name, taken), key=key, help=HELP["workbooks.duplicate"],
            disabled=not may("duplicate"),
        )
        st.form_submit_button(
            "Duplicate",
            icon=":material/content_copy:",
            key=page_key("workbooks", "duplicate_submit"),
            disabled=not may("duplicate"),
            on_click=_duplicate,
            args=(info.id, info.name, key),
        )


# --------------------------------------------------------------------------------------------
# A new workbook
# --------------------------------------------------------------------------------------------
START_OPTIONS = {"blank": "Blank", "starter": "Starter set", "example": "An example", "file": "A model file"}


def render_new() -> None:
    """Create a workbook: blank, from an example, or from an uploaded model file; it opens at once."""
    st.subheader("New workbook")
    st.caption("The workbook you have open stays as it is; the new one opens here.")
    start = st.segmented_control(
        "Start from",
        list(START_OPTIONS),
        format_func=START_OPTIONS.get,
        default="blank",
        key=START_FROM,
        help=HELP["workbooks.start_from"],
        required=True,
    )
    if start == "example":
        _render_from_example()
    elif start == "file":
        _render_from_file()
    elif start == "starter":
        render_starter()
    else:
        _render_blank()


def _render_blank() -> None:
    with st.form(page_key("workbooks", "blank_form"), border=False, clear_on_submit=True):
        st.text_input("Name", value=DEFAULT_NAME, key=BLANK_NAME, help=HELP["workbooks.blank_name"])
        st.form_submit_button(
            "Create blank workbook",
            icon=":material/add:",
            type="primary",
            key=page_key("workbooks", "create_blank"),
            on_click=_create_blank,
        )


def _render_from_example() -> None:
    examples = list_examples()
    if not examples:
        st.caption("No example workbooks are installed.")
        return
    st.selectbox("Example", examples, format_func=lambda p: p.name, key=EXAMPLE, help=HELP["workbooks.example"])
    st.button(
        "Create from this example",
        icon=":material/add:",
        type="primary",
        key=page_key("workbooks", "create_example"),
        on_click=_create_from_example,
    )


def _render_from_file() -> None:
    cap = max_model_bytes()
    generation = st.session_state.setdefault(UPLOAD_GENERATION, 0)
    uploaded = st.file_uploader(
        "Model file (YAML)",
        type=["yaml", "yml"],
        key=page_key("workbooks", f"upload@{generation}"),
        max_upload_size=max(1, math.ceil(cap / (1024 * 1024))),
        help=HELP["workbooks.upload"].format(kb=f"{cap // 1024:,}"),
    )
    if uploaded is None:
        return
    file = actions.read_model_file(uploaded.name, uploaded.getvalue(), cap)
    model = file.model
    if not show_read_problems(
        model.name if model else None, file.errors, file.warnings,
        refused=f"Not stored: {md(uploaded.name)} is not a model file this app can read",
        draft="it will be a draft until they are fixed",
    ):
        return
    if not file.warnings:
        st.success(f"{md(model.name)} is a valid model.", icon=":material/check_circle:")
    st.button(
        "Create workbook from this file",
        icon=":material/add:",
        type="primary",
        key=page_key("workbooks", "create_upload"),
        on_click=_create_from_upload,
        args=(file,),
    )


# --------------------------------------------------------------------------------------------
# Every workbook
# --------------------------------------------------------------------------------------------
def render_list(ws: Workshop) -> None:
    """Every workbook, most recently changed first: name, last change, revisions, source, actions."""
    st.subheader("All workbooks")
    show_archived = st.toggle("Show archived workbooks", key=SHOW_ARCHIVED, help=HELP["workbooks.show_archived"])
    everything = actions.workbooks(include_archived=True)
    names = {w.id: w.name for w in everything}
    shown = [w for w in everything if show_archived or not w.archived]
    hidden = len(everything) - len(shown)
    if hidden:
        st.caption(f"{hidden:,} archived workbook{'s' if hidden != 1 else ''} not shown.")
    zone = _zone()
    widths = [3.6, 1.6, 1.3, 2.6, 1.5, 1.7]
    header = st.columns(widths, vertical_alignment="bottom")
    for col, title in zip(header, ["Name", "Last change", "Revisions", "Source", "", ""], strict=True):
        if title:
            col.markdown(f"**{title}**")
    for info in shown:
        row = st.columns(widths, vertical_alignment="center")
        row[0].markdown(md(info.name) + (" · *archived*" if info.archived else ""))
        row[1].text(provenance.when_text(info.updated_at, zone))
        row[2].text(f"{info.head_revision:,}")
        row[3].text(provenance.source_text(info.source, names))
        if info.id == ws.workbook_id:
            row[4].badge(
                "Open here", icon=":material/check:", color="green", help=HELP["workbooks.open_here"]
            )
        else:
            row[4].button(
                "Open",
                key=page_key("workbooks", "open", info.id),
                icon=":material/folder_open:",
                help=HELP["workbooks.open"],
                width="stretch",
                on_click=_open,
                args=(info.id, info.name),
            )
        if info.archived:
            row[5].button(
                "Unarchive",
                key=page_key("workbooks", "unarchive", info.id),
                icon=":material/unarchive:",
                help=HELP["workbooks.unarchive"],
                width="stretch",
                disabled=not may("archive", info.id),
                on_click=_set_archived,
                args=(info.id, info.name, False),
            )
        else:
            row[5].button(
                "Archive",
                key=page_key("workbooks", "archive", info.id),
                icon=":material/archive:",
                help=HELP["workbooks.archive"],
                width="stretch",
                disabled=not may("archive", info.id),
                on_click=_set_archived,
                args=(info.id, info.name, True),
            )


def render() -> None:
    """The Workbooks tab."""
    ws = workshop()

    st.header("Workbooks")
    st.caption(
        "Every change is saved as you make it, with its whole history. Nothing is ever deleted here: archiving "
        "only hides a workbook from the list."
    )

    render_current(ws)
    render_new()
    import_xlsx.render(ws)
    render_list(ws)
    render_compare_workbooks(ws)
