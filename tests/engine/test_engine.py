"""SPEC §3, rule by rule: each test builds a small model in code and works out the
expected answer by hand (or with exact fractions), never with the engine itself."""

from __future__ import annotations

from fractions import Fraction

import pytest
from builders import build, factor, model_data, pct, section, weights_summing_to_100
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from workbook.engine import (
    Agreement,
    agreement,
    evaluate_scenario,
    evaluate_scenarios,
    score_lead,
    score_section,
)
from workbook.files import load_model_text
from workbook.model import Scenario, ScoringModel


def one_section(specs, chosen, missing="zero"):
    """Score a profile section made of ``specs`` = [(weight, {label: score})] for ``chosen``."""
    model = build(profile=section("P", specs), missing=missing)
    return score_section(model.profile, chosen, "profile", missing)


# --------------------------------------------------------------------------------------------
# §3.1 value score, §3.2 section % as a sum
# --------------------------------------------------------------------------------------------
def test_value_contributes_weight_times_score_over_100():
    s = one_section([(35, {"v": 80}), (65, {"w": 0})], {"P0": "v"})
    assert s.contributions[0].points == 28  # 35 × 80 / 100
    assert s.contributions[0].value == "v"
    assert s.contributions[0].score == 80
    assert s.pct == 28


def test_decimal_weight_and_score_contribution_is_exact():
    s = one_section([(33.3, {"v": 33.3}), (66.7, {"w": 0})], {"P0": "v"})
    assert s.exact_pct == pct(("33.3", "33.3")) == Fraction("11.0889")
    assert s.pct == 11.0889


def test_profile_pct_is_the_sum_of_contributions():
    s = one_section([(40, {"a": 50}), (60, {"b": 25})], {"P0": "a", "P1": "b"})
    assert s.pct == 35  # 20 + 15
    assert [c.points for c in s.contributions] == [20, 15]


def test_engagement_pct_is_computed_the_same_way():
    model = build(engagement=section("E", [(30, {"demo": 100}), (50, {"web": 40}), (20, {"click": 50})]))
    r = score_lead(model, {}, {"E0": "demo", "E1": "web", "E2": "click"})
    assert r.engagement_pct == 60  # 30 + 20 + 10
    assert [c.section for c in r.engagement.contributions] == ["engagement"] * 3


def test_each_attribute_takes_one_value_the_one_chosen():
    s = one_section([(100, {"low": 10, "mid": 50, "high": 100})], {"P0": "mid"})
    assert s.pct == 50


# --------------------------------------------------------------------------------------------
# §3.2 clamping to [0, 100]
# --------------------------------------------------------------------------------------------
def test_negative_total_is_clamped_to_zero_raw_kept():
    model = build(engagement=section("E", [(80, {"click": 10}), (20, {"unsubscribe": -100})]))
    r = score_lead(model, {}, {"E0": "click", "E1": "unsubscribe"})
    assert r.engagement.raw == -12  # 8 - 20
    assert r.engagement_pct == 0
    assert r.engagement_level == "4"


def test_unsubscribe_alone_is_zero_not_negative():
    s = one_section([(100, {"unsubscribe": -100})], {"P0": "unsubscribe"})
    assert s.raw == -100
    assert s.pct == 0


def test_total_over_100_is_clamped_in_an_invalid_draft():
    # weights 80 + 80 = 160 break §5, but the engine still computes
    s = one_section([(80, {"a": 100}), (80, {"b": 100})], {"P0": "a", "P1": "b"})
    assert s.raw == 160
    assert s.pct == 100


def test_scores_over_100_in_a_draft_are_clamped():
    s = one_section([(100, {"a": 150})], {"P0": "a"})
    assert s.raw == 150
    assert s.pct == 100


# --------------------------------------------------------------------------------------------
# §3.3 missing values
# --------------------------------------------------------------------------------------------
def test_missing_zero_contributes_nothing():
    s = one_section([(40, {"a": 100}), (60, {"b": 100})], {"P0": "a"}, "zero")
    assert s.pct == 40
    missing = s.contributions[1]
    assert (missing.value, missing.score, missing.points) == (None, None, 0)
    assert missing.effective_weight == 60  # with missing: zero the weight is unchanged


