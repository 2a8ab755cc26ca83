"""Pure helpers of the Team, ICP weights and Activity weights pages (workbook.editing, issue 3)."""

from __future__ import annotations

import numpy as np
import pytest
from builders import REPO, build, section, valid_data

from workbook.editing import (
    TEAM_FUNCTIONS_NEEDED,
    EditError,
    choices,
    edit_team,
    function_coverage,
    is_email,
    match_to_row,
    row_to_match,
    set_factor_column,
    set_factor_weight,
    set_factors_keep_columns,
    set_match_rules,
    set_member_field,
    set_values_keep_match,
    value_usage,
)
from workbook.files import load_model_file
from workbook.model import Match, ScoringModel
from workbook.validate import validate


@pytest.fixture
def model() -> ScoringModel:
    return ScoringModel.model_validate(valid_data())


def team_rows(model: ScoringModel) -> list[dict]:
    return [{**m.model_dump(), "orig": i} for i, m in enumerate(model.team)]


# --------------------------------------------------------------------------------------------
# Team
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("text", "ok"),
    [("dana@example.com", True), (" dana.ortiz@sub.example.co.uk ", True), ("dana@", False),
     ("dana example.com", False), ("@example.com", False), ("dana@example", False), ("a b@c.de", False)],
)
def test_is_email_agrees_with_the_validator_warning(model, text, ok):
    assert is_email(text) is ok
    data = valid_data()
    data["team"][0]["email"] = text
    warned = any(p.location == "team[0].email" for p in validate(ScoringModel.model_validate(data)).warnings)
    assert warned is (not ok)


def test_a_new_or_changed_bad_email_is_refused(model):
    rows = team_rows(model)
    rows[1]["email"] = "sam@"
    with pytest.raises(EditError, match="'sam@' .*Sam Lee.* does not look like an e-mail"):
        edit_team(model, rows)
    with pytest.raises(EditError, match="does not look like an e-mail"):
        edit_team(model, [*team_rows(model), {"name": "New", "email": "new at example.com", "orig": None}])
    rows = team_rows(model)
    rows[1]["email"] = "sam.lee@example.com"
    assert edit_team(model, rows).team[1].email == "sam.lee@example.com"


def test_an_existing_bad_email_does_not_block_other_edits(model):
    data = valid_data()
    data["team"][0]["email"] = "dana(at)example"
    bad = ScoringModel.model_validate(data)
    rows = team_rows(bad)
    rows[1]["title"] = "VP Sales"
    edited = edit_team(bad, rows)
    assert edited.team[1].title == "VP Sales"
    assert edited.team[0].email == "dana(at)example"


def test_duplicate_member_names_are_refused_without_case(model):
    rows = team_rows(model)
    rows[1]["name"] = "dana ortiz"
    with pytest.raises(EditError, match="unique"):
        edit_team(model, rows)


def test_renaming_a_member_keeps_their_estimates(model):
    rows = team_rows(model)
    rows[1]["name"] = "Samantha Lee"
    edited = edit_team(model, rows)
    assert edited.scenarios[0].estimates_by_member == {"Dana Ortiz": "Send to sales", "Samantha Lee": "Qualify"}


def test_choices_keep_a_loaded_models_own_text():
    assert choices(["Marketing", "Sales"], ["sales", None, " Service ", "", "Service"]) == [
        "Marketing", "Sales", "Service"]


def test_set_member_field_gives_free_text_and_clears(model):
    edited = set_member_field(model, "Sam Lee", "function", " Customer success ")
    assert edited.team[1].function == "Customer success"
    assert model.team[1].function == "Sales", "the argument is never changed"
    assert set_member_field(edited, "Sam Lee", "role", "").team[1].role is None
    with pytest.raises(EditError, match="no team member"):
        set_member_field(model, "Nobody", "role", "Member")


