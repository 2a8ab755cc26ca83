"""The Test scenarios page's pure helpers (no AppTest): the overview table, its highlighting, the plot mark."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from workbook.engine import evaluate_scenarios
from workbook.files import load_model_file
from workbook.ui import figures
from workbook.ui.components.scenario_text import (
    EST_CELL,
    MISMATCH_CSS,
    NONE_LABEL,
    clamp_selection,
    estimated_cell,
    member_sentence,
    mismatches,
    overview_frame,
    overview_styles,
    value_option_text,
)

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml"


@pytest.fixture(scope="module")
def model():
    return load_model_file(EXAMPLE).model


@pytest.fixture(scope="module")
def results(model):
    return evaluate_scenarios(model)


def test_filtered_rows_keep_their_scenario_number(results):
    df = overview_frame(results, disagreements_only=True)
    assert list(df.index) == [i for i, r in enumerate(results) if r.agrees is False]
    assert list(df["#"]) == [i + 1 for i in df.index]


def test_only_contradicted_estimates_are_highlighted(results):
    df = overview_frame(results)
    styles = overview_styles(df, results)
    enterprise = next(i for i, r in enumerate(results) if r.name.startswith("Enterprise VP Sales"))
    # The room said A2 / Send to sales; the model says B2 / Qualify: grade and state are wrong, level right.
    assert styles.loc[enterprise, "Est. grade"] == MISMATCH_CSS
    assert styles.loc[enterprise, "Est. level"] == ""
    assert styles.loc[enterprise, "Est. state"] == MISMATCH_CSS
    assert styles.loc[enterprise, "Agrees"] == MISMATCH_CSS
    agreeing = next(i for i, r in enumerate(results) if r.agrees)
    assert styles.loc[agreeing, ["Est. grade", "Est. level", "Est. state", "State"]].tolist() == [""] * 4


def test_the_estimated_grade_and_level_read_as_one_cell(results):
    assert estimated_cell({"profile": "A", "engagement": "2", "state": "Qualify"}) == "A2"
    assert estimated_cell({"profile": "A"}) == "A–"
    assert estimated_cell({"engagement": "3"}) == "–3"
    assert estimated_cell({"state": "Nurture"}) is None
    df = overview_frame(results)
    for pos, r in enumerate(results):
        est = r.scenario.estimate.given() if r.scenario.estimate else {}
        shown = df.loc[pos, EST_CELL]
        assert (None if pd.isna(shown) else shown) == estimated_cell(est), r.name


def test_the_estimated_cell_is_highlighted_when_its_grade_or_level_is_contradicted(results):
    df = overview_frame(results)
    styles = overview_styles(df, results)
    for pos, r in enumerate(results):
        wrong = r.checks.get("profile") is False or r.checks.get("engagement") is False
        assert (styles.loc[pos, EST_CELL] == MISMATCH_CSS) == wrong, r.name
    assert any(styles[EST_CELL] == MISMATCH_CSS)  # the example has such a scenario (Enterprise VP Sales)


def test_mismatches_in_words(results):
    enterprise = next(r for r in results if r.name.startswith("Enterprise VP Sales"))
    assert mismatches(enterprise) == [
        "Profile grade: the team says A, the model says B",
        "State: the team says Send to sales, the model says Qualify",
    ]
    assert mismatches(next(r for r in results if r.agrees)) == []


def test_member_sentence(results):
    assert member_sentence(results[0]) == "3 of 3"
    no_members = next((r for r in results if not r.member_checks), None)
    if no_members is not None:
        assert member_sentence(no_members) == "–"


@pytest.mark.parametrize(("stored", "count", "expected"), [
    (None, 0, None), (None, 5, 0), ("x", 5, 0), (3, 5, 3), (9, 5, 4), (-2, 5, 0),
])
def test_clamp_selection(stored, count, expected):
    assert clamp_selection(stored, count) == expected


def test_value_options_read_with_their_score(model):
    text = value_option_text(model.profile[0], "attribute")
    assert text(None) == NONE_LABEL
    assert text("Head of sales operations") == "Head of sales operations (100 %)"
    assert text("Student") == "Student (0 % · knockout)"
    assert text("Astronaut") == "Astronaut (not a value of this attribute)"


def test_mark_selected_rings_the_open_scenario(model, results):
    fig = figures.scenario_scatter(model, results)
    before = len(fig.data)
    figures.mark_selected(fig, results[2])
    assert len(fig.data) == before + 1
    ring = fig.data[-1]
    assert (ring.x[0], ring.y[0]) == (results[2].result.profile_pct, results[2].result.engagement_pct)
    assert ring.name == "Open in the editor"
