"""Suite-wide test configuration.

Hypothesis profiles: the machines that run this suite are small and noisy, so no
profile has a per-example deadline. Under CI (CI=true) the "ci" profile makes runs
reproducible: derandomized, with a fixed number of examples and no example database.
HYPOTHESIS_PROFILE=name picks a profile explicitly.
"""

import os

import pytest
from hypothesis import HealthCheck, settings

settings.register_profile("dev", deadline=None)
settings.register_profile(
    "ci",
    deadline=None,
    derandomize=True,
    max_examples=100,
    database=None,
    print_blob=True,
    suppress_health_check=[HealthCheck.too_slow],
)

_default_profile = "ci" if os.environ.get("CI") == "true" else "dev"
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", _default_profile))


# Every test gets its own workbook database, so no test reads or writes the developer's
# data/workbooks.db, and tests cannot see each other's workbooks. A browser test that
# starts a server passes its own WORKBOOK_DB to it (tests/e2e/conftest.py).
@pytest.fixture(autouse=True)
def _own_workbook_db(tmp_path, monkeypatch):
    monkeypatch.setenv("WORKBOOK_DB", str(tmp_path / "workbooks.db"))


# AppTest resets Streamlit's "legacy pages/ folder" flag before every run, and the app keeps
# its tabs in pages/, so each AppTest run would first execute the page file on its own and
# rerun through app.py — which drops a button's click. A real server sets the flag once and
# app.py clears it (workbook.ui.use_navigation_only); here it is cleared after every reset.
@pytest.fixture(autouse=True)
def _navigation_only_in_apptest(monkeypatch):
    from streamlit.runtime.pages_manager import PagesManager

    original_init = PagesManager.__init__

    def init(self, *args, **kwargs):
        original_init(self, *args, **kwargs)
        PagesManager.uses_pages_directory = False

    monkeypatch.setattr(PagesManager, "__init__", init)
