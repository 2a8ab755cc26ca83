"""SPEC §5, rule by rule: each test breaks one rule of the valid reference model and checks
the exact location of the finding and the key part of its message."""

from __future__ import annotations

from typing import Any

import pytest
from builders import VALID_YAML, build, model_data, section, valid_data

from workbook.files import ModelInvalid, Problem, load_model_text, model_from_data
from workbook.model import ScoringModel
from workbook.validate import Report, validate


def report_for(data: dict[str, Any]) -> Report:
    return validate(ScoringModel.model_validate(data))


def messages_at(problems: list[Problem], location: str) -> list[str]:
    return [p.message for p in problems if p.location == location]


def assert_error(data: dict[str, Any], location: str, fragment: str) -> Report:
    report = report_for(data)
    found = messages_at(report.errors, location)
    assert any(fragment in m for m in found), (location, fragment, [str(p) for p in report.errors])
    assert not report.is_valid
    return report


def assert_warning(data: dict[str, Any], location: str, fragment: str) -> Report:
    report = report_for(data)
    found = messages_at(report.warnings, location)
    assert any(fragment in m for m in found), (location, fragment, [str(p) for p in report.warnings])
    return report


def shape_problems(data: dict[str, Any]) -> list[Problem]:
    with pytest.raises(ModelInvalid) as exc:
        model_from_data(data)
    return exc.value.problems


# --------------------------------------------------------------------------------------------
def test_valid_reference_model_has_no_errors_and_no_warnings():
    loaded = load_model_text(VALID_YAML)
    report = validate(loaded.model, loaded.lines)
    assert report.errors == []
    assert report.warnings == []
    assert report.is_valid


def test_minimal_built_model_is_valid():
    assert report_for(model_data()).errors == []


# --------------------------------------------------------------------------------------------
# schema version, required keys, unknown keys
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("version", [0, 2, 99])
def test_unknown_schema_version(version):
    data = valid_data()
    data["schema_version"] = version
    assert_error(data, "schema_version", f"unknown schema version {version}")


@pytest.mark.parametrize(
    "key", ["schema_version", "name", "states", "profile_grades", "engagement_levels", "matrix"]
)
def test_missing_required_top_level_key(key):
    data = valid_data()
    del data[key]
    problems = shape_problems(data)
    assert any(p.location == key and p.message == "required key is missing" for p in problems), problems


@pytest.mark.parametrize(
    ("path", "key"),
    [
        (("profile", 0), "weight"),
        (("profile", 0), "name"),
        (("engagement", 1, "values", 0), "score"),
        (("engagement", 1, "values", 0), "label"),
        (("states", 2), "name"),
        (("profile_grades", 1), "min"),
        (("engagement_levels", 0), "level"),
        (("team", 0), "name"),
        (("scenarios", 1), "name"),
    ],
)
def test_missing_required_nested_key(path, key):
    data = valid_data()
    target = data
    for part in path:
        target = target[part]
    del target[key]
    loc = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in (*path, key)).lstrip(".")
    problems = shape_problems(data)
    assert [p.message for p in problems if p.location == loc] == ["required key is missing"], problems


@pytest.mark.parametrize(
    ("edit", "location", "hint"),
    [
        (lambda d: d["profile"][0].__setitem__("wieght", 10), "profile[0].wieght", "did you mean 'weight'?"),
        (lambda d: d.__setitem__("scenario", []), "scenario", "did you mean 'scenarios'?"),
        (lambda d: d["engagement"][0]["values"][0].__setitem__("scroe", 1), "engagement[0].values[0].scroe",
         "did you mean 'score'?"),
        (lambda d: d["profile"][1]["values"][0]["match"].__setitem__("minimum", 3),
         "profile[1].values[0].match.minimum", "did you mean 'min'?"),
        (lambda d: d["team"][0].__setitem__("emial", "x@y.z"), "team[0].emial", "did you mean 'email'?"),
        (lambda d: d["scenarios"][0]["estimate"].__setitem__("stat", "Qualify"), "scenarios[0].estimate.stat",
         "did you mean 'state'?"),
    ],
)
def test_unknown_key_with_did_you_mean(edit, location, hint):
    data = valid_data()
    edit(data)
    problems = shape_problems(data)
    found = [p.message for p in problems if p.location == location]
    assert len(found) == 1, problems
    assert found[0].startswith("unknown key")
    assert hint in found[0]
    assert "allowed here:" in found[0]


