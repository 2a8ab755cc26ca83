"""Test scenarios from pasted rows or a file: one row per scenario, values in words (issue 11, item 3)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook import editing
from workbook.editing import EditError, add_scenarios_from_rows, scenario_columns, scenarios_from_rows, split_block
from workbook.files import load_model_file
from workbook.model import ScoringModel

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml"


def model_without_scenarios() -> ScoringModel:
    model = load_model_file(EXAMPLE).model
    model.scenarios = []
    return model


MODEL = model_without_scenarios()
FACTORS = [(s, f) for s in ("profile", "engagement") for f in MODEL.section(s)]


def test_a_header_names_columns_in_any_order_any_case_and_may_leave_some_out():
    block = (
        "geography\tScenario\t  JOB   ROLE \tDemo request\tEstimated state\n"
        "dach\tCFO at a bank\tvp or director of sales\twithin 7 DAYS\tsend to sales\n"
        "\n"
        "Outside our sales territories\tStudent lead\tStudent\t\tignore\n"
    )
    first, second = scenarios_from_rows(MODEL, split_block(block))
    assert first.name == "CFO at a bank"
    assert first.profile == {"Job role": "VP or director of sales", "Geography": "DACH"}
    assert first.engagement == {"Demo request": "Within 7 days"}
    assert first.estimate is not None and first.estimate.state == "Send to sales"
    assert second.profile == {"Job role": "Student", "Geography": "Outside our sales territories"}
    assert second.engagement == {}
    assert second.estimate is not None and second.estimate.state == "Ignore"


def test_without_a_header_columns_follow_the_models_order_then_state_and_notes():
    labels = [f.values[0].label for _, f in FACTORS]
    row = ["Ideal buyer", *labels, "Qualify", "Met at a fair"]
    (scenario,) = scenarios_from_rows(MODEL, [row])
    assert scenario.profile == {f.name: f.values[0].label for f in MODEL.profile}
    assert scenario.engagement == {f.name: f.values[0].label for f in MODEL.engagement}
    assert scenario.estimate is not None and scenario.estimate.state == "Qualify"
    assert scenario.notes == "Met at a fair"
    assert [c.words() for c in scenario_columns(MODEL)][:2] == ["Scenario", "Job role"]


def test_all_rows_are_added_after_the_existing_scenarios_in_one_edit_and_the_model_is_untouched():
    model = editing.add_scenario(MODEL, "Already there")
    new = add_scenarios_from_rows(model, split_block("Scenario\tJob role\nOne\tStudent\nTwo\tOther role\n"))
    assert [s.name for s in new.scenarios] == ["Already there", "One", "Two"]
    assert [s.name for s in model.scenarios] == ["Already there"]


@pytest.mark.parametrize(
    ("block", "words"),
    [
        # An unknown value: the row (header = row 1), the column by number and name, the known labels.
        ("Scenario\tJob role\nOne\tStudent\nTwo\tCEO\n",
         ["row 3, column 2 (Job role)", "'CEO'", "Known values: Head of sales operations,", "Student"]),
        ("Scenario\tState\nOne\tHot\n",
         ["row 2, column 2 (State)", "'Hot'", "Send to sales, Qualify, Nurture, Ignore"]),
        ("Scenario\tJob rol\nOne\tStudent\n", ["column 2, 'Job rol'", "Known columns: Scenario, Job role"]),
        ("Scenario\tJob role\tjob role\nOne\tStudent\tStudent\n", ["'Job role' twice"]),
        ("Scenario\tJob role\nOne\tStudent\none\tStudent\n", ["row 3", "'One' already exists"]),
        ("Scenario\tJob role\n\tStudent\n", ["row 2 has no scenario name"]),
        ("Scenario\tJob role\nOne\tStudent\textra\n", ["row 2, column 3", "'extra'"]),
        ("Job role\tGeography\nStudent\tDACH\n", ["no 'Scenario' column"]),
        ("Scenario\n\n", ["no scenarios found"]),
    ],
)
def test_a_refusal_names_the_row_the_column_and_what_is_known_and_adds_nothing(block, words):
    with pytest.raises(EditError) as caught:
        add_scenarios_from_rows(MODEL, split_block(block))
    for word in words:
        assert word in str(caught.value)
    assert MODEL.scenarios == []


def test_a_name_the_model_already_has_is_refused():
    model = editing.add_scenario(MODEL, "Ideal buyer")
    with pytest.raises(EditError, match="'Ideal buyer' already exists"):
        add_scenarios_from_rows(model, [["ideal BUYER"]])


def test_a_model_without_values_says_to_add_them_first():
    model = editing.blank_model()
    model = editing.set_factors(model, "profile", [{"name": "Region", "weight": 100, "orig": None}])
    with pytest.raises(EditError, match="none yet"):
        add_scenarios_from_rows(model, [["One", "Europe"]])


def _scramble(text: str, data) -> str:
    """The label as a person may type it: any case, spaces around."""
    cased = "".join(c.upper() if data.draw(st.booleans()) else c.lower() for c in text)
    return " " * data.draw(st.integers(0, 2)) + cased + " " * data.draw(st.integers(0, 2))


@settings(max_examples=60, deadline=None)
@given(st.data())
def test_rows_in_words_round_trip_whatever_the_case_order_and_spacing(data):
    count = data.draw(st.integers(1, 5))
    order = data.draw(st.permutations(range(len(FACTORS))))
    header = ["Scenario", *[FACTORS[i][1].name for i in order], "State"]
    chosen, rows = [], []
    for n in range(count):
        picks = {i: data.draw(st.one_of(st.none(), st.integers(0, len(FACTORS[i][1].values) - 1))) for i in order}
        state = data.draw(st.sampled_from([None, *MODEL.state_names]))
        cells = [f"Scenario {n}"]
        cells += ["" if picks[i] is None else _scramble(FACTORS[i][1].values[picks[i]].label, data) for i in order]
        cells.append("" if state is None else _scramble(state, data))
        rows.append(cells)
        chosen.append((picks, state))
    text = "\n".join("\t".join(r) for r in [header, *rows]) + "\n"
    new = add_scenarios_from_rows(MODEL, split_block(text))
    assert len(new.scenarios) == count
    for scenario, (picks, state) in zip(new.scenarios, chosen, strict=True):
        for i, pick in picks.items():
            section, factor = FACTORS[i]
            got = getattr(scenario, section).get(factor.name)
            assert got == (None if pick is None else factor.values[pick].label)
        assert (scenario.estimate.state if scenario.estimate else None) == state
        # Kept in the model's order, as the editor keeps them.
        assert list(scenario.profile) == [f.name for f in MODEL.profile if f.name in scenario.profile]


@settings(max_examples=60, deadline=None)
@given(st.text(min_size=1, max_size=20).filter(str.strip))
def test_a_value_not_known_is_always_refused_never_guessed(text):
    labels = {" ".join(v.label.split()).casefold() for v in MODEL.profile[0].values}
    if " ".join(text.split()).casefold() in labels:
        return
    with pytest.raises(EditError, match=r"row 1, column 2 \(Job role\)"):
        scenarios_from_rows(MODEL, [["A lead", text]])
