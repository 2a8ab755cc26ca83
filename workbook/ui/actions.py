"""Workbook actions: the one UI module that talks to the store.

Pages and UI modules open, create, edit, undo, restore, review, rename, duplicate and
archive workbooks through these functions, and read revisions and approvals here; none of
them imports :mod:`workbook.store`. The store's types and the wording of changes (diff,
fields) are re-exported below for the same reason: when the store package moves, only this
file's imports change.

Session-level actions (commit, undo, restore, open) keep the session's view in step: the
revision it saw, its model, the edit generation that rebuilds editors, and one message
for the next run (``StateKeys.FLASH`` / ``StateKeys.ERROR``). Read actions raise
:class:`StoreError` for the page to show where it fits.

The module is longer than a page module on purpose: it is the single door to the store,
and the import contract (tests/ui/test_ui_layout.py) checks that nothing else opens one.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import streamlit as st
from pydantic import ValidationError

from workbook.editing import EditError, blank_model
from workbook.examples import EXAMPLES_DIR, example_path
from workbook.files import ModelFileError, ModelInvalid, load_model_file, load_model_text, max_model_bytes
from workbook.model import ScoringModel
from workbook.model.refusals import refusal_words
from workbook.room import Ballot, BallotError, check_asks, check_ballot, record_votes
from workbook.store import (
    ApprovalStatus,
    CommitResult,
    ConflictError,
    Revision,
    RevisionInfo,
    Store,
    StoreError,
    WorkbookInfo,
    default_db_path,
)
from workbook.store.access import ANONYMOUS, Access, Action, Identity, Link, Role, WorkbookAccess, default_role
from workbook.store.access import ROLES as ROLE_WORDS
from workbook.store.access import refusal as access_refusal
from workbook.store.checkpoints import Checkpoint
from workbook.store.diff import Change, ChangeKind, ModelDiff, diff_models
from workbook.store.notes import CheckpointNote
from workbook.store.recovery import Diagnosis, Salvage, diagnose, salvage
from workbook.store.timeline import HistoryEntry, HistorySection
from workbook.store.votes import Room, RoomState, VoteInfo
from workbook.store.wording import say
from workbook.templates import ValueTemplate
from workbook.ui.keys import StateKeys
from workbook.ui.state import (
    WORKBOOK_PARAM,
    address_changed_by_person,
    follow_scenario_in_address,
    next_generation,
    participant,
    reset_editors,
    write_to_address,
)
from workbook.validate import validate

__all__ = [
    "ApprovalStatus", "Change", "ChangeKind", "Diagnosis", "Identity", "Link", "ModelDiff", "ModelFile", "Revision",
    "RevisionInfo", "ROLE_WORDS", "Role", "Salvage", "StoreError", "WorkbookAccess", "WorkbookInfo", "diff_models",
    "say", "Checkpoint", "CheckpointNote", "HistoryEntry", "HistorySection", "RoomState", "VoteInfo",
]

QUERY_PARAM = WORKBOOK_PARAM
TOKEN_COOKIE = "lsw_t_"  # + workbook id: this device's link token for that workbook


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> Store:
    # One Store per database file, shared by every session of this server; it is thread-safe.
    return Store(path)


@st.cache_resource(show_spinner=False)
def _read_only_store_at(path: str) -> Store:
    return Store(path, read_only=True)


@st.cache_resource(show_spinner=False)
def _health(path: str) -> Diagnosis:
    # SQLite's page check and every workbook's newest revision, once per server and file.
    return diagnose(path)


def _store() -> Store:
    """The server's store (the database named by ``WORKBOOK_DB``, else ``data/workbooks.db``).

    A file that cannot be written is opened read-only (every change is then refused in
    words); so is any file this session chose to look at read-only.
    """
    path = str(default_db_path())
    if st.session_state.get(StateKeys.STORE_READ_ONLY):
        return _read_only_store_at(path)
    try:
        return _store_at(path)
    except StoreError as exc:
        if exc.kind != "read-only":
            raise
        st.session_state[StateKeys.STORE_READ_ONLY] = True
        return _read_only_store_at(path)


def store_diagnosis() -> Diagnosis:
    """What is wrong with the server's database file, if anything (``kind == "ok"``)."""
    return _health(str(default_db_path()))


