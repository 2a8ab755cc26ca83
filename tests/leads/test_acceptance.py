"""Sales acceptance review on five leads whose cells are worked out by hand."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from fit_support import known_points_model

from workbook.leads import score_leads
from workbook.leads.acceptance import AcceptanceError, acceptance_review, parse_verdict

# Role, Size, Budget, Demo, Webinar → cell (see the scores in fit_support.KNOWN_POINTS_YAML)
LEADS = pd.DataFrame(
    [
        ("L1", "Analyst", "Small", "No", "None", "No", "x"),  # profile 100, engagement 100: A1 Send to sales
        ("L2", "Exec", "Large", "Yes", "Requested", "Attended", "x"),  # 30 / 25: C3 Nurture
        ("L3", "Manager", "Small", None, "None", "Registered", "x"),  # 60 / 75: B1 Send to sales
        ("L4", "Exec", "Large", "Yes", "Requested", "Registered", "x"),  # 30 / 50: C2 Qualify
        ("L5", "Exec", "Large", None, "Requested", "Attended", "x"),  # 20 / 25: D3 Ignore
    ],
    columns=["Lead ID", "Role", "Size", "Budget", "Demo", "Webinar", "Sales tag"],
)
VERDICTS = pd.DataFrame(
    [
        ("L1", "Accepted", ""),  # overridden by the later verdict on L1
        ("L1", "Rejected", "No budget"),
        (" L3 ", "rejected", "No budget"),
        ("L2", "accepted", ""),
        ("L5", "YES", ""),
        ("L4", "maybe", ""),
        ("X9", "accepted", ""),  # not in the list
    ],
    columns=["id", "Verdict", "Reason"],
)


@pytest.fixture(scope="module")
def review():
    model = known_points_model()
    scored = score_leads(model, LEADS, dt.date(2026, 3, 1)).frame
    assert list(scored["cell"].astype(str)) == ["A1", "C3", "B1", "C2", "D3"]
    return acceptance_review(model, scored, VERDICTS, id_column="Lead ID", verdict_id_column="id",
                             verdict_column="Verdict", reason_column="Reason")


def test_acceptance_per_state_by_hand(review):
    states = {g.name: g for g in review.states}
    send = states["Send to sales"]
    assert (send.delivered, send.accepted, send.rejected, send.rate) == (2, 0, 2, 0.0)
    assert send.reasons == [("No budget", 2)]
    assert states["Nurture"].rate == 1.0 and states["Ignore"].rate == 1.0
    assert states["Qualify"].delivered == 0 and states["Qualify"].rate is None  # "maybe" is unknown
    assert (review.total.delivered, review.total.accepted) == (4, 2)


def test_acceptance_per_cell(review):
    cells = {g.name: g for g in review.cells}
    assert cells["A1"].rejected == 1 and cells["B1"].rejected == 1 and cells["C3"].accepted == 1
    assert cells["A2"].delivered == 0


def test_disagreements_hottest_rejected_and_coldest_accepted_first(review):
    assert [d.lead_id for d in review.hot_rejected] == ["L1", "L3"]
    assert review.hot_rejected[0].cell == "A1" and review.hot_rejected[0].reason == "No budget"
    assert [d.lead_id for d in review.cold_accepted] == ["L5", "L2"]


def test_what_did_not_join_is_counted(review):
    assert review.unknown_verdicts == [("maybe", 1)]
    assert review.unmatched_ids == 1 and review.duplicate_ids == 1


def test_verdict_words_and_missing_columns():
    assert [parse_verdict(x) for x in ["Accepted", " no ", "1", "Qualified", "later", None]] == [
        "accepted", "rejected", "accepted", "accepted", None, None]
    with pytest.raises(AcceptanceError, match="verdicts have no column 'Outcome'"):
        acceptance_review(known_points_model(), LEADS.assign(cell="A1", state="Qualify"), VERDICTS,
                          id_column="Lead ID", verdict_id_column="id", verdict_column="Outcome")
