"""AppTest: checkpoints on the History page — name a moment, the history by checkpoint and person
with quick clicks folded, restore or compare a checkpoint; undo of a folded run; the Review page's
change notes by checkpoint."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import run
from workbook.model import ScoringModel
from workbook.store.access import Access
from workbook.ui.history_checkpoints import NAME
from workbook.ui.history_compare import FROM, TO
from workbook.ui.keys import StateKeys, page_key

PAGE = "pages/history.py"


@pytest.fixture
def at(open_page) -> AppTest:
    return open_page(PAGE)


def wid(at: AppTest) -> str:
    return at.session_state[StateKeys.WORKBOOK]


def weighted(model: ScoringModel, weight: float) -> ScoringModel:
    new = model.model_copy(deep=True)
    new.profile[0].weight = weight
    return new


def clicks(store, workbook_id: str, weights: list[float], author: str = "Dana") -> None:
    for w in weights:
        head = store.head(workbook_id)
        store.commit(workbook_id, base_revision=head.number, new_model=weighted(head.model, w), author=author)


def name_checkpoint(at: AppTest, name: str) -> None:
    at.text_input(key=NAME).input(name)
    at.button(key=page_key("history", "checkpoint_save")).click()
    run(at)


def section_frame(at: AppTest, index: int):
    return at.get_by_key(page_key("history", "section", index)).dataframe[0].value


def test_name_a_moment_and_read_the_history_by_checkpoint(at, store, example):
    name_checkpoint(at, "kick-off")
    assert [(c.name, c.revision) for c in store.checkpoints(wid(at))] == [("kick-off", 1)]
    assert at.text_input(key=NAME).value == ""
    base = example.profile[0].weight
    clicks(store, wid(at), [base + 1, base + 2, base + 3])
    run(at)
    labels = [e.label.replace("\\", "") for e in at.expander]
    assert labels[0] == "Since 'kick-off' · 1 change by Dana"
    assert labels[1] == "Up to 'kick-off' (revision 1) · 1 change by someone without a name"
    frame = section_frame(at, 0)
    name = example.profile[0].name
    assert list(frame["Revisions"]) == ["2–4"]
    assert list(frame["What changed"]) == [f"ICP weight '{name}' {base:g} → {base + 3:g} (3 quick edits)"]
    # the undo caption and the undo itself take back the whole run
    assert any("Undo takes back revisions 2–4" in c.value for c in at.caption)
    at.button(key=page_key("history", "undo")).click()
    run(at)
    assert at.session_state[StateKeys.MODEL] == example
    assert store.head(wid(at)).summary == [f"Undo: ICP weight '{name}' {base:g} → {base + 3:g} (3 quick edits)"]


def test_a_name_used_twice_is_refused_in_words(at, store):
    name_checkpoint(at, "after workshop 1")
    name_checkpoint(at, "after workshop 1")
    assert len(store.checkpoints(wid(at))) == 1
    assert any("already a checkpoint named" in e.value for e in at.error)


def test_restore_a_checkpoint(at, store, example):
    name_checkpoint(at, "kick-off")
    clicks(store, wid(at), [example.profile[0].weight + 10])
    run(at)
    at.button(key=page_key("history", "checkpoint_restore", 1)).click()
    run(at)
    head = store.head(wid(at))
    assert head.kind == "restore" and head.model == example
    assert at.session_state[StateKeys.MODEL] == example
    assert any("Restored the checkpoint 'kick" in t.value and "as revision 3" in t.value for t in at.toast)


def test_compare_a_checkpoint_with_now(at, store, example):
    name_checkpoint(at, "kick-off")
    clicks(store, wid(at), [example.profile[0].weight + 10])
    run(at)
    at.button(key=page_key("history", "checkpoint_compare", 1)).click()
    run(at)
    assert (at.session_state[FROM], at.session_state[TO]) == (1, 2)
    frame = at.get_by_key(page_key("history", "diff", "weight")).dataframe[0].value
    assert list(frame["What"]) == [f"ICP weight '{example.profile[0].name}'"]
    # the pickers name the checkpoint
    assert at.selectbox(key=FROM).value == 1
    assert "Checkpoint 'kick-off'" in at.selectbox(key=FROM).format_func(1)


def test_the_review_page_summarises_by_checkpoint(at, store, example):
    name_checkpoint(at, "kick-off")
    clicks(store, wid(at), [example.profile[0].weight + 5])
    store.name_checkpoint(wid(at), "after workshop 1")
    store.mark_release_candidate(wid(at), 2)
    at.switch_page("pages/review.py")
    run(at)
    notes = at.get_by_key(page_key("review", "checkpoint_notes"))
    said = [t.value for t in notes.text]
    name = example.profile[0].name
    weight = example.profile[0].weight
    assert said and said[0].startswith(f"{name} weight {weight:g} → {weight + 5:g}")
    titles = [m.value for m in notes.markdown]
    assert titles and "kick" in titles[0] and "after workshop 1" in titles[0]


def test_only_one_persons_changes(at, store, example):
    base = example.profile[0].weight
    clicks(store, wid(at), [base + 1], author="Dana")
    model = store.head(wid(at)).model.model_copy(deep=True)
    model.matrix["D4"] = "Nurture" if model.matrix["D4"] != "Nurture" else "Ignore"
    store.commit(wid(at), base_revision=2, new_model=model, author="Sam")
    run(at)
    pills = at.get_by_key(page_key("history", "people"))
    assert list(pills.options) == ["Dana", "Sam", "without a name"]
    assert list(section_frame(at, 0)["Who"]) == ["Sam", "Dana", "–"]
    pills.set_value(["Sam"])
    run(at)
    assert list(section_frame(at, 0)["Who"]) == ["Sam"]


def test_the_people_chosen_follow_the_open_workbook(at, store, example):
    clicks(store, wid(at), [example.profile[0].weight + 1], author="Dana")
    run(at)
    at.get_by_key(page_key("history", "people")).set_value(["Dana"])
    run(at)
    other = store.create(example, author="Lee", source="upload")
    at.switch_page("pages/workbooks.py")
    run(at)
    at.button(key=page_key("workbooks", "open", other.id)).click()
    run(at)
    at.switch_page(PAGE)
    run(at)
    pills = at.get_by_key(page_key("history", "people"))
    assert list(pills.options) == ["Lee"] and not pills.value
    assert list(section_frame(at, 0)["Who"]) == ["Lee"]


# -- renaming a checkpoint ---------------------------------------------------------------------------
def rename(at: AppTest, first_name: str, new_name: str) -> None:
    at.text_input(key=page_key("history", "rename_name", first_name)).input(new_name)
    at.button(key=page_key("history", "rename", first_name)).click()
    run(at)


def test_the_facilitator_renames_a_checkpoint_and_the_history_says_who_and_when(at, store):
    at.session_state[StateKeys.PARTICIPANT] = "Dana Ortiz"
    name_checkpoint(at, "kick-off")
    rename(at, "kick-off", "start of workshop 1")
    [mark] = store.checkpoints(wid(at))
    assert (mark.name, mark.revision) == ("start of workshop 1", 1)
    labels = [e.label.replace("\\", "") for e in at.expander]
    assert labels[0].startswith("Up to 'start of workshop 1' (revision 1)")
    said = "\n".join(c.value.replace("\\", "") for c in at.caption)
    assert "Renamed from 'kick-off' to 'start of workshop 1' by Dana Ortiz" in said
    # renamed again: the widgets stay the checkpoint's (keyed by its first name)
    rename(at, "kick-off", "start of workshop 1")
    assert "Not renamed: the checkpoint is already named" in "\n".join(e.value.replace("\\", "") for e in at.error)


def test_who_may_not_set_checkpoints_may_not_rename_them(at, store):
    name_checkpoint(at, "kick-off")
    Access(store).claim(wid(at), "Dana Ortiz")  # the plain address is read-only from now on
    run(at)
    rename(at, "kick-off", "start")
    assert [c.name for c in store.checkpoints(wid(at))] == ["kick-off"]
    shown = "\n".join(e.value for e in at.error)
    assert "Not renamed" in shown, shown
