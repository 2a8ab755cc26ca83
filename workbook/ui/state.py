"""Session state of the workshop app: the model of this run, editors' keys, messages.

Workbooks live in the embedded store, reached only through :mod:`workbook.ui.actions`; a
browser session holds which workbook it shows (also in the URL, ``?wb=<id>``, so a link can
be shared with the room), the revision it last saw and that revision's model.

Pages never keep their own copy of the model. They read :func:`workshop` (the model of
this run with its validation report and scenario results, computed once per revision)
and hand every change to ``actions.commit`` / ``actions.try_edit``, which saves it at once as a
new revision — there is no save button to forget. Every editor's key changes when what
it shows changes (:func:`editor_key`), so it is rebuilt from the new model: an edit shows
everywhere at once and is never applied twice. An edit that is refused rebuilds every
editor, so none keeps the refused input.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from workbook.engine import Agreement, ScenarioResult, agreement, evaluate_scenarios
from workbook.model import ScoringModel
from workbook.ui import use_navigation_only
from workbook.ui.keys import StateKeys
from workbook.ui.text import md
from workbook.validate import Report, validate

__all__ = [
    "StateKeys", "Workshop", "current_workshop", "editor_key", "follow_scenario_in_address", "keep_address",
    "participant", "workshop", "write_to_address",
]

WORKBOOK_PARAM = "wb"  # the address's name for the open workbook: ?wb=<store id>
SCENARIO_PARAM = "scenario"  # ... and for the scenario open on Test scenarios: its number, 1 first
# The open scenario's position (0 first): the Test scenarios page's own key (scenarios_page.SELECTED,
# checked equal by tests/ui/test_address.py), read here without importing the page.
OPEN_SCENARIO = "scenarios.selected"
# What this session last wrote into the address: a different value there was put by the person
# (back / forward, an edited address), anything else is the session's own and the session wins.
_WRITTEN = StateKeys.ADDRESS_WRITTEN
_EVER_WRITTEN = StateKeys.ADDRESS_EVER_WRITTEN


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
# Editors
# --------------------------------------------------------------------------------------------
def next_generation() -> None:
    """The model changed: rebuild the editors that show what changed."""
    st.session_state[StateKeys.REVISION] = st.session_state.get(StateKeys.REVISION, 0) + 1


def reset_editors() -> None:
    """Rebuild every editor, changed or not, so none keeps input that was not applied."""
    st.session_state[StateKeys.RESETS] = st.session_state.get(StateKeys.RESETS, 0) + 1
    next_generation()


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
# The address: workbook, page and open scenario, so a reload or a copied link shows the same
# --------------------------------------------------------------------------------------------
def written_to_address(name: str) -> str | None:
    """The value this session last put in the address under ``name`` (None if never)."""
    return st.session_state.get(_WRITTEN, {}).get(name)


def address_changed_by_person(name: str) -> str | None:
    """The address's ``name`` when the person (back, forward, an edited link) changed it, else None.

    Streamlit clears the address's query on a switch of page; an empty value therefore never
    counts as a change: the session keeps what it shows and writes it back. A value this session
    wrote earlier counts only on Back / Forward: otherwise it is a rerun asked for by a browser
    that has not yet taken in the newer address (the session's own change wins).
    """
    value = st.query_params.get(name)
    if not value or value == written_to_address(name):
        return None
    if value in st.session_state.get(_EVER_WRITTEN, {}).get(name, set()) and not _history_navigation():
        return None
    return value


def _history_navigation() -> bool:
    """True when this run was asked for by the browser's Back or Forward."""
    ctx = get_script_run_ctx()
    return bool(getattr(ctx, "is_history_navigation", False))


def write_to_address(values: dict[str, str | None]) -> None:
    """Put ``name=value`` pairs in the address (None takes one out), remembering them as the session's own.

    One change of the address for all of them: each change is an entry in the browser's history.
    """
    written = st.session_state.setdefault(_WRITTEN, {})
    written.update(values)
    ever = st.session_state.setdefault(_EVER_WRITTEN, {})
    for name, value in values.items():
        if value is not None:
            ever.setdefault(name, set()).add(value)
    wanted = {name: value for name, value in values.items() if value is not None}
    if any(st.query_params.get(name) != value for name, value in wanted.items()):
        st.query_params.update(wanted)
    for name, value in values.items():
        if value is None and name in st.query_params:
            del st.query_params[name]


def follow_scenario_in_address(count: int) -> None:
    """Open the scenario the address names (a link, back / forward), when it exists.

    The editors are rebuilt under new keys when that opens another scenario. The picker's key
    names the open scenario, so going back reuses the key it had then, and a value left under
    that key would win over the address: the run the person interrupted with Back (it stops
    before Streamlit forgets its widgets), or a fragment's run (the sidebar's watcher) started
    with the browser's widgets of before the change, leaves the picker's new choice there.
    """
    wanted = address_changed_by_person(SCENARIO_PARAM)
    if wanted is not None and wanted.isdigit() and 1 <= int(wanted) <= count:
        if st.session_state.get(OPEN_SCENARIO) != int(wanted) - 1:
            next_generation()
        st.session_state[OPEN_SCENARIO] = int(wanted) - 1


def keep_address() -> None:
    """On every run: the open workbook and scenario back in the address (a tab click drops them).

    The page is the address's path (``st.Page``'s ``url_path``); the workbook is ``?wb=``, the
    open scenario ``&scenario=<number>`` once one was opened on Test scenarios.
    """
    position = st.session_state.get(OPEN_SCENARIO)
    count = len(st.session_state[StateKeys.MODEL].scenarios)
    write_to_address({
        WORKBOOK_PARAM: st.session_state[StateKeys.WORKBOOK],
        SCENARIO_PARAM: str(position + 1) if isinstance(position, int) and 0 <= position < count else None,
    })


def participant() -> str | None:
    """The name this person gave in the sidebar, recorded with their changes (None if none)."""
    return (st.session_state.get(StateKeys.PARTICIPANT) or "").strip() or None


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