def test_unknown_key_without_close_match_lists_allowed_keys():
    data = valid_data()
    data["states"][0]["zzzzzz"] = 1
    (msg,) = messages_at(shape_problems(data), "states[0].zzzzzz")
    assert "did you mean" not in msg
    assert msg == "unknown key; allowed here: name, action"


def test_wrong_type_is_a_located_shape_problem():
    data = valid_data()
    data["profile"][2]["weight"] = "heavy"
    assert messages_at(shape_problems(data), "profile[2].weight") == ["must be a number"]


def test_missing_policy_must_be_zero_or_neutral():
    data = valid_data()
    data["missing"] = "nuetral"
    (msg,) = messages_at(shape_problems(data), "missing")
    assert "zero" in msg and "neutral" in msg


def test_all_shape_problems_are_listed_at_once():
    data = valid_data()
    data["profile"][0]["wieght"] = 1
    del data["matrix"]
    data["states"][1]["name"] = ["not", "text"]
    locations = {p.location for p in shape_problems(data)}
    assert {"profile[0].wieght", "matrix", "states[1].name"} <= locations


# --------------------------------------------------------------------------------------------
# names: non-empty and unique
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("path", "key", "location"),
    [
        (("team", 1), "name", "team[1].name"),
        (("states", 2), "name", "states[2].name"),
        (("profile", 1), "name", "profile[1].name"),
        (("engagement", 0), "name", "engagement[0].name"),
        (("profile", 0, "values", 1), "label", "profile[0].values[1].label"),
        (("engagement", 1, "values", 0), "label", "engagement[1].values[0].label"),
        (("scenarios", 2), "name", "scenarios[2].name"),
        (("profile_grades", 1), "grade", "profile_grades[1].grade"),
        (("engagement_levels", 3), "level", "engagement_levels[3].level"),
    ],
)
@pytest.mark.parametrize("blank", ["", "   "])
def test_empty_names(path, key, location, blank):
    data = valid_data()
    target = data
    for part in path:
        target = target[part]
    target[key] = blank
    assert_error(data, location, "must not be empty")


def test_empty_model_name():
    data = valid_data()
    data["name"] = " "
    assert_error(data, "name", "must not be empty")


@pytest.mark.parametrize(
    ("list_path", "key", "what", "location", "first"),
    [
        (("team",), "name", "team member", "team[1].name", "team[0]"),
        (("states",), "name", "state", "states[1].name", "states[0]"),
        (("profile",), "name", "attribute", "profile[1].name", "profile[0]"),
        (("engagement",), "name", "activity", "engagement[1].name", "engagement[0]"),
        (("profile", 0, "values"), "label", "value", "profile[0].values[1].label", "profile[0].values[0]"),
        (("engagement", 0, "values"), "label", "value", "engagement[0].values[1].label",
         "engagement[0].values[0]"),
        (("scenarios",), "name", "scenario", "scenarios[1].name", "scenarios[0]"),
        (("profile_grades",), "grade", "grade", "profile_grades[1].grade", "profile_grades[0]"),
        (("engagement_levels",), "level", "level", "engagement_levels[1].level", "engagement_levels[0]"),
    ],
)
def test_duplicate_names(list_path, key, what, location, first):
    data = valid_data()
    items = data
    for part in list_path:
        items = items[part]
    items[1][key] = items[0][key]
    report = assert_error(data, location, f"{what} '{items[0][key]}' is given twice")
    assert any(f"(also at {first})" in m for m in messages_at(report.errors, location))


def test_duplicate_names_differing_only_in_case_and_spaces():
    data = valid_data()
    data["states"][1]["name"] = "  send TO sales "
    assert_error(data, "states[1].name", "is given twice")


# --------------------------------------------------------------------------------------------
# weights
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("weight", [-1, 100.5, 250])
def test_weight_out_of_range(weight):
    data = valid_data()
    data["profile"][1]["weight"] = weight
    assert_error(data, "profile[1].weight", f"must be between 0 and 100 (is {weight:g})")