def view_store_read_only() -> None:
    """This session looks at the database read-only (a damaged file whose pages still read)."""
    st.session_state[StateKeys.STORE_READ_ONLY] = True


def salvage_store() -> Salvage:
    """Keep every readable revision in a new database file; the damaged one is renamed beside it."""
    path = str(default_db_path())
    for cached in (_store_at, _read_only_store_at, _health):
        cached.clear()
    saved = salvage(path)
    st.session_state.pop(StateKeys.STORE_READ_ONLY, None)
    return saved


# --------------------------------------------------------------------------------------------
# Opening a workbook in this session
# --------------------------------------------------------------------------------------------
def _source_for(path: Path) -> str:
    try:
        path.resolve().relative_to(EXAMPLES_DIR)
        return f"example:{path.name}"
    except ValueError:
        return "upload"


def _starting_workbook(store: Store, initial: str | Path | None) -> WorkbookInfo:
    """The workbook a new browser session opens: the URL's, else the command line's example."""
    wanted = st.query_params.get(QUERY_PARAM)
    if wanted:
        try:
            return store.get(wanted)
        except StoreError:
            st.session_state[StateKeys.ERROR] = f"There is no workbook '{wanted}' here; opened another one."
    seeded = st.session_state.get(StateKeys.MODEL)
    if seeded is not None:  # a test or an embedding app handed us a model: keep it as a workbook
        return store.create(seeded, source="upload")
    workbooks = store.list()
    if initial is None and workbooks:
        return workbooks[0]
    path = Path(initial) if initial else example_path()
    source = _source_for(path)
    for info in workbooks:
        if info.source == source:
            return info
    try:
        model = load_model_file(path).model
    except (ModelFileError, ModelInvalid) as exc:
        st.session_state[StateKeys.ERROR] = f"Could not open {path.name}: {exc}"
        model, source = blank_model(), "blank"
    return store.create(model, source=source)


def init_session_state(initial: str | Path | None = None) -> None:
    """Open the starting workbook once per browser session."""
    st.session_state.setdefault(StateKeys.PARTICIPANT, "")
    st.session_state.setdefault(StateKeys.REVISION, 0)
    if StateKeys.WORKBOOK in st.session_state:
        _read_only_banner()
        _follow_address()
        return
    if st.session_state.get(StateKeys.SALVAGED) is not None:  # first, say what a salvage kept
        from workbook.ui.recovery_page import render_recovery

        render_recovery(None)
        st.stop()
    try:
        found = store_diagnosis()
        if found.kind not in ("ok", "read-only") and not st.session_state.get(StateKeys.STORE_READ_ONLY):
            raise StoreError(found.message, kind=found.kind)
        store = _store()
        info = _starting_workbook(store, initial)
        _show(store, info)
        _read_only_banner()
    except StoreError as exc:
        from workbook.ui.recovery_page import render_recovery  # the page imports this module

        render_recovery(exc)
        st.stop()
    follow_scenario_in_address(len(st.session_state[StateKeys.MODEL].scenarios))


def _read_only_banner() -> None:
    if st.session_state.get(StateKeys.STORE_READ_ONLY):
        st.info("This workbook database is open **read-only**: you can look at every workbook and its history, "
                "but nothing can be changed or saved.", icon=":material/lock:")


def _follow_address() -> None:
    """The person went back or forward (or edited the address): show the workbook and scenario it names."""
    wanted = address_changed_by_person(QUERY_PARAM)
    if wanted and wanted != st.session_state[StateKeys.WORKBOOK]:
        try:
            open_workbook(wanted)
        except StoreError:
            st.session_state[StateKeys.ERROR] = f"There is no workbook '{wanted}' here; this one stays open."
    follow_scenario_in_address(len(st.session_state[StateKeys.MODEL].scenarios))


def _show(store: Store, info: WorkbookInfo) -> None:
    head = store.head(info.id)
    st.session_state[StateKeys.WORKBOOK] = info.id
    st.session_state[StateKeys.BASE] = head.number
    st.session_state[StateKeys.MODEL] = head.model
    st.session_state[StateKeys.SOURCE] = info.source
    reset_editors()
    write_to_address({QUERY_PARAM: info.id})


