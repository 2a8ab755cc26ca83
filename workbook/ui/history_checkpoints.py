"""Checkpoints on the History tab, and the change notes by checkpoint of the Review tab.

A facilitator names a moment ("after workshop 1"); the history then reads section by section
— since the last checkpoint, up to each checkpoint — with who changed how much, quick + / −
clicks on one field shown as one line (the rule is :mod:`workbook.store.timeline`'s). Any
checkpoint can be restored (a new revision) or compared with now (the Compare section).
"""

from __future__ import annotations

from collections.abc import Sequence

import pandas as pd
import streamlit as st

from workbook.ui import actions, provenance
from workbook.ui.actions import Checkpoint, HistoryEntry, HistorySection, RevisionInfo, StoreError
from workbook.ui.components.revisions import WRAPPED_ROW_PX, local_zone, table
from workbook.ui.help import HELP
from workbook.ui.history_compare import compare_with_current
from workbook.ui.identity import may
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.state import Workshop
from workbook.ui.text import md

NAME = page_key("history", "checkpoint_name")
SHOWN_SECTIONS = 6  # sections shown open-able; older ones are behind "Show older"
SECTIONS_SHOWN = page_key("history", "sections_shown")
PEOPLE = page_key("history", "people")  # whose changes the sections show (none chosen: everyone's)
NO_NAME = "without a name"


def _name_checkpoint(workbook_id: str) -> None:
    name = st.session_state.get(NAME) or ""
    try:
        mark = actions.name_checkpoint(workbook_id, name)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = f"Not named: {exc}"
        return
    st.session_state[NAME] = ""
    st.session_state[StateKeys.FLASH] = f"Checkpoint '{mark.name}' names revision {mark.revision}"


def render_name_checkpoint(ws: Workshop) -> None:
    """Name the current revision: a text box and a button."""
    with st.form(page_key("history", "checkpoint_form"), border=False, enter_to_submit=True):
        cols = st.columns([2.4, 1], vertical_alignment="bottom")
        cols[0].text_input(
            "Name this moment",
            key=NAME,
            placeholder="after workshop 1",
            max_chars=80,
            help=HELP["history.checkpoint_name"],
            disabled=not may("checkpoint"),
        )
        cols[1].form_submit_button(
            "Save checkpoint",
            icon=":material/bookmark_add:",
            key=page_key("history", "checkpoint_save"),
            on_click=_name_checkpoint,
            args=(ws.workbook_id,),
            width="stretch",
            disabled=not may("checkpoint"),
        )


def _entries_frame(entries: Sequence[HistoryEntry]) -> pd.DataFrame:
    zone = local_zone()
    return pd.DataFrame(
        [
            {
                "Revisions": e.revisions_text,
                "When": provenance.when_text(e.at, zone),
                "Who": provenance.who_text(e.author),
                "What changed": "; ".join(e.sentences) or "–",
            }
            for e in entries
        ],
        columns=["Revisions", "When", "Who", "What changed"],
    )


def load_sections(ws: Workshop, revisions: Sequence[RevisionInfo]) -> list[HistorySection]:
    """The readable history of the open workbook (empty, with the reason shown, if it cannot be read)."""
    try:
        return actions.readable_history(ws.workbook_id, list(revisions))
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return []


def folded_run(sections: Sequence[HistorySection], last: int) -> tuple[int, list[str]] | None:
    """The first revision and words of the folded line that ends at revision ``last`` (None: not folded)."""
    for section in sections:
        for entry in section.entries:
            if entry.last == last and entry.folded > 1:
                return entry.first, entry.sentences
    return None


def _who(author: str | None) -> str:
    return (author or "").strip() or NO_NAME


def render_readable_history(ws: Workshop, sections: Sequence[HistorySection]) -> None:
    """The history by checkpoint, newest first, optionally one person's changes only; restore or
    compare each checkpoint."""
    people = sorted({_who(e.author) for s in sections for e in s.entries}, key=lambda p: (p == NO_NAME, p))
    chosen = set(
        st.pills("Only the changes of", people, selection_mode="multi", key=PEOPLE, help=HELP["history.people"])
        or people
    )
    shown = st.session_state.setdefault(SECTIONS_SHOWN, SHOWN_SECTIONS)
    for index, section in enumerate(sections[:shown]):
        mark = section.checkpoint
        count = len(section.entries)
        title = f"{section.title} · {count} change{'s' if count != 1 else ''} by {section.people_text()}"
        entries = [e for e in section.entries if _who(e.author) in chosen]
        with st.expander(md(title), expanded=index == 0, icon=":material/bookmark:" if mark else None):
            if entries:
                table(
                    page_key("history", "section", index),
                    _entries_frame(entries),
                    column_config={
                        "Revisions": st.column_config.TextColumn("Revisions", width=80,
                                                                 help=HELP["history.folded"]),
                        "When": st.column_config.TextColumn("When", width=120),
                        "Who": st.column_config.TextColumn("Who", width=110),
                        "What changed": st.column_config.TextColumn("What changed", width=300),
                    },
                    row_height=WRAPPED_ROW_PX,  # 610 px, long changes wrapped: fits a 1024 px laptop
                    alt=f"Changes of the section {section.title}",
                )
            elif section.entries:
                st.caption("None of these changes is by the people chosen above.")
            if mark is not None:
                _renamed_caption(mark)
                _checkpoint_buttons(ws, mark.name, mark.revision, index)
                _rename_control(ws, mark)
    if len(sections) > shown:
        st.button("Show older checkpoints", icon=":material/expand_more:", key=page_key("history", "older"),
                  on_click=_show_older, args=(shown,))


