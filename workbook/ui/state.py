"""Session state of the workshop app: one place for keys, initialisation and edits.

Workbooks live in the embedded store (SQLite, :mod:`workbook.store`); a browser session
holds which workbook it shows (also in the URL, ``?wb=<id>``, so a link can be shared
with the room), the revision it last saw and that revision's model.

Pages never keep their own copy of the model. They read :func:`workshop` (the model of
this run with its validation report and scenario results, computed once per revision)
and hand every change to :func:`commit` / :func:`try_edit`, which saves it at once as a
new revision — there is no save button to forget. Every editor's key changes when what
it shows changes (:func:`editor_key`), so it is rebuilt from the new model: an edit shows
everywhere at once and is never applied twice. An edit that is refused rebuilds every
editor, so none keeps the refused input.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from workbook.editing import EditError, blank_model
from workbook.engine import Agreement, ScenarioResult, agreement, evaluate_scenarios
from workbook.examples import EXAMPLES_DIR, example_path
from workbook.files import ModelFileError, ModelInvalid, load_model_file
from workbook.model import ScoringModel
from workbook.store import CommitResult, ConflictError, Store, StoreError, WorkbookInfo, default_db_path
from workbook.ui import use_navigation_only
from workbook.ui.text import md
from workbook.validate import Report, validate

QUERY_PARAM = "wb"


class StateKeys:
    """Every session-state key the app uses, instead of magic strings."""

    WORKBOOK = "wb.id"  # the store id of the open workbook
    BASE = "wb.base"  # the store revision this session last saw
    MODEL = "wb.model"  # the model at BASE
    REVISION = "wb.revision"  # the edit generation: moves on every change of the model
    RESETS = "wb.resets"  # moves when editors must drop their input (a refused edit, a reload)
    SOURCE = "wb.source"
    FLASH = "wb.flash"
    ERROR = "wb.error"
    PARTICIPANT = "wb.participant"
    CACHE = "wb.cache"
    IN_FRAME = "wb.in_frame"
    SYNC_REQUESTED = "wb.sync_requested"


@dataclass(frozen=True)
class Workshop:
    """The current model and everything derived from it, for one run of a page."""

    model: ScoringModel
    revision: int  # the edit generation
    report: Report
    results: list[ScenarioResult]
    agreement: Agreement
    source: str
    workbook_id: str
    store_revision: int


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------
@st.cache_resource(show_spinner=False)
def _store_at(path: str) -> Store:
    # One Store per database file, shared by every session of this server; it is thread-safe.
    return Store(path)


def get_store() -> Store:
    """The server's store (the database named by ``WORKBOOK_DB``, else ``data/workbooks.db``)."""
    return _store_at(str(default_db_path()))


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
    store = get_store()
    try:
        info = _starting_workbook(store, initial)
    except StoreError as exc:
        st.error(f"The workbook store cannot be opened: {exc}", icon=":material/database:")
        st.stop()
    _open(store, info)


def _open(store: Store, info: WorkbookInfo) -> None:
    head = store.head(info.id)
    st.session_state[StateKeys.WORKBOOK] = info.id
    st.session_state[StateKeys.BASE] = head.number
    st.session_state[StateKeys.MODEL] = head.model
    st.session_state[StateKeys.SOURCE] = info.source
    _reset_editors()
    st.query_params[QUERY_PARAM] = info.id


def open_workbook(workbook_id: str, message: str | None = None) -> None:
    """Switch this session to another workbook of the store."""
    store = get_store()
    _open(store, store.get(workbook_id))
    if message:
        st.session_state[StateKeys.FLASH] = message


def _next_generation() -> None:
    """The model changed: rebuild the editors that show what changed."""
    st.session_state[StateKeys.REVISION] = st.session_state.get(StateKeys.REVISION, 0) + 1


def _reset_editors() -> None:
    """Rebuild every editor, changed or not, so none keeps input that was not applied."""
    st.session_state[StateKeys.RESETS] = st.session_state.get(StateKeys.RESETS, 0) + 1
    _next_generation()


def sync_with_store() -> bool:
    """Take in what others saved since this session last looked. True if anything changed."""
    store = get_store()
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
    _next_generation()
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


# --------------------------------------------------------------------------------------------
# The workshop of this run
# --------------------------------------------------------------------------------------------
def run_page(page) -> None:
    """Run the selected page inside the app's frame (see :func:`workshop`)."""
    st.session_state[StateKeys.IN_FRAME] = True
    try:
        page.run()
    finally:
        st.session_state[StateKeys.IN_FRAME] = False


def workshop() -> Workshop:
    """For pages: the model of this run, validated and scored once per revision.

    A page started without app.py (Streamlit's legacy ``pages/`` handling, possible on a
    server's very first run) reruns, this time through app.py.
    """
    if not st.session_state.get(StateKeys.IN_FRAME):
        use_navigation_only()
        st.rerun()
    return current_workshop()


