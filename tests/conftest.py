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
