"""A damaged or read-only workbook database fails clear, can be viewed, and can be salvaged (issue 12).

Each damaged variant is made the way it happens: a file cut short (a full disk, a copy
stopped half-way), a file overwritten with something else, a revision edited by hand, a
database from a newer app, another program's database, a read-only file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from store_models import base_model

from workbook.store import Store, StoreError
from workbook.store.recovery import diagnose, salvage


def named(name: str):
    return base_model().model_copy(update={"name": name})


def filled(path: Path, revisions: int = 30) -> tuple[str, str]:
    """A database with two workbooks; the first has ``revisions`` revisions."""
    with Store(path) as store:
        first = store.create(base_model(), author="Dana Ortiz")
        second = store.create(named("Second model"))
        for i in range(2, revisions + 1):
            store.commit(first.id, base_revision=i - 1, new_model=named(f"Take {i}"))
    return first.id, second.id


def hand_edit(path: Path, sql: str, *params) -> None:
    """What someone with an SQLite browser might do: drop our guard and change a row."""
    conn = sqlite3.connect(path)
    conn.execute("DROP TRIGGER revisions_never_change")
    conn.execute(sql, params)
    conn.commit()
    conn.close()


def test_a_sound_database_is_in_order(db_path):
    filled(db_path, 3)
    assert diagnose(db_path).kind == "ok"


def test_a_file_overwritten_with_something_else(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is a spreadsheet, not a database\n" * 200)
    with pytest.raises(StoreError) as info:
        Store(db_path)
    assert info.value.kind == "damaged" and "damaged or not a database" in str(info.value)
    found = diagnose(db_path)
    assert found.kind == "damaged" and found.can_salvage and not found.can_view
    saved = salvage(db_path)
    assert saved.workbooks == 0 and saved.damaged_copy.read_bytes().startswith(b"this is a spreadsheet")
    with Store(db_path) as store:  # a fresh, working database in its place
        assert store.list() == []


def test_a_file_cut_short_keeps_what_can_be_read(db_path):
    first, _ = filled(db_path, 60)
    data = db_path.read_bytes()
    db_path.write_bytes(data[: len(data) * 2 // 3])
    found = diagnose(db_path)
    assert found.kind == "damaged" and found.can_salvage
    saved = salvage(db_path)
    assert saved.damaged_copy.exists() and saved.damaged_copy.stat().st_size == len(data) * 2 // 3
    with Store(db_path) as store:
        for info in store.list():
            head = store.head(info.id)  # every kept workbook opens at a readable revision
            assert head.model.name
    assert diagnose(db_path).kind == "ok"


def test_a_revision_edited_by_hand_falls_back_to_the_last_good_one(db_path):
    first, second = filled(db_path, 5)
    hand_edit(db_path, "UPDATE revisions SET model = ? WHERE workbook_id = ? AND number = 5", '{"name": 1}', first)
    with Store(db_path) as store:
        with pytest.raises(StoreError, match="revision 5 .* cannot be read"):
            store.head(first)
    with Store(db_path) as store:
        title = store.get(first).name
    found = diagnose(db_path)
    assert found.kind == "damaged" and not found.can_view and found.unreadable == [f"revision 5 of “{title}”"]
    saved = salvage(db_path)
    assert saved.lost == [f"revision 5 of “{title}”"]
    assert (saved.workbooks, saved.revisions) == (2, 5)
    with Store(db_path) as store:
        assert store.head(first).number == 4 and store.head(first).model.name == "Take 4"
        assert store.head(second).model.name == "Second model"
        store.commit(first, base_revision=4, new_model=named("Back at work"))
        assert store.head(first).number == 5


def test_a_database_from_a_newer_app_is_not_touched(db_path):
    filled(db_path, 2)
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    before = db_path.read_bytes()
    found = diagnose(db_path)
    assert found.kind == "newer" and "upgrade the app" in found.message and not found.can_salvage
    assert db_path.read_bytes() == before


def test_another_programs_database_is_refused_in_words(db_path):
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE invoices (id INTEGER)")
    conn.close()
    found = diagnose(db_path)
    assert found.kind == "foreign" and "another program" in found.message


def test_a_read_only_database_can_be_viewed_and_refuses_changes_in_words(db_path):
    first, _ = filled(db_path, 3)
    before = db_path.read_bytes()
    with Store(db_path, read_only=True) as store:
        assert store.head(first).number == 3
        assert len(store.history(first)) == 3
        with pytest.raises(StoreError) as info:
            store.commit(first, base_revision=3, new_model=named("Nope"))
        assert info.value.kind == "read-only" and "nothing can be changed" in str(info.value)
        with pytest.raises(StoreError, match="read-only"):
            store.create(base_model())
    assert db_path.read_bytes() == before


def test_a_file_without_write_permission_is_diagnosed_as_viewable(db_path, monkeypatch):
    filled(db_path, 2)
    import workbook.store.database as database

    real = database.os.access
    monkeypatch.setattr(database.os, "access", lambda p, mode: False if Path(p) == db_path else real(p, mode))
    with pytest.raises(StoreError) as info:
        Store(db_path)
    assert info.value.kind == "read-only"
    found = diagnose(db_path)
    assert found.kind == "read-only" and found.can_view and not found.can_salvage