def open_workbook(workbook_id: str, message: str | None = None) -> None:
    """Switch this session to another workbook of the store (raises :class:`StoreError`)."""
    store = _store()
    _show(store, store.get(workbook_id))
    if message:
        st.session_state[StateKeys.FLASH] = message


def create_workbook(model: ScoringModel, source: str, message: str | None = None) -> bool:
    """Store ``model`` as a new workbook and open it here; the current one stays as it is.

    ``source`` is ``blank``, ``upload`` or ``example:<file>``. False (and the reason shown on
    the next run) when the store refused it.
    """
    store_source = source if source in ("blank", "upload") or source.startswith("example:") else "upload"
    try:
        info = _store().create(model, author=_author(), source=store_source)
        _claim_as_creator(info.id)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = f"Not opened: {exc}"
        return False
    open_workbook(info.id, message)
    return True


def open_example_workbook(file_name: str, what: str) -> None:
    """Open the example ``file_name``: the workbook made from it before if there is one, else a new one."""
    source = f"example:{file_name}"
    for info in _store().list():
        if info.source == source:
            open_workbook(info.id, f"Opened the workbook '{info.name}' ({what})")
            return
    try:
        model = load_model_file(example_path(file_name)).model
    except (ModelFileError, ModelInvalid, OSError) as exc:
        st.session_state[StateKeys.ERROR] = f"{what[0].upper()}{what[1:]} cannot be opened: {exc}"
        return
    create_workbook(model, source, f"Opened {what} workbook")


# --------------------------------------------------------------------------------------------
# The one "open a model file" flow (Workbooks page and Model summary)
# --------------------------------------------------------------------------------------------
@dataclass
class ModelFile:
    """A model file read for opening: its model, or the located problems that refuse it."""

    name: str  # the file's name, as people know it
    model: ScoringModel | None = None
    errors: list[str] = field(default_factory=list)  # the file cannot be opened: nothing changes
    warnings: list[str] = field(default_factory=list)  # it opens, but breaks rules (a draft)


def _read(name: str, loader: Callable[[], object]) -> ModelFile:
    try:
        loaded = loader()
    except ModelFileError as exc:
        return ModelFile(name, errors=[str(exc)])
    except ModelInvalid as exc:
        return ModelFile(name, errors=[str(p) for p in exc.problems])
    except Exception as exc:  # noqa: BLE001 — a reader bug must refuse the file, not crash the page
        return ModelFile(name, errors=[f"the file cannot be read as a model file ({type(exc).__name__}: {exc})"])
    report = validate(loaded.model, loaded.lines)  # type: ignore[attr-defined]
    return ModelFile(name, loaded.model, warnings=[str(p) for p in report.errors])  # type: ignore[attr-defined]


def read_model_file(name: str, data: bytes, cap: int | None = None) -> ModelFile:
    """Read an uploaded model file (size-capped); shape errors refuse it, rule errors only warn."""
    limit = max_model_bytes() if cap is None else cap
    return _read(name, lambda: load_model_text(data, max_bytes=limit))


def read_example(path: Path) -> ModelFile:
    """Read one of the example workbooks of ``scenarios/``."""
    return _read(path.name, lambda: load_model_file(path))


def open_model_file(file: ModelFile, kind: Literal["upload", "example"]) -> bool:
    """Open a read model file as a new workbook of this session; True when it opened.

    The store knows an example by its file name and an upload only as "upload", so the
    message names the file.
    """
    if file.model is None:
        st.session_state[StateKeys.ERROR] = f"Could not open {file.name}: " + "; ".join(file.errors)
        return False
    source = f"example:{file.name}" if kind == "example" else "upload"
    return create_workbook(file.model, source, f"Opened {file.name}")


# --------------------------------------------------------------------------------------------
# Keeping in step with others
# --------------------------------------------------------------------------------------------
def sync_with_store() -> bool:
    """Take in what others saved since this session last looked. True if anything changed."""
    store = _store()
    workbook_id = st.session_state[StateKeys.WORKBOOK]
    try:
        info = store.get(workbook_id)
        if info.head_revision == st.session_state[StateKeys.BASE]:
            return False
        head = store.head(workbook_id)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return False
    st.session_state[StateKeys.BASE] = head.number
    st.session_state[StateKeys.MODEL] = head.model
    next_generation()
    return True


