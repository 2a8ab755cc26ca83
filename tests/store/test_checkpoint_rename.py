"""Renaming a checkpoint: the new name everywhere the checkpoint shows, who renamed it and when
kept, the name rules of a new checkpoint, and the checkpoints row itself never changed."""

from __future__ import annotations

import pytest
from store_models import edited

from workbook.store import Store, StoreError


def _two_checkpoints(store: Store, wb_id: str) -> None:
    store.name_checkpoint(wb_id, "kick-off", author="Dana Ortiz")
    model = edited(store.head(wb_id).model, weight={"Job role": 61})
    store.commit(wb_id, base_revision=1, new_model=model, author="Dana Ortiz")
    store.name_checkpoint(wb_id, "after workshop 1", author="Dana Ortiz")


def test_a_renamed_checkpoint_shows_its_new_name_and_who_renamed_it_when(store, wb):
    _two_checkpoints(store, wb.id)
    renamed = store.rename_checkpoint(wb.id, "after workshop 1", "  after  the pricing session ", author="Sam Lee")
    assert (renamed.name, renamed.revision, renamed.first_name) == ("after the pricing session", 2,
                                                                   "after workshop 1")
    [rename] = renamed.renames
    assert (rename.old_name, rename.new_name, rename.author) == ("after workshop 1", "after the pricing session",
                                                                 "Sam Lee")
    assert rename.at >= renamed.at
    assert [c.name for c in store.checkpoints(wb.id)] == ["kick-off", "after the pricing session"]
    # the history's sections and the change notes follow the new name
    assert store.readable_history(wb.id)[0].title == "Up to 'after the pricing session' (revision 2)"
    assert [n.title for n in store.checkpoint_notes(wb.id)] == ["From 'kick-off' to 'after the pricing session'"]
    # the row named at first is untouched
    row = store._db.conn.execute("SELECT name FROM checkpoints WHERE revision = 2").fetchone()
    assert row == ("after workshop 1",)


def test_a_checkpoint_renamed_twice_keeps_every_rename_in_order(store, wb):
    _two_checkpoints(store, wb.id)
    store.rename_checkpoint(wb.id, "kick-off", "start", author="Sam Lee")
    again = store.rename_checkpoint(wb.id, "start", "kick-off", author="Dana Ortiz")  # back to the first name
    assert again.name == "kick-off"
    assert [(r.old_name, r.new_name, r.author) for r in again.renames] == [
        ("kick-off", "start", "Sam Lee"), ("start", "kick-off", "Dana Ortiz")]


def test_a_new_name_follows_the_rules_of_a_name(store, wb):
    _two_checkpoints(store, wb.id)
    with pytest.raises(StoreError, match="already a checkpoint named 'kick-off'"):
        store.rename_checkpoint(wb.id, "after workshop 1", "kick-off")
    with pytest.raises(StoreError, match="needs a name"):
        store.rename_checkpoint(wb.id, "after workshop 1", "   ")
    with pytest.raises(StoreError, match="at most 80 characters"):
        store.rename_checkpoint(wb.id, "after workshop 1", "x" * 81)
    with pytest.raises(StoreError, match="no checkpoint named 'nothing'"):
        store.rename_checkpoint(wb.id, "nothing", "something")
    with pytest.raises(StoreError, match="already named 'kick-off'"):
        store.rename_checkpoint(wb.id, "kick-off", "kick-off")
    store.rename_checkpoint(wb.id, "kick-off", "start")
    # the first name stays the renamed checkpoint's: a new checkpoint cannot take it
    with pytest.raises(StoreError, match="'kick-off' was the first name of the checkpoint now called 'start'"):
        store.name_checkpoint(wb.id, "kick-off")
    with pytest.raises(StoreError, match="'kick-off' was the first name"):
        store.rename_checkpoint(wb.id, "after workshop 1", "kick-off")
    assert [c.name for c in store.checkpoints(wb.id)] == ["start", "after workshop 1"]


def test_renaming_changes_no_revision(store, wb):
    _two_checkpoints(store, wb.id)
    before = [(r.number, r.at) for r in store.history(wb.id)]
    store.rename_checkpoint(wb.id, "kick-off", "start")
    assert [(r.number, r.at) for r in store.history(wb.id)] == before


def test_an_older_database_gains_the_renames_table_on_open(db_path, wb):
    with Store(db_path) as s:
        s._db.conn.execute("DROP TABLE checkpoint_renames")
    with Store(db_path) as s:
        s.name_checkpoint(wb.id, "kick-off")
        assert s.rename_checkpoint(wb.id, "kick-off", "start").name == "start"
