"""A locked or read-only database gives a clear message, never a crash, and stores nothing."""

from __future__ import annotations

import os
import sqlite3

import pytest
from store_models import base_model, edited

from workbook.store import Store, StoreError


def test_a_locked_database_gives_a_clear_message(db_path):
    with Store(db_path, busy_timeout=0.2) as store:
        info = store.create(base_model())
        other = sqlite3.connect(db_path, isolation_level=None)
        other.execute("BEGIN EXCLUSIVE")  # another program holds the write lock
        try:
            with pytest.raises(StoreError, match=r"workbooks\.db is locked by another program; try again"):
                store.commit(info.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 1}))
            with pytest.raises(StoreError, match="locked"):
                store.create(base_model())
            assert store.head(info.id).number == 1  # reading still works (WAL)
        finally:
            other.execute("ROLLBACK")
            other.close()
        # the lock is gone: the same edit goes through
        assert store.commit(info.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 1})).stored


def test_opening_a_database_locked_exclusively_gives_a_clear_message(db_path):
    Store(db_path).close()
    other = sqlite3.connect(db_path, isolation_level=None)
    other.execute("PRAGMA locking_mode = EXCLUSIVE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(StoreError, match="is locked by another program"):
            Store(db_path, busy_timeout=0.2).list()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_a_read_only_database_gives_a_clear_message(db_path):
    with Store(db_path) as store:
        info = store.create(base_model())
        # As root, file permissions do not stop writes: SQLite's own read-only switch does.
        store._db.conn.execute("PRAGMA query_only = ON")
        with pytest.raises(StoreError, match=r"is read-only: the change was not saved"):
            store.commit(info.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 1}))
        with pytest.raises(StoreError, match="read-only"):
            store.archive(info.id)
        assert store.head(info.id).number == 1
        store._db.conn.execute("PRAGMA query_only = OFF")
        assert store.commit(info.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 1})).stored


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes through chmod 0444; covered by query_only above")
def test_a_read_only_file_and_folder_give_a_clear_message(db_path):
    Store(db_path).close()
    os.chmod(db_path, 0o444)
    os.chmod(db_path.parent, 0o555)
    try:
        with pytest.raises(StoreError, match="read-only"):
            Store(db_path)
    finally:
        os.chmod(db_path.parent, 0o755)
        os.chmod(db_path, 0o644)


def test_an_unwritable_folder_gives_a_clear_message(tmp_path):
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(StoreError, match="cannot create the folder"):
        Store(blocker / "sub" / "w.db")