def current_workshop() -> Workshop:
    """The model of this run, validated and scored once per revision (app.py's view)."""
    model: ScoringModel = st.session_state[StateKeys.MODEL]
    revision: int = st.session_state[StateKeys.REVISION]
    cached = st.session_state.get(StateKeys.CACHE)
    if cached is not None and cached.revision == revision and cached.model is model:
        return cached
    results = evaluate_scenarios(model)
    ws = Workshop(
        model=model,
        revision=revision,
        report=validate(model),
        results=results,
        agreement=agreement(results),
        source=st.session_state.get(StateKeys.SOURCE, ""),
        workbook_id=st.session_state[StateKeys.WORKBOOK],
        store_revision=st.session_state[StateKeys.BASE],
    )
    st.session_state[StateKeys.CACHE] = ws
    return ws


# --------------------------------------------------------------------------------------------
# Edits: every one saved at once
# --------------------------------------------------------------------------------------------
def participant() -> str | None:
    return (st.session_state.get(StateKeys.PARTICIPANT) or "").strip() or None


def commit(new_model: ScoringModel, message: str | None = None) -> bool:
    """Save ``new_model`` as a new revision of the open workbook; ``message`` is shown once.

    Others' changes since this session last looked are merged in. A change to a field
    someone else changed meanwhile is refused with both values shown; nothing is lost.
    """
    return _commit(new_model, message) is not None


def _commit(new_model: ScoringModel, message: str | None) -> CommitResult | None:
    store = get_store()
    try:
        result = store.commit(
            st.session_state[StateKeys.WORKBOOK],
            base_revision=st.session_state[StateKeys.BASE],
            new_model=new_model,
            author=participant(),
        )
    except ConflictError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        sync_with_store()
        _reset_editors()
        return None
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = f"Not saved: {exc}"
        _reset_editors()
        return None
    st.session_state[StateKeys.BASE] = result.revision
    st.session_state[StateKeys.MODEL] = result.model
    _next_generation()
    note = message
    if result.merged:
        note = (message + " — " if message else "") + "merged with others' changes"
    if note:
        st.session_state[StateKeys.FLASH] = note
    return result


def replace_model(new_model: ScoringModel, source: str, message: str | None = None) -> None:
    """Open a model (an example, an upload) as a new workbook; the current one stays as it is."""
    store = get_store()
    store_source = source if source in ("blank", "upload") or source.startswith("example:") else "upload"
    try:
        info = store.create(new_model, author=participant(), source=store_source)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = f"Not opened: {exc}"
        return
    open_workbook(info.id, message)


def try_edit(edit: Callable[[], ScoringModel], message: str | None = None) -> bool:
    """Run a pure edit and save it; an :class:`EditError` is shown and nothing changes."""
    return _try_edit(edit, message) is not None


def _try_edit(edit: Callable[[], ScoringModel], message: str | None) -> CommitResult | None:
    try:
        new_model = edit()
    except EditError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        # Rebuild the editors anyway so they drop the refused input.
        _reset_editors()
        return None
    if new_model == st.session_state[StateKeys.MODEL]:
        # Nothing changed (e.g. the last band's minimum, which stays 0): still rebuild the
        # editors, or they would hold the input and ask for the same edit on every rerun.
        _reset_editors()
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
    store = get_store()
    try:
        result = store.undo(
            st.session_state[StateKeys.WORKBOOK],
            participant(),
            expected_head=st.session_state[StateKeys.BASE],
        )
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        sync_with_store()
        return
    st.session_state[StateKeys.BASE] = result.revision
    st.session_state[StateKeys.MODEL] = result.model
    _next_generation()
    st.session_state[StateKeys.FLASH] = "; ".join(result.summary) or "Undone"


_EVERY_EDIT = object()


def editor_key(name: str, shows: object = _EVERY_EDIT) -> str:
    """A widget key that changes when the editor must be rebuilt from the model.

    Without ``shows``, the key changes with every change of the model. With ``shows`` (what
    the editor displays: its rows, its value), it changes only when that does, or when a
    refused edit resets all editors: an edit elsewhere leaves this editor standing, so the
    browser does not rebuild it (the page answers faster) and a selection in it stays.
    """
    if shows is _EVERY_EDIT:
        return f"{name}@{st.session_state.get(StateKeys.REVISION, 0)}"
    digest = hashlib.blake2b(repr(shows).encode("utf-8", "surrogatepass"), digest_size=8).hexdigest()
    return f"{name}@{st.session_state.get(StateKeys.RESETS, 0)}.{digest}"


def show_messages() -> None:
    """Show (once) the message of the last edit and any refused edit."""
    flash = st.session_state.pop(StateKeys.FLASH, None)
    if flash:
        st.toast(md(flash), icon=":material/check_circle:")
    error = st.session_state.pop(StateKeys.ERROR, None)
    if error:
        st.error(md(error), icon=":material/error:")