@pytest.mark.parametrize("weight", [0, 100])
def test_weight_bounds_are_inclusive(weight):
    data = model_data(profile=section("P", [(weight, {"a": 100}), (100 - weight, {"b": 100})]))
    assert report_for(data).errors == []


@pytest.mark.parametrize("which,index,weight,total", [("profile", 0, 30, "95"), ("engagement", 1, 45, "105")])
def test_section_weights_must_add_up_to_100(which, index, weight, total):
    data = valid_data()
    data[which][index]["weight"] = weight
    assert_error(data, which, f"weights add up to {total}, they must add up to 100")


@pytest.mark.parametrize("last", [64.995, 65.005, 65.009])
def test_weights_within_a_hundredth_pass(last):
    data = valid_data()
    data["profile"][0]["weight"] = 35  # 35 + last = 99.995, 100.005 …
    data["profile"][1]["weight"] = last
    data["profile"][2]["weight"] = 0
    assert [e for e in report_for(data).errors if e.location == "profile"] == []


@pytest.mark.parametrize("last", [64.98, 65.02, 64.9])
def test_weights_beyond_a_hundredth_fail(last):
    data = valid_data()
    data["profile"][0]["weight"] = 35
    data["profile"][1]["weight"] = last
    data["profile"][2]["weight"] = 0
    assert_error(data, "profile", "they must add up to 100")


# (A single weight of 100.01 would break "weights 0..100" itself, so sums over 100 use several weights.)
@pytest.mark.parametrize("weights", [[33.33, 33.33, 33.33], [99.99], [70, 30.01], [10, 10, 10, 70.01]])
def test_weights_exactly_a_hundredth_off_pass(weights):
    data = model_data(profile=section("P", [(w, {"v": 100}) for w in weights]))
    assert [str(e) for e in report_for(data).errors] == []


def test_empty_section_has_weights_adding_up_to_zero():
    data = valid_data()
    data["engagement"] = []
    data["scenarios"] = []
    assert_error(data, "engagement", "weights add up to 0")


# --------------------------------------------------------------------------------------------
# scores
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("score", [-100.5, 101, 1000])
def test_score_out_of_range(score):
    data = valid_data()
    data["profile"][2]["values"][0]["score"] = score
    assert_error(data, "profile[2].values[0].score", f"must be between -100 and 100 (is {score:g})")


def test_score_bounds_are_inclusive():
    data = valid_data()
    data["engagement"][1]["values"] = [{"label": "Click", "score": 100}, {"label": "Unsubscribe", "score": -100}]
    assert report_for(data).errors == []


def test_score_out_of_range_message_as_the_spec_shows_it():
    data = valid_data()
    data["profile"][2]["values"][0]["score"] = 150
    errors = [str(e) for e in report_for(data).errors]
    assert "profile[2].values[0].score: must be between -100 and 100 (is 150)" in errors


# --------------------------------------------------------------------------------------------
# bands
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("section_key", ["profile_grades", "engagement_levels"])
def test_band_minimums_must_strictly_decrease(section_key):
    data = valid_data()
    data[section_key][2]["min"] = data[section_key][1]["min"]  # equal is not strictly decreasing
    assert_error(data, f"{section_key}[2].min", "must be lower than the band above")


def test_band_minimums_increasing():
    data = valid_data()
    data["profile_grades"][1]["min"] = 80
    report = assert_error(data, "profile_grades[1].min", "(80 is not below 75)")
    assert messages_at(report.errors, "profile_grades[2].min") == []


@pytest.mark.parametrize(("index", "value"), [(0, 101), (0, 150)])
def test_band_minimum_above_100(index, value):
    data = valid_data()
    data["engagement_levels"][index]["min"] = value
    assert_error(data, f"engagement_levels[{index}].min", f"must be between 0 and 100 (is {value})")


def test_band_minimum_below_0():
    data = valid_data()
    data["profile_grades"][3]["min"] = -5
    report = assert_error(data, "profile_grades[3].min", "must be between 0 and 100 (is -5)")
    assert any("last band must have min 0" in m for m in messages_at(report.errors, "profile_grades[3].min"))


