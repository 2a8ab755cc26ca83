"""The workbook this session shows: opening one at the start and on request, following the
address, and keeping in step with what others saved."""

from __future__ import annotations

from pathlib import Path

import streamlit as st

from workbook.editing import blank_model
from workbook.examples import EXAMPLES_DIR, example_path
from workbook.files import ModelFileError, ModelInvalid, load_model_file
from workbook.model import ScoringModel
from workbook.store import Store, StoreError, WorkbookInfo
from workbook.ui.actions.access import _author, _claim_as_creator
from workbook.ui.actions.database import _store, store_diagnosis
from workbook.ui.actions.names import QUERY_PARAM
from workbook.ui.keys import StateKeys
from workbook.ui.state import (
    address_changed_by_person,
    follow_scenario_in_address,
    next_generation,
    reset_editors,
    write_to_address,
)


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