def request_sync() -> None:
    """Ask the next run to take in others' changes before anything else (the sidebar watcher)."""
    st.session_state[StateKeys.SYNC_REQUESTED] = True


def sync_if_requested() -> None:
    """At the start of a run: take in others' changes, but only when the watcher asked for it.

    Any other run first lets the page see its widgets under their current keys, so an edit
    just made is committed against the revision the person saw: the store merges it with
    others' changes, or refuses it with both values shown. Never silently dropped.
    """
    if st.session_state.pop(StateKeys.SYNC_REQUESTED, False):
        sync_with_store()


def catch_up_after_page() -> None:
    """After the page: if others saved meanwhile, take it in and show it at once."""
    if sync_with_store():
        st.rerun()


def head_revision(workbook_id: str) -> int:
    """The newest revision number of a workbook (raises :class:`StoreError`)."""
    return _store().get(workbook_id).head_revision


# --------------------------------------------------------------------------------------------
# Edits: every one saved at once
# --------------------------------------------------------------------------------------------
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
) -> None:
    """For the callback of a widget drawn inside a fragment: save an edit, then rerun.

    (Such a widget would otherwise rerun only its own fragment.) ``edit`` gets the model as
    it is now (a fragment's closures may be older than the latest change). When the edit
    is saved as it is and ``only`` names the fragments that show everything it changes,
    only those run again: the room sees the effect at once, not after the whole page is
    rebuilt. Anything else — a refused edit, a change merged with others', an empty
    ``only`` — reruns the whole app, so every part shows the new model.
    """
    result = _try_edit(lambda: edit(st.session_state[StateKeys.MODEL]), message)
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


# --------------------------------------------------------------------------------------------
# Workbooks: list, rename, duplicate, archive (raise StoreError)
# --------------------------------------------------------------------------------------------
def workbook(workbook_id: str) -> WorkbookInfo:
    """One workbook's name, source, dates and head revision."""
    return _store().get(workbook_id)


def workbooks(include_archived: bool = False) -> list[WorkbookInfo]:
    """Every workbook, most recently changed first."""
    return _store().list(include_archived=include_archived)


def rename(workbook_id: str, name: str) -> None:
    """Rename a workbook (a revision of it) and take the new name in here."""
    _raise_if_refused("rename", workbook_id)
    who = identity()
    _stamp(workbook_id, _store().rename(workbook_id, name, author=who.name), who)
    sync_with_store()


def duplicate(workbook_id: str, name: str) -> None:
    """Copy a workbook under ``name`` and open the copy here; whoever copies it facilitates the copy."""
    _raise_if_refused("duplicate", workbook_id)
    copy = _store().duplicate(workbook_id, name, author=_author())
    _claim_as_creator(copy.id)
    open_workbook(copy.id)


def set_archived(workbook_id: str, archived: bool) -> None:
    """Hide a workbook from the list (never deleted), or show it again."""
    _raise_if_refused("archive", workbook_id)
    if archived:
        _store().archive(workbook_id)
    else:
        _store().unarchive(workbook_id)


# --------------------------------------------------------------------------------------------
# Revisions and reviews (raise StoreError)
# --------------------------------------------------------------------------------------------
def history(workbook_id: str) -> list[RevisionInfo]:
    """Every revision of a workbook, newest first (their summaries, not their models)."""
    return _store().history(workbook_id)


def revision(workbook_id: str, number: int) -> Revision:
    """One revision with its model."""
    return _store().revision(workbook_id, number)


def model_at(workbook_id: str, number: int) -> ScoringModel:
    """The model of one revision."""
    return _store().model_at(workbook_id, number)


def mark_release_candidate(workbook_id: str, number: int) -> None:
    """Put revision ``number`` up for the steering committee's review."""
    _raise_if_refused("mark_release_candidate", workbook_id)
    _store().mark_release_candidate(workbook_id, number, author=_author())


def approval_status(workbook_id: str, number: int) -> ApprovalStatus:
    """Approved / rejected / waiting for a release candidate, with every member's decision."""
    return _store().approval_status(workbook_id, number)


