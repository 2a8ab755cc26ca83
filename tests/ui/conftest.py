"""Shared fixtures of the page tests (AppTest over the whole app, one page at a time).

Fixtures
    open_page(page, model=None) -> AppTest
        Runs app.py, switches to ``page`` (e.g. "pages/team.py") and runs it. With ``model``
        (a ScoringModel) the session starts on that model instead of the default workbook.
    edit_table(at, name, *, edited=None, added=None, deleted=None)
        Changes the data editor ``name`` as it is now shown the way a person would
        (edited_rows / added_rows / deleted_rows), reruns, and checks nothing crashed.
    key_of(at, name) -> the key under which the widget ``name`` is shown now
        Editors' keys are ``name@<generation>`` or ``name@<resets>.<digest of what it shows>``
        (workbook.ui.state.editor_key), or just ``name``; this finds the one on screen.
    model_of(at) -> the session's current ScoringModel
    store -> a Store on the test's own database (tests/conftest.py), beside the app's connection
    example -> the sales-automation example model, freshly loaded
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Block

from workbook.files import load_model_file
from workbook.model import ScoringModel
from workbook.store import Store
from workbook.ui.keys import StateKeys

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"


@pytest.fixture
def open_page() -> Callable[..., AppTest]:
    def _open(page: str, model: ScoringModel | None = None) -> AppTest:
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
        if model is not None:
            at.session_state[StateKeys.MODEL] = model
            at.session_state[StateKeys.REVISION] = 0
            at.session_state[StateKeys.SOURCE] = "test"
        at.run()
        assert not at.exception
        at.switch_page(page).run()
        assert not at.exception, at.exception
        return at

    return _open


def run(at: AppTest) -> AppTest:
    """Run the page again; any exception fails the test with its message."""
    at.run()
    assert not at.exception, at.exception
    return at


def _model_of(at: AppTest) -> ScoringModel:
    return at.session_state[StateKeys.MODEL]


@pytest.fixture
def model_of() -> Callable[[AppTest], ScoringModel]:
    return _model_of


def _key_of(at: AppTest, name: str) -> str:
    keys = {
        node.key
        for root in (at.main, at.sidebar)
        for node in root
        # A plain container may carry the name of the input it holds (a stable CSS class).
        if type(node) is not Block
        and isinstance(getattr(node, "key", None), str) and (node.key == name or node.key.startswith(name + "@"))
    }
    assert len(keys) == 1, f"expected one widget {name}[@…], found {sorted(keys)}"
    return keys.pop()


@pytest.fixture
def key_of() -> Callable[[AppTest, str], str]:
    return _key_of


@pytest.fixture
def edit_table() -> Callable[..., None]:
    def _edit(
        at: AppTest,
        name: str,
        *,
        edited: dict[int, dict[str, Any]] | None = None,
        added: list[dict[str, Any]] | None = None,
        deleted: list[int] | None = None,
    ) -> None:
        at.session_state[_key_of(at, name)] = {
            "edited_rows": edited or {},
            "added_rows": added or [],
            "deleted_rows": deleted or [],
        }
        at.run()
        assert not at.exception, at.exception

    return _edit


@pytest.fixture
def store() -> Iterator[Store]:
    with Store(os.environ["WORKBOOK_DB"]) as s:
        yield s


@pytest.fixture
def example() -> ScoringModel:
    return load_model_file(EXAMPLE).model
