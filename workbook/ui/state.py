"""Session state of the workshop app: one place for keys, initialisation and edits.

Pages never keep their own copy of the model. They read :func:`workshop` (the model of
this run with its validation report and scenario results, computed once per run) and
hand every change to :func:`commit`. Each commit bumps the revision, and every table
editor's key carries the revision (:func:`editor_key`), so all editors are rebuilt from
the new model — an edit shows everywhere at once and is never applied twice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import streamlit as st

from workbook.editing import EditError
from workbook.engine import Agreement, ScenarioResult, agreement, evaluate_scenarios
from workbook.examples import example_path
from workbook.io import ModelFileError, ModelInvalid, load_model_file
from workbook.model import ScoringModel
from workbook.ui import use_navigation_only
from workbook.validate import Report, validate


class StateKeys:
    """Every session-state key the app uses, instead of magic strings."""

    MODEL = "wb.model"
    REVISION = "wb.revision"
    SOURCE = "wb.source"
    FLASH = "wb.flash"
    ERROR = "wb.error"
    PARTICIPANT = "wb.participant"
    CACHE = "wb.cache"
    IN_FRAME = "wb.in_frame"


@dataclass(frozen=True)
class Workshop:
    """The current model and everything derived from it, for one run of a page."""

    model: ScoringModel
    revision: int
    report: Report
    results: list[ScenarioResult]
    agreement: Agreement
    source: str


def init_session_state(initial: str | Path | None = None) -> None:
    """Load the starting workbook once per browser session (an example file by default)."""
    if StateKeys.MODEL in st.session_state:
        return
    path = Path(initial) if initial else example_path()
    try:
        model = load_model_file(path).model
        source = path.name
    except (ModelFileError, ModelInvalid) as exc:
        from workbook.editing import blank_model

        model = blank_model()
        source = "blank"
        st.session_state.setdefault(StateKeys.ERROR, f"Could not open {path.name}: {exc}")
    st.session_state.setdefault(StateKeys.MODEL, model)
    st.session_state.setdefault(StateKeys.REVISION, 0)
    st.session_state.setdefault(StateKeys.SOURCE, source)
    st.session_state.setdefault(StateKeys.PARTICIPANT, "")


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
    )
    st.session_state[StateKeys.CACHE] = ws
    return ws


def commit(new_model: ScoringModel, message: str | None = None) -> None:
    """Make ``new_model`` the current model (a new revision); ``message`` is shown once."""
    st.session_state[StateKeys.MODEL] = new_model
    st.session_state[StateKeys.REVISION] = st.session_state.get(StateKeys.REVISION, 0) + 1
    if message:
        st.session_state[StateKeys.FLASH] = message


def replace_model(new_model: ScoringModel, source: str, message: str | None = None) -> None:
    """Open another workbook (an example, an upload) in place of the current one."""
    commit(new_model, message)
    st.session_state[StateKeys.SOURCE] = source


def try_edit(edit: Callable[[], ScoringModel], message: str | None = None) -> bool:
    """Run a pure edit and commit it; an :class:`EditError` is shown and nothing changes."""
    try:
        new_model = edit()
    except EditError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        # Bump the revision anyway so the editors drop the refused input.
        st.session_state[StateKeys.REVISION] = st.session_state.get(StateKeys.REVISION, 0) + 1
        return False
    if new_model == st.session_state[StateKeys.MODEL]:
        # Nothing changed (e.g. the last band's minimum, which stays 0): still rebuild the
        # editors, or they would hold the input and ask for the same edit on every rerun.
        st.session_state[StateKeys.REVISION] = st.session_state.get(StateKeys.REVISION, 0) + 1
        return False
    commit(new_model, message)
    return True


def editor_key(name: str) -> str:
    """A widget key that changes with every revision, so editors rebuild from the new model."""
    return f"{name}@{st.session_state.get(StateKeys.REVISION, 0)}"


def show_messages() -> None:
    """Show (once) the message of the last edit and any refused edit."""
    flash = st.session_state.pop(StateKeys.FLASH, None)
    if flash:
        st.toast(flash, icon=":material/check_circle:")
    error = st.session_state.pop(StateKeys.ERROR, None)
    if error:
        st.error(error, icon=":material/error:")
