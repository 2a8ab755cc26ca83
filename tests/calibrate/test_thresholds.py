"""Threshold suggestions: the search against brute force, hand-made cases, apply."""

from __future__ import annotations

import itertools
import json
import time
from fractions import Fraction

import numpy as np
import pytest
from calibrate_builders import REPO, engine_agreeing, model, random_models, scenario
from hypothesis import HealthCheck, given, settings

from workbook.calibrate import StaleSuggestion, apply_threshold_suggestion, suggest_thresholds
from workbook.calibrate import threshold_search as T
from workbook.calibrate.alignment import consensus_states
from workbook.calibrate.targets import calibration_targets, payoff_table
from workbook.editing import set_bands
from workbook.engine import exact, score_lead
from workbook.files import load_model_file


# --------------------------------------------------------------------------------------------
# The search itself, on random arrays, against every combination of candidates
# --------------------------------------------------------------------------------------------
def _tuples(axis: T._Axis):
    """Every choice of classes, best band first (bands may share a class; the last takes 0)."""
    classes = range(len(axis.gate) - 1, 0, -1)
    for comb in itertools.combinations_with_replacement(classes, axis.bands - 1):
        yield [*comb, 0]


def _brute(joint: T._Joint) -> int:
    """max over every pair of candidate tuples of (agreeing × big − move), vectorised."""
    per_axis = []
    for axis in (joint.a, joint.b):
        tuples = list(_tuples(axis))
        bands = np.array([T._band_of(axis.x, axis.gate[t]) for t in tuples])  # (tuples, n)
        moves = np.array([axis.move(t) for t in tuples])
        per_axis.append((bands, moves))
    (ga, ma), (lb, mb) = per_axis
    s = np.arange(joint.n)
    agree = joint.w[s[None, None, :], ga[:, None, :], lb[None, :, :]].sum(axis=2)
    return int((agree * joint.big - ma[:, None] - mb[None, :]).max())


def test_joint_search_matches_brute_force_on_random_arrays():
    rng = np.random.default_rng(7)
    for _ in range(150):
        n = int(rng.integers(1, 6))
        ka, kb = int(rng.integers(1, 5)), int(rng.integers(1, 4))
        xa = rng.choice([0, 10, 20, 25, 50, 75, 90, 100], n) * T.UNIT
        xb = rng.choice([0, 5, 30, 40, 60, 100], n) * T.UNIT
        w = (rng.random((n, ka, kb)) < 0.35).astype(np.int64) * rng.integers(1, 3, (n, 1, 1))
        ta = [int(t) * T.UNIT for t in sorted(rng.choice(np.arange(1, 100), ka - 1, replace=False), reverse=True)]
        tb = [int(t) * T.UNIT for t in sorted(rng.choice(np.arange(1, 100), kb - 1, replace=False), reverse=True)]
        joint = T._Joint(T._make_axis(xa, [*ta, 0], 1), T._make_axis(xb, [*tb, 0], 1), w, 1 << 40)
        result = joint.branch_and_bound(joint.incumbent(), time.monotonic() + 30)
        assert result.proven
        assert result.value == _brute(joint)
        assert joint.value(result.idx_a, result.idx_b) == result.value


def test_one_axis_dp_matches_brute_force():
    rng = np.random.default_rng(11)
    for _ in range(120):
        n = int(rng.integers(1, 7))
        k = int(rng.integers(1, 5))
        x = rng.integers(0, 101, n) * T.UNIT // 2
        pay = rng.integers(0, 3, (n, k))
        today = [int(t) * T.UNIT for t in sorted(rng.choice(np.arange(1, 100), k - 1, replace=False), reverse=True)]
        axis = T._make_axis(x, [*today, 0], 1)
        value, idx = axis.solve(pay, 1 << 40)

        def val(ix, x=x, axis=axis, pay=pay):
            bands = T._band_of(x, axis.gate[ix])
            return int(pay[np.arange(len(x)), bands].sum()) * (1 << 40) - axis.move(ix)

        tuples = list(_tuples(axis))
        bands = np.array([T._band_of(x, axis.gate[t]) for t in tuples])
        moves = np.array([axis.move(t) for t in tuples])
        assert value == int((pay[np.arange(n)[None, :], bands].sum(axis=1) * (1 << 40) - moves).max())
        assert val(idx) == value
        values = axis.values(idx)
        assert values == sorted(values, reverse=True) and len(set(values)) == len(values) and values[-1] == 0
        assert (T._band_of(x, values) == T._band_of(x, axis.gate[idx])).all()


