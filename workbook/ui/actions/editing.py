"""Edits, every one saved at once: commit, a pure edit tried and saved, undo, restore."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st
from pydantic import ValidationError

from workbook.editing import EditError
from workbook.model import ScoringModel
from workbook.model.refusals import refusal_words
from workbook.store import CommitResult, ConflictError, StoreError
from workbook.ui.actions.access import _refused, _stamp, identity
from workbook.ui.actions.database import _store
from workbook.ui.actions.session import sync_with_store
from workbook.ui.keys import StateKeys
from workbook.ui.state import next_generation, reset_editors


def commit(new_model: ScoringModel, message: str | None = None) -> bool:
    """Save ``new_model`` as a new revision of the open workbook; ``message`` is shown once.

    Others' changes since this session last looked are merged in. A change to a field
    someone else changed meanwhile is refused with both values shown; nothing is lost.
    """
    return _commit(new_model, message) is not None


def _commit(new_model: ScoringModel, message: str | None) -> CommitResult | None:
    if _refused("edit", "Not saved"):
        reset_editors()
        return None
    who = identity()
    try:
        result = _store().commit(
            st.session_state[StateKeys.WORKBOOK],
            base_revision=st.session_state[StateKeys.BASE],
            new_model=new_model,
            author=who.name,
        )
    except ConflictError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        sync_with_store()
        reset_editors()
        return None
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = f"Not saved: {exc}"
        reset_editors()
        return None
    _stamp(st.session_state[StateKeys.WORKBOOK], result, who)
    _take(result)
    note = message
    if result.merged:
        note = (message + " — " if message else "") + "merged with others' changes"
    if note:
        st.session_state[StateKeys.FLASH] = note
    return result


def _take(result: CommitResult) -> None:
    """This session now shows the revision just saved."""
    st.session_state[StateKeys.BASE] = result.revision
    st.session_state[StateKeys.MODEL] = result.model
    next_generation()


def try_edit(edit: Callable[[], ScoringModel], message: str | None = None) -> bool:
    """Run a pure edit and save it; an :class:`EditError` is shown and nothing changes."""
    return _try_edit(edit, message) is not None


def _try_edit(edit: Callable[[], ScoringModel], message: str | None) -> CommitResult | None:
    try:
        new_model = edit()
    except (EditError, ValidationError) as exc:
        # A model part refusing what was typed (a control character, a number too large…)
        # is a refusal in words like any other, never a traceback.
        st.session_state[StateKeys.ERROR] = refusal_words(exc) if isinstance(exc, ValidationError) else str(exc)
        # Rebuild the editors anyway so they drop the refused input.
        reset_editors()
        return None
    if new_model == st.session_state[StateKeys.MODEL]:
        # Nothing changed (e.g. the last band's minimum, which stays 0): still rebuild the
        # editors, or they would hold the input and ask for the same edit on every rerun.
        reset_editors()
        return None
    return _commit(new_model, message)


def edit_in_callback(
    edit: Callable[[ScoringModel], ScoringModel],
    message: str | None = None,
    *,
    only: Sequence[str] = (),
    saved: Callable[[], None] | None = None,
) -> None:
    """For the callback of a widget drawn inside a fragment: save an edit, then rerun.

    (Such a widget would otherwise rerun only its own fragment.) ``edit`` gets the model as
    it is now (a fragment's closures may be older than the latest change). When the edit
    is saved as it is and ``only`` names the fragments that show everything it changes,
    only those run again: the room sees the effect at once, not after the whole page is
    rebuilt. Anything else — a refused edit, a change merged with others', an empty
    ``only`` — reruns the whole app, so every part shows the new model. ``saved`` runs once
    the edit is saved (e.g. to empty the box it came from: a refused edit keeps it).
    """
    result = _try_edit(lambda: edit(st.session_state[StateKeys.MODEL]), message)
    if result is not None and saved is not None:
        saved()
    if result is not None and not result.merged and only:
        # The change is in plain view where it was made; a toast on the next full run would be stale.
        st.session_state.pop(StateKeys.FLASH, None)
        st.rerun(list(only))
    st.rerun()


def undo_last_change() -> None:
    """Undo the last change of the open workbook (itself a new revision)."""
    if _refused("undo", "Not undone"):
        return
    who = identity()
    try:
        result = _store().undo(
            st.session_state[StateKeys.WORKBOOK],
            who.name,
            expected_head=st.session_state[StateKeys.BASE],
            fold=True,  # quick clicks on one field, one line in the history, are one undo
        )
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        sync_with_store()
        return
    _stamp(st.session_state[StateKeys.WORKBOOK], result, who)
    _take(result)
    st.session_state[StateKeys.FLASH] = "; ".join(result.summary) or "Undone"


def restore(workbook_id: str, number: int) -> None:
    """Make revision ``number`` current again, as a new revision (a button callback)."""
    if _refused("restore", "Not restored"):
        return
    who = identity()
    try:
        result = _store().restore(workbook_id, number, author=who.name)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return
    _stamp(workbook_id, result, who)
    if not result.stored:
        st.session_state[StateKeys.FLASH] = f"Revision {number} is the same as the current model: nothing to restore"
        return
    sync_with_store()
    st.session_state[StateKeys.FLASH] = f"Restored revision {number} as revision {result.revision}"
