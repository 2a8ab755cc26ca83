"""Checkpoints, the readable history (quick edits folded, grouped by checkpoint and person),
folded undo, change notes by checkpoint, and value templates kept in the store."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta

import pytest
from store_models import base_model, edited

from workbook.engine import evaluate_scenarios
from workbook.store import Store, StoreError
from workbook.store.checkpoints import checkpoint_rows, create_tables, edit_fields, pinned_revisions
from workbook.store.records import RevisionInfo
from workbook.store.timeline import FOLD_WINDOW, FieldEdit, fold_history, history_sections
from workbook.templates import BUILT_IN, ValueTemplate


def clicks(store: Store, wb_id: str, weights: list[int], author: str | None = "Dana Ortiz") -> int:
    """One + click per weight: each a revision changing only 'Job role''s weight."""
    head = store.get(wb_id).head_revision
    model = store.head(wb_id).model
    for w in weights:
        model = edited(model, weight={"Job role": w})
        head = store.commit(wb_id, base_revision=head, new_model=model, author=author).revision
    return head


# -- checkpoints --------------------------------------------------------------------------------
def test_a_checkpoint_names_the_current_revision_and_a_name_is_used_once(store, wb):
    clicks(store, wb.id, [61])
    mark = store.name_checkpoint(wb.id, "  after   workshop 1 ", author="Dana Ortiz")
    assert (mark.name, mark.revision, mark.author) == ("after workshop 1", 2, "Dana Ortiz")
    with pytest.raises(StoreError, match="already a checkpoint named 'after workshop 1'"):
        store.name_checkpoint(wb.id, "after workshop 1", revision=1)
    with pytest.raises(StoreError, match="needs a name"):
        store.name_checkpoint(wb.id, "   ")
    with pytest.raises(StoreError, match="no revision 9"):
        store.name_checkpoint(wb.id, "later", revision=9)
    store.name_checkpoint(wb.id, "kick-off", revision=1)
    assert [(c.name, c.revision) for c in store.checkpoints(wb.id)] == [("kick-off", 1), ("after workshop 1", 2)]


def test_checkpoints_are_never_changed(store, wb):
    store.name_checkpoint(wb.id, "kick-off")
    with pytest.raises(sqlite3.IntegrityError, match="never changed"):
        store._db.conn.execute("UPDATE checkpoints SET name = 'x'")


def test_an_older_database_gains_the_side_tables_on_open(db_path):
    with Store(db_path) as s:
        s._db.conn.execute("DROP TABLE checkpoints")
        s._db.conn.execute("DROP TABLE edit_fields")
    with Store(db_path) as s:
        wb = s.create(base_model())
        assert s.name_checkpoint(wb.id, "kick-off").revision == 1


def test_side_tables_are_not_added_to_a_database_of_another_program(tmp_path):
    conn = sqlite3.connect(tmp_path / "other.db")
    conn.execute("CREATE TABLE orders (id INTEGER)")
    create_tables(conn)
    assert {r[0] for r in conn.execute("SELECT name FROM sqlite_master")} == {"orders"}


# -- folding --------------------------------------------------------------------------------------
def test_quick_clicks_on_one_field_by_one_person_read_as_one_line(store, wb):
    clicks(store, wb.id, [61, 62, 63, 64, 65])
    entries = store.folded_entries(wb.id)
    assert [(e.first, e.last) for e in entries] == [(2, 6), (1, 1)]
    assert entries[0].sentences == ["ICP weight 'Job role' 60 → 65 (5 quick edits)"]
    assert entries[0].author == "Dana Ortiz" and entries[0].folded == 5
    # the stored history keeps every click
    assert [r.number for r in store.history(wb.id)] == [6, 5, 4, 3, 2, 1]


def test_clicks_that_come_back_to_the_start_say_so(store, wb):
    clicks(store, wb.id, [61, 62, 61, 60])
    assert store.folded_entries(wb.id)[0].sentences == [
        "ICP weight 'Job role' changed and changed back (4 quick edits, no net change)"
    ]