# --------------------------------------------------------------------------------------------
# Public API on random small models: agreement against brute force over *every* partition,
# the move against brute force over the same candidates, and the engine's verdict
# --------------------------------------------------------------------------------------------
def _partition_values(pcts: list[Fraction]) -> list[Fraction]:
    """Minimums that realise every way of cutting the scenarios (three per gap, so bands can share one)."""
    xs = sorted(set(pcts))
    out = {Fraction(0)}
    edges = [Fraction(0), *xs, Fraction(100)]
    for lo, hi in itertools.pairwise(edges):
        if hi > lo:
            out.update({hi, (lo + hi) / 2, lo + (hi - lo) / 4})
    return sorted(out)


def _best_agreement(m) -> int:
    targets = calibration_targets(m)
    results = [score_lead(m, m.scenarios[t.index].profile, m.scenarios[t.index].engagement) for t in targets]
    pays = np.stack([payoff_table(m, t, r.knocked_out) for t, r in zip(targets, results, strict=True)])
    per_axis = []
    for pcts, k in (([r.profile.exact_pct for r in results], len(m.profile_grades)),
                    ([r.engagement.exact_pct for r in results], len(m.engagement_levels))):
        values = [v for v in _partition_values(pcts) if v > 0]
        rows = []
        for comb in itertools.combinations(sorted(values, reverse=True), k - 1):
            mins = [*comb, Fraction(0)]
            rows.append([band_index(p, mins) for p in pcts])
        per_axis.append(np.array(rows))
    ga, lb = per_axis
    s = np.arange(len(targets))
    agree = pays[s[None, None, :], ga[:, None, :], lb[None, :, :]].sum(axis=2)
    return int(agree.max())


def band_index(p: Fraction, mins: list[Fraction]) -> int:
    return next(i for i, lo in enumerate(mins) if lo <= p)


@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow])
@given(random_models(max_scenarios=6))
def test_suggestion_reaches_the_best_agreement_and_the_engine_confirms_it(m):
    s = suggest_thresholds(m, time_limit=30)
    assert s.proven_optimal
    targets = calibration_targets(m)
    if not targets:
        assert not s.changed
        return
    assert s.comparison.agreeing_after == _best_agreement(m)
    assert s.upper_bound == s.comparison.agreeing_after
    assert s.comparison.agreeing_after >= s.comparison.agreeing_before
    new = apply_threshold_suggestion(m, s)
    assert engine_agreeing(new, consensus_states(m)) == s.comparison.agreeing_after
    for bands in (new.profile_grades, new.engagement_levels):  # SPEC §5: strictly decreasing, within 0..100, last 0
        mins = [b.min for b in bands]
        assert all(a > b for a, b in itertools.pairwise(mins)) and mins[-1] == 0 and 0 <= mins[0] <= 100


# --------------------------------------------------------------------------------------------
# Hand-made cases
# --------------------------------------------------------------------------------------------
def four_leads(**kw):
    """Profile % 30, 52, 60, 80 (one attribute, value scores = %)."""
    values = {"p30": 30, "p52": 52, "p60": 60, "p80": 80}
    ests = {"p30": "C", "p52": "C", "p60": "B", "p80": "A"}
    return model(
        [(100, values)],
        scenarios=[scenario(v, {"P0": v}, profile=ests[v]) for v in values],
        **kw,
    )