@pytest.mark.parametrize("section_key", ["profile_grades", "engagement_levels"])
def test_last_band_must_be_zero(section_key):
    data = valid_data()
    data[section_key][3]["min"] = 5
    assert_error(data, f"{section_key}[3].min", "the last band must have min 0 (is 5)")


@pytest.mark.parametrize("section_key", ["profile_grades", "engagement_levels"])
def test_no_bands_at_all(section_key):
    data = valid_data()
    data[section_key] = []
    data["scenarios"] = []
    assert_error(data, section_key, "at least one band")


def test_single_band_at_zero_is_fine():
    data = model_data(grades=[("A", 0)], levels=[("1", 0)], states=["Only"])
    assert report_for(data).errors == []


def test_no_states():
    data = valid_data()
    data["states"] = []
    assert_error(data, "states", "at least one state")


# --------------------------------------------------------------------------------------------
# matrix and knockout state
# --------------------------------------------------------------------------------------------
def test_missing_matrix_cell():
    data = valid_data()
    del data["matrix"]["C3"]
    assert_error(data, "matrix.C3", "cell is missing")


def test_matrix_cell_naming_unknown_state():
    data = valid_data()
    data["matrix"]["B2"] = "Call now"
    assert_error(data, "matrix.B2", "'Call now' is not one of the states")


def test_matrix_key_that_is_not_a_cell():
    data = valid_data()
    data["matrix"]["E1"] = "Nurture"
    assert_error(data, "matrix.E1", "not a cell of the grid")


def test_renamed_grade_leaves_old_cells_orphaned_and_new_ones_missing():
    data = valid_data()
    data["profile_grades"][0]["grade"] = "A+"
    data["scenarios"] = []
    report = assert_error(data, "matrix.A1", "not a cell of the grid")
    assert "cell is missing" in " ".join(messages_at(report.errors, "matrix.A+1"))


def test_grades_and_levels_combining_into_the_same_cell_twice():
    data = model_data(grades=[("A", 50), ("A1", 0)], levels=[("1", 50), ("11", 0)], states=["S"],
                      matrix={"A1": "S", "A11": "S", "A111": "S"})
    assert_error(data, "matrix", "the same cell twice")


def test_unknown_knockout_state():
    data = valid_data()
    data["knockout_state"] = "Trash"
    assert_error(data, "knockout_state", "'Trash' is not one of the states")


def test_knockout_state_may_be_left_out():
    data = valid_data()
    del data["knockout_state"]
    assert report_for(data).errors == []


# --------------------------------------------------------------------------------------------
# scenarios
# --------------------------------------------------------------------------------------------
def test_scenario_unknown_attribute():
    data = valid_data()
    data["scenarios"][0]["profile"]["Jobrole"] = "Student"
    assert_error(data, "scenarios[0].profile.Jobrole", "no attribute named 'Jobrole'")


def test_scenario_unknown_activity():
    data = valid_data()
    data["scenarios"][1]["engagement"]["Webinar"] = "Attended"
    assert_error(data, "scenarios[1].engagement.Webinar", "no activity named 'Webinar'")


def test_scenario_attribute_from_the_other_section():
    data = valid_data()
    data["scenarios"][0]["engagement"]["Country"] = "Germany"
    assert_error(data, "scenarios[0].engagement.Country", "no activity named 'Country'")


def test_scenario_unknown_value():
    data = valid_data()
    data["scenarios"][0]["profile"]["Job role"] = "Astronaut"
    report = assert_error(data, "scenarios[0].profile.Job role", "'Astronaut' is not a value of 'Job role'")
    (msg,) = messages_at(report.errors, "scenarios[0].profile.Job role")
    assert "Head of sales operations" in msg  # the choices are offered


@pytest.mark.parametrize(("key", "value", "what"), [("profile", "Z", "profile grade"),
                                                    ("engagement", "7", "engagement level"),
                                                    ("state", "Call now", "state")])
def test_scenario_unknown_estimate(key, value, what):
    data = valid_data()
    data["scenarios"][2]["estimate"][key] = value
    assert_error(data, f"scenarios[2].estimate.{key}", f"'{value}' is not a known {what}")