def test_missing_is_the_default_policy_zero():
    model = ScoringModel.model_validate(model_data(section("P", [(40, {"a": 100}), (60, {"b": 100})])))
    assert model.missing == "zero"
    assert score_lead(model, {"P0": "a"}, {}).profile_pct == 40


def test_missing_neutral_scales_remaining_weights_to_100():
    specs = [(20, {"a": 50}), (30, {"b": 100}), (50, {"c": 100})]
    s = one_section(specs, {"P0": "a", "P1": "b"}, "neutral")
    # present weights 20 + 30 = 50 → scaled to 40 and 60; 40 × 0.5 + 60 × 1 = 80
    assert [c.effective_weight for c in s.contributions] == [40, 60, 0]
    assert [c.points for c in s.contributions] == [20, 60, 0]
    assert s.pct == 80


def test_missing_neutral_scaling_is_exact_at_100():
    # 30/70 and 40/70 do not terminate in decimal, but the scaled weights add up to 100 exactly
    model = build(
        profile=section("P", [(30, {"a": 100}), (30, {"b": 100}), (40, {"c": 100})]),
        grades=[("A", 100), ("B", 0)],
        levels=[("1", 0)],
        states=["Hot", "Cold"],
        missing="neutral",
    )
    r = score_lead(model, {"P0": "a", "P2": "c"}, {})
    assert r.profile_pct == 100
    assert r.profile_grade == "A"


def test_missing_neutral_one_third_is_rounded_to_nine_places():
    s = one_section([(30, {"a": 100}), (30, {"b": 0}), (30, {"c": 0}), (10, {"d": 0})],
                    {"P0": "a", "P1": "b", "P2": "c"}, "neutral")
    assert s.pct == pytest.approx(100 / 3, abs=1e-9)
    assert s.pct == round(100 / 3, 9)


def test_all_missing_is_zero_under_both_policies():
    specs = [(40, {"a": 100}), (60, {"b": 100})]
    for policy in ("zero", "neutral"):
        s = one_section(specs, {}, policy)
        assert s.pct == 0, policy
        assert all(c.points == 0 for c in s.contributions)


def test_neutral_with_present_weights_summing_to_zero_is_zero():
    s = one_section([(0, {"a": 100}), (100, {"b": 100})], {"P0": "a"}, "neutral")
    assert s.pct == 0
    assert s.contributions[0].points == 0


def test_neutral_negative_score_is_scaled_and_clamped():
    s = one_section([(25, {"a": -100}), (75, {"b": 100})], {"P0": "a"}, "neutral")
    assert s.raw == -100
    assert s.pct == 0


def test_unknown_label_counts_as_missing_zero():
    s = one_section([(40, {"a": 100}), (60, {"b": 100})], {"P0": "a", "P1": "no such label"}, "zero")
    assert s.pct == 40
    assert s.contributions[1].value is None


def test_unknown_label_counts_as_missing_neutral():
    s = one_section([(40, {"a": 50}), (60, {"b": 100})], {"P0": "a", "P1": "no such label"}, "neutral")
    assert s.pct == 50  # only P0 is present: scaled to 100 × 50 %
    assert s.contributions[1].effective_weight == 0


def test_unknown_attribute_name_in_lead_is_ignored():
    s = one_section([(100, {"a": 70})], {"P0": "a", "Not an attribute": "x"})
    assert s.pct == 70


def test_labels_are_matched_exactly():
    s = one_section([(100, {"Germany": 100})], {"P0": "germany"})
    assert s.pct == 0  # a scenario names labels exactly; "germany" is not a label


# --------------------------------------------------------------------------------------------
# §3.4 grades and levels
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("score", "grade"),
    [(100, "A"), (75, "A"), (74.9, "B"), (50, "B"), (49.99, "C"), (25, "C"), (24.999999, "D"), (0, "D"),
     (-30, "D")],
)
def test_grade_is_first_band_whose_min_is_at_most_pct(score, grade):
    model = build(profile=section("P", [(100, {"v": score})]))
    assert score_lead(model, {"P0": "v"}, {}).profile_grade == grade


@pytest.mark.parametrize(("score", "level"), [(100, "1"), (70, "1"), (69.5, "2"), (40, "2"), (15, "3"),
                                              (14, "4"), (0, "4")])