def test_function_coverage_shows_missing_functions_and_others(model):
    data = valid_data()
    data["team"].append({"name": "Kim", "function": "sales"})  # other case: same function
    data["team"].append({"name": "Lou", "function": "Finance"})
    data["team"].append({"name": "Max"})
    coverage = function_coverage(ScoringModel.model_validate(data))
    assert list(coverage)[: len(TEAM_FUNCTIONS_NEEDED)] == list(TEAM_FUNCTIONS_NEEDED)
    assert coverage["Marketing"] == ["Dana Ortiz"]
    assert coverage["Sales"] == ["Sam Lee", "Kim"]
    assert coverage["Inside sales"] == [] and coverage["Marketing ops / IT"] == []
    assert coverage["Finance"] == ["Lou"]
    assert coverage[""] == ["Max"]


# --------------------------------------------------------------------------------------------
# Attributes, values and match rules
# --------------------------------------------------------------------------------------------
def example_matches() -> list[Match]:
    model = load_model_file(REPO / "scenarios" / "sales_automation.yaml").model
    return [v.match for f in model.profile + model.engagement for v in f.values if v.match is not None]


def test_every_example_match_survives_a_round_trip_through_the_table():
    matches = example_matches()
    assert len(matches) > 40
    for match in matches:
        assert Match.model_validate(row_to_match(match_to_row(match))) == match


def test_texts_with_commas_quotes_and_spaces_round_trip():
    match = Match(equals=["1,000+", 'say "hi"', " padded ", "plain"], contains=["."])
    row = match_to_row(match)
    assert row["equals"] == '"1,000+", "say ""hi""", " padded ", plain'
    assert row["contains"] == "."
    assert Match.model_validate(row_to_match(row)) == match


def test_row_to_match_reads_cells_as_a_person_types_them():
    assert row_to_match({"equals": "", "contains": None, "min": float("nan"), "empty": False}) is None
    assert row_to_match({"contains": " sales ops ,revops, ", "min": 200, "max": 1000.0}) == {
        "contains": ["sales ops", "revops"], "min": 200, "max": 1000}
    assert row_to_match({"within_days": 7.0}) == {"within_days": 7}
    assert row_to_match({"empty": np.bool_(True)}) == {"empty": True}
    with pytest.raises(EditError, match="whole number of days"):
        row_to_match({"within_days": 7.5})
    with pytest.raises(EditError, match="not a number"):
        row_to_match({"min": "lots"})


def test_set_match_rules_changes_only_the_rules(model):
    rows = [{"orig": i, **match_to_row(v.match)} for i, v in enumerate(model.profile[0].values)]
    rows[0]["contains"] = "sales operations, revops, sales ops"
    rows[1]["equals"] = "Sales manager, Head of sales"
    rows[2]["empty"] = True
    edited = set_match_rules(model, "profile", 0, rows)
    values = edited.profile[0].values
    assert values[0].match == Match(contains=["sales operations", "revops", "sales ops"])
    assert values[1].match == Match(equals=["Sales manager", "Head of sales"])
    assert values[2].match == Match(empty=True)
    assert [(v.label, v.score, v.knockout) for v in values] == [
        (v.label, v.score, v.knockout) for v in model.profile[0].values]
    assert model.profile[0].values[1].match is None, "the argument is never changed"
    cleared = set_match_rules(edited, "profile", 0, [{"orig": 0}])
    assert cleared.profile[0].values[0].match is None
    assert cleared.profile[0].values[1].match == values[1].match, "rows not given keep their rule"


def test_a_bad_match_cell_names_the_value(model):
    with pytest.raises(EditError, match="value 'Within 7 days': within days must be a whole number"):
        set_match_rules(model, "engagement", 0, [{"orig": 0, "within_days": 1.5}])


def test_set_values_keep_match_keeps_rules_through_renames_and_moves(model):
    old = model.profile[0].values
    rows = [
        {"label": "Sales manager", "score": 70, "knockout": False, "orig": 1},
        {"label": "RevOps lead", "score": 100, "knockout": False, "orig": 0},
        {"label": "Student", "score": 0, "knockout": True, "orig": 2},
        {"label": "Intern", "score": 0, "knockout": True, "orig": None},
    ]
    edited = set_values_keep_match(model, "profile", 0, rows)
    values = edited.profile[0].values
    assert [v.label for v in values] == ["Sales manager", "RevOps lead", "Student", "Intern"]
    assert values[1].match == old[0].match and values[0].match is None and values[3].match is None
    assert values[0].score == 70 and values[3].knockout
    assert edited.scenarios[0].profile["Job role"] == "RevOps lead", "scenarios follow the rename"


