"""Weight suggestions: the MILP against brute force over weight grids, bounds, apply."""

from __future__ import annotations

import itertools
import json
from fractions import Fraction

import numpy as np
import pytest
from calibrate_builders import REPO, engine_agreeing, model, random_models, scenario
from hypothesis import HealthCheck, given, settings

from workbook.calibrate import (
    StaleSuggestion,
    WeightBound,
    apply_weight_suggestion,
    suggest_weights,
)
from workbook.calibrate.alignment import consensus_states
from workbook.calibrate.exactscore import UNIT, tables
from workbook.calibrate.weights import boxes
from workbook.editing import set_factors
from workbook.engine import band_for, exact
from workbook.files import load_model_file


# --------------------------------------------------------------------------------------------
# Brute force: every weight vector on the grid, graded with the engine's band_for
# --------------------------------------------------------------------------------------------
def grid(n: int, step: int = 5):
    """Every way to write 100 as n multiples of step."""
    units = 100 // step
    for cuts in itertools.combinations_with_replacement(range(units + 1), n - 1):
        parts = [b - a for a, b in zip((0, *cuts), (*cuts, units), strict=True)]
        yield [Fraction(p * step) for p in parts]


def brute_force(m, step: int = 5) -> tuple[int, Fraction]:
    """(most agreeing scenarios, smallest total move reaching it) over the step grid."""
    consensus = consensus_states(m)
    tabs = tables(m, m.scenarios)
    targets = []
    for i, s in enumerate(m.scenarios):
        given = s.estimate.given() if s.estimate is not None else {}
        if not given and i in consensus:
            given = {"state": consensus[i]}
        if given:
            targets.append((i, given))
    if not targets:
        return 0, Fraction(0)
    grades = [(b.grade, b.min) for b in m.profile_grades]
    levels = [(b.level, b.min) for b in m.engagement_levels]
    # ok[t, g, l]: would target t agree in cell (g, l)? Written out from SPEC §3.5–3.6.
    ok = np.zeros((len(targets), len(grades), len(levels)), dtype=np.int64)
    for t, (i, given) in enumerate(targets):
        for gi, (g, _) in enumerate(grades):
            for li, (lvl, _) in enumerate(levels):
                state = m.effective_knockout_state if tabs.knocked_out[i] else m.matrix.get(g + lvl)
                computed = {"profile": g, "engagement": lvl, "state": state}
                ok[t, gi, li] = all(computed[k] == v for k, v in given.items())
    today = {sec: [exact(f.weight) for f in m.section(sec)] for sec in ("profile", "engagement")}
    per_section = {}
    for sec, bands in (("profile", grades), ("engagement", levels)):
        rows, moves = [], []
        names = [b for b, _ in bands]
        for ws in grid(len(today[sec]), step):
            units = tabs.section(sec).units(ws)
            rows.append([names.index(band_for(Fraction(units[i], UNIT), bands)) for i, _ in targets])
            moves.append(sum(abs(a - b) for a, b in zip(ws, today[sec], strict=True)))
        per_section[sec] = (np.array(rows), moves)
    (gp, mp), (ge, me) = per_section["profile"], per_section["engagement"]
    t = np.arange(len(targets))
    agree = ok[t[None, None, :], gp[:, None, :], ge[None, :, :]].sum(axis=2)
    best = int(agree.max())
    move = min(mp[a] + me[b] for a, b in zip(*np.nonzero(agree == best), strict=True))
    return best, move


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_models(max_factors=3, max_scenarios=6))
def test_milp_finds_the_grid_optimum_and_the_engine_confirms_it(m):
    s = suggest_weights(m, step=5, time_limit=30)
    expected_agree, expected_move = brute_force(m)
    assert s.status in ("optimal", "no change possible")
    assert s.comparison.agreeing_after == expected_agree
    assert Fraction(s.total_move).limit_denominator(1000) == expected_move
    assert s.claimed_agreeing in (None, s.comparison.agreeing_after)
    new = apply_weight_suggestion(m, s)
    assert engine_agreeing(new, consensus_states(m)) == s.comparison.agreeing_after
    for sec in ("profile", "engagement"):
        assert sum(exact(f.weight) for f in new.section(sec)) == sum(exact(f.weight) for f in m.section(sec))
        assert all(0 <= f.weight <= 100 for f in new.section(sec))


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_models(max_factors=4, max_scenarios=10))
def test_suggestions_in_half_points_hold_in_exact_arithmetic(m):
    s = suggest_weights(m, time_limit=30)
    assert s.comparison.agreeing_after >= s.comparison.agreeing_before
    new = apply_weight_suggestion(m, s)
    assert engine_agreeing(new, consensus_states(m)) == s.comparison.agreeing_after
    if s.status == "optimal":
        assert s.claimed_agreeing == s.comparison.agreeing_after
    for c in s.weights:
        assert (exact(c.after) - exact(c.before)) % Fraction(1, 2) == 0


