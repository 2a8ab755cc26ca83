"""A problem's place in words (workbook.places): the tab, the attribute and the value, never a file path."""

from __future__ import annotations

import pytest

from tests.ui.conftest import EXAMPLE
from workbook.files import load_model_file
from workbook.places import describe, in_words, plain_message
from workbook.validate import validate


@pytest.fixture
def model():
    return load_model_file(EXAMPLE).model


def test_a_value_score_names_the_tab_the_attribute_and_the_value(model) -> None:
    model.profile[1].values[0].score = 130
    problem = next(p for p in validate(model).errors if p.path[:2] == ("profile", 1))
    words = in_words(model, problem)
    attribute, value = model.profile[1].name, model.profile[1].values[0].label
    assert words.startswith(f"ICP weights › attribute '{attribute}' › value '{value}' › score: ")
    assert "profile[" not in words and "130" in words
    assert str(problem).startswith("profile[1].values[0].score: "), "the CLI keeps the file location"


@pytest.mark.parametrize(("path", "tab", "says"), [
    (("profile",), "ICP weights", "ICP weights"),
    (("engagement", 0, "weight"), "Activity weights", "activity '{engagement0}' › weight"),
    (("team", 1, "email"), "Team", "member '{team1}' › e-mail"),
    (("matrix", "A1"), "Thresholds", "grid › cell A1"),
    (("profile_grades", 0, "min"), "Thresholds", "profile grades › grade 'A' › minimum"),
    (("scenarios", 2, "estimate", "state"), "Test scenarios", "scenario 3 '{scenario2}' › team estimate › state"),
    (("knockout_state",), "Thresholds", "state of a knocked-out lead"),
    (("name",), "Workbooks", "workbook name"),
])
def test_every_part_of_the_model_is_said_on_its_tab(model, path, tab, says) -> None:
    place = describe(model, path)
    assert place.tab == tab
    expected = says.format(engagement0=model.engagement[0].name, team1=model.team[1].name,
                           scenario2=model.scenarios[2].name)
    assert expected in place.words
    assert "[" not in place.words and "_" not in place.words


def test_a_row_out_of_range_is_said_by_its_number(model) -> None:
    assert describe(model, ("profile", 99, "weight")).words == "ICP weights › row 100 › weight"


def test_locations_inside_messages_become_row_numbers() -> None:
    assert plain_message("team member 'Ann' is given twice (also at team[0])") == (
        "team member 'Ann' is given twice (also row 1)")
    assert plain_message("value 'X' looks the same as 'x' (at profile[2].values[4]) but is spelt") == (
        "value 'X' looks the same as 'x' (row 5) but is spelt")


def test_every_problem_of_a_broken_model_is_said_without_file_locations(model) -> None:
    model.team[1].name = model.team[0].name
    model.profile[0].weight += 5
    model.matrix[next(iter(model.matrix))] = "Nowhere"
    model.scenarios[0].estimate.state = "Nowhere"
    report = validate(model)
    assert len(report.errors) >= 4
    for problem in report.problems:
        words = in_words(model, problem)
        assert problem.location not in words, words
        assert "[" not in words.split(":")[0]