def review(workbook_id: str, number: int, member: str, decision: str, comment: str) -> None:
    """Record one member's decision (approve / reject) on a release candidate.

    Raises :class:`StoreError` with the reason in words when this session may not decide for
    ``member``: on a claimed workbook only the member's own invite link or sign-in may.
    """
    who = identity(workbook_id)
    committee = [r.member for r in _store().approval_status(workbook_id, number).reviews]
    state = _access().workbook_access(workbook_id, committee)
    why = access_refusal(who, "approve", state, for_member=member)
    if why:
        raise StoreError(why)
    how = who.how if who.verified and who.name == member else "typed"
    _store().review(workbook_id, number, member, decision, comment, identified_by=how)


def final_export_model(workbook_id: str, number: int) -> ScoringModel:
    """The model of ``number`` with its provenance (version, approvals, change notes) for the final file."""
    return _store().final_export_model(workbook_id, number)


# --------------------------------------------------------------------------------------------
# Checkpoints, the readable history, value templates (raise StoreError)
# --------------------------------------------------------------------------------------------
def name_checkpoint(workbook_id: str, name: str, revision: int | None = None) -> Checkpoint:
    """Name a moment of a workbook ("after workshop 1"); default: its current revision."""
    _raise_if_refused("checkpoint", workbook_id)
    return _store().name_checkpoint(workbook_id, name, revision, author=_author())


def checkpoints(workbook_id: str) -> list[Checkpoint]:
    """A workbook's named moments, oldest first."""
    return _store().checkpoints(workbook_id)


def readable_history(workbook_id: str, revisions: list[RevisionInfo] | None = None) -> list[HistorySection]:
    """The history grouped by checkpoint, newest first, quick edits of one field folded."""
    return _store().readable_history(workbook_id, revisions)


def checkpoint_notes(workbook_id: str, upto: int | None = None) -> list[CheckpointNote]:
    """What changed from checkpoint to checkpoint up to ``upto``, in a steering committee's words."""
    return _store().checkpoint_notes(workbook_id, upto)


def value_templates() -> list[ValueTemplate]:
    """The value templates saved in this database (shared by every workbook)."""
    return _store().templates()


def save_value_template(template: ValueTemplate, *, replace: bool = False) -> None:
    """Keep a value template for every workbook of this database."""
    _store().save_template(template, author=_author(), replace=replace)


# --------------------------------------------------------------------------------------------
# Who this session is, and what it may do (issue 13)
# --------------------------------------------------------------------------------------------
def _access() -> Access:
    return Access(_store())


def _committee(model: ScoringModel) -> list[str]:
    return [m.name for m in model.team if m.steering_committee]


def _model_of(workbook_id: str) -> ScoringModel:
    if workbook_id == st.session_state.get(StateKeys.WORKBOOK):
        return st.session_state[StateKeys.MODEL]
    return _store().head(workbook_id).model


def identity(workbook_id: str | None = None) -> Identity:
    """Who this session is in a workbook (default: the open one), and the role it holds there.

    A sign-in (OpenID Connect) first: the e-mail finds the team member; then this device's
    link for the workbook; else the name typed in the sidebar, which nobody checked.
    A link that stopped working (revoked) is forgotten here, and the reason kept for the page.
    """
    wid = workbook_id or st.session_state.get(StateKeys.WORKBOOK)
    if not wid:
        return ANONYMOUS
    model = _model_of(wid)
    committee = _committee(model)
    access = _access()
    signed_in = st.session_state.get(StateKeys.SIGNED_IN)
    if signed_in:
        email, _name = signed_in
        member = next((m.name for m in model.team if m.email and m.email.casefold() == email.casefold()), None)
        name = member or email
        given = access.roles(wid).get(name)
        role: Role | None = given or (default_role(name, committee) if member else None)
        return Identity(name, "oidc", role, email)
    tokens: dict[str, str] = st.session_state.setdefault(StateKeys.TOKENS, {})
    token = tokens.get(wid)
    if token:
        found = access.identify(wid, token, committee)
        if found is not None:
            return found
        tokens[wid] = ""  # forgotten for this session; the cookie too, below
        forget_device_token(wid)
        st.session_state[StateKeys.LINK_PROBLEM] = (
            "The link you came with no longer works (the facilitator revoked it): the workbook is shown read-only."
        )
    typed = participant()
    return Identity(typed, "typed" if typed else "none", None)


