"""Champion vs challenger on five leads whose states are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pytest
from fit_support import known_points_model
from test_acceptance import LEADS

from workbook.leads.compare import compare_models

AS_OF = dt.date(2026, 3, 1)


@pytest.fixture(scope="module")
def comparison():
    champion = known_points_model()
    # Champion states: L1 A1 Send to sales, L2 C3 Nurture, L3 B1 Send to sales, L4 C2 Qualify, L5 D3 Ignore.
    challenger = champion.model_copy(deep=True)
    challenger.name = "Challenger"
    challenger.matrix["B1"] = "Qualify"  # L3 moves from Send to sales to Qualify
    challenger.matrix["C3"] = "Ignore"  # L2 moves from Nurture to Ignore
    leads = LEADS.assign(Converted=["1", "0", "1", "0", "0"])
    return compare_models(champion, challenger, leads, as_of=AS_OF, outcome_column="Converted", capacity=2)


def test_movement_table_by_hand(comparison):
    table = comparison.movement_frame()
    assert list(table.index) == ["Send to sales", "Qualify", "Nurture", "Ignore"]
    assert table.loc["Send to sales", "Send to sales"] == 1 and table.loc["Send to sales", "Qualify"] == 1
    assert table.loc["Qualify", "Qualify"] == 1 and table.loc["Nurture", "Ignore"] == 1
    assert table.loc["Ignore", "Ignore"] == 1
    assert table.to_numpy().sum() == 5 and comparison.moved == 2


def test_conversion_per_state_for_each(comparison):
    champ = {g.name: g for g in comparison.champion_conversion}
    chall = {g.name: g for g in comparison.challenger_conversion}
    assert champ["Send to sales"].rate == 1.0 and champ["Qualify"].rate == 0.0
    assert chall["Send to sales"].rate == 1.0 and chall["Qualify"].rate == 0.5
    assert chall["Nurture"].count == 0 and chall["Ignore"].count == 2


def test_workload_against_capacity(comparison):
    champ, chall = comparison.champion_workload, comparison.challenger_workload
    assert champ.sales_states == ["Send to sales", "Qualify"]
    assert champ.per_state == [("Send to sales", 2), ("Qualify", 1)] and champ.leads == 3
    assert chall.per_state == [("Send to sales", 1), ("Qualify", 2)] and chall.leads == 3
    assert champ.utilisation == 1.5 and champ.over_capacity == 1
    data = comparison.as_dict()
    assert data["moved"] == 2 and data["challenger_workload"]["over_capacity"] == 1
    assert {"from": "Nurture", "to": "Ignore", "leads": 1} in data["movement"]


def test_bad_input_in_words():
    model = known_points_model()
    with pytest.raises(ValueError, match="no column 'Won'"):
        compare_models(model, model, LEADS, outcome_column="Won")
    with pytest.raises(ValueError, match="not a state of 'Known points': Call"):
        compare_models(model, model, LEADS, as_of=AS_OF, champion_sales_states=["Call"])