def test_level_is_first_band_whose_min_is_at_most_pct(score, level):
    model = build(engagement=section("E", [(100, {"v": score})]))
    assert score_lead(model, {}, {"E0": "v"}).engagement_level == level


def test_threshold_with_decimal_min_is_exact():
    # 33.3 × 100 / 100 = 33.3 exactly on a band min of 33.3
    model = build(profile=section("P", [(33.3, {"v": 100}), (66.7, {"w": 0})]),
                  grades=[("A", 33.3), ("B", 0)], levels=[("1", 0)], states=["S"])
    assert score_lead(model, {"P0": "v"}, {}).profile_grade == "A"


def test_spec_example_5_11_84_is_exactly_75_and_grade_a():
    model = build(profile=section("P", [(5, {"a": 50}), (11, {"b": 10}), (84, {"c": 85})]))
    r = score_lead(model, {"P0": "a", "P1": "b", "P2": "c"}, {})
    assert pct(("5", "50"), ("11", "10"), ("84", "85")) == 75
    assert r.profile_pct == 75
    assert r.profile.exact_pct == 75
    assert r.profile_grade == "A"


@pytest.mark.parametrize(
    "pairs",
    [
        [("0.1", "30"), ("0.2", "30"), ("99.7", "0")],  # 0.03 + 0.06 = 0.09, the classic 0.1 + 0.2
        [("33.3", "50"), ("33.3", "50"), ("33.4", "50")],  # 50
        [("10.1", "70"), ("20.2", "70"), ("69.7", "70")],  # 70
        [("12.5", "33.3"), ("87.5", "28.6")],  # 4.1625 + 25.025 = 29.1875
        [("0.7", "10"), ("0.1", "10"), ("99.2", "15.05")],  # 0.07 + 0.01 + 14.9296
    ],
)
def test_exact_sum_on_threshold_earns_better_band(pairs):
    threshold = pct(*pairs)
    profile = [factor(f"P{i}", float(w), {"v": float(s)}) for i, (w, s) in enumerate(pairs)]
    model = build(profile=profile, grades=[("A", float(threshold)), ("B", 0)], levels=[("1", 0)],
                  states=["S"], matrix={"A1": "S", "B1": "S"})
    r = score_lead(model, {f"P{i}": "v" for i in range(len(pairs))}, {})
    assert r.profile.exact_pct == threshold
    assert r.profile_grade == "A"


two_place_scores = st.integers(0, 10000).map(lambda n: float(Fraction(n, 100)))


@settings(max_examples=200, deadline=None)
@given(
    st.integers(1, 6).flatmap(lambda n: weights_summing_to_100(n, 2)).flatmap(
        lambda ws: st.tuples(st.just(ws), st.lists(two_place_scores, min_size=len(ws), max_size=len(ws)))
    ),
    st.sampled_from(["profile", "engagement"]),
)
def test_any_exact_decimal_sum_on_a_threshold_earns_the_better_band(weights_scores, which):
    weights, scores = weights_scores
    # the exact decimal sum, from the numbers' decimal text (≤ 6 places, so a float holds it exactly
    # as the short decimal a person would type as a band minimum)
    threshold = pct(*((repr(float(w)), repr(s)) for w, s in zip(weights, scores, strict=True)))
    assume(0 < threshold < 100)
    assert Fraction(repr(float(threshold))) == threshold
    factors = [factor(f"F{i}", w, {"v": s}) for i, (w, s) in enumerate(zip(weights, scores, strict=True))]
    chosen = {f"F{i}": "v" for i in range(len(factors))}

    def band(lo: Fraction) -> str:
        bands = [("X", float(lo)), ("Y", 0)]
        if which == "profile":
            model = build(profile=factors, grades=bands, levels=[("1", 0)], states=["S"], matrix={})
            return score_lead(model, chosen, {}).profile_grade
        model = build(engagement=factors, grades=[("A", 0)], levels=bands, states=["S"], matrix={})
        return score_lead(model, {}, chosen).engagement_level

    assert band(threshold) == "X"  # exactly on the threshold: the better band
    assert band(threshold + Fraction(1, 10**6)) == "Y"  # one millionth above: the worse band
    assert band(threshold - Fraction(1, 10**6)) == "X"


