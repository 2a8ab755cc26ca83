"""Fixtures of the store's tests: a fresh SQLite file per test, a workbook in it."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_models import base_model

from workbook.store import Store, WorkbookInfo


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "data" / "workbooks.db"


@pytest.fixture
def store(db_path: Path):
    with Store(db_path) as s:
        yield s


@pytest.fixture
def wb(store: Store) -> WorkbookInfo:
    return store.create(base_model(), author="Dana Ortiz")
