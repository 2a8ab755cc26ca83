"""Nothing a person typed acts as HTML in a chart (issue 12: chart labels and hover texts).

Plotly renders a subset of HTML (``<b>``, ``<i>``, ``<a href>``, ``<br>``…) in titles, tick
labels, texts, hover texts, legend names and annotations. Every figure of the app is built in
:mod:`workbook.ui.figures`; each is drawn here for a workbook whose every name carries markup,
and every string in the figure is checked: the markup is there only escaped.
"""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

from workbook.calibrate import alignment, sensitivity
from workbook.engine import evaluate_scenarios
from workbook.files import load_model_text
from workbook.leads import reports
from workbook.ui import figures

SALES = (Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml").read_text(encoding="utf-8")
MARKUP = "<i>x</i><a href='javascript:alert(1)'>y</a>"


def hostile_model():
    """The sales-automation example with markup in state, attribute, value, scenario and member names."""
    model = load_model_text(SALES).model
    data = model.model_dump(mode="json", by_alias=True, exclude_none=True)
    text = json.dumps(data)
    for state in model.state_names:
        text = text.replace(json.dumps(state), json.dumps(state + MARKUP))
    for section in (model.profile, model.engagement):
        for f in section:
            text = text.replace(json.dumps(f.name), json.dumps(f.name + MARKUP))
    for s in model.scenarios:
        text = text.replace(json.dumps(s.name), json.dumps(s.name + MARKUP))
    for m in model.team:
        text = text.replace(json.dumps(m.name), json.dumps(m.name + MARKUP))
    from workbook.model import ScoringModel

    hostile = ScoringModel.model_validate(json.loads(text))
    assert any(MARKUP in n for n in hostile.state_names)
    return hostile


def strings(node):
    if isinstance(node, str):
        yield node
    elif isinstance(node, dict):
        for v in node.values():
            yield from strings(v)
    elif isinstance(node, (list, tuple)):
        for v in node:
            yield from strings(v)


def assert_inert(fig):
    shown = list(strings(fig.to_plotly_json()))
    live = [s for s in shown if "<i>x" in s or "<a " in s.lower()]
    assert not live, live[:3]
    assert any("&lt;i&gt;x&lt;/i&gt;" in s for s in shown), "the hostile names are not drawn at all"


@pytest.fixture(scope="module")
def model():
    return hostile_model()


@pytest.fixture(scope="module")
def scored(model):
    """A scored list by hand: every cell of the grid with its state, half of them converted."""
    rows = [{"cell": c, "state": model.matrix[c], "won": i % 2} for i, c in enumerate(model.cells) for _ in range(3)]
    return pd.DataFrame(rows)


def test_grid_and_scenario_figures(model):
    results = evaluate_scenarios(model)
    counts = {r.result.cell: 1 for r in results if r.result.cell}
    assert_inert(figures.grid_heatmap(model, counts, title=model.scenarios[0].name))
    assert_inert(figures.printable_grid_heatmap(model, counts))
    scatter = figures.scenario_scatter(model, results)
    assert_inert(figures.mark_selected(scatter, results[0]))
    assert_inert(figures.contributions_bar(results[0].result, title=results[0].name))
    assert_inert(figures.weights_bar([f.name for f in model.profile], [float(f.weight) for f in model.profile],
                                     title=model.profile[0].name))


def test_calibration_figures(model):
    assert_inert(figures.tornado_chart(sensitivity(model).tornado, 5))
    assert_inert(figures.member_heatmap(alignment(model), model))


def test_lead_list_figures(model, scored):
    outcome = reports.outcome_report(model, scored, "won")
    spread = reports.distribution(model, scored)
    assert_inert(figures.lead_grid_heatmap(model, spread.cells, title=model.scenarios[0].name))
    assert_inert(figures.rate_grid_heatmap(model, outcome.cells, title=model.scenarios[0].name))
    assert_inert(figures.capture_chart(model, outcome.cells))
    assert_inert(figures.state_rate_bar(model, outcome.states, outcome.base_rate))
    per_week = {s: 3.0 for s in model.state_names}
    assert_inert(figures.state_volume_bar(model, per_week, worked=model.state_names[:2], capacity=4))


def test_the_checked_figures_are_every_figure_of_the_app():
    """A new figure builder must be added to the checks above."""
    import inspect

    checked = set(inspect.getsource(inspect.getmodule(test_lead_list_figures)).split("figures.")[1:])
    checked = {part.split("(")[0] for part in checked}
    builders = {n for n, f in vars(figures).items()
                if inspect.isfunction(f) and not n.startswith("_") and f.__module__ == figures.__name__
                and "Figure" in str(inspect.signature(f).return_annotation)}
    assert builders <= checked, builders - checked