def access_state(workbook_id: str | None = None) -> WorkbookAccess:
    """Whether the workbook is claimed, who facilitates it, whether participants may edit."""
    wid = workbook_id or st.session_state[StateKeys.WORKBOOK]
    return _access().workbook_access(wid, _committee(_model_of(wid)))


def refusal(action: Action, workbook_id: str | None = None) -> str | None:
    """Why this session may not do ``action`` in the workbook, in words; None when it may."""
    return access_refusal(identity(workbook_id), action, access_state(workbook_id))


def may(action: Action, workbook_id: str | None = None) -> bool:
    """True when this session may do ``action`` in the workbook (default: the open one)."""
    return refusal(action, workbook_id) is None


def read_only_or(disabled: object = False) -> object:
    """An editor's ``disabled=``: everything when this session may not edit, else what the page asked."""
    return disabled if may("edit") else True


def _refused(action: Action, what: str) -> bool:
    why = refusal(action)
    if why:
        st.session_state[StateKeys.ERROR] = f"{what}: {why}"
    return why is not None


def _raise_if_refused(action: Action, workbook_id: str) -> None:
    why = refusal(action, workbook_id)
    if why:
        raise StoreError(why)


def _author() -> str | None:
    return identity().name if st.session_state.get(StateKeys.WORKBOOK) else participant()


def _stamp(workbook_id: str, result: CommitResult, who: Identity) -> None:
    if result.stored:
        try:
            _access().stamp(workbook_id, "revision", str(result.revision), who)
        except StoreError:
            pass  # the revision is saved; only how its author was identified is missing


def revision_identification(workbook_id: str) -> dict[int, str]:
    """Revision number → how its author was identified, in words (revisions made since roles exist)."""
    from workbook.store.access import HOW_WORDS

    return {int(ref): HOW_WORDS.get(how, how) for ref, (_, how) in _access().stamps(workbook_id, "revision").items()}


def remember_token(workbook_id: str, token: str) -> None:
    """This session (and device, by a cookie written on the next run) holds ``token`` for the workbook."""
    st.session_state.setdefault(StateKeys.TOKENS, {})[workbook_id] = token
    st.session_state.setdefault(StateKeys.COOKIES_PENDING, {})[TOKEN_COOKIE + workbook_id] = token


def forget_device_token(workbook_id: str) -> None:
    st.session_state.setdefault(StateKeys.COOKIES_PENDING, {})[TOKEN_COOKIE + workbook_id] = ""


def _claim_as_creator(workbook_id: str) -> None:
    """Whoever creates a workbook facilitates it: this session gets the facilitator's link."""
    who = identity() if st.session_state.get(StateKeys.WORKBOOK) else ANONYMOUS
    name = who.name if who.how in ("oidc", "invite") else participant()
    remember_token(workbook_id, _access().claim(workbook_id, name or "Facilitator"))


