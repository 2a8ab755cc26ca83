"""AppTest: the Workbooks page's starter set (tick boxes → a valid workbook) and the comparison of
two workbooks (or a workbook and an uploaded file) side by side."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import run
from workbook.engine import evaluate_scenarios
from workbook.files import dump_model
from workbook.templates import STARTER_ACTIVITIES, STARTER_ATTRIBUTES
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.workbooks_compare import OTHER, tick_key
from workbook.validate import validate


@pytest.fixture
def at(open_page) -> AppTest:
    return open_page("pages/workbooks.py")


def test_a_workbook_from_the_ticked_starter_factors(at, store, model_of):
    first = at.session_state[StateKeys.WORKBOOK]
    at.get_by_key(page_key("workbooks", "start_from")).set_value("starter")
    run(at)
    at.text_input(key=page_key("workbooks", "starter_name")).set_value("FY28 model")
    at.checkbox(key=tick_key("attribute", 2)).uncheck()  # no Industry
    for i in range(1, len(STARTER_ACTIVITIES)):
        at.checkbox(key=tick_key("activity", i)).uncheck()  # only the demo request
    at.button(key=page_key("workbooks", "create_starter")).click()
    run(at)
    assert at.session_state[StateKeys.WORKBOOK] != first
    model = model_of(at)
    assert model.name == "FY28 model"
    assert [f.name for f in model.profile] == [f.name for i, f in enumerate(STARTER_ATTRIBUTES) if i != 2]
    assert [(f.name, f.weight) for f in model.engagement] == [(STARTER_ACTIVITIES[0].name, 100)]
    assert validate(model).errors == []
    assert store.head(at.session_state[StateKeys.WORKBOOK]).model == model


def test_the_starter_set_refuses_an_empty_section(at):
    first = at.session_state[StateKeys.WORKBOOK]
    at.get_by_key(page_key("workbooks", "start_from")).set_value("starter")
    run(at)
    for i in range(len(STARTER_ACTIVITIES)):
        at.checkbox(key=tick_key("activity", i)).uncheck()
    at.button(key=page_key("workbooks", "create_starter")).click()
    run(at)
    assert at.session_state[StateKeys.WORKBOOK] == first
    assert any("tick at least one activity" in e.value for e in at.error)


def _texts(at: AppTest) -> list[str]:
    return [m.value for m in at.markdown] + [c.value for c in at.caption]


def test_two_workbooks_side_by_side(at, store, model_of):
    mine = model_of(at)
    other = mine.model_copy(deep=True)
    other.name = "Other team's model"
    other.matrix["B3"] = "Qualify"
    other.profile[0].weight += 5
    other.profile[1].weight -= 5
    info = store.create(other, source="upload")
    run(at)
    at.selectbox(key=OTHER).select(info.id)
    run(at)
    weights = at.get_by_key(page_key("workbooks", "diff", "weight")).dataframe[0].value
    assert list(weights.columns) == ["What", "This workbook", "The other workbook", "Change"]
    name = mine.profile[0].name
    assert f"ICP weight '{name}' {mine.profile[0].weight:g} → {other.profile[0].weight:g}" in list(weights["Change"])
    cells = at.get_by_key(page_key("workbooks", "diff", "cell")).dataframe[0].value
    assert list(cells["Change"]) == [f"Grid cell B3: {mine.matrix['B3']} → Qualify"]
    # the scenarios table lists exactly those whose state or cell differs (worked out by the engine)
    before = {r.name: (r.result.cell, r.result.state) for r in evaluate_scenarios(mine)}
    after = {r.name: (r.result.cell, r.result.state) for r in evaluate_scenarios(other)}
    moved = {n for n in before if before[n] != after[n]}
    assert len(moved) >= 3  # every scenario in B3 now lands in Qualify
    frame = at.get_by_key(page_key("workbooks", "diff", "scenarios")).dataframe[0].value
    assert set(frame["Scenario"]) == moved


def test_a_workbook_beside_an_uploaded_file(at, model_of):
    mine = model_of(at)
    other = mine.model_copy(deep=True)
    other.matrix["D1"] = "Qualify" if mine.matrix["D1"] != "Qualify" else "Nurture"
    at.selectbox(key=OTHER).select("file")
    run(at)
    uploader = at.get_by_key(page_key("workbooks", "compare_upload"))
    uploader.upload("other.yaml", dump_model(other).encode("utf-8"), "application/x-yaml")
    run(at)
    cells = at.get_by_key(page_key("workbooks", "diff", "cell")).dataframe[0].value
    assert list(cells.columns) == ["What", "This workbook", "The file", "Change"]
    assert list(cells["What"]) == ["Grid cell D1"]


def test_the_same_model_under_another_name_has_no_differences(at, store, model_of):
    info = store.create(model_of(at).model_copy(update={"name": "A copy"}), source="upload")
    run(at)
    at.selectbox(key=OTHER).select(info.id)
    run(at)
    assert any("No differences" in i.value for i in at.info)
