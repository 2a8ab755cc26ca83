"""AppTest: the Test scenarios page — overview, filter, the editor of one scenario, add/duplicate/delete.

Expected results are worked out independently of the page: with the engine on a copy of the
model changed by hand, or from the example file's own comments.
"""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from workbook.engine import evaluate_scenario, evaluate_scenarios
from workbook.files import load_model_file
from workbook.model import Estimate, Scenario
from workbook.ui.keys import StateKeys, page_key

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml"
PAGE = "pages/test_scenarios.py"
ENTERPRISE = "Enterprise VP Sales at a manufacturer, comparing vendors"  # disagrees on purpose (see the file)
STUDENT = "Student writing a thesis on revenue operations"


@pytest.fixture
def example():
    return load_model_file(EXAMPLE).model


@pytest.fixture
def at(open_page) -> AppTest:
    return open_page(PAGE)


def rev(at: AppTest) -> int:
    return at.session_state[StateKeys.REVISION]


def overview(at: AppTest):
    frames = [d.value for d in at.dataframe if "Scenario" in d.value.columns]
    assert len(frames) == 1, "one overview table"
    return frames[0]


def picker(at: AppTest):
    """The "Open scenario" selectbox (its key carries the open scenario and the revision)."""
    boxes = [s for s in at.selectbox if s.key.startswith("scenario_pick.")]
    assert len(boxes) == 1
    return boxes[0]


def open_scenario(at: AppTest, name: str) -> int:
    index = [s.name for s in at.session_state[StateKeys.MODEL].scenarios].index(name)
    picker(at).select(index).run()
    assert not at.exception, at.exception
    assert at.text_input(key=f"scenario.{index}.name@{rev(at)}").value == name
    return index


def option_position(options: list[str], label: str | None) -> int:
    """Where ``label`` is among a value selectbox's options ("(none)" first; "label (80 %)")."""
    if label is None:
        assert options[0] == "(none)"
        return 0
    return next(i for i, o in enumerate(options) if o == label or o.startswith(f"{label} ("))


def choose(at: AppTest, key: str, label: str | None) -> None:
    box = at.selectbox(key=f"{key}@{rev(at)}")
    box.select(option_position(box.options, label)).run()
    assert not at.exception, at.exception


def shown(at: AppTest, key: str) -> str:
    """The option text a selectbox shows."""
    box = at.selectbox(key=f"{key}@{rev(at)}")
    return box.options[box.index]