def test_no_band_in_a_draft_without_a_zero_band_gives_no_grade():
    model = build(profile=section("P", [(100, {"v": 10})]), grades=[("A", 50), ("B", 20)],
                  matrix={})
    r = score_lead(model, {"P0": "v"}, {"E0": "top"})
    assert r.profile_grade is None
    assert r.cell is None
    assert r.state is None


# --------------------------------------------------------------------------------------------
# §3.5 cell and state, knockouts
# --------------------------------------------------------------------------------------------
def cell_model(**kw):
    """A model whose state names spell out their cell, so a wrong cell cannot hide."""
    grades, levels = ["A", "B", "C", "D"], ["1", "2", "3", "4"]
    states = [f"state-{g}{lvl}" for g in grades for lvl in levels]
    return build(
        profile=section("P", [(100, {"p100": 100, "p60": 60, "p30": 30, "p0": 0,
                                     "student": {"score": 100, "knockout": True}})]),
        engagement=section("E", [(100, {"e100": 100, "e50": 50, "e20": 20, "e0": 0,
                                        "spam": {"score": 0, "knockout": True}})]),
        states=states,
        matrix={f"{g}{lvl}": f"state-{g}{lvl}" for g in grades for lvl in levels},
        **kw,
    )


@pytest.mark.parametrize(
    ("p", "e", "cell"),
    [("p100", "e100", "A1"), ("p60", "e50", "B2"), ("p30", "e20", "C3"), ("p0", "e0", "D4"),
     ("p100", "e0", "A4"), ("p0", "e100", "D1"), ("p60", "e20", "B3")],
)
def test_cell_is_grade_plus_level_and_state_is_matrix_cell(p, e, cell):
    r = score_lead(cell_model(), {"P0": p}, {"E0": e})
    assert r.cell == cell
    assert r.profile_grade + r.engagement_level == cell
    assert r.state == f"state-{cell}"
    assert r.knocked_out is False
    assert r.knockouts == ()


def test_knockout_sends_to_knockout_state_whatever_the_cell():
    model = cell_model(knockout_state="state-B2")
    r = score_lead(model, {"P0": "student"}, {"E0": "e100"})
    assert r.cell == "A1"  # scores still computed and shown
    assert r.profile_pct == 100
    assert r.engagement_pct == 100
    assert r.state == "state-B2"
    assert r.knocked_out is True
    assert r.knockouts == ("P0 = student",)


def test_default_knockout_state_is_the_last_state():
    model = cell_model()
    r = score_lead(model, {"P0": "student"}, {"E0": "e50"})
    assert r.state == "state-D4"  # last of the states list
    assert r.cell == "A2"


def test_engagement_knockout_and_both_listed():
    model = cell_model(knockout_state="state-C1")
    r = score_lead(model, {"P0": "student"}, {"E0": "spam"})
    assert r.state == "state-C1"
    assert set(r.knockouts) == {"P0 = student", "E0 = spam"}
    assert [c.knockout for c in r.contributions] == [True, True]


def test_knockout_value_not_selected_does_not_knock_out():
    r = score_lead(cell_model(), {"P0": "p100"}, {"E0": "e100"})
    assert r.state == "state-A1"


def test_knockout_counts_with_missing_neutral_too():
    model = cell_model(missing="neutral", knockout_state="state-D1")
    r = score_lead(model, {"P0": "student"}, {})
    assert r.state == "state-D1"
    assert r.profile_pct == 100


def test_state_for_a_cell_missing_from_a_draft_matrix_is_none():
    model = build(matrix={"A1": "Send to sales"})
    r = score_lead(model, {"P0": "none"}, {"E0": "none"})
    assert r.cell == "D4"
    assert r.state is None


# --------------------------------------------------------------------------------------------
# §3.6 agreement
# --------------------------------------------------------------------------------------------
def scenario_model(scenarios, team=None):
    return build(
        profile=section("P", [(100, {"top": 100, "mid": 60, "none": 0})]),
        engagement=section("E", [(100, {"top": 100, "mid": 50, "none": 0})]),
        scenarios=scenarios,
        team=team,
    )