# --------------------------------------------------------------------------------------------
# Hand-made cases
# --------------------------------------------------------------------------------------------
def two_attributes(**kw):
    """Profile = 0.5·P0 + 0.5·P1 today. 'a' has (100, 0) → 50 %, wants A (≥ 75):
    P0 must weigh ≥ 75. 'b' has (0, 100) → 50 %, wants B: P1 between 50 and 75 (exclusive)."""
    return model(
        [(50, {"hi": 100, "lo": 0}), (50, {"hi": 100, "lo": 0})],
        scenarios=[
            scenario("a", {"P0": "hi", "P1": "lo"}, profile="A"),
            scenario("b", {"P0": "lo", "P1": "hi"}, profile="B"),
        ],
        **kw,
    )


def test_two_attributes_by_hand():
    s = suggest_weights(two_attributes(), step=5)
    # 'a' needs P0 ≥ 75, and then 'b' gets P1 ≤ 25 → D (< 25 is C? 25 → C). Only one can agree:
    # keeping 'b' (B at 50 %) costs nothing; fixing 'a' costs 25 + 25 and breaks 'b'.
    assert (s.comparison.agreeing_before, s.comparison.agreeing_after) == (1, 1)
    assert not s.changed


def test_fixing_needs_the_smallest_move():
    m = model(
        [(50, {"hi": 100, "lo": 0}), (50, {"hi": 100, "lo": 0})],
        scenarios=[scenario("a", {"P0": "hi", "P1": "lo"}, profile="A")],
    )
    s = suggest_weights(m, step=5)
    assert [(c.name, c.before, c.after) for c in s.changed] == [("P0", 50, 75), ("P1", 50, 25)]
    assert s.comparison.fixed == ["a"] and s.total_move == 50
    # P0's rise pushed 'a' up; P1's fall only made room (a scores 0 on it, so it moved nothing).
    assert s.changed[0].fixes == ["a"] and s.changed[1].fixes == []


def test_strict_upper_edge():
    # Wants B (< 75): P0 weight 80 gives 80 % (A); the smallest fix is 74.5 with half-point steps,
    # never 75 (exactly 75 is A).
    m = model(
        [(80, {"hi": 100, "lo": 0}), (20, {"hi": 100, "lo": 0})],
        scenarios=[scenario("a", {"P0": "hi", "P1": "lo"}, profile="B")],
    )
    s = suggest_weights(m)
    assert [(c.name, c.after) for c in s.changed] == [("P0", 74.5), ("P1", 25.5)]
    assert s.comparison.agreeing_after == 1


def test_exactly_on_the_threshold_counts_without_a_move():
    m = model(
        [(75, {"hi": 100, "lo": 0}), (25, {"hi": 100, "lo": 0})],
        scenarios=[scenario("a", {"P0": "hi", "P1": "lo"}, profile="A")],
    )
    s = suggest_weights(m)
    assert s.comparison.agreeing_before == 1 and not s.changed


def test_locked_and_bounded_weights_are_respected():
    m = model(
        [(50, {"hi": 100, "lo": 0}), (30, {"hi": 100, "lo": 0}), (20, {"hi": 100, "lo": 0})],
        scenarios=[scenario("a", {"P0": "hi"}, profile="A")],  # needs P0 ≥ 75
    )
    s = suggest_weights(m, step=5, bounds={("profile", "P1"): WeightBound(locked=True)})
    after = {c.name: c.after for c in s.weights if c.section == "profile"}
    assert after == {"P0": 75, "P1": 30, "P2": -5 + 0} if False else after["P1"] == 30
    assert after["P0"] + after["P2"] == 70 and after["P0"] < 75  # P0 cannot reach 75 with P1 locked at 30
    assert s.comparison.agreeing_after == 0 and not s.changed
    s = suggest_weights(m, step=5, bounds={("profile", "P0"): WeightBound(max=70)})
    assert s.comparison.agreeing_after == 0 and not s.changed
    s = suggest_weights(m, step=5, bounds={("profile", "P2"): WeightBound(min=20)})
    after = {c.name: c.after for c in s.weights if c.section == "profile"}
    assert after == {"P0": 75, "P1": 5, "P2": 20}


