"""Funnel figures checked by hand on a list of nine leads."""

from __future__ import annotations

import pandas as pd
import pytest
from fit_support import known_points_model

from workbook.leads.funnel import FunnelError, funnel_report

STAGES = ["MQL", "Sales accepted", "Opportunity", "Won"]
# lead: cell, state, furthest stage, amount
LEADS = [
    ("A1", "Send to sales", "Won", "100"),
    ("A1", "Send to sales", "Opportunity", "50"),
    ("A1", "Send to sales", "MQL", ""),
    ("B2", "Qualify", "Sales accepted", "30"),
    ("B2", "Qualify", "Won", "80"),
    ("C3", "Nurture", "Won", "60"),
    ("D4", "Ignore", None, None),
    ("D4", "Ignore", "Closed lost", "20"),  # not a stage: reached none, and reported
    ("D2", "Ignore", "  won ", "40"),  # case and spaces do not matter
]


@pytest.fixture(scope="module")
def scored() -> pd.DataFrame:
    frame = pd.DataFrame(LEADS, columns=["cell", "state", "Stage", "Amount"])
    for i, stage in enumerate(STAGES):  # the same funnel as one 0/1 column per stage
        later = [x.lower() for x in STAGES[i:]]
        frame[stage] = ["1" if lead[2] is not None and lead[2].strip().lower() in later else "0" for lead in LEADS]
    return frame


@pytest.fixture(scope="module")
def funnel(scored):
    return funnel_report(known_points_model(), scored, stage_column="Stage", stages=STAGES, amount_column="Amount")


def _state(funnel, name):
    return next(g for g in funnel.states if g.name == name)


def test_per_state_by_hand(funnel):
    send = _state(funnel, "Send to sales")
    assert send.leads == 3 and send.reached == [3, 2, 2, 1]
    assert send.win_rate == pytest.approx(1 / 3)
    assert send.pipeline_value == 150 and send.won_value == 100  # leads 1 and 2 reached Opportunity
    qualify = _state(funnel, "Qualify")
    assert qualify.reached == [2, 2, 1, 1] and qualify.pipeline_value == 80 and qualify.won_value == 80
    ignore = _state(funnel, "Ignore")
    assert ignore.leads == 3 and ignore.reached == [1, 1, 1, 1] and ignore.won_value == 40


def test_whole_list_conversion_and_step_rates(funnel):
    total = funnel.total
    assert total.leads == 9 and total.reached == [7, 6, 5, 4]
    assert total.conversion() == pytest.approx([7 / 9, 6 / 9, 5 / 9, 4 / 9])
    assert total.step_rates() == pytest.approx([7 / 9, 6 / 7, 5 / 6, 4 / 5])


def test_per_cell_by_hand(funnel):
    cells = {g.name: g for g in funnel.cells}
    assert cells["A1"].reached == [3, 2, 2, 1]
    assert cells["D4"].leads == 2 and cells["D4"].reached == [0, 0, 0, 0]
    assert cells["D2"].wins == 1 and cells["A2"].leads == 0 and cells["A2"].win_rate is None


def test_missed_wins_are_those_sent_to_nurture_or_ignore(funnel):
    assert funnel.missed_states == ["Nurture", "Ignore"]
    assert funnel.missed_wins == 2 and funnel.missed_value == 100  # leads 6 and 9
    assert funnel.missed_share == 0.5
    assert funnel.sentence() == "The model would have sent 2 of the wins to Nurture or Ignore (50% of all wins)."
    assert funnel.unrecognised == [("Closed lost", 1)]


def test_one_column_per_stage_gives_the_same_funnel(scored, funnel):
    other = funnel_report(known_points_model(), scored, stage_columns=STAGES, amount_column="Amount",
                          missed_states=["Ignore"])
    assert [g.reached for g in other.states] == [g.reached for g in funnel.states]
    assert other.missed_wins == 1 and other.missed_value == 40


def test_bad_descriptions_are_refused_in_words(scored):
    model = known_points_model()
    with pytest.raises(FunnelError, match="either one ordered stage column"):
        funnel_report(model, scored)
    with pytest.raises(FunnelError, match="no column 'Deal'"):
        funnel_report(model, scored, stage_columns=["MQL", "Deal"])
    with pytest.raises(FunnelError, match="not a state of the model: Lost"):
        funnel_report(model, scored, stage_column="Stage", stages=STAGES, missed_states=["Lost"])
    as_dict = funnel_report(model, scored, stage_column="Stage", stages=STAGES).as_dict()
    assert as_dict["total"]["reached"] == {"MQL": 7, "Sales accepted": 6, "Opportunity": 5, "Won": 4}
