"""The exported model file's change notes: by checkpoint, in the words of the Review tab."""

from __future__ import annotations

from store_models import edited

from workbook.export.yaml import final_text
from workbook.files import load_model_text
from workbook.store import Store


def _workshop(store: Store, wb_id: str) -> None:
    """kick-off (1) → two weight clicks → 'after workshop 1' (3) → a grid cell (4)."""
    store.name_checkpoint(wb_id, "kick-off")
    model = store.head(wb_id).model
    for number, weight in ((1, 61), (2, 62)):
        model = edited(model, weight={"Job role": weight})
        store.commit(wb_id, base_revision=number, new_model=model, author="Dana Ortiz")
    store.name_checkpoint(wb_id, "after workshop 1")
    model = edited(model, cell={"B2": "Qualify"})
    store.commit(wb_id, base_revision=3, new_model=model, author="Sam")


def test_the_exported_file_carries_the_review_tabs_notes_by_checkpoint(store, wb):
    _workshop(store, wb.id)
    exported = load_model_text(final_text(store.final_export_model(wb.id))).model
    review = store.checkpoint_notes(wb.id)  # what the Review tab shows
    assert len(review) == 2
    notes = exported.metadata.changes
    assert [n.summary for n in notes] == [f"{r.title}: {r.summary}" for r in review]
    assert notes[0].summary.startswith("From 'kick-off' to 'after workshop 1': Job role weight 60 → 62")
    assert notes[1].summary.startswith("From 'after workshop 1' to revision 4: Grid cell B2: Nurture → Qualify")
    assert [n.revision for n in notes] == [3, 4]
    history = {r.number: r.at for r in store.history(wb.id)}
    assert [n.at for n in notes] == [history[3], history[4]]


def test_an_export_of_an_earlier_revision_stops_at_it(store, wb):
    _workshop(store, wb.id)
    notes = store.final_export_model(wb.id, 3).metadata.changes
    assert [n.summary.split(":")[0] for n in notes] == ["From 'kick-off' to 'after workshop 1'"]


def test_a_renamed_checkpoint_is_exported_under_its_new_name(store, wb):
    _workshop(store, wb.id)
    store.rename_checkpoint(wb.id, "after workshop 1", "after the pricing session")
    notes = store.final_export_model(wb.id).metadata.changes
    assert notes[0].summary.startswith("From 'kick-off' to 'after the pricing session':")


def test_without_checkpoints_the_file_keeps_each_revisions_note(store, wb):
    model = edited(store.head(wb.id).model, weight={"Job role": 61})
    store.commit(wb.id, base_revision=1, new_model=model, author="Dana Ortiz")
    notes = store.final_export_model(wb.id).metadata.changes
    assert [n.revision for n in notes] == [1, 2] and notes[1].author == "Dana Ortiz"
    assert notes[1].summary == "ICP weight 'Job role' 60 → 61"
