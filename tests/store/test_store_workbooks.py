"""The store's file, workbooks and revisions: one test per promise of the API."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import pytest
from store_models import base_model, edited

from workbook import store as store_module
from workbook.files import load_model_text
from workbook.store import DB_ENV, InvalidModelError, Store, StoreError, default_db_path

REPO = Path(__file__).resolve().parents[2]


# -- the file ------------------------------------------------------------------------------------
def test_default_path_is_under_the_repos_data_folder(monkeypatch):
    monkeypatch.delenv(DB_ENV, raising=False)
    assert default_db_path() == REPO / "data" / "workbooks.db"


def test_env_variable_sets_the_file(monkeypatch, tmp_path):
    monkeypatch.setenv(DB_ENV, str(tmp_path / "elsewhere" / "w.db"))
    assert default_db_path() == tmp_path / "elsewhere" / "w.db"
    with Store() as s:
        assert s.path == tmp_path / "elsewhere" / "w.db"
    assert (tmp_path / "elsewhere" / "w.db").is_file()


def test_first_run_creates_folder_schema_wal(db_path):
    assert not db_path.parent.exists()
    with Store(db_path):
        pass
    conn = sqlite3.connect(db_path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("PRAGMA user_version").fetchone()[0] == store_module.STORE_SCHEMA
    tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert {"workbooks", "revisions", "release_candidates", "reviews"} <= tables


def test_connection_is_durable(store):
    assert store._db.conn.execute("PRAGMA synchronous").fetchone()[0] == 2  # FULL
    assert store._db.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000


def test_reopening_finds_everything(db_path):
    with Store(db_path) as s:
        info = s.create(base_model(), author="Dana")
        s.commit(info.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 55}))
    with Store(db_path) as s:
        assert s.get(info.id).head_revision == 2
        assert s.head(info.id).model.profile[0].weight == 55


def test_newer_store_schema_is_refused(db_path):
    Store(db_path).close()
    conn = sqlite3.connect(db_path)
    conn.execute("PRAGMA user_version = 99")
    conn.close()
    with pytest.raises(StoreError, match="newer version"):
        Store(db_path)


def test_another_programs_database_is_refused(db_path):
    db_path.parent.mkdir(parents=True)
    conn = sqlite3.connect(db_path)
    conn.execute("CREATE TABLE customers (id)")
    conn.close()
    with pytest.raises(StoreError, match="another program"):
        Store(db_path)


def test_a_file_that_is_not_a_database_gives_a_clear_message(db_path):
    db_path.parent.mkdir(parents=True)
    db_path.write_bytes(b"this is not sqlite " * 100)
    with pytest.raises(StoreError, match="damaged or not a database"):
        Store(db_path)


def test_a_folder_in_place_of_the_file_gives_a_clear_message(db_path):
    db_path.mkdir(parents=True)
    with pytest.raises(StoreError, match="is a folder"):
        Store(db_path)


# -- workbooks -------------------------------------------------------------------------------
def test_create_blank_example_upload(store):
    blank = store.create(base_model(), author="Dana")
    example = store.create(base_model(), source="example:sales_automation.yaml")
    upload = store.create(base_model(), source="upload")
    assert blank.head_revision == 1 and not blank.archived and blank.name == "Workshop model"
    assert len({blank.id, example.id, upload.id}) == 3
    assert all(len(i.id) == 8 for i in (blank, example, upload))
    assert store.history(example.id)[0].summary == [
        "Created workbook 'Workshop model' from the example sales_automation.yaml"
    ]
    assert store.history(upload.id)[0].summary == ["Created workbook 'Workshop model' from an uploaded file"]
    first = store.history(blank.id)[0]
    assert (first.number, first.kind, first.author) == (1, "create", "Dana")
    assert store.head(blank.id).model == base_model()


def test_create_from_uploaded_yaml_text(store):
    yaml_text = (REPO / "scenarios" / "sales_automation.yaml").read_text()
    model = load_model_text(yaml_text).model
    info = store.create(model, source="upload")
    assert store.head(info.id).model == model


def test_create_refuses_unknown_source(store):
    with pytest.raises(StoreError, match="unknown workbook source"):
        store.create(base_model(), source="ftp")


def test_invalid_upload_is_rejected_whole(store):
    data = base_model().model_dump(mode="json")
    data["profile"][0]["weight"] = "heavy"
    data["typo_key"] = 1
    with pytest.raises(InvalidModelError) as err:
        store.create(data, source="upload")
    assert {p.location for p in err.value.problems} == {"profile[0].weight", "typo_key"}
    assert "profile[0].weight: must be a number" in str(err.value)
    assert store.list(include_archived=True) == []


def test_list_get_and_unknown_workbook(store):
    a = store.create(base_model())
    b = store.create(edited(base_model(), description="second"))
    store.commit(a.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 50}))
    assert [i.id for i in store.list()] == [a.id, b.id]  # most recently changed first
    assert store.get(a.id).head_revision == 2
    with pytest.raises(StoreError, match="no workbook with id 'nope'"):
        store.get("nope")
    with pytest.raises(StoreError, match="no workbook"):
        store.head("nope")


def test_rename_is_a_revision(store, wb):
    result = store.rename(wb.id, "  FY27 model ", author="Sam")
    assert result.revision == 2 and result.stored
    assert result.summary == ["Renamed workbook 'Workshop model' → 'FY27 model'"]
    assert store.get(wb.id).name == "FY27 model"
    assert store.head(wb.id).model.name == "FY27 model"
    top = store.history(wb.id)[0]
    assert (top.kind, top.author) == ("rename", "Sam")
    assert not store.rename(wb.id, "FY27 model").stored  # same name: no empty revision
    with pytest.raises(StoreError, match="needs a name"):
        store.rename(wb.id, "   ")


def test_duplicate_starts_a_new_workbook_from_the_head(store, wb):
    store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 50}))
    copy = store.duplicate(wb.id, "Copy for EMEA", author="Priya")
    assert copy.id != wb.id and copy.name == "Copy for EMEA" and copy.head_revision == 1
    assert copy.source == f"duplicate:{wb.id}@2"
    model = store.head(copy.id).model
    assert model.name == "Copy for EMEA" and model.profile[0].weight == 50
    assert store.history(copy.id)[0].summary == ["Duplicated from 'Workshop model' (revision 2)"]
    assert store.get(wb.id).head_revision == 2  # the original is untouched


def test_archive_hides_but_never_deletes(store, wb):
    other = store.create(base_model())
    assert store.archive(wb.id).archived
    assert [i.id for i in store.list()] == [other.id]
    assert {i.id for i in store.list(include_archived=True)} == {wb.id, other.id}
    assert store.head(wb.id).number == 1  # still readable
    assert not store.unarchive(wb.id).archived
    assert {i.id for i in store.list()} == {wb.id, other.id}
    assert not hasattr(store, "delete")


def test_the_database_refuses_deletes_and_rewrites_of_history(store, wb):
    for statement in (
        "DELETE FROM revisions",
        "UPDATE revisions SET model = '{}'",
        "DELETE FROM workbooks",
    ):
        with pytest.raises(sqlite3.IntegrityError):
            store._db.conn.execute(statement)
    assert store.head(wb.id).model == base_model()


# -- revisions -----------------------------------------------------------------------------------
def test_commit_history_head_and_model_at(store, wb):
    before = datetime.now(UTC)
    r2 = store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 65}), author="Sam")
    r3 = store.commit(wb.id, base_revision=2, new_model=edited(r2.model, cell={"B2": "Qualify"}))
    assert (r2.revision, r3.revision) == (2, 3)
    assert r2.summary == ["ICP weight 'Job role' 60 → 65"]
    assert r3.summary == ["Grid cell B2: Nurture → Qualify"]
    head = store.head(wb.id)
    assert head.number == 3 and head.model == r3.model and head.summary == r3.summary
    assert head.at >= before and head.at.tzinfo is not None and head.author is None
    assert store.model_at(wb.id, 2).profile[0].weight == 65
    assert store.model_at(wb.id, 2).matrix["B2"] == "Nurture"
    assert store.model_at(wb.id, 1) == base_model()
    history = store.history(wb.id)
    assert [r.number for r in history] == [3, 2, 1]
    assert [r.kind for r in history] == ["edit", "edit", "create"]
    assert history[1].author == "Sam" and history[1].summary == ["ICP weight 'Job role' 60 → 65"]
    assert [r.number for r in store.history(wb.id, limit=2)] == [3, 2]
    with pytest.raises(StoreError, match="has no revision 9"):
        store.model_at(wb.id, 9)


def test_commit_of_an_unchanged_model_stores_nothing(store, wb):
    result = store.commit(wb.id, base_revision=1, new_model=base_model())
    assert (result.revision, result.stored, result.summary) == (1, False, [])
    assert store.get(wb.id).head_revision == 1


def test_commit_needs_an_existing_base_revision(store, wb):
    for base in (0, 2):
        with pytest.raises(StoreError, match=f"no revision {base}"):
            store.commit(wb.id, base_revision=base, new_model=edited(base_model(), weight={"Job role": 1}))


def test_commit_does_not_keep_a_reference_to_the_callers_model(store, wb):
    mine = edited(base_model(), weight={"Job role": 65})
    result = store.commit(wb.id, base_revision=1, new_model=mine)
    mine.profile[0].weight = 1  # the session goes on editing its object
    assert result.model.profile[0].weight == 65
    assert store.head(wb.id).model.profile[0].weight == 65


def test_invalid_model_is_rejected_and_nothing_written(store, wb):
    broken = base_model()
    broken.profile[0].weight = "heavy"  # pydantic does not check assignments
    with pytest.raises(InvalidModelError, match=r"profile\[0\]\.weight: must be a number"):
        store.commit(wb.id, base_revision=1, new_model=broken)
    broken = base_model()
    broken.profile[0].weight = float("nan")
    with pytest.raises(InvalidModelError):
        store.commit(wb.id, base_revision=1, new_model=broken)
    with pytest.raises(InvalidModelError, match="expected a scoring model"):
        store.commit(wb.id, base_revision=1, new_model="profile: []")  # type: ignore[arg-type]
    assert store.get(wb.id).head_revision == 1
    assert len(store.history(wb.id)) == 1


def test_a_semantically_invalid_draft_is_stored(store, wb):
    draft = edited(base_model(), weight={"Job role": 99})  # weights add up to 139
    assert store.commit(wb.id, base_revision=1, new_model=draft).stored
    assert store.head(wb.id).model.profile[0].weight == 99


def test_commit_accepts_plain_data(store, wb):
    data = edited(base_model(), weight={"Job role": 65}).model_dump(mode="json")
    assert store.commit(wb.id, base_revision=1, new_model=data).revision == 2


def test_a_failed_write_rolls_back_whole(store, wb, monkeypatch):
    real_append = Store._append

    def append_then_fail(self, conn, *args, **kwargs):
        real_append(self, conn, *args, **kwargs)
        raise sqlite3.OperationalError("disk I/O error")

    monkeypatch.setattr(Store, "_append", append_then_fail)
    with pytest.raises(StoreError, match="disk I/O error"):
        store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 65}))
    monkeypatch.undo()
    assert store.get(wb.id).head_revision == 1
    assert [r.number for r in store.history(wb.id)] == [1]
    assert store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 66})).revision == 2


# -- undo and restore ------------------------------------------------------------------------------
def test_undo_steps_back_one_change_at_a_time(store, wb):
    m2 = edited(base_model(), weight={"Job role": 65})
    store.commit(wb.id, base_revision=1, new_model=m2)
    m3 = edited(m2, cell={"B2": "Qualify"})
    store.commit(wb.id, base_revision=2, new_model=m3)
    u1 = store.undo(wb.id, author="Sam")
    assert u1.revision == 4 and u1.summary == ["Undo: Grid cell B2: Nurture → Qualify"]
    assert store.head(wb.id).model == m2
    u2 = store.undo(wb.id)
    assert u2.revision == 5 and u2.summary == ["Undo: ICP weight 'Job role' 60 → 65"]
    assert store.head(wb.id).model == base_model()
    with pytest.raises(StoreError, match="nothing to undo"):
        store.undo(wb.id)
    top = store.history(wb.id)[0]
    assert (top.kind, top.source_revision) == ("undo", 2)
    # an edit after undos is a change like any other: undo takes it back
    m6 = edited(base_model(), grade_min={"B": 55})
    store.commit(wb.id, base_revision=5, new_model=m6)
    store.undo(wb.id)
    assert store.head(wb.id).model == base_model()


def test_undo_after_an_undo_and_a_new_edit_never_brings_back_what_was_undone(store, wb):
    # edit A, edit B, undo (B), edit C, undo (C), undo → takes back A; B stays undone.
    a = edited(base_model(), weight={"Job role": 65})
    store.commit(wb.id, base_revision=1, new_model=a)
    b = edited(a, cell={"B2": "Qualify"})
    store.commit(wb.id, base_revision=2, new_model=b)
    store.undo(wb.id)
    assert store.head(wb.id).model == a
    c = edited(a, grade_min={"B": 55})
    store.commit(wb.id, base_revision=4, new_model=c)
    store.undo(wb.id)
    assert store.head(wb.id).model == a
    third = store.undo(wb.id)
    assert store.head(wb.id).model == base_model()
    assert third.summary == ["Undo: ICP weight 'Job role' 60 → 65"]
    with pytest.raises(StoreError, match="nothing to undo"):
        store.undo(wb.id)


def test_undo_of_the_first_revision_is_refused(store, wb):
    with pytest.raises(StoreError, match="nothing to undo"):
        store.undo(wb.id)


def test_undo_with_expected_head_refuses_to_undo_someone_elses_change(store, wb):
    store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 65}))
    with pytest.raises(StoreError, match="changed since you last looked"):
        store.undo(wb.id, expected_head=1)
    assert store.undo(wb.id, expected_head=2).revision == 3


def test_restore_is_a_new_revision(store, wb):
    store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 65}))
    store.commit(wb.id, base_revision=2, new_model=edited(base_model(), weight={"Job role": 70}))
    result = store.restore(wb.id, 1, author="Dana")
    assert result.revision == 4
    assert result.summary == ["Restored revision 1", "ICP weight 'Job role' 70 → 60"]
    assert store.head(wb.id).model == base_model()
    top = store.history(wb.id)[0]
    assert (top.kind, top.source_revision, top.author) == ("restore", 1, "Dana")
    assert not store.restore(wb.id, 4).stored  # already the head: nothing to store
    with pytest.raises(StoreError, match="no revision 12"):
        store.restore(wb.id, 12)
    # undo of a restore goes back to before the restore
    store.undo(wb.id)
    assert store.head(wb.id).model.profile[0].weight == 70


def test_revision_gives_any_revision_with_its_record(store, wb):
    store.rename(wb.id, "Renamed", author="Sam")
    first, second = store.revision(wb.id, 1), store.revision(wb.id, 2)
    assert (first.kind, first.author, first.model) == ("create", "Dana Ortiz", base_model())
    assert (second.kind, second.author, second.summary) == (
        "rename",
        "Sam",
        ["Renamed workbook 'Workshop model' → 'Renamed'"],
    )
    copy = store.duplicate(wb.id, "Copy")
    assert store.revision(copy.id, 1).kind == "duplicate"


def test_mutating_a_returned_model_changes_nothing_stored(store, wb):
    result = store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 65}))
    result.model.profile[0].weight = 1  # the session keeps the returned model and edits it in place
    result.model.matrix["A1"] = "Ignore"
    head = store.head(wb.id)
    head.model.profile[0].values.clear()
    assert store.head(wb.id).model == edited(base_model(), weight={"Job role": 65})
    # the next commit compares against the stored head, not the mutated objects
    again = store.commit(wb.id, base_revision=2, new_model=result.model)
    assert again.summary == ["Grid cell A1: Send to sales → Ignore", "ICP weight 'Job role' 65 → 1"]


def test_int_values_set_in_place_are_stored_as_numbers(store, wb):
    model = base_model()
    model.profile[0].weight = 65  # an int where the model holds floats: no empty or odd revision
    result = store.commit(wb.id, base_revision=1, new_model=model)
    assert result.summary == ["ICP weight 'Job role' 60 → 65"]
    assert not store.commit(wb.id, base_revision=2, new_model=model).stored


def test_undo_and_restore_record_who_and_bring_the_name_back(store, wb):
    first_name = store.head(wb.id).model.name
    store.rename(wb.id, "Renamed", author="Sam")
    undone = store.undo(wb.id, author="Dana")
    assert store.get(wb.id).name == first_name == undone.model.name
    top = store.history(wb.id)[0]
    assert (top.number, top.kind, top.author, top.source_revision) == (3, "undo", "Dana", 2)
    restored = store.restore(wb.id, 2, author="Ali")
    assert store.get(wb.id).name == "Renamed" == restored.model.name
    assert store.get(wb.id).head_revision == restored.revision == 4
    top = store.history(wb.id)[0]
    assert (top.kind, top.author, top.source_revision) == ("restore", "Ali", 2)