def test_raising_a_minimum_goes_to_the_next_round_number():
    s = suggest_thresholds(four_leads())
    assert [(b.name, b.before, b.after) for b in s.changed] == [("B", 50, 53)]
    assert (s.comparison.agreeing_before, s.comparison.agreeing_after, s.comparison.total) == (3, 4, 4)
    assert s.comparison.fixed == ["p52"] and s.comparison.broken == []
    assert s.total_move == 3


def test_lowering_a_minimum_stops_on_the_scenario():
    m = model([(100, {"p48.5": 48.5, "p20": 20})],
              scenarios=[scenario("a", {"P0": "p48.5"}, profile="B"), scenario("b", {"P0": "p20"}, profile="D")])
    s = suggest_thresholds(m)
    assert [(b.name, b.after) for b in s.changed] == [("B", 48.5)]
    assert s.comparison.agreeing_after == 2


def test_ties_go_to_the_smallest_move():
    # 40 % estimated B: B's minimum can drop to 40 (move 10) or … nothing else fixes it.
    # 45 % estimated C with today's C at 25: already C. Lowering B to 40 would make it B: broken.
    # So the best is 1 of 2 either way, and the smallest move is none at all.
    m = model([(100, {"p40": 40, "p45": 45})],
              scenarios=[scenario("a", {"P0": "p40"}, profile="B"), scenario("b", {"P0": "p45"}, profile="C")])
    s = suggest_thresholds(m)
    assert s.comparison.agreeing_after == 1 and not s.changed and s.proven_optimal


def test_both_axes_are_searched_together_when_a_scenario_needs_both():
    # X: 60 % / 30 %, estimated A1; Y: 70 % / 50 %, estimated B2. Each axis can satisfy X or Y,
    # not both; each axis alone would rather keep Y's grade (no move) and fix X's level (move 10),
    # which makes no scenario agree. Together: satisfy Y on both axes, raising level 1 to 51.
    m = model(
        [(100, {"p60": 60, "p70": 70})],
        [(100, {"e30": 30, "e50": 50})],
        levels=[("1", 40), ("2", 20), ("3", 10), ("4", 0)],
        scenarios=[
            scenario("X", {"P0": "p60"}, {"E0": "e30"}, profile="A", engagement="1"),
            scenario("Y", {"P0": "p70"}, {"E0": "e50"}, profile="B", engagement="2"),
        ],
    )
    s = suggest_thresholds(m)
    assert s.comparison.agreeing_after == 1 and s.proven_optimal
    assert [(b.axis, b.name, b.after) for b in s.changed] == [("engagement", "1", 51)]


def test_state_estimates_couple_the_axes_through_the_matrix():
    # Send to sales only in A1; the lead is 70 % / 65 %: both minimums must come down to it.
    m = model(
        [(100, {"p70": 70})],
        [(100, {"e65": 65})],
        scenarios=[scenario("hot", {"P0": "p70"}, {"E0": "e65"}, state="Send to sales")],
        matrix={g + lvl: ("Send to sales" if g + lvl == "A1" else "Nurture") for g in "ABCD" for lvl in "1234"},
    )
    s = suggest_thresholds(m)
    assert {(b.name, b.after) for b in s.changed} == {("A", 70), ("1", 65)}
    assert s.comparison.agreeing_after == 1


def test_only_the_chosen_axis_moves():
    m = four_leads()
    s = suggest_thresholds(m, axes=("engagement",))
    assert not s.changed and s.searched == ("engagement",)
    s = suggest_thresholds(m, axes=("profile",))
    assert [b.name for b in s.changed] == ["B"]


