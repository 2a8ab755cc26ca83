"""Workbooks (list, rename, duplicate, archive) and the value templates every workbook of
the database shares (raise StoreError)."""

from __future__ import annotations

import streamlit as st

from workbook.store import WorkbookInfo
from workbook.templates import ValueTemplate
from workbook.ui.actions.access import _author, _claim_as_creator, _raise_if_refused, _stamp, identity
from workbook.ui.actions.database import _store
from workbook.ui.actions.session import open_workbook, sync_with_store
from workbook.ui.keys import StateKeys


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


def value_templates() -> list[ValueTemplate]:
    """The value templates saved in this database (shared by every workbook)."""
    return _store().templates()


def save_value_template(template: ValueTemplate, *, replace: bool = False) -> None:
    """Keep a value template for every workbook of this database (for those who may edit the open one)."""
    if st.session_state.get(StateKeys.WORKBOOK):
        _raise_if_refused("edit", st.session_state[StateKeys.WORKBOOK])
    _store().save_template(template, author=_author(), replace=replace)