def test_what_does_not_fold(store, wb):
    clicks(store, wb.id, [61, 62], author=None)  # nobody said who: never folded
    clicks(store, wb.id, [63], author="Sam")  # another person
    model = edited(store.head(wb.id).model, weight={"Employees": 41})  # another field
    store.commit(wb.id, base_revision=4, new_model=model, author="Sam")
    two = edited(store.head(wb.id).model, weight={"Employees": 42, "Job role": 64})  # two fields at once
    store.commit(wb.id, base_revision=5, new_model=two, author="Sam")
    assert all(e.folded == 1 for e in store.folded_entries(wb.id))
    [section] = store.readable_history(wb.id)
    assert section.people_text() == "Sam 3, Dana Ortiz 1, without a name 2"


def test_a_checkpoint_between_two_clicks_keeps_them_apart(store, wb):
    clicks(store, wb.id, [61, 62])
    store.name_checkpoint(wb.id, "after workshop 1")
    clicks(store, wb.id, [63, 64])
    assert [(e.first, e.last) for e in store.folded_entries(wb.id)] == [(4, 5), (2, 3), (1, 1)]


def test_a_merged_edit_does_not_fold(store, wb):
    clicks(store, wb.id, [61])
    # Dana's second click is made from revision 1 (she had not seen her own first save): merged.
    stale = edited(edited(base_model(), cell={"B2": "Qualify"}), weight={})
    store.commit(wb.id, base_revision=1, new_model=stale, author="Dana Ortiz")
    assert all(e.folded == 1 for e in store.folded_entries(wb.id))


def _info(n: int, at: datetime, author: str = "Dana", kind: str = "edit") -> RevisionInfo:
    return RevisionInfo(n, at, author, [f"change {n}"], kind)  # type: ignore[arg-type]


def test_clicks_further_apart_than_the_window_do_not_fold():
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    infos = [_info(1, t0, kind="create"), _info(2, t0), _info(3, t0 + FOLD_WINDOW), _info(4, t0 + 2 * FOLD_WINDOW
             + timedelta(seconds=1))]
    fields = {n: FieldEdit(n, ("profile", ("Job role", 0), "weight"), 59 + n, 60 + n) for n in (2, 3, 4)}
    entries = fold_history(infos, fields, set())
    assert [(e.first, e.last) for e in entries] == [(4, 4), (2, 3), (1, 1)]
    # a pinned revision (release candidate, checkpoint) closes a run
    assert [(e.first, e.last) for e in fold_history(infos, fields, {2})] == [(4, 4), (3, 3), (2, 2), (1, 1)]


# -- undo takes a folded run back at once ----------------------------------------------------------
def test_folded_undo_takes_back_the_whole_run_and_plain_undo_one_click(store, wb):
    clicks(store, wb.id, [61, 62, 63])
    single = store.undo(wb.id)
    assert single.summary == ["Undo: ICP weight 'Job role' 62 → 63"]
    assert store.head(wb.id).model.profile[0].weight == 62
    clicks(store, wb.id, [70, 71])  # a new run: 62 → 71 in revisions 6 and 7
    folded = store.undo(wb.id, fold=True, author="Dana Ortiz")
    assert folded.summary == ["Undo: ICP weight 'Job role' 62 → 71 (2 quick edits)"]
    assert store.head(wb.id).model.profile[0].weight == 62
    assert store.history(wb.id)[0].source_revision == 6
    # undo after undo steps past the whole run, then past the first undo's target…
    # (revision 5 undid 4; revisions 2 and 3 are a run of two clicks: back to revision 1)
    again = store.undo(wb.id, fold=True)
    assert again.summary == ["Undo: ICP weight 'Job role' 60 → 62 (2 quick edits)"]
    assert store.head(wb.id).model == base_model()


def test_folded_undo_of_an_ordinary_change_is_the_ordinary_undo(store, wb):
    store.commit(wb.id, base_revision=1, new_model=edited(base_model(), cell={"B2": "Qualify"}))
    result = store.undo(wb.id, fold=True)
    assert result.summary == ["Undo: Grid cell B2: Nurture → Qualify"]
    assert store.head(wb.id).model == base_model()


