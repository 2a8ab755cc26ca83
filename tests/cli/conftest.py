"""Fixtures of the command-line tests.

The CLI tests use the helpers of the packages they exercise (``builders`` of tests/workbook,
``leads_support`` of tests/leads, ``calibrate_builders`` of tests/calibrate); pytest puts only a
test file's own folder on the import path, so those folders are added here (at the end, so that
nothing of this folder is shadowed).
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).resolve().parents[1]
for _helpers in ("workbook", "leads", "calibrate"):
    if str(TESTS / _helpers) not in sys.path:
        sys.path.append(str(TESTS / _helpers))

from leads_support import load_example  # noqa: E402

from workbook.model import ScoringModel  # noqa: E402


@pytest.fixture(scope="session")
def sales() -> ScoringModel:
    return load_example("sales_automation.yaml")


@pytest.fixture(scope="session")
def x_education() -> ScoringModel:
    return load_example("x_education.yaml")
