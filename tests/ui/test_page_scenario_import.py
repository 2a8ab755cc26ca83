"""AppTest: test scenarios added from pasted rows or a CSV file, in one revision (issue 11, item 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from workbook.files import load_model_file
from workbook.ui.components import scenario_import
from workbook.ui.keys import StateKeys

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml"
PAGE = "pages/test_scenarios.py"
ROWS = (
    "Scenario\tJob role\tgeography\tDemo request\tState\n"
    "CFO at a bank\tVP or director of sales\tdach\twithin 7 days\tsend to sales\n"
    "Student lead\tstudent\tOutside our sales territories\t\tIgnore\n"
)


@pytest.fixture
def empty():
    model = load_model_file(EXAMPLE).model
    model.scenarios = []
    return model


def shown(at) -> list[str]:
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]  # as read: Markdown escapes removed


def test_pasted_rows_become_scenarios_in_one_revision_and_the_first_opens(open_page, model_of, empty):
    at = open_page(PAGE, empty)
    before = at.session_state[StateKeys.BASE]
    at.text_area(key=scenario_import.TEXT).input(ROWS)
    at.button(key=scenario_import.GO).click().run()
    assert not at.exception
    first, second = model_of(at).scenarios
    assert (first.name, first.profile, first.engagement, first.estimate.state) == (
        "CFO at a bank", {"Job role": "VP or director of sales", "Geography": "DACH"},
        {"Demo request": "Within 7 days"}, "Send to sales")
    assert (second.name, second.profile, second.estimate.state) == (
        "Student lead", {"Job role": "Student", "Geography": "Outside our sales territories"}, "Ignore")
    assert at.session_state[StateKeys.BASE] == before + 1
    assert at.text_area(key=scenario_import.TEXT).value == ""  # emptied once added
    # The overview lists both, and the editor opens the first one added.
    overview = at.dataframe[0].value
    assert list(overview["Scenario"]) == ["CFO at a bank", "Student lead"]
    (picker,) = [s for s in at.selectbox if s.label == "Open scenario"]
    assert picker.value == 0


def test_an_unknown_value_is_refused_in_words_nothing_saved_and_the_text_stays(open_page, model_of, empty):
    at = open_page(PAGE, empty)
    before = at.session_state[StateKeys.BASE]
    bad = ROWS.replace("student\t", "Undergraduate\t")
    at.text_area(key=scenario_import.TEXT).input(bad)
    at.button(key=scenario_import.GO).click().run()
    assert not at.exception
    assert model_of(at).scenarios == []
    assert at.session_state[StateKeys.BASE] == before
    assert at.text_area(key=scenario_import.TEXT).value == bad
    words = shown(at)
    assert any("row 3, column 2 (Job role)" in w and "'Undergraduate'" in w and "Student" in w
               and "Known values" in w for w in words), words


def test_a_csv_file_with_a_header_adds_its_rows(open_page, model_of, empty):
    at = open_page(PAGE, empty)
    csv = "Scenario,Employees,State,Notes\nBig firm,\"5,000+ employees\",Qualify,Met at a fair\n"
    at.file_uploader[0].upload("scenarios.csv", csv.encode(), "text/csv").run()
    at.button(key=scenario_import.GO).click().run()
    assert not at.exception
    (scenario,) = model_of(at).scenarios
    assert (scenario.name, scenario.profile, scenario.estimate.state, scenario.notes) == (
        "Big firm", {"Employees": "5,000+ employees"}, "Qualify", "Met at a fair")


def test_the_box_is_open_on_an_empty_workbook_and_names_the_columns(open_page, empty):
    at = open_page(PAGE, empty)
    box = [e for e in at.expander if e.label == "Add scenarios from a file or pasted rows"]
    assert box
    assert any("Scenario, Job role, Employees" in c.value for c in at.caption)


def test_rows_added_after_existing_scenarios_open_the_first_added(open_page, model_of):
    model = load_model_file(EXAMPLE).model
    at = open_page(PAGE, model)
    at.text_area(key=scenario_import.TEXT).input("New lead\tStudent\n")
    at.button(key=scenario_import.GO).click().run()
    assert not at.exception
    assert [s.name for s in model_of(at).scenarios] == [*(s.name for s in model.scenarios), "New lead"]
    (picker,) = [s for s in at.selectbox if s.label == "Open scenario"]
    assert picker.value == len(model.scenarios)