def metric(at: AppTest, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def unescape(markdown: str) -> str:
    """What a Markdown renderer shows for backslash-escaped text."""
    return re.sub(r"\\(.)", r"\1", markdown)


# --------------------------------------------------------------------------------------------
# Overview and filter
# --------------------------------------------------------------------------------------------
def test_overview_shows_every_scenario_estimate_beside_result(at, example):
    df = overview(at)
    assert list(df["Scenario"]) == [s.name for s in example.scenarios]
    assert list(df["#"]) == list(range(1, len(example.scenarios) + 1))
    row = df[df["Scenario"] == ENTERPRISE].iloc[0]
    # From the example's comment: the room says A2 / Send to sales, the model says B2 / Qualify.
    assert (row["Est. grade"], row["Est. level"], row["Est. state"]) == ("A", "2", "Send to sales")
    assert (row["Cell"], row["State"], row["Agrees"]) == ("B2", "Qualify", "✗")
    assert row["Members agreeing"] == "2 of 4"  # Akira and Tom said Qualify; Marcus and Dana did not
    student = df[df["Scenario"] == STUDENT].iloc[0]
    assert student["State"] == "Ignore (knockout)"
    # Numbers for people: one decimal at most.
    assert all(round(v, 1) == v for v in df["Profile %"]) and all(round(v, 1) == v for v in df["Engagement %"])


def test_disagreements_only_shows_exactly_the_disagreeing_scenarios(at, example):
    disagreeing = [r.name for r in evaluate_scenarios(example) if r.agrees is False]
    assert len(disagreeing) == 4, "the example carries four deliberate disagreements"
    at.toggle(key=page_key("scenarios", "disagreements_only")).set_value(True).run()
    assert not at.exception
    df = overview(at)
    assert list(df["Scenario"]) == disagreeing
    assert set(df["Agrees"]) == {"✗"}
    # The picker follows the filter, keeping the open scenario.
    options = picker(at).options
    assert len(options) == 1 + len(disagreeing) and options[0].startswith("1. ")
    at.toggle(key=page_key("scenarios", "disagreements_only")).set_value(False).run()
    assert len(overview(at)) == len(example.scenarios)


def test_scatter_and_contributions_are_drawn(at):
    keys = {c.proto.id for c in at.get("plotly_chart")}
    assert len(keys) == 2, "the scenario plot and the contributions chart"


# --------------------------------------------------------------------------------------------
# The editor of one scenario
# --------------------------------------------------------------------------------------------
def test_opening_a_scenario_shows_its_values_estimates_and_result(at, example):
    index = open_scenario(at, ENTERPRISE)
    scenario = example.scenarios[index]
    employees = [f.name for f in example.profile].index("Employees")
    assert shown(at, f"scenario.{index}.profile.{employees}") == "5,000+ employees (50 %)"
    demo = [f.name for f in example.engagement].index("Demo request")
    assert shown(at, f"scenario.{index}.engagement.{demo}") == "(none)"
    assert shown(at, f"scenario.{index}.estimate.state") == scenario.estimate.state
    assert metric(at, "Cell") == "B2" and metric(at, "State") == "Qualify"
    assert metric(at, "Profile") == "71 %"
    assert any("Disagrees" in str(e.proto) for e in at.error)
    assert any("the team says A, the model says B" in unescape(e.value) for e in at.error)


def test_changing_a_value_moves_the_lead_and_flips_agreement(at, example):
    index = open_scenario(at, ENTERPRISE)
    employees = [f.name for f in example.profile].index("Employees")
    choose(at, f"scenario.{index}.profile.{employees}", "200-999 employees")

    expected_model = example.model_copy(deep=True)
    expected_model.scenarios[index].profile["Employees"] = "200-999 employees"
    expected = evaluate_scenario(expected_model, expected_model.scenarios[index])
    before = evaluate_scenario(example, example.scenarios[index])
    assert (expected.result.state, before.result.state) == ("Send to sales", "Qualify"), "the test moves the lead"

    model = at.session_state[StateKeys.MODEL]
    assert model.scenarios[index].profile["Employees"] == "200-999 employees"
    assert metric(at, "State") == expected.result.state
    assert metric(at, "Cell") == expected.result.cell
    row = overview(at).loc[index]
    assert (row["State"], row["Agrees"]) == (expected.result.state, "✓")
    assert any("Agrees" in s.value for s in at.success)


def test_a_value_can_be_set_to_none(at, example):
    index = open_scenario(at, ENTERPRISE)
    choose(at, f"scenario.{index}.profile.0", None)
    model = at.session_state[StateKeys.MODEL]
    assert "Job role" not in model.scenarios[index].profile
    expected_model = example.model_copy(deep=True)
    del expected_model.scenarios[index].profile["Job role"]
    expected = evaluate_scenario(expected_model, expected_model.scenarios[index])
    assert metric(at, "Profile") == f"{expected.result.profile_pct:g} %"


def test_changing_the_estimate_flips_agreement(at):
    index = open_scenario(at, ENTERPRISE)
    choose(at, f"scenario.{index}.estimate.state", "Qualify")
    assert at.session_state[StateKeys.MODEL].scenarios[index].estimate.state == "Qualify"
    assert overview(at).loc[index, "Agrees"] == "✗", "the grade estimate (A) still disagrees with B"
    choose(at, f"scenario.{index}.estimate.profile", "B")
    assert at.session_state[StateKeys.MODEL].scenarios[index].estimate == Estimate(
        profile="B", engagement="2", state="Qualify")
    assert overview(at).loc[index, "Agrees"] == "✓"
    choose(at, f"scenario.{index}.estimate.profile", None)
    assert at.session_state[StateKeys.MODEL].scenarios[index].estimate.profile is None
    assert pd.isna(overview(at).loc[index, "Est. grade"])


def test_per_member_estimate(at, example):
    index = 0
    member = [m.name for m in example.team].index("Sofia Alvarez")
    assert "Sofia Alvarez" not in example.scenarios[0].estimates_by_member
    assert overview(at).loc[index, "Members agreeing"] == "3 of 3"
    choose(at, f"scenario.{index}.member.{member}", "Nurture")
    assert at.session_state[StateKeys.MODEL].scenarios[0].estimates_by_member["Sofia Alvarez"] == "Nurture"
    assert overview(at).loc[index, "Members agreeing"] == "3 of 4"
    choose(at, f"scenario.{index}.member.{member}", None)
    assert "Sofia Alvarez" not in at.session_state[StateKeys.MODEL].scenarios[0].estimates_by_member


def test_knocked_out_scenario_says_why(at):
    open_scenario(at, STUDENT)
    assert metric(at, "State") == "Ignore"
    assert any("Job role = Student" in unescape(w.value) for w in at.warning)


def test_rename_and_notes(at, example):
    index = open_scenario(at, STUDENT)
    at.text_input(key=f"scenario.{index}.name@{rev(at)}").input("Student, thesis").run()
    assert not at.exception
    assert at.session_state[StateKeys.MODEL].scenarios[index].name == "Student, thesis"
    at.text_area(key=f"scenario.{index}.notes@{rev(at)}").input("Ask sales").run()
    assert at.session_state[StateKeys.MODEL].scenarios[index].notes == "Ask sales"


def test_renaming_to_a_taken_name_is_refused(at, example):
    index = open_scenario(at, STUDENT)
    before = at.session_state[StateKeys.MODEL]
    at.text_input(key=f"scenario.{index}.name@{rev(at)}").input(example.scenarios[0].name.upper()).run()
    assert not at.exception
    assert at.session_state[StateKeys.MODEL] == before
    assert any("already named" in e.value for e in at.error)
    assert at.text_input(key=f"scenario.{index}.name@{rev(at)}").value == STUDENT


# --------------------------------------------------------------------------------------------
# Add, duplicate, delete
# --------------------------------------------------------------------------------------------
def test_add_duplicate_and_delete(at, example):
    n = len(example.scenarios)
    at.button(key=page_key("scenarios", "add")).click().run()
    assert not at.exception
    model = at.session_state[StateKeys.MODEL]
    assert len(model.scenarios) == n + 1 and model.scenarios[-1].name == "New scenario"
    assert at.text_input(key=f"scenario.{n}.name@{rev(at)}").value == "New scenario", "the new one is open"
    assert overview(at).loc[n, "Agrees"] == "–"

    index = open_scenario(at, ENTERPRISE)
    at.button(key=page_key("scenarios", "duplicate")).click().run()
    model = at.session_state[StateKeys.MODEL]
    copy_ = model.scenarios[index + 1]
    assert copy_.name == f"{ENTERPRISE} (copy)"
    assert copy_.model_dump(exclude={"name"}) == example.scenarios[index].model_dump(exclude={"name"})
    assert at.text_input(key=f"scenario.{index + 1}.name@{rev(at)}").value == copy_.name

    at.button(key=page_key("scenarios", "delete")).click().run()
    assert not at.exception
    model = at.session_state[StateKeys.MODEL]
    assert [s.name for s in model.scenarios] == [s.name for s in example.scenarios] + ["New scenario"]


def test_a_workbook_without_scenarios(open_page, example):
    empty = example.model_copy(update={"scenarios": []}, deep=True)
    at = open_page(PAGE, empty)
    assert any("No scenarios yet" in i.value for i in at.info)
    at.button(key=page_key("scenarios", "add")).click().run()
    assert not at.exception
    assert [s.name for s in at.session_state[StateKeys.MODEL].scenarios] == ["New scenario"]


# --------------------------------------------------------------------------------------------
# What people typed is shown as text
# --------------------------------------------------------------------------------------------
def test_user_text_is_shown_literally(open_page, example):
    nasty = "<img src=x onerror=alert(1)>"
    model = example.model_copy(deep=True)
    model.name = "**bold**"
    model.scenarios.insert(0, Scenario(name=nasty, notes="*notes* <b>x</b>",
                                       estimate=Estimate(state="Qualify")))
    model.team[0].name = "[Dana](javascript:alert(1))"
    at = open_page(PAGE, model)
    assert overview(at).loc[0, "Scenario"] == nasty  # dataframes show text
    r = rev(at)
    assert at.text_input(key=f"scenario.0.name@{r}").value == nasty
    assert at.text_area(key=f"scenario.0.notes@{r}").value == "*notes* <b>x</b>"
    assert picker(at).options[0].startswith(f"1. {nasty}")
    member_label = at.selectbox(key=f"scenario.0.member.0@{r}").label
    assert "](" not in member_label.replace("\\]\\(", "") and unescape(member_label) == model.team[0].name
    # Nothing in a Markdown element carries the raw tag or unescaped emphasis.
    for element in [*at.markdown, *at.caption, *at.error, *at.success, *at.info, *at.warning]:
        assert "<img" not in element.value.replace("\\<img", "")