# -- sections by checkpoint and person -------------------------------------------------------------
def test_the_history_is_grouped_by_checkpoint_newest_first_with_who_did_what(store, wb):
    clicks(store, wb.id, [61, 62])
    store.name_checkpoint(wb.id, "after workshop 1")
    clicks(store, wb.id, [63], author="Sam")
    model = edited(store.head(wb.id).model, cell={"B2": "Qualify"})
    store.commit(wb.id, base_revision=4, new_model=model, author="Dana Ortiz")
    sections = store.readable_history(wb.id)
    assert [s.title for s in sections] == ["Since 'after workshop 1'", "Up to 'after workshop 1' (revision 3)"]
    assert [(s.first, s.last) for s in sections] == [(4, 5), (1, 3)]
    assert sections[0].people_text() == "Dana Ortiz 1, Sam 1"
    assert sections[1].people_text() == "Dana Ortiz"  # creation + one folded run: two lines
    assert len(sections[1].entries) == 2
    assert sections[1].checkpoint is not None and sections[1].checkpoint.name == "after workshop 1"


def test_without_checkpoints_there_is_one_section():
    t0 = datetime(2026, 3, 1, tzinfo=UTC)
    entries = fold_history([_info(1, t0, kind="create")], {}, set())
    [only] = history_sections(entries, [])
    assert (only.title, only.first, only.last) == ("All changes", 1, 1)


# -- change notes by checkpoint -----------------------------------------------------------------------
def test_change_notes_run_from_checkpoint_to_checkpoint_in_a_committees_words(store, wb):
    # both scenarios: RevOps head agrees (Send to sales), CFO + webinar is expected in Nurture
    store.name_checkpoint(wb.id, "kick-off")
    clicks(store, wb.id, [61, 62])
    store.name_checkpoint(wb.id, "after workshop 1")
    model = edited(store.head(wb.id).model, cell={"B2": "Qualify"})
    store.commit(wb.id, base_revision=3, new_model=model)
    notes = store.checkpoint_notes(wb.id)
    assert [n.title for n in notes] == [
        "From 'kick-off' to 'after workshop 1'",
        "From 'after workshop 1' to revision 4",
    ]
    assert notes[0].summary.startswith("Job role weight 60 → 62")
    assert notes[1].summary.startswith("Grid cell B2: Nurture → Qualify")
    assert store.checkpoint_notes(wb.id, upto=1) == []


def test_change_notes_say_how_many_scenarios_now_agree(store, wb):
    before = store.head(wb.id).model
    agreeing = sum(1 for r in evaluate_scenarios(before) if r.agrees)
    # make every scenario's estimate what the model says: they all agree now
    after = before.model_copy(deep=True)
    for scenario, result in zip(after.scenarios, evaluate_scenarios(before), strict=True):
        scenario.estimate.state = result.result.state
    store.commit(wb.id, base_revision=1, new_model=after)
    [note] = store.checkpoint_notes(wb.id)
    gained = len(after.scenarios) - agreeing
    assert gained > 0
    words = {1: "one scenario now agrees", 2: "two scenarios now agree"}[gained]
    assert note.summary.endswith(words)


# -- value templates -------------------------------------------------------------------------------------
def test_templates_are_kept_for_every_workbook_and_names_are_unique(store):
    recency = BUILT_IN[0]
    store.save_template(recency, author="Dana Ortiz")
    assert [t.name for t in store.templates()] == [recency.name]
    assert store.templates()[0].values == recency.values
    with pytest.raises(StoreError, match="already a template"):
        store.save_template(recency)
    store.save_template(ValueTemplate(recency.name, recency.values[:2]), replace=True)
    assert len(store.templates()[0].values) == 2
    with pytest.raises(StoreError, match="no values"):
        store.save_template(ValueTemplate("Empty", []))


def test_a_damaged_template_row_is_left_out(store):
    store._db.conn.execute(
        "INSERT INTO value_templates (name, items, at) VALUES ('Broken', '[{\"score\": 500}]', '2026-01-01')"
    )
    store.save_template(BUILT_IN[2])
    assert [t.name for t in store.templates()] == ["Yes / no"]


def test_an_older_read_only_database_still_opens_and_has_no_checkpoints(db_path):
    with Store(db_path) as s:
        wb = s.create(base_model())
        s._db.conn.execute("DROP TABLE checkpoints")
        s._db.conn.execute("DROP TABLE edit_fields")
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA query_only = ON")  # as a read-only file would be
    create_tables(conn)  # refused writes are no error here
    assert checkpoint_rows(conn, wb.id) == [] and edit_fields(conn, wb.id) == {}
    assert pinned_revisions(conn, wb.id) == set()
    conn.close()