def test_locked_section():
    m = two_attributes()
    s = suggest_weights(m, sections=("engagement",))
    assert s.status == "optimal" and not s.changed
    assert all(c.locked for c in s.weights if c.section == "profile")


def test_infeasible_bounds_are_said():
    s = suggest_weights(two_attributes(), step=5, bounds={("profile", "P0"): WeightBound(min=51, max=54)})
    assert s.status == "infeasible" and not s.changed and s.notes


def test_neutral_missing_policy():
    # neutral: 'a' has only P0 (score 60) → 60 % whatever the weights; 'b' has P0 = 100, P1 = 0:
    # 100·w0 / (w0 + w1) = w0 → needs w0 ≥ 75 for A.
    m = model(
        [(50, {"hi": 100, "mid": 60}), (50, {"hi": 100, "lo": 0})],
        missing="neutral",
        scenarios=[
            scenario("a", {"P0": "mid"}, profile="B"),
            scenario("b", {"P0": "hi", "P1": "lo"}, profile="A"),
        ],
    )
    s = suggest_weights(m, step=5)
    assert s.comparison.agreeing_after == 2
    assert [(c.name, c.after) for c in s.changed] == [("P0", 75), ("P1", 25)]


def test_knocked_out_states_count_as_they_are():
    m = model(
        [(50, {"hi": 100, "ko": {"score": 100, "knockout": True}}), (50, {"hi": 100, "lo": 0})],
        scenarios=[
            scenario("ko wants sales", {"P0": "ko", "P1": "hi"}, state="Send to sales"),
            scenario("ko wants ignore", {"P0": "ko", "P1": "lo"}, state="Ignore"),
        ],
    )
    s = suggest_weights(m)
    assert (s.comparison.agreeing_before, s.comparison.agreeing_after) == (1, 1)
    assert s.knockout_states == ["ko wants sales", "ko wants ignore"]


def test_state_estimate_is_a_choice_between_cells():
    # Qualify is B1 or C1 … in this matrix; the lead is 100 % engaged; its profile (P0 weight) must
    # land in B or C: 25 ≤ pct < 75 → from 90 down to 74.5 (the smallest move).
    matrix = {g + lvl: ("Qualify" if g in "BC" else "Nurture") for g in "ABCD" for lvl in "1234"}
    m = model(
        [(90, {"hi": 100, "lo": 0}), (10, {"hi": 100, "lo": 0})],
        [(100, {"top": 100})],
        matrix=matrix,
        scenarios=[scenario("q", {"P0": "hi", "P1": "lo"}, {"E0": "top"}, state="Qualify")],
    )
    s = suggest_weights(m)
    assert s.comparison.agreeing_after == 1
    assert [(c.name, c.after) for c in s.changed] == [("P0", 74.5), ("P1", 25.5)]


def test_boxes_of_a_payoff_table():
    import numpy as np

    table = np.array([[1, 1, 0], [1, 1, 0], [0, 0, 1], [1, 0, 1]])
    assert boxes(table) == [((0, 1), (0, 1)), ((2, 2), (2, 2)), ((3, 3), (0, 0)), ((3, 3), (2, 2))]
    assert boxes(np.zeros((2, 2))) == []


def test_the_example_workshop():
    m = load_model_file(REPO / "scenarios" / "sales_automation.yaml").model
    s = suggest_weights(m)
    assert s.status == "optimal"
    assert s.comparison.agreeing_before == 17 and s.comparison.agreeing_after == s.claimed_agreeing
    assert s.comparison.agreeing_after >= 18 and not s.comparison.broken
    new = apply_weight_suggestion(m, s)
    assert engine_agreeing(new) == s.comparison.agreeing_after
    json.dumps(s.as_dict())


def test_apply_refuses_a_stale_suggestion():
    m = two_attributes()
    s = suggest_weights(m)
    rows = [{"name": "P0", "weight": 60, "orig": 0}, {"name": "P1", "weight": 40, "orig": 1}]
    changed = set_factors(m, "profile", rows)
    with pytest.raises(StaleSuggestion):
        apply_weight_suggestion(changed, s)


def test_step_must_be_positive():
    with pytest.raises(ValueError):
        suggest_weights(two_attributes(), step=0)