def claim(name: str) -> None:
    """Protect the open workbook: this session becomes its facilitator (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    who = identity()
    facilitator = who.name if who.how == "oidc" else name
    remember_token(wid, _access().claim(wid, facilitator or "Facilitator", by=facilitator))


def invite(member: str) -> str:
    """A new personal link token for ``member`` of the open workbook (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    return _access().invite(wid, member, by=identity().name)


def read_only_link() -> str:
    """A new read-only link token for the open workbook (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    return _access().read_only_link(wid, by=identity().name)


def links() -> list[Link]:
    """The open workbook's links, newest first (never their tokens)."""
    return _access().links(st.session_state[StateKeys.WORKBOOK])


def revoke(link_id: int) -> None:
    """Stop one of the open workbook's links from working (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    _access().revoke(wid, link_id, by=identity().name)


def roles() -> dict[str, Role]:
    """The roles given in the open workbook, by member name."""
    return _access().roles(st.session_state[StateKeys.WORKBOOK])


def set_role(member: str, role: Role) -> None:
    """Give a member of the open workbook a role (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    _access().set_role(wid, member, role)


def set_participants_may_edit(allowed: bool) -> None:
    """Let participants edit the open workbook's tabs, or stop them (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    _access().set_participants_may_edit(wid, allowed)


# --------------------------------------------------------------------------------------------
# The room (issue 14): the scenario on the presenter's screen and live votes
# --------------------------------------------------------------------------------------------
# Who votes or moves the screen is identity() (sign-in, invite link, else the typed name);
# moving the screen and running votes are the facilitator's (the "run_room" action).
@st.cache_resource(show_spinner=False)
def _room_at(path: str) -> Room:
    # One per database file, shared by every session; its own connection (see Room).
    return Room(path)


def _room() -> Room:
    return _room_at(str(default_db_path()))


def room_state(workbook_id: str) -> RoomState:
    """The scenario on screen and the active vote with its ballot count (raises :class:`StoreError`)."""
    return _room().state(workbook_id)


def show_scenario(workbook_id: str, position: int, name: str) -> None:
    """Put scenario ``name`` (at ``position``) on every presenter screen of the workbook."""
    try:
        _raise_if_refused("run_room", workbook_id)
        _room().set_current(workbook_id, name, position, by=_author())
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = f"The presenter screen did not move: {exc}"


def open_vote(workbook_id: str, scenario: str, asks: Sequence[str]) -> VoteInfo | None:
    """Open a vote on ``scenario`` (closing any other of the workbook); None when refused."""
    try:
        _raise_if_refused("run_room", workbook_id)
        return _room().open_vote(workbook_id, scenario, check_asks(asks), by=_author())
    except (StoreError, BallotError) as exc:
        st.session_state[StateKeys.ERROR] = f"The vote was not opened: {exc}"
        return None


def cast_ballot(vote: VoteInfo, model: ScoringModel, choices: dict[str, str]) -> str | None:
    """This participant's ballot on ``vote``; the reason in words when it was refused."""
    try:
        _raise_if_refused("vote", vote.workbook_id)
        ballot = check_ballot(model, vote.asks, _author(), choices)
        _room().cast(vote.id, ballot.voter, dict(ballot.choices))
    except (StoreError, BallotError) as exc:
        return str(exc)[:1].upper() + str(exc)[1:]
    return None


def my_ballot(vote: VoteInfo) -> dict[str, str] | None:
    """What this participant voted on ``vote`` (only their own ballot), None before they vote."""
    name = _author()
    if not name:
        return None
    stored = _room().ballot_of(vote.id, name)
    return stored.choices if stored is not None else None


def vote_ballots(vote: VoteInfo) -> list[Ballot]:
    """Every ballot of a vote, for the tally. Callers show them only once the vote is revealed."""
    return [Ballot(b.voter, b.choices) for b in _room().ballots(vote.id)]


def reveal_vote(vote: VoteInfo) -> None:
    try:
        _raise_if_refused("run_room", vote.workbook_id)
        _room().reveal(vote.id)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)


def close_vote(vote: VoteInfo) -> None:
    try:
        _raise_if_refused("run_room", vote.workbook_id)
        _room().close_vote(vote.id)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)


def record_vote(vote: VoteInfo, team_estimate: dict[str, str | None]) -> bool:
    """Write the votes as the members' estimates and ``team_estimate`` as the team's: one revision.

    Undo takes the whole recording back in one step, like any other edit.
    """
    sync_with_store()  # record on the newest model; the store would merge anyway
    try:
        _raise_if_refused("run_room", vote.workbook_id)
        recording = record_votes(st.session_state[StateKeys.MODEL], vote.scenario, vote_ballots(vote), team_estimate)
    except (StoreError, BallotError) as exc:
        st.session_state[StateKeys.ERROR] = f"Not recorded: {exc}"
        return False
    result = _commit(recording.model, recording.summary())
    if result is None:
        return False
    try:
        _room().mark_recorded(vote.id, result.revision)
    except StoreError:
        pass  # the estimates are saved; only the note on the vote is missing
    return True


# --- v14 ---
def rename_checkpoint(workbook_id: str, name: str, new_name: str) -> Checkpoint:
    """Rename the checkpoint now called ``name`` (the facilitator's, as naming one); who and when are kept."""
    _raise_if_refused("checkpoint", workbook_id)
    return _store().rename_checkpoint(workbook_id, name, new_name, author=_author())