def _show_older(shown: int) -> None:
    st.session_state[SECTIONS_SHOWN] = shown + SHOWN_SECTIONS


def _restore(workbook_id: str, name: str, revision: int) -> None:
    before = st.session_state.get(StateKeys.BASE)
    actions.restore(workbook_id, revision)
    if st.session_state.get(StateKeys.BASE) != before:  # stored: say it in the room's words
        st.session_state[StateKeys.FLASH] = (
            f"Restored the checkpoint '{name}' (revision {revision}) as revision {st.session_state[StateKeys.BASE]}"
        )


def _checkpoint_buttons(ws: Workshop, name: str, revision: int, index: int) -> None:
    current = revision == ws.store_revision
    row = st.container(horizontal=True)
    row.button(
        f"Restore '{md(name)}'",
        icon=":material/restore:",
        key=page_key("history", "checkpoint_restore", index),
        disabled=current or not may("restore"),
        help=HELP["history.checkpoint_restore"] if not current else HELP["history.restore_current"],
        on_click=_restore,
        args=(ws.workbook_id, name, revision),
    )
    row.button(
        "Compare with now",
        icon=":material/compare_arrows:",
        key=page_key("history", "checkpoint_compare", index),
        disabled=current,
        help=HELP["history.checkpoint_compare"],
        on_click=compare_with_current,
        args=(revision, ws.store_revision),
    )


# --------------------------------------------------------------------------------------------
# Renaming a checkpoint (the facilitator's, like naming one)
# --------------------------------------------------------------------------------------------
def _rename_key(mark: Checkpoint) -> str:
    # by the name it was first given: stays with the checkpoint when it is renamed or others are added
    return page_key("history", "rename_name", mark.first_name)


def _rename(workbook_id: str, mark: Checkpoint) -> None:
    new_name = st.session_state.get(_rename_key(mark)) or ""
    try:
        renamed = actions.rename_checkpoint(workbook_id, mark.name, new_name)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = f"Not renamed: {exc}"
        return
    st.session_state.pop(_rename_key(mark), None)
    st.session_state[StateKeys.FLASH] = f"Checkpoint '{mark.name}' is now called '{renamed.name}'"


def _renamed_caption(mark: Checkpoint) -> None:
    """Who renamed the checkpoint and when (every rename, oldest first)."""
    if not mark.renames:
        return
    zone = local_zone()
    st.caption("; ".join(
        f"Renamed from '{md(r.old_name)}' to '{md(r.new_name)}' by {md(provenance.who_text(r.author))}, "
        f"{provenance.when_text(r.at, zone)}"
        for r in mark.renames
    ))


def _rename_control(ws: Workshop, mark: Checkpoint) -> None:
    refused = actions.refusal("checkpoint", ws.workbook_id)
    with st.popover("Rename", icon=":material/edit:", disabled=refused is not None,
                    help=refused or HELP["history.checkpoint_rename"]):
        st.text_input("New name", key=_rename_key(mark), placeholder=mark.name, max_chars=80)
        st.button("Rename the checkpoint", key=page_key("history", "rename", mark.first_name), type="primary",
                  on_click=_rename, args=(ws.workbook_id, mark))


# --------------------------------------------------------------------------------------------
# The Review tab's change notes
# --------------------------------------------------------------------------------------------
def render_change_notes(ws: Workshop, number: int) -> None:
    """What changed checkpoint by checkpoint up to revision ``number``, for the steering committee."""
    st.subheader("What changed, checkpoint by checkpoint")
    try:
        notes = actions.checkpoint_notes(ws.workbook_id, number)
    except StoreError as exc:
        st.error(md(exc), icon=":material/error:")
        return
    if not notes:
        st.caption("Nothing changed yet: this is the workbook as it was created.")
        return
    st.caption("Name moments on the History tab (\"after workshop 1\") and the notes follow them.")
    with st.container(key=page_key("review", "checkpoint_notes")):
        for note in notes:
            st.markdown(f"**{md(note.title)}** · revisions {note.first}–{note.last}")
            st.text(note.summary)