def test_scenario_unknown_team_member():
    data = valid_data()
    data["scenarios"][0]["estimates_by_member"]["Zed"] = "Qualify"
    assert_error(data, "scenarios[0].estimates_by_member.Zed", "'Zed' is not a team member")


def test_scenario_member_estimate_unknown_state():
    data = valid_data()
    data["scenarios"][0]["estimates_by_member"]["Sam Lee"] = "Maybe"
    assert_error(data, "scenarios[0].estimates_by_member.Sam Lee", "'Maybe' is not a known state")


# --------------------------------------------------------------------------------------------
# match rules
# --------------------------------------------------------------------------------------------
def set_match(data: dict[str, Any], match: dict[str, Any]) -> dict[str, Any]:
    data["profile"][1]["values"][0]["match"] = match
    return data


MATCH = "profile[1].values[0].match"


def test_empty_match_rule():
    assert_error(set_match(valid_data(), {}), MATCH, "match rule is empty")


@pytest.mark.parametrize(("lo", "hi"), [(200, 200), (300, 200)])
def test_match_min_not_below_max(lo, hi):
    assert_error(set_match(valid_data(), {"min": lo, "max": hi}), f"{MATCH}.max", "must be greater than min")


def test_match_min_below_max_is_fine():
    assert report_for(set_match(valid_data(), {"min": 199.5, "max": 200})).errors == []


@pytest.mark.parametrize("days", [-1, -30, 100000])
def test_match_within_days_out_of_range(days):
    assert_error(set_match(valid_data(), {"within_days": days}), f"{MATCH}.within_days",
                 f"must be between 0 and 36500 days (is {days})")


def test_match_within_days_with_min():
    assert_error(set_match(valid_data(), {"within_days": 7, "min": 1}), f"{MATCH}.within_days",
                 "cannot be combined with min/max")


@pytest.mark.parametrize("other", [{"equals": ["x"]}, {"min": 1}, {"contains": ["y"]}, {"within_days": 3}])
def test_match_empty_combined_with_other_keys(other):
    assert_error(set_match(valid_data(), {"empty": True, **other}), f"{MATCH}.empty",
                 "cannot be combined with other keys")


def test_match_empty_false():
    assert_error(set_match(valid_data(), {"empty": False}), f"{MATCH}.empty", "must be true")


@pytest.mark.parametrize("key", ["equals", "contains"])
def test_match_empty_list(key):
    assert_error(set_match(valid_data(), {key: []}), f"{MATCH}.{key}", "must list at least one text")


@pytest.mark.parametrize("key", ["equals", "contains"])
def test_match_blank_item(key):
    assert_error(set_match(valid_data(), {key: ["ok", " "]}), f"{MATCH}.{key}[1]", "must not be empty")


def test_match_rule_on_an_engagement_value():
    data = valid_data()
    data["engagement"][0]["values"][1]["match"] = {"within_days": -60}
    assert_error(data, "engagement[0].values[1].match.within_days", "must be between 0 and 36500")


# --------------------------------------------------------------------------------------------
# warnings (shown, not blocking)
# --------------------------------------------------------------------------------------------
def test_warning_attribute_without_a_value_scoring_100():
    data = valid_data()
    data["profile"][2]["values"][0]["score"] = 90
    report = assert_warning(data, "profile[2]", "no value of attribute 'Country' scores 100")
    assert report.is_valid


def test_warning_activity_without_a_value_scoring_100():
    data = valid_data()
    data["engagement"][0]["values"][0]["score"] = 99.99
    report = assert_warning(data, "engagement[0]", "no value of activity 'Demo request' scores 100")
    assert report.is_valid


def test_warning_attribute_without_values():
    data = valid_data()
    data["profile"][2]["values"] = []
    data["scenarios"][0]["profile"].pop("Country")
    data["scenarios"][1]["profile"].pop("Country")
    report = assert_warning(data, "profile[2].values", "has no values")
    assert report.is_valid


