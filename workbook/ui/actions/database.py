"""The server's workbook database: one store per file, its health, a salvage."""

from __future__ import annotations

import streamlit as st

from workbook.store import Store, StoreError, default_db_path
from workbook.store.recovery import Diagnosis, Salvage, diagnose, salvage
from workbook.ui.keys import StateKeys


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