def test_scenario_agrees_when_every_given_estimate_matches():
    # top/top → A1 → Send to sales (monotone matrix: states[min(0 + 0, 3)])
    m = scenario_model([{"name": "s", "profile": {"P0": "top"}, "engagement": {"E0": "top"},
                         "estimate": {"profile": "A", "engagement": "1", "state": "Send to sales"}}])
    r = evaluate_scenario(m, m.scenarios[0])
    assert r.checks == {"profile": True, "engagement": True, "state": True}
    assert r.agrees is True


def test_scenario_disagrees_when_any_given_estimate_differs():
    # mid/mid → B2 → states[min(1 + 1, 3)] = Nurture
    m = scenario_model([{"name": "s", "profile": {"P0": "mid"}, "engagement": {"E0": "mid"},
                         "estimate": {"profile": "B", "engagement": "2", "state": "Qualify"}}])
    r = evaluate_scenario(m, m.scenarios[0])
    assert r.result.state == "Nurture"
    assert r.checks == {"profile": True, "engagement": True, "state": False}
    assert r.agrees is False
    assert r.computed("state") == "Nurture"


@pytest.mark.parametrize("key,value,ok", [("profile", "B", True), ("profile", "A", False),
                                          ("engagement", "2", True), ("engagement", "1", False),
                                          ("state", "Nurture", True), ("state", "Ignore", False)])
def test_only_given_estimates_are_compared(key, value, ok):
    m = scenario_model([{"name": "s", "profile": {"P0": "mid"}, "engagement": {"E0": "mid"},
                         "estimate": {key: value}}])
    r = evaluate_scenario(m, m.scenarios[0])
    assert r.checks == {key: ok}
    assert r.agrees is ok


@pytest.mark.parametrize("estimate", [None, {}])
def test_scenario_without_estimate_agrees_none(estimate):
    sc = {"name": "s", "profile": {"P0": "top"}}
    if estimate is not None:
        sc["estimate"] = estimate
    m = scenario_model([sc])
    r = evaluate_scenario(m, m.scenarios[0])
    assert r.checks == {}
    assert r.agrees is None


def test_member_estimates_are_checked_each():
    team = [{"name": "Dana"}, {"name": "Sam"}, {"name": "Kim"}]
    m = scenario_model(
        [{"name": "s", "profile": {"P0": "top"}, "engagement": {"E0": "top"},
          "estimates_by_member": {"Dana": "Send to sales", "Sam": "Qualify", "Kim": "Send to sales"}}],
        team=team,
    )
    r = evaluate_scenario(m, m.scenarios[0])
    assert r.member_checks == {"Dana": True, "Sam": False, "Kim": True}
    assert r.agrees is None  # member estimates are not the team's estimate


def test_knocked_out_scenario_state_compared_with_knockout_state():
    m = build(profile=section("P", [(100, {"top": 100, "bad": {"score": 100, "knockout": True}})]),
              scenarios=[{"name": "s", "profile": {"P0": "bad"}, "engagement": {"E0": "top"},
                          "estimate": {"profile": "A", "state": "Ignore"}}])
    r = evaluate_scenario(m, m.scenarios[0])
    assert r.result.state == "Ignore"
    assert r.checks == {"profile": True, "state": True}


def test_evaluate_scenarios_in_order():
    m = scenario_model([{"name": f"s{i}"} for i in range(5)])
    assert [r.name for r in evaluate_scenarios(m)] == ["s0", "s1", "s2", "s3", "s4"]


def test_agreement_counts_and_sentence_12_of_15():
    scs = []
    for i in range(12):
        scs.append({"name": f"ok{i}", "profile": {"P0": "top"}, "engagement": {"E0": "top"},
                    "estimate": {"state": "Send to sales"}})
    for i in range(3):
        scs.append({"name": f"bad{i}", "profile": {"P0": "none"}, "estimate": {"profile": "A"}})
    ag = agreement(evaluate_scenarios(scenario_model(scs)))
    assert (ag.agreeing, ag.disagreeing, ag.without_estimate) == (12, 3, 0)
    assert ag.with_estimate == 15
    assert ag.rate == pytest.approx(12 / 15)
    assert ag.sentence() == "12 of 15 scenarios agree"