def test_warning_non_monotone_matrix():
    data = valid_data()
    data["matrix"]["A1"] = "Nurture"  # A2 and B1 are worse cells but Send to sales
    report = report_for(data)
    assert report.is_valid
    found = messages_at(report.warnings, "matrix.A1")
    assert any("better cell than A2" in m for m in found), found
    assert any("better cell than B1" in m for m in found), found


def test_warning_non_monotone_matrix_names_both_cells_and_states():
    data = valid_data()
    data["matrix"]["A3"] = "Ignore"  # worse than A4 (Nurture) and B3 (Nurture)
    report = report_for(data)
    assert report.is_valid
    found = messages_at(report.warnings, "matrix.A3")
    assert any("A3 is a better cell than A4" in m and "'Ignore' vs 'Nurture'" in m for m in found), found
    assert any("A3 is a better cell than B3" in m for m in found), found
    # the cell above A3 (A2: Send to sales) is fine, and is not blamed
    assert messages_at(report.warnings, "matrix.A2") == []


def test_monotone_matrix_has_no_matrix_warning():
    assert [w for w in report_for(valid_data()).warnings if w.location.startswith("matrix")] == []


@pytest.mark.parametrize("estimate", [None, {}])
def test_warning_scenario_without_estimates(estimate):
    data = valid_data()
    if estimate is None:
        del data["scenarios"][1]["estimate"]
    else:
        data["scenarios"][1]["estimate"] = estimate
    report = assert_warning(data, "scenarios[1].estimate", "has no estimate")
    assert report.is_valid


def test_warnings_do_not_block():
    data = valid_data()
    data["profile"][2]["values"][0]["score"] = 90
    data["matrix"]["A1"] = "Ignore"
    del data["scenarios"][0]["estimate"]
    report = report_for(data)
    assert report.is_valid
    assert len(report.warnings) >= 3
    assert all(p.severity == "warning" for p in report.warnings)
    assert all(p.severity == "error" for p in report.errors)


# --------------------------------------------------------------------------------------------
# line numbers and the Problem format
# --------------------------------------------------------------------------------------------
def test_problems_carry_the_line_of_their_location():
    text = VALID_YAML.replace("    weight: 35\n", "    weight: 135\n")
    loaded = load_model_text(text)
    report = validate(loaded.model, loaded.lines)
    (problem,) = [p for p in report.errors if p.location == "profile[0].weight"]
    expected_line = text.splitlines().index("    weight: 135") + 1
    assert problem.line == expected_line
    assert str(problem) == f"profile[0].weight: must be between 0 and 100 (is 135) (line {expected_line})"


def test_problem_in_a_flow_mapping_gets_its_line():
    text = VALID_YAML.replace("{label: 50 to 199, score: 50,", "{label: 50 to 199, score: 500,")
    loaded = load_model_text(text)
    report = validate(loaded.model, loaded.lines)
    (problem,) = [p for p in report.errors if p.location == "profile[1].values[1].score"]
    assert problem.line == next(i for i, line in enumerate(text.splitlines(), 1) if "score: 500" in line)


def test_validate_without_lines_has_no_line():
    data = valid_data()
    data["knockout_state"] = "Trash"
    (problem,) = report_for(data).errors
    assert problem.line is None
    assert str(problem) == "knockout_state: 'Trash' is not one of the states"


def test_many_problems_are_all_reported():
    data = valid_data()
    data["schema_version"] = 3
    data["profile"][0]["weight"] = 120
    data["matrix"]["D4"] = "Nowhere"
    data["knockout_state"] = "Trash"
    locations = {p.location for p in report_for(data).errors}
    assert {"schema_version", "profile[0].weight", "profile", "matrix.D4", "knockout_state"} <= locations


def test_built_model_with_knockout_is_valid():
    m = build(profile=section("P", [(100, {"top": 100, "bad": {"score": 0, "knockout": True}})]))
    assert validate(m).errors == []


def test_member_estimates_alone_count_as_estimates():
    data = valid_data()
    data["team"] = [{"name": "Dana"}]
    data["scenarios"][0].pop("estimate", None)
    data["scenarios"][0]["estimates_by_member"] = {"Dana": data["states"][0]["name"]}
    report = validate(model_from_data(data))
    assert not report.errors
    assert not [w for w in report.warnings if w.location == "scenarios[0].estimate"]
