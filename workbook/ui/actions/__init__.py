"""Workbook actions: the one UI package that talks to the store.

Pages and UI modules open, create, edit, undo, restore, review, rename, duplicate and
archive workbooks through these functions, and read revisions and approvals here; none of
them imports :mod:`workbook.store`. The store's types and the wording of changes (diff,
fields) are re-exported below for the same reason: when the store package moves, only this
package's imports change. Call them as ``actions.X`` (``from workbook.ui import actions``) or
import them from here; the modules below are where each lives:

* :mod:`~workbook.ui.actions.database` — the server's store, its health, a salvage;
* :mod:`~workbook.ui.actions.access` — who this session is, what it may do, links and roles;
* :mod:`~workbook.ui.actions.session` — the workbook this session shows, keeping in step with others;
* :mod:`~workbook.ui.actions.model_files` — the one "open a model file" flow;
* :mod:`~workbook.ui.actions.editing` — edits saved at once, undo, restore;
* :mod:`~workbook.ui.actions.workbook_list` — workbooks (rename, duplicate, archive) and value templates;
* :mod:`~workbook.ui.actions.revisions` — revisions, reviews, checkpoints, the readable history;
* :mod:`~workbook.ui.actions.room` — the presenter's screen and live votes;
* :mod:`~workbook.ui.actions.names` — the address parameter and the link cookie's name.

Session-level actions (commit, undo, restore, open) keep the session's view in step: the
revision it saw, its model, the edit generation that rebuilds editors, and one message
for the next run (``StateKeys.FLASH`` / ``StateKeys.ERROR``). Read actions raise
:class:`StoreError` for the page to show where it fits.

The import contract (``.importlinter`` and tests/ui/test_ui_layout.py) checks that nothing
else in the UI opens the store.
"""

from __future__ import annotations

from workbook.store import ApprovalStatus, CommitResult, ConflictError, Revision, RevisionInfo, StoreError, WorkbookInfo
from workbook.store.access import ANONYMOUS, Action, Identity, Link, Role, WorkbookAccess, how_words
from workbook.store.access import ROLES as ROLE_WORDS
from workbook.store.access import refusal as access_refusal
from workbook.store.checkpoints import Checkpoint
from workbook.store.diff import Change, ChangeKind, ModelDiff, diff_models
from workbook.store.notes import CheckpointNote
from workbook.store.recovery import Diagnosis, Salvage
from workbook.store.timeline import HistoryEntry, HistorySection
from workbook.store.votes import RoomState, VoteInfo
from workbook.store.wording import say
from workbook.ui.actions.access import (
    access_state,
    claim,
    forget_device_token,
    identity,
    invite,
    links,
    may,
    read_only_link,
    read_only_or,
    refusal,
    remember_token,
    revision_identities,
    revoke,
    roles,
    set_participants_may_edit,
    set_role,
)
from workbook.ui.actions.database import _store, salvage_store, store_diagnosis, view_store_read_only
from workbook.ui.actions.editing import commit, edit_in_callback, restore, try_edit, undo_last_change
from workbook.ui.actions.model_files import ModelFile, open_model_file, read_example, read_model_file
from workbook.ui.actions.names import QUERY_PARAM, TOKEN_COOKIE
from workbook.ui.actions.revisions import (
    approval_status,
    checkpoint_notes,
    checkpoints,
    final_export_model,
    history,
    mark_release_candidate,
    model_at,
    name_checkpoint,
    readable_history,
    rename_checkpoint,
    review,
    revision,
)
from workbook.ui.actions.room import (
    cast_ballot,
    close_vote,
    my_ballot,
    open_vote,
    record_vote,
    reveal_vote,
    room_state,
    show_scenario,
    vote_ballots,
)
from workbook.ui.actions.session import (
    catch_up_after_page,
    create_workbook,
    head_revision,
    init_session_state,
    open_example_workbook,
    open_workbook,
    request_sync,
    sync_if_requested,
    sync_with_store,
)
from workbook.ui.actions.workbook_list import (
    duplicate,
    rename,
    save_value_template,
    set_archived,
    value_templates,
    workbook,
    workbooks,
)

__all__ = [
    # the store's types and wording, for the pages
    "ANONYMOUS", "Action", "ApprovalStatus", "Change", "ChangeKind", "Checkpoint", "CheckpointNote", "CommitResult",
    "ConflictError", "Diagnosis", "HistoryEntry", "HistorySection", "Identity", "Link", "ModelDiff", "ModelFile",
    "Revision", "RevisionInfo", "ROLE_WORDS", "Role", "RoomState", "Salvage", "StoreError", "VoteInfo",
    "WorkbookAccess", "WorkbookInfo", "access_refusal", "diff_models", "say", "QUERY_PARAM", "TOKEN_COOKIE",
    "how_words",
    # database
    "_store", "salvage_store", "store_diagnosis", "view_store_read_only",
    # access
    "access_state", "claim", "forget_device_token", "identity", "invite", "links", "may", "read_only_link",
    "read_only_or", "refusal", "remember_token", "revision_identities", "revoke", "roles",
    "set_participants_may_edit", "set_role",
    # session
    "catch_up_after_page", "create_workbook", "head_revision", "init_session_state", "open_example_workbook",
    "open_workbook", "request_sync", "sync_if_requested", "sync_with_store",
    # model files
    "open_model_file", "read_example", "read_model_file",
    # editing
    "commit", "edit_in_callback", "restore", "try_edit", "undo_last_change",
    # workbooks and value templates
    "duplicate", "rename", "save_value_template", "set_archived", "value_templates", "workbook", "workbooks",
    # revisions, reviews, checkpoints
    "approval_status", "checkpoint_notes", "checkpoints", "final_export_model", "history", "mark_release_candidate",
    "model_at", "name_checkpoint", "readable_history", "rename_checkpoint", "revision", "review",
    # the room
    "cast_ballot", "close_vote", "my_ballot", "open_vote", "record_vote", "reveal_vote", "room_state",
    "show_scenario", "vote_ballots",
]
