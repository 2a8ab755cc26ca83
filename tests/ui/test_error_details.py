"""The app's Streamlit settings: an unexpected error shows no traceback, type or message.

Read as Streamlit reads them when the app is started from the project's folder, and judged
by Streamlit's own rule for what an uncaught exception shows in the browser. (The app's own
refusals are not exceptions: tests/ui/test_page_refusals.py sees them in words.)
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from streamlit import config
from streamlit.elements.exception import _error_detail_visibility

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def project_config(monkeypatch):
    monkeypatch.chdir(ROOT)
    monkeypatch.delenv("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", raising=False)
    config.get_config_options(force_reparse=True)
    yield
    os.chdir(ROOT)
    config.get_config_options(force_reparse=True)


def test_an_uncaught_error_shows_only_a_notice(project_config):
    shown = _error_detail_visibility(apply_show_error_details=True)
    assert (shown.show_message, shown.show_trace, shown.show_type) == (False, False, False)
    assert config.get_option("client.showErrorLinks") in (False, "false", "False")
