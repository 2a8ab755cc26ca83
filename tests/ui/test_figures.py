"""The grid figures (workbook.ui.figures): one grid builder draws the state grid and the lead-list
grids; each cell is coloured and labelled by its own cell's numbers, grades down, levels across."""

from __future__ import annotations

from pathlib import Path

import pytest

from workbook.files import load_model_text
from workbook.leads.reports import Group
from workbook.ui import figures

SALES = Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml"


@pytest.fixture(scope="module")
def model():
    return load_model_text(SALES.read_text(encoding="utf-8")).model


def _heatmap(fig):
    (trace,) = fig.data
    assert trace.type == "heatmap"
    return trace


def _at(trace, model, cell: str):
    """A cell's (value, label) in a grid figure: rows are grades, columns levels."""
    row = model.grades.index(cell[0])
    col = model.levels.index(cell[1:])
    return trace.z[row][col], trace.text[row][col]


def test_state_grid_colours_each_cell_by_its_states_step(model):
    counts = {model.cells[0]: 3, model.cells[-1]: 1}
    trace = _heatmap(figures.grid_heatmap(model, counts, title="Grid"))
    assert list(trace.y) == [f"Grade {g}" for g in model.grades]
    assert list(trace.x) == [f"Level {lvl}" for lvl in model.levels]
    states = model.state_names
    for cell in model.cells:
        value, label = _at(trace, model, cell)
        assert value == states.index(model.matrix[cell])
        assert label.startswith(f"<b>{cell}</b><br>{model.matrix[cell]}")
    assert _at(trace, model, model.cells[0])[1].endswith("3 scenarios")
    assert _at(trace, model, model.cells[1])[1].endswith("0 scenarios")
    # One flat colour step per state, so each state reads as one colour whatever its index.
    n = len(states)
    assert (trace.zmin, trace.zmax) == (-0.5, n - 0.5) and trace.showscale is False
    steps = list(trace.colorscale)
    assert len(steps) == 2 * n
    assert [c for _, c in steps[::2]] == [figures.STATE_COLOURS[i] for i in range(n)]
    assert steps[0][0] == 0 and steps[-1][0] == 1


def test_state_grid_without_counts_shows_cell_and_state_only(model):
    trace = _heatmap(figures.grid_heatmap(model))
    cell = model.cells[0]
    assert _at(trace, model, cell)[1] == f"<b>{cell}</b><br>{model.matrix[cell]}"


def test_lead_grid_colours_by_share_and_labels_count_and_share(model):
    first, second = model.cells[0], model.cells[1]
    cells = [Group(first, 1234, 0.8), Group(second, 300, 0.2)] + [Group(c, 0, 0.0) for c in model.cells[2:]]
    fig = figures.lead_grid_heatmap(model, cells)
    trace = _heatmap(fig)
    value, label = _at(trace, model, first)
    assert value == pytest.approx(80) and label.endswith("<br>1,234 · 80 %")
    assert _at(trace, model, second)[0] == pytest.approx(20)
    assert (trace.zmin, trace.zmax) == (0, pytest.approx(80))
    assert trace.colorbar.title.text == "Share of leads"
    assert fig.layout.height == 110 + 80 * len(model.grades)


def test_rate_grid_leaves_cells_without_outcomes_blank(model):
    first, second = model.cells[0], model.cells[1]
    cells = [Group(first, 10, 0.5, 8, 2, 0.25, 1.0), Group(second, 10, 0.5, 0, 0, None, None)]
    trace = _heatmap(figures.rate_grid_heatmap(model, cells, title="Rates"))
    value, label = _at(trace, model, first)
    assert value == pytest.approx(25) and label.endswith("<br>2 of 8")
    value, label = _at(trace, model, second)
    assert value is None and label.endswith("no outcome")
    assert trace.colorbar.title.text == "Conversion rate"


def test_printable_grid_is_the_state_grid_at_a_fixed_width(model):
    counts = {model.cells[0]: 2}
    screen, printable = figures.grid_heatmap(model, counts), figures.printable_grid_heatmap(model, counts)
    assert printable.data == screen.data
    assert printable.layout.width == min(140 + 110 * len(model.levels), 620)
