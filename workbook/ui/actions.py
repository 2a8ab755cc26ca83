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

from workbook.editing import EditError, blank_model
from workbook.examples import EXAMPLES_DIR, example_path
from workbook.files import ModelFileError, ModelInvalid, load_model_file, load_model_text, max_model_bytes
from workbook.model import ScoringModel
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
from workbook.store.diff import Change, ChangeKind, ModelDiff, diff_models
from workbook.store.votes import Room, RoomState, VoteInfo
from workbook.store.wording import say
from workbook.ui.keys import StateKeys
from workbook.ui.state import next_generation, participant, reset_editors
from workbook.validate import validate

__all__ = [
    "ApprovalStatus", "Change", "ChangeKind", "ModelDiff", "ModelFile", "Revision", "RevisionInfo",
    "StoreError", "WorkbookInfo", "diff_models", "say",
    "RoomState", "VoteInfo",
]

QUERY_PARAM = "wb"


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> Store:
    # One Store per database file, shared by every session of this server; it is thread-safe.
    return Store(path)


def _store() -> Store:
    """The server's store (the database named by ``WORKBOOK_DB``, else ``data/workbooks.db``)."""
    return _store_at(str(default_db_path()))


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
        return
    store = _store()
    try:
        info = _starting_workbook(store, initial)
    except StoreError as exc:
        st.error(f"The workbook store cannot be opened: {exc}", icon=":material/database:")
        st.stop()
    _show(store, info)


def _show(store: Store, info: WorkbookInfo) -> None:
    head = store.head(info.id)
    st.session_state[StateKeys.WORKBOOK] = info.id
    st.session_state[StateKeys.BASE] = head.number
    st.session_state[StateKeys.MODEL] = head.model
    st.session_state[StateKeys.SOURCE] = info.source
    reset_editors()
    st.query_params[QUERY_PARAM] = info.id


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
        info = _store().create(model, author=participant(), source=store_source)
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
    try:
        result = _store().commit(
            st.session_state[StateKeys.WORKBOOK],
            base_revision=st.session_state[StateKeys.BASE],
            new_model=new_model,
            author=participant(),
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
    except EditError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
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
    try:
        result = _store().undo(
            st.session_state[StateKeys.WORKBOOK],
            participant(),
            expected_head=st.session_state[StateKeys.BASE],
        )
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        sync_with_store()
        return
    _take(result)
    st.session_state[StateKeys.FLASH] = "; ".join(result.summary) or "Undone"


def restore(workbook_id: str, number: int) -> None:
    """Make revision ``number`` current again, as a new revision (a button callback)."""
    try:
        result = _store().restore(workbook_id, number, author=participant())
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return
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
    _store().rename(workbook_id, name, author=participant())
    sync_with_store()


def duplicate(workbook_id: str, name: str) -> None:
    """Copy a workbook under ``name`` and open the copy here."""
    copy = _store().duplicate(workbook_id, name, author=participant())
    open_workbook(copy.id)


def set_archived(workbook_id: str, archived: bool) -> None:
    """Hide a workbook from the list (never deleted), or show it again."""
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
    _store().mark_release_candidate(workbook_id, number, author=participant())


def approval_status(workbook_id: str, number: int) -> ApprovalStatus:
    """Approved / rejected / waiting for a release candidate, with every member's decision."""
    return _store().approval_status(workbook_id, number)


def review(workbook_id: str, number: int, member: str, decision: str, comment: str) -> None:
    """Record one member's decision (approve / reject) on a release candidate."""
    _store().review(workbook_id, number, member, decision, comment)


def final_export_model(workbook_id: str, number: int) -> ScoringModel:
    """The model of ``number`` with its provenance (version, approvals, change notes) for the final file."""
    return _store().final_export_model(workbook_id, number)


# --------------------------------------------------------------------------------------------
# The room (issue 14): the scenario on the presenter's screen and live votes
# --------------------------------------------------------------------------------------------
# Who is voting / moving the screen is participant() (workbook.ui.state), the one "who is
# this" of the app: when sign-in arrives, swapping it there changes every ballot's name.
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
        _room().set_current(workbook_id, name, position, by=participant())
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = f"The presenter screen did not move: {exc}"


def open_vote(workbook_id: str, scenario: str, asks: Sequence[str]) -> VoteInfo | None:
    """Open a vote on ``scenario`` (closing any other of the workbook); None when refused."""
    try:
        return _room().open_vote(workbook_id, scenario, check_asks(asks), by=participant())
    except (StoreError, BallotError) as exc:
        st.session_state[StateKeys.ERROR] = f"The vote was not opened: {exc}"
        return None


def cast_ballot(vote: VoteInfo, model: ScoringModel, choices: dict[str, str]) -> str | None:
    """This participant's ballot on ``vote``; the reason in words when it was refused."""
    try:
        ballot = check_ballot(model, vote.asks, participant(), choices)
        _room().cast(vote.id, ballot.voter, dict(ballot.choices))
    except (StoreError, BallotError) as exc:
        return str(exc)[:1].upper() + str(exc)[1:]
    return None


def my_ballot(vote: VoteInfo) -> dict[str, str] | None:
    """What this participant voted on ``vote`` (only their own ballot), None before they vote."""
    name = participant()
    if not name:
        return None
    stored = _room().ballot_of(vote.id, name)
    return stored.choices if stored is not None else None


def vote_ballots(vote: VoteInfo) -> list[Ballot]:
    """Every ballot of a vote, for the tally. Callers show them only once the vote is revealed."""
    return [Ballot(b.voter, b.choices) for b in _room().ballots(vote.id)]


def reveal_vote(vote: VoteInfo) -> None:
    try:
        _room().reveal(vote.id)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)


def close_vote(vote: VoteInfo) -> None:
    try:
        _room().close_vote(vote.id)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)


def record_vote(vote: VoteInfo, team_estimate: dict[str, str | None]) -> bool:
    """Write the votes as the members' estimates and ``team_estimate`` as the team's: one revision.

    Undo takes the whole recording back in one step, like any other edit.
    """
    sync_with_store()  # record on the newest model; the store would merge anyway
    try:
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
