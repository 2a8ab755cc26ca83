"""AppTest: the History page — revisions in words, an old revision, restore, undo, compare."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import run
from workbook.engine import agreement, evaluate_scenarios
from workbook.files import dump_model
from workbook.model import ScoringModel
from workbook.ui.keys import StateKeys, page_key

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"
PAGE = "pages/history.py"


@pytest.fixture
def at(open_page) -> AppTest:
    return open_page(PAGE)


def wid(at: AppTest) -> str:
    return at.session_state[StateKeys.WORKBOOK]


def table(at: AppTest, key: str):
    """The frame of the read-only table the page shows under ``key`` (KeyError: not shown)."""
    return at.get_by_key(key).dataframe[0].value


def revisions_table(at: AppTest):
    return table(at, page_key("history", "revisions"))


def edit_grid_cell_on_thresholds_page(at: AppTest, grade: str, level: str, state: str) -> None:
    """Change one grid cell the way a participant does, on the Thresholds page, then come back."""
    at.switch_page("pages/thresholds.py")
    run(at)
    model = at.session_state[StateKeys.MODEL]
    at.session_state[f"grid@{at.session_state[StateKeys.REVISION]}"] = {
        "edited_rows": {model.grades.index(grade): {level: state}},
        "added_rows": [],
        "deleted_rows": [],
    }
    run(at)
    assert at.session_state[StateKeys.MODEL].matrix[grade + level] == state
    at.switch_page(PAGE)
    run(at)


def reweighted(model: ScoringModel, changes: dict[str, float]) -> ScoringModel:
    new = model.model_copy(deep=True)
    for attribute in new.profile:
        attribute.weight = changes.get(attribute.name, attribute.weight)
    return new


# --------------------------------------------------------------------------------------------
# The list of revisions
# --------------------------------------------------------------------------------------------
def test_the_list_says_who_changed_what_in_words(at, example):
    at.text_input(key=StateKeys.PARTICIPANT).set_value("Sam")
    run(at)
    old = example.matrix["C1"]
    assert old != "Send to sales"
    edit_grid_cell_on_thresholds_page(at, "C", "1", "Send to sales")
    table = revisions_table(at)
    assert list(table["Revision"]) == [2, 1], "newest first"
    newest = table.iloc[0]
    assert newest["Who"] == "Sam"
    assert newest["Kind"] == "Edit"
    assert newest["What changed"] == f"Grid cell C1: {old} → Send to sales"
    assert newest["When"].startswith("today ")
    first = table.iloc[1]
    assert first["Kind"] == "Created" and first["Who"] == "–"
    assert "Created workbook" in first["What changed"]


def test_a_long_history_is_shown_fifty_at_a_time(at, store, example):
    states = ["Send to sales", "Qualify"]
    for i in range(60):
        head = store.get(wid(at)).head_revision
        model = example.model_copy(deep=True)
        model.matrix["D4"] = states[i % 2]
        store.commit(wid(at), base_revision=head, new_model=model, author="Bot")
    run(at)
    assert len(revisions_table(at)) == 50
    assert list(revisions_table(at)["Revision"])[:2] == [61, 60]
    at.button(key=page_key("history", "show_more")).click()
    run(at)
    assert len(revisions_table(at)) == 61
    with pytest.raises(KeyError):
        at.button(key=page_key("history", "show_more"))


# --------------------------------------------------------------------------------------------
# One revision: look, restore, undo
# --------------------------------------------------------------------------------------------
def test_view_an_old_revision_with_its_scenario_agreement(at, example):
    edit_grid_cell_on_thresholds_page(at, "C", "1", "Send to sales")
    at.selectbox(key=page_key("history", "view")).select(1)
    run(at)
    assert any(c.value.strip() == dump_model(example).strip() for c in at.code), "revision 1 is shown"
    expected = agreement(evaluate_scenarios(example))
    now = agreement(evaluate_scenarios(at.session_state[StateKeys.MODEL]))
    metric = next(m for m in at.metric if m.label == "Scenario agreement at this revision")
    assert metric.value == f"{expected.agreeing} of {expected.with_estimate}"
    assert metric.proto.delta == f"now {now.agreeing} of {now.with_estimate}"
    scenarios = table(at, page_key("history", "revision_scenarios"))
    c1 = [r.name for r in evaluate_scenarios(example) if r.result.cell == "C1"]
    assert c1, "the example has a scenario in C1"
    assert set(scenarios.loc[scenarios["Scenario"].isin(c1), "State"]) == {example.matrix["C1"]}


def test_restore_an_old_revision_is_a_new_revision(at, store, example):
    edit_grid_cell_on_thresholds_page(at, "C", "1", "Send to sales")
    at.selectbox(key=page_key("history", "view")).select(1)
    run(at)
    at.button(key=page_key("history", "restore")).click()
    run(at)
    head = store.head(wid(at))
    assert head.number == 3 and head.kind == "restore"
    assert head.model == example
    assert head.summary[0] == "Restored revision 1"
    assert at.session_state[StateKeys.MODEL] == example, "the session shows the restored model"
    assert at.session_state[StateKeys.BASE] == 3
    assert list(revisions_table(at)["Revision"]) == [3, 2, 1]
    assert revisions_table(at).iloc[0]["Kind"] == "Restore of revision 1"


def test_restore_is_not_offered_for_the_current_revision(at):
    at.selectbox(key=page_key("history", "view")).select(1)
    run(at)
    assert at.button(key=page_key("history", "restore")).disabled


def test_undo_the_last_change(at, store, example):
    edit_grid_cell_on_thresholds_page(at, "C", "1", "Send to sales")
    assert any("Undo takes back revision 2: Grid cell C1" in c.value.replace("\\", "") for c in at.caption)
    at.button(key=page_key("history", "undo")).click()
    run(at)
    head = store.head(wid(at))
    assert (head.number, head.kind) == (3, "undo")
    assert head.model == example
    assert at.session_state[StateKeys.MODEL] == example
    assert revisions_table(at).iloc[0]["Kind"] == "Undo of revision 2"


def test_nothing_to_undo_in_a_new_workbook(at):
    assert at.button(key=page_key("history", "undo")).disabled


# --------------------------------------------------------------------------------------------
# Compare
# --------------------------------------------------------------------------------------------
def _moved_scenarios(before: ScoringModel, after: ScoringModel) -> dict[str, bool]:
    """Scenario → whether its state (not only its cell) changes; computed with the engine alone."""
    old = {r.name: (r.result.cell, r.result.state) for r in evaluate_scenarios(before)}
    new = {r.name: (r.result.cell, r.result.state) for r in evaluate_scenarios(after)}
    return {name: old[name][1] != new[name][1] for name in old if old[name] != new[name]}


def test_compare_two_revisions_shows_the_weights_and_the_scenarios_that_change_state(at, store, example):
    changed = reweighted(example, {"Job role": 45, "Employees": 5})
    expected = _moved_scenarios(example, changed)
    assert any(expected.values()), "the change must flip at least one scenario's state"
    store.commit(wid(at), base_revision=1, new_model=changed, author="Priya")
    run(at)
    assert at.selectbox(key=page_key("history", "to")).value == 2, "'To' follows the current revision"
    at.selectbox(key=page_key("history", "from")).select(1)
    at.selectbox(key=page_key("history", "to")).select(2)
    run(at)
    weights = table(at, page_key("history", "diff", "weight"))
    rows = {(w, b, a) for w, b, a in zip(weights["What"], weights["Before"], weights["After"], strict=True)}
    assert rows == {("ICP weight 'Job role'", "30", "45"), ("ICP weight 'Employees'", "20", "5")}
    with pytest.raises(KeyError):
        table(at, page_key("history", "diff", "cell"))  # no grid cell changed
    moved = table(at, page_key("history", "diff", "scenarios"))
    assert dict(zip(moved["Scenario"], moved["State changes"] == "yes", strict=True)) == expected
    before = {r.name: r.result for r in evaluate_scenarios(example)}
    after = {r.name: r.result for r in evaluate_scenarios(changed)}
    for _, row in moved.iterrows():
        assert row["Before"] == f"{before[row['Scenario']].state} ({before[row['Scenario']].cell})"
        assert row["After"] == f"{after[row['Scenario']].state} ({after[row['Scenario']].cell})"


def test_compare_a_revision_with_an_uploaded_file(at, example):
    theirs = example.model_copy(deep=True)
    theirs.matrix["A3"] = "Qualify"
    theirs.profile_grades[1].min = 55
    at.selectbox(key=page_key("history", "from")).select(1)
    at.selectbox(key=page_key("history", "to")).select("file")
    run(at)
    at.get_by_key(page_key("history", "compare_upload")).upload("theirs.yaml", dump_model(theirs).encode())
    run(at)
    cells = table(at, page_key("history", "diff", "cell"))
    assert list(zip(cells["What"], cells["Before"], cells["After"], strict=True)) == [
        ("Grid cell A3", example.matrix["A3"], "Qualify")
    ]
    thresholds = table(at, page_key("history", "diff", "threshold"))
    assert list(thresholds["Before"]) == ["50"] and list(thresholds["After"]) == ["55"]
    assert at.session_state[StateKeys.MODEL] == example, "comparing changes nothing"


def test_an_unreadable_file_cannot_be_compared(at):
    at.selectbox(key=page_key("history", "to")).select("file")
    run(at)
    at.get_by_key(page_key("history", "compare_upload")).upload("x.yaml", b"name: [unclosed")
    run(at)
    assert any("cannot be compared" in e.proto.title for e in at.error)


def test_who_and_identified_by_explain_how_people_are_identified_now(at):
    """The help of History's "Who" names the three ways people are known (sign-in, invite link,
    a typed name on an open workbook), not the sidebar name alone of before access control."""
    import json

    frame = at.get_by_key(page_key("history", "revisions")).dataframe[0]
    columns = json.loads(frame.proto.columns)
    who, how = columns["Who"]["help"], columns["Identified by"]["help"]
    for words in ("sign-in", "invite link", "typed", "open to everyone"):
        assert words in who, (words, who)
    assert "participant gave" not in who
    assert "invite link" in how and "signed in" in how
