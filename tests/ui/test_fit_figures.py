"""The fit page's figures show lead-list and workbook text as text: every label and hover escaped."""

from __future__ import annotations

import json

from workbook.leads.acceptance import AcceptanceGroup
from workbook.leads.funnel import FunnelGroup
from workbook.leads.reports import Group
from workbook.leads.suggestion import AttributeWeight, ValueSuggestion
from workbook.ui import fit_figures

EVIL = "<img src=x onerror=alert(1)>"
SAFE = "&lt;img src=x onerror=alert(1)&gt;"


def _spec(fig) -> str:
    return json.dumps(fig.to_plotly_json(), ensure_ascii=False)


def test_every_figure_escapes_the_names_it_shows():
    value = ValueSuggestion("profile", EVIL, EVIL, 10, 4, 0.4, 1.2, 0.2, 0.6, 20, 55)
    figures = [
        fit_figures.value_evidence(EVIL, [value]),
        fit_figures.weights_compare([AttributeWeight("profile", EVIL, 30, 40)]),
        fit_figures.state_conversion_compare([EVIL], [Group(EVIL, 5, 1.0, 5, 2, 0.4, 1.0)],
                                             [Group(EVIL, 5, 1.0, 5, 3, 0.6, 1.5)], labels=(EVIL, EVIL)),
        fit_figures.funnel_by_state([EVIL], [FunnelGroup(EVIL, 4, [2])]),
        fit_figures.acceptance_by_state([AcceptanceGroup(EVIL, 4, 3, 1)]),
        fit_figures.movement_heatmap([EVIL], [EVIL], [[3]], EVIL, EVIL),
        fit_figures.workload_bars(EVIL, EVIL, 3, 4, 2),
    ]
    for fig in figures:
        spec = _spec(fig)
        assert "<img" not in spec
        assert SAFE in spec


def test_the_auc_chart_shows_the_three_figures_in_order():
    fig = fit_figures.auc_bars(0.72, 0.86, 0.89)
    bar = fig.data[0]
    assert list(bar.x) == [0.72, 0.86, 0.89]
    assert list(bar.text) == ["AUC 0.72", "AUC 0.86", "AUC 0.89"]
    assert list(fit_figures.auc_bars(None, 0.8, None).data[0].text) == ["–", "AUC 0.80", "–"]


def test_the_evidence_chart_draws_the_interval_around_the_rate():
    value = ValueSuggestion("profile", "Role", "Exec", 100, 40, 0.4, 1.2, 0.31, 0.5, 20, 55)
    rates = fit_figures.value_evidence("Role", [value]).data[0]
    assert list(rates.x) == [40.0]
    assert abs(rates.error_x.arrayminus[0] - 9.0) < 1e-9 and abs(rates.error_x.array[0] - 10.0) < 1e-9
