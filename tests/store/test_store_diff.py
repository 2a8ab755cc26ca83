"""What changed, in the workshop's words, and which scenarios move because of it."""

from __future__ import annotations

from pathlib import Path

import pytest
from store_models import base_model, edited

from workbook.files import dump_model, load_model_text
from workbook.model import Scenario, TeamMember, Value
from workbook.store.diff import describe_changes, diff_models

REPO = Path(__file__).resolve().parents[2]


def test_no_change_no_sentence():
    assert describe_changes(base_model(), base_model()) == []
    assert not diff_models(base_model(), base_model())


@pytest.mark.parametrize(
    ("edit", "sentence", "kind"),
    [
        (dict(weight={"Job role": 40}), "ICP weight 'Job role' 60 → 40", "weight"),
        (dict(activity_weight={"Demo request": 65.5}), "Activity weight 'Demo request' 70 → 65.5", "weight"),
        (
            dict(score={("Job role", "CFO"): 55}),
            "ICP attribute 'Job role' value 'CFO' score 50 → 55",
            "value",
        ),
        (dict(grade_min={"B": 55}), "Profile grade B threshold 50 → 55", "threshold"),
        (dict(cell={"B2": "Qualify"}), "Grid cell B2: Nurture → Qualify", "cell"),
        (dict(add_scenario="CFO, webinar 2"), "Added scenario 'CFO, webinar 2'", "scenario"),
    ],
)
def test_one_sentence_per_simple_change(edit, sentence, kind):
    diff = diff_models(base_model(), edited(base_model(), **edit))
    assert diff.sentences == [sentence]
    assert diff.changes[0].kind == kind


def test_activity_value_score_sentence():
    new = base_model()
    new.engagement[1].values[0].score = 90
    assert describe_changes(base_model(), new) == ["Activity 'Webinar attended' value 'Within 7 days' score 100 → 90"]


def test_structured_change_carries_path_and_values():
    (change,) = diff_models(base_model(), edited(base_model(), weight={"Job role": 40})).changes
    assert (change.path, change.before, change.after) == ("ICP weight 'Job role'", 60, 40)
    assert change.key == ("profile", ("Job role", 0), "weight")


def test_renames_are_said_as_renames():
    new = base_model()
    new.profile[0].name = "Role"
    new.profile[0].weight = 55
    new.engagement[0].values[1].label = "Within 30 days"
    new.scenarios[1].name = "CFO after a webinar"
    new.team[2].name = "Priya R."
    assert describe_changes(base_model(), new) == [
        "Team: renamed Priya Raman → Priya R.",
        "Renamed ICP attribute 'Job role' → 'Role'",
        "ICP weight 'Role' 60 → 55",
        "Activity 'Demo request': renamed value 'Within 60 days' → 'Within 30 days'",
        "Renamed scenario 'CFO, webinar' → 'CFO after a webinar'",
    ]


def test_team_sentences():
    new = base_model()
    new.team.append(TeamMember(name="Sam Lee", function="Sales"))
    new.team[1].steering_committee = False
    new.team[0].title = "VP Marketing"
    del new.team[2]
    assert describe_changes(base_model(), new) == [
        "Team member 'Dana Ortiz' title set to VP Marketing",
        "Team: Marcus Lee left the steering committee",
        "Team: added Sam Lee (Sales)",
        "Team: removed Priya Raman",
    ]
    assert {c.kind for c in diff_models(base_model(), new).changes} == {"team"}


def test_values_states_scenarios_and_settings():
    new = base_model()
    new.profile[0].values.append(Value(label="VP sales", score=80))
    new.profile[0].values[2].knockout = False
    new.profile[1].values.pop()
    new.engagement.reverse()
    new.states[3].action = "Suppress"
    new.missing = "neutral"
    new.knockout_state = "Nurture"
    new.scenarios[0].engagement["Webinar attended"] = "Older"
    new.scenarios[0].estimate.state = "Qualify"
    new.scenarios[1].estimates_by_member["Dana Ortiz"] = "Nurture"
    new.description = "x" * 200
    assert describe_changes(base_model(), new) == [
        "Description changed",
        "State 'Ignore' action set to Suppress",
        "Missing values: zero → neutral",
        "Knockout state set to Nurture",
        "ICP attribute 'Job role' value 'Student' is no longer a knockout",
        "ICP attribute 'Job role': added value 'VP sales' (score 80)",
        "ICP attribute 'Employees': removed value '1-49'",
        "Reordered activities",
        "Scenario 'RevOps head, demo last week' Webinar attended set to Older",
        "Scenario 'RevOps head, demo last week' estimated state: Send to sales → Qualify",
        "Scenario 'CFO, webinar' estimate by Dana Ortiz set to Nurture",
    ]


def test_added_and_removed_attributes_and_bands():
    new = base_model()
    new.profile.pop()
    new.profile_grades.insert(3, new.profile_grades[2].model_copy(update={"grade": "C-", "min": 10}))
    assert describe_changes(base_model(), new) == [
        "Added profile grade C- (min 10)",
        "Removed ICP attribute 'Employees'",
    ]


def test_scenario_state_changes_name_the_scenarios_that_move():
    new = edited(base_model(), cell={"A1": "Qualify"}, add_scenario="New one")
    diff = diff_models(base_model(), new)
    (moved,) = diff.scenario_state_changes
    assert (moved.name, moved.before_cell, moved.before_state) == (
        "RevOps head, demo last week",
        "A1",
        "Send to sales",
    )
    assert (moved.after_cell, moved.after_state, moved.scenario_changed) == ("A1", "Qualify", False)
    assert moved.sentence == "Scenario 'RevOps head, demo last week': Send to sales (A1) → Qualify (A1)"
    assert diff.of_kind("cell")[0].sentence == "Grid cell A1: Send to sales → Qualify"


def test_a_score_change_moves_a_scenario_across_a_threshold():
    # CFO, webinar: profile 60 × 50 % + 40 × 100 % = 70 → B; engagement 30 × 100 % = 30 → 3.
    # With the CFO score at 100: 60 + 40 = 100 → A.
    new = edited(base_model(), score={("Job role", "CFO"): 100})
    (moved,) = diff_models(base_model(), new).scenario_state_changes
    assert (moved.name, moved.before_cell, moved.after_cell) == ("CFO, webinar", "B3", "A3")
    assert (moved.before_state, moved.after_state) == ("Ignore", "Nurture")


def test_a_scenarios_own_edit_is_flagged():
    new = base_model()
    new.scenarios[1].profile["Job role"] = "Head of sales ops"
    (moved,) = diff_models(base_model(), new).scenario_state_changes
    assert moved.name == "CFO, webinar" and moved.scenario_changed


def test_diff_against_an_uploaded_yaml():
    uploaded = load_model_text(dump_model(edited(base_model(), grade_min={"B": 45}))).model
    diff = diff_models(base_model(), uploaded)
    assert diff.sentences == ["Profile grade B threshold 50 → 45"]


def test_diff_of_the_example_files_runs():
    a = load_model_text((REPO / "scenarios" / "sales_automation.yaml").read_text()).model
    b = load_model_text((REPO / "scenarios" / "x_education.yaml").read_text()).model
    diff = diff_models(a, b)
    assert diff.changes and all(c.sentence for c in diff.changes)


def test_drafts_with_duplicate_names_are_told_apart():
    new = base_model()
    new.scenarios.append(Scenario(name="CFO, webinar", notes="second"))
    assert describe_changes(base_model(), new) == ["Added scenario 'CFO, webinar (#2)'"]