def test_set_factors_keep_columns_keeps_columns_through_renames_and_moves(model):
    rows = [
        {"name": "Headcount", "weight": 40, "orig": 1},
        {"name": "Job role", "weight": 35, "orig": 0},
        {"name": "Country", "weight": 25, "orig": 2},
        {"name": "Industry", "weight": 0, "orig": None},
    ]
    edited = set_factors_keep_columns(model, "profile", rows)
    assert [(f.name, f.column) for f in edited.profile] == [
        ("Headcount", None), ("Job role", "job_title"), ("Country", None), ("Industry", None)]
    assert edited.profile[0].values == model.profile[1].values
    assert edited.scenarios[0].profile["Headcount"] == "200 or more"


def test_set_factor_weight_sets_one_weight_by_name(model):
    names = [f.name for f in model.profile]
    before = model.model_dump()
    edited = set_factor_weight(model, "profile", names[1], 27.5)
    assert [f.weight for f in edited.profile] == [model.profile[0].weight, 27.5, *[f.weight for f in model.profile[2:]]]
    assert edited.model_dump(exclude={"profile"}) == model.model_dump(exclude={"profile"})
    assert [f.model_dump(exclude={"weight"}) for f in edited.profile] == [
        f.model_dump(exclude={"weight"}) for f in model.profile]
    assert model.model_dump() == before, "the model it was given is unchanged"
    edited.profile[0].values[0].score = -42  # callers may change what they get: it is their own
    assert model.model_dump() == before, "the edited model shares nothing with the one it was given"
    assert set_factor_weight(model, "engagement", model.engagement[0].name, "12").engagement[0].weight == 12


@pytest.mark.parametrize("weight", [-1, 100.5, "lots", float("inf")])
def test_set_factor_weight_refuses_a_weight_outside_0_to_100(model, weight):
    with pytest.raises(EditError):
        set_factor_weight(model, "profile", model.profile[0].name, weight)


def test_set_factor_weight_refuses_an_attribute_that_is_gone(model):
    with pytest.raises(EditError, match="'Seniority' is no longer in the list"):
        set_factor_weight(model, "profile", "Seniority", 10)


def test_set_factor_column_sets_and_clears(model):
    edited = set_factor_column(model, "profile", 1, "  employee_count ")
    assert edited.profile[1].column == "employee_count"
    assert set_factor_column(edited, "profile", 1, "  ").profile[1].column is None
    assert model.profile[1].column is None


def test_value_usage_counts_the_scenarios_that_pick_each_value():
    model = build(
        profile=section("P", [(100, {"top": 100, "mid": 50, "none": 0})]),
        scenarios=[
            {"name": "a", "profile": {"P0": "top"}},
            {"name": "b", "profile": {"P0": "top"}, "engagement": {"E0": "none"}},
            {"name": "c", "profile": {"P0": "mid"}},
            {"name": "d", "profile": {"P0": "gone", "Nope": "top"}},
        ],
    )
    assert value_usage(model, "profile") == {"P0": {"top": 2, "mid": 1, "none": 0}}
    assert value_usage(model, "engagement") == {"E0": {"top": 0, "none": 1}}


def test_weights_and_scores_out_of_range_are_refused(model):
    rows = [{"name": f.name, "weight": f.weight, "orig": i} for i, f in enumerate(model.profile)]
    rows[0]["weight"] = 101
    with pytest.raises(EditError, match="'Job role': a weight must be between 0 and 100"):
        set_factors_keep_columns(model, "profile", rows)
    rows[0]["weight"] = -1
    with pytest.raises(EditError, match="between 0 and 100"):
        set_factors_keep_columns(model, "profile", rows)
    values = [{"label": v.label, "score": v.score, "orig": i} for i, v in enumerate(model.engagement[1].values)]
    values[1]["score"] = -150
    with pytest.raises(EditError, match="value 'Unsubscribe': a score must be between -100 and 100"):
        set_values_keep_match(model, "engagement", 1, values)
    values[1]["score"] = -100
    assert set_values_keep_match(model, "engagement", 1, values).engagement[1].values[1].score == -100