def test_members_consensus_stands_in_for_a_missing_estimate_and_is_said():
    m = model(
        [(100, {"p52": 52})],
        scenarios=[scenario("x", {"P0": "p52"}, members={"Ann": "Ignore", "Bo": "Ignore", "Cy": "Nurture"})],
        team=["Ann", "Bo", "Cy"],
        matrix={g + lvl: ("Ignore" if g in "CD" else "Nurture") for g in "ABCD" for lvl in "1234"},
    )
    s = suggest_thresholds(m)
    assert s.comparison.consensus_used == ["x"]
    assert any("consensus" in n for n in s.notes)
    assert s.comparison.agreeing_after == 1
    assert [(b.name, b.after) for b in s.changed] == [("B", 53)]


def test_a_knocked_out_lead_keeps_its_state():
    m = model(
        [(100, {"p90": 90, "ko": {"score": 80, "knockout": True}})],
        scenarios=[
            scenario("ko says ignore", {"P0": "ko"}, state="Ignore"),  # agrees whatever the cell
            scenario("ko says send", {"P0": "ko"}, state="Send to sales"),  # never agrees
        ],
    )
    s = suggest_thresholds(m)
    assert (s.comparison.agreeing_before, s.comparison.agreeing_after) == (1, 1)
    assert not s.changed


def test_no_scenarios_means_no_change():
    s = suggest_thresholds(model())
    assert not s.changed and s.comparison.total == 0 and s.notes


def test_the_example_workshop():
    m = load_model_file(REPO / "scenarios" / "sales_automation.yaml").model
    s = suggest_thresholds(m)
    assert s.proven_optimal
    assert (s.comparison.agreeing_before, s.comparison.agreeing_after) == (17, 18)
    assert [(b.name, b.before, b.after) for b in s.changed] == [("B", 50, 57)]
    json.dumps(s.as_dict())


def test_time_limit_is_respected_and_the_bound_is_honest():
    rng = np.random.default_rng(3)
    values = {f"v{i}": int(v) for i, v in enumerate(rng.integers(0, 101, 40))}
    scen = []
    for i in range(300):
        p, e = rng.choice(list(values)), rng.choice(list(values))
        scen.append(scenario(f"s{i}", {"P0": p}, {"E0": e}, state=str(rng.choice(["Send to sales", "Qualify",
                                                                                    "Nurture", "Ignore"]))))
    m = model([(100, values)], [(100, values)], scenarios=scen)
    started = time.monotonic()
    s = suggest_thresholds(m, time_limit=0.05)
    assert time.monotonic() - started < 5
    assert s.comparison.agreeing_after >= s.comparison.agreeing_before
    assert s.upper_bound >= s.comparison.agreeing_after
    if not s.proven_optimal:
        assert any("time" in n for n in s.notes)


# --------------------------------------------------------------------------------------------
# Apply
# --------------------------------------------------------------------------------------------
def test_apply_returns_a_new_model_with_the_new_minimums():
    m = four_leads()
    s = suggest_thresholds(m)
    new = apply_threshold_suggestion(m, s)
    assert [b.min for b in new.profile_grades] == [75, 53, 25, 0]
    assert [b.min for b in m.profile_grades] == [75, 50, 25, 0]
    assert new.matrix == m.matrix and new.scenarios == m.scenarios


def test_apply_refuses_a_stale_suggestion():
    m = four_leads()
    s = suggest_thresholds(m)
    changed = set_bands(m, "profile", [{"name": "A", "min": 80, "orig": 0}, {"name": "B", "min": 50, "orig": 1},
                                       {"name": "C", "min": 25, "orig": 2}, {"name": "D", "min": 0, "orig": 3}])
    with pytest.raises(StaleSuggestion):
        apply_threshold_suggestion(changed, s)


def test_minimums_are_exact_decimals():
    m = model([(100, {"a": 33.3, "b": 66.7})],
              scenarios=[scenario("a", {"P0": "a"}, profile="B"), scenario("b", {"P0": "b"}, profile="A")])
    s = suggest_thresholds(m)
    new = apply_threshold_suggestion(m, s)
    assert engine_agreeing(new) == 2
    for b in new.profile_grades:
        assert exact(b.min) * 10**9 == int(exact(b.min) * 10**9)