def test_agreement_sentence_mentions_scenarios_without_estimate():
    scs = [{"name": "ok", "profile": {"P0": "top"}, "estimate": {"profile": "A"}},
           {"name": "no1"}, {"name": "no2", "estimate": {}}]
    ag = agreement(evaluate_scenarios(scenario_model(scs)))
    assert (ag.agreeing, ag.disagreeing, ag.without_estimate) == (1, 0, 2)
    assert ag.sentence() == "1 of 1 scenarios agree (2 without estimate)"


def test_agreement_of_nothing():
    ag = agreement([])
    assert ag == Agreement(0, 0, 0)
    assert ag.rate is None
    assert ag.sentence() == "0 of 0 scenarios agree"


# --------------------------------------------------------------------------------------------
# Contributions explain the result
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("missing", ["zero", "neutral"])
def test_contributions_add_up_to_raw_pct_per_section(missing):
    model = build(
        profile=section("P", [(12.5, {"a": 33.3}), (37.5, {"b": -20}), (50, {"c": 77.7})]),
        engagement=section("E", [(70, {"x": 100}), (30, {"y": -100})]),
        missing=missing,
    )
    r = score_lead(model, {"P0": "a", "P2": "c"}, {"E0": "x", "E1": "y"})
    for sec in (r.profile, r.engagement):
        assert sum(c.points for c in sec.contributions) == pytest.approx(sec.raw, abs=1e-9)
    if missing == "zero":
        assert r.profile.raw == pytest.approx(float(pct(("12.5", "33.3"), ("50", "77.7"))), abs=1e-9)
    else:
        expected = (Fraction("12.5") * Fraction("33.3") + 50 * Fraction("77.7")) / Fraction("62.5")
        assert r.profile.raw == pytest.approx(float(expected), abs=1e-9)
    assert r.engagement.raw == 40
    assert r.contributions == r.profile.contributions + r.engagement.contributions
    assert [c.name for c in r.contributions] == ["P0", "P1", "P2", "E0", "E1"]


def test_contribution_as_dict():
    s = one_section([(35, {"v": 80})], {"P0": "v"})
    assert s.contributions[0].as_dict() == {
        "section": "profile", "name": "P0", "value": "v", "weight": 35, "score": 80,
        "effective_weight": 35, "points": 28, "knockout": False,
    }


# --------------------------------------------------------------------------------------------
# Engagement levels written as YAML integers
# --------------------------------------------------------------------------------------------
INT_LEVELS = """\
schema_version: 1
name: Integer levels
states: [{name: Hot}, {name: Cold}]
profile_grades: [{grade: A, min: 50}, {grade: B, min: 0}]
engagement_levels: [{level: 1, min: 50}, {level: 2, min: 0}]
matrix: {A1: Hot, A2: Cold, B1: Cold, B2: Cold}
profile: [{name: Fit, weight: 100, values: [{label: good, score: 100}]}]
engagement:
  - name: Demo
    weight: 100
    values: [{label: 7, score: 100}, {label: 60, score: 40}]
scenarios:
  - name: hot
    profile: {Fit: good}
    engagement: {Demo: 7}
    estimate: {profile: A, engagement: 1, state: Hot}
  - name: cooler
    profile: {Fit: good}
    engagement: {Demo: 60}
    estimate: {engagement: 2}
"""


def test_integer_engagement_levels_and_labels_are_normalised_to_text():
    model = load_model_text(INT_LEVELS).model
    assert model.levels == ["1", "2"]
    assert model.cells == ["A1", "A2", "B1", "B2"]
    assert model.engagement[0].values[0].label == "7"
    assert model.scenarios[0].estimate.engagement == "1"
    results = evaluate_scenarios(model)
    assert [r.result.cell for r in results] == ["A1", "A2"]
    assert [r.result.state for r in results] == ["Hot", "Cold"]
    assert [r.agrees for r in results] == [True, True]


def test_score_lead_accepts_a_scenario_value_map():
    m = scenario_model([{"name": "s", "profile": {"P0": "mid"}, "engagement": {"E0": "top"}}])
    sc: Scenario = m.scenarios[0]
    r = score_lead(m, sc.profile, sc.engagement)
    assert (r.profile_pct, r.engagement_pct, r.cell) == (60, 100, "B1")
