"""AppTest: the Thresholds page — bands, states, the grid, knockout state and missing policy."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from workbook.engine import evaluate_scenarios
from workbook.files import load_model_file
from workbook.ui.help import HELP
from workbook.ui.keys import StateKeys

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"


@pytest.fixture
def at(open_page) -> AppTest:
    return open_page("pages/thresholds.py")


def model_of(at: AppTest):
    return at.session_state[StateKeys.MODEL]


def rev(at: AppTest) -> int:
    return at.session_state[StateKeys.REVISION]


def edit(at: AppTest, name: str, *, edited=None, added=None, deleted=None) -> None:
    at.session_state[f"{name}@{rev(at)}"] = {
        "edited_rows": edited or {},
        "added_rows": added or [],
        "deleted_rows": deleted or [],
    }
    at.run()
    assert not at.exception


def test_page_shows_the_four_editors_and_the_heatmap(at):
    keys = {e.key for e in at.data_editor}
    assert {f"{n}@{rev(at)}" for n in ("grades", "levels", "states", "grid")} <= keys
    assert at.get("plotly_chart"), "the grid heatmap is shown"


@pytest.mark.parametrize(
    ("name", "label", "min_label", "help_key"),
    [("grades", "Grade", "Minimum profile %", "thresholds.grade"),
     ("levels", "Level", "Minimum engagement %", "thresholds.level")],
)
def test_each_band_editor_has_its_own_labels_and_help(at, name, label, min_label, help_key):
    (editor,) = [e for e in at.data_editor if e.key == f"{name}@{rev(at)}"]
    columns = json.loads(editor.proto.columns)
    assert (columns["name"]["label"], columns["name"]["help"]) == (label, HELP[help_key])
    assert (columns["min"]["label"], columns["min"]["help"]) == (min_label, HELP[help_key + "_min"])


def test_the_level_editor_edits_levels_and_leaves_grades(at):
    before = model_of(at)
    edit(at, "levels", edited={1: {"min": before.engagement_levels[1].min + 1}})
    after = model_of(at)
    assert after.engagement_levels[1].min == before.engagement_levels[1].min + 1
    assert after.profile_grades == before.profile_grades


def test_raising_a_grade_threshold_moves_scenarios_and_shows_everywhere(at):
    before = load_model_file(EXAMPLE).model
    edit(at, "grades", edited={1: {"min": 60}})  # grade B: 50 → 60
    model = model_of(at)
    assert [b.min for b in model.profile_grades] == [before.profile_grades[0].min, 60, *[
        b.min for b in before.profile_grades[2:]]]
    # The sidebar and every page read the same new model: the results are the engine's on it.
    expected = before.model_copy(deep=True)
    expected.profile_grades[1].min = 60
    assert [r.result.cell for r in evaluate_scenarios(model)] == [r.result.cell for r in evaluate_scenarios(expected)]
    assert rev(at) > 1


def test_a_threshold_above_the_band_above_is_refused(at):
    before = model_of(at)
    edit(at, "grades", edited={1: {"min": 90}})  # B above A (75)
    assert model_of(at) == before
    assert any("must be lower than" in e.value for e in at.error)


def test_the_last_band_always_has_min_zero(at):
    edit(at, "levels", edited={3: {"min": 5}})
    assert model_of(at).engagement_levels[-1].min == 0


def test_adding_a_grade_copies_the_cells_of_the_band_above(at):
    edit(at, "grades", added=[{"name": "E", "min": 0}], edited={3: {"min": 10}})
    model = model_of(at)
    assert model.grades == ["A", "B", "C", "D", "E"]
    for level in model.levels:
        assert model.matrix["E" + level] == model.matrix["D" + level]


def test_renaming_a_state_follows_into_grid_and_estimates(at):
    before = model_of(at)
    idx = before.state_names.index("Qualify")
    edit(at, "states", edited={idx: {"name": "SDR qualifies"}})
    model = model_of(at)
    assert "Qualify" not in model.matrix.values()
    assert {c for c, s in model.matrix.items() if s == "SDR qualifies"} == {
        c for c, s in before.matrix.items() if s == "Qualify"}
    old_estimates = [s.estimate.state for s in before.scenarios if s.estimate]
    new_estimates = [s.estimate.state for s in model.scenarios if s.estimate]
    assert new_estimates == ["SDR qualifies" if e == "Qualify" else e for e in old_estimates]


def test_changing_a_grid_cell(at):
    model = model_of(at)
    row = model.grades.index("C")
    edit(at, "grid", edited={row: {"1": "Send to sales"}})
    assert model_of(at).matrix["C1"] == "Send to sales"


def test_duplicate_state_names_are_refused(at):
    before = model_of(at)
    edit(at, "states", edited={1: {"name": before.states[0].name}})
    assert model_of(at) == before
    assert any("unique" in e.value for e in at.error)


def test_knockout_state_and_missing_policy(at):
    at.selectbox(key=f"knockout_state@{rev(at)}").select("Nurture").run()
    assert not at.exception
    assert model_of(at).knockout_state == "Nurture"
    at.get_by_key(f"missing@{rev(at)}").set_value("neutral").run()
    assert not at.exception
    assert model_of(at).missing == "neutral"


def test_user_text_is_not_rendered_as_markup(at):
    edit(at, "states", edited={3: {"name": "**Ignore** <img src=x onerror=alert(1)>"}})
    assert not at.exception
    # The sidebar and page show the name through escaping; nothing renders it as markup.
    texts = [m.value for m in at.markdown] + [c.value for c in at.caption]
    assert not any("<img" in t and "\\<img" not in t for t in texts)


def _someone_else_saves(at, change) -> int:
    """Another participant saves a change to the open workbook through the store."""
    from workbook.ui.actions import _store as get_store  # the test's store is the app's (same WORKBOOK_DB)

    store = get_store()
    workbook_id = at.session_state[StateKeys.WORKBOOK]
    head = store.head(workbook_id)
    model = head.model.model_copy(deep=True)
    change(model)
    return store.commit(workbook_id, base_revision=head.number, new_model=model, author="Sam").revision


def test_an_edit_made_after_someone_elses_change_is_merged_not_lost(at):
    seen = rev(at)
    _someone_else_saves(at, lambda m: m.matrix.__setitem__("D4", "Nurture"))
    at.selectbox(key=f"knockout_state@{seen}").select("Nurture").run()
    assert not at.exception
    model = model_of(at)
    assert model.knockout_state == "Nurture", "this session's edit is kept"
    assert model.matrix["D4"] == "Nurture", "the other participant's edit is kept"
    from workbook.ui.actions import _store as get_store

    assert get_store().head(at.session_state[StateKeys.WORKBOOK]).model == model


def test_an_edit_of_a_field_someone_else_changed_is_refused_with_both_values(at):
    seen = rev(at)
    _someone_else_saves(at, lambda m: setattr(m, "knockout_state", "Qualify"))
    at.selectbox(key=f"knockout_state@{seen}").select("Nurture").run()
    assert not at.exception
    assert model_of(at).knockout_state == "Qualify", "the session now shows the saved value"
    message = " ".join(e.value for e in at.error)
    assert "Nurture" in message and "Qualify" in message and "Sam" in message
