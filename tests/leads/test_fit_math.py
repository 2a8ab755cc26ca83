"""The arithmetic of the fit, checked by hand: whole weights, Wilson interval, AUC by cell."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from fit_support import known_points_model
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.calibrate.weights import WeightBound
from workbook.leads.evidence import auc, cell_rank, wilson
from workbook.leads.fitmath import cell_positions, grouped_auc, integer_weights, search_thresholds

FREE = WeightBound()


def test_weights_proportional_to_ranges():
    assert integer_weights([("a", 0, 1.0, FREE), ("b", 0, 1.0, FREE), ("c", 0, 2.0, FREE)]) == {
        "a": 25, "b": 25, "c": 50}


def test_weights_round_by_largest_remainder_to_exactly_100():
    # 33.33 each: two get 33, the largest remainder (the first, by order) gets 34
    got = integer_weights([("a", 0, 1.0, FREE), ("b", 0, 1.0, FREE), ("c", 0, 1.0, FREE)])
    assert sorted(got.values()) == [33, 33, 34] and sum(got.values()) == 100


def test_locked_bounded_and_left_out_weights():
    got = integer_weights(
        [("locked", 12.5, 9.0, WeightBound(locked=True)), ("capped", 0, 3.0, WeightBound(max=30)),
         ("free", 0, 1.0, FREE), ("leak", 40, 5.0, FREE)],
        zero={"leak"},
    )
    # 87.5 left for capped and free: capped wants 65.6, is held at 30; free takes the rest
    assert got == {"locked": 12.5, "capped": 30, "free": 57.5, "leak": 0}


def test_no_signal_keeps_current_proportions():
    assert integer_weights([("a", 60, 0.0, FREE), ("b", 40, 0.0, FREE)]) == {"a": 60, "b": 40}


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(0, 5), min_size=1, max_size=8), st.lists(st.floats(0, 40), min_size=8, max_size=8))
def test_weights_always_add_up_to_100_within_bounds(ranges, caps):
    items = [(f"f{i}", 0.0, r, WeightBound(max=max(c, 100 / len(ranges) + 1))) for i, (r, c) in
             enumerate(zip(ranges, caps, strict=False))]
    got = integer_weights(items)
    assert sum(got.values()) == pytest.approx(100)
    for name, _, _, bound in items:
        assert 0 <= got[name] <= bound.max + 1e-9 and float(got[name]).is_integer()


def test_wilson_interval_by_hand():
    lo, hi = wilson(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-4) and hi == pytest.approx(0.7634, abs=1e-4)
    assert wilson(0, 0) == (None, None)
    assert wilson(0, 20)[0] == 0.0


def test_grouped_auc_by_hand_and_against_rank_auc():
    position = np.array([0, 0, 1, 2])
    y = np.array([1.0, 0.0, 1.0, 0.0])
    # positive at 0: ties the negative at 0 (½), beats the one at 2 (1); positive at 1: beats 2 → 2.5 / 4
    assert grouped_auc(position, y) == 0.625
    assert auc(y, -position.astype(float)) == 0.625
    assert grouped_auc(position, np.array([1.0, 1.0, 1.0, np.nan])) is None


def test_cell_rank_orders_state_then_grade_then_level():
    model = known_points_model()
    scored = pd.DataFrame({
        "state": ["Qualify", "Send to sales", "Send to sales", "Ignore", "Send to sales"],
        "profile_grade": ["A", "B", "A", "A", "A"],
        "engagement_level": ["3", "1", "2", "1", "1"],
    })
    order = np.argsort(-cell_rank(model, scored), kind="stable")
    assert list(order) == [4, 2, 1, 0, 3]  # A1, A2, B1 (all Send to sales), then Qualify, then Ignore


def test_positions_agree_with_cell_rank_and_knockouts_take_their_state():
    model = known_points_model()
    p = np.array([80.0, 60.0, 10.0, 80.0])
    e = np.array([80.0, 80.0, 80.0, 80.0])
    ko = np.array([False, False, False, True])
    pos = cell_positions(model, [75, 50, 25, 0], [75, 50, 25, 0], p, e, ko)
    assert pos[0] < pos[1] < pos[2] and pos[3] > pos[2]  # A1, B1 (Send), D1 (Nurture), knocked out (Ignore)


def test_threshold_search_separates_two_groups():
    model = known_points_model()
    rng = np.random.default_rng(0)
    p = np.concatenate([rng.uniform(60, 70, 200), rng.uniform(10, 20, 200)])
    e = np.full(400, 90.0)
    y = np.concatenate([np.ones(200), np.zeros(200)])
    grades, levels = search_thresholds(model, p, e, np.zeros(400, dtype=bool), y)
    assert grades[-1] == 0 and levels[-1] == 0
    assert all(a > b for a, b in zip(grades, grades[1:], strict=False))
    assert grouped_auc(cell_positions(model, grades, levels, p, e, np.zeros(400, dtype=bool)), y) == 1.0
