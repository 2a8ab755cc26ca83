"""Stakeholder alignment: kappas against textbook examples, consensus, the member matrix."""

from __future__ import annotations

import pytest
from calibrate_builders import REPO, model, scenario

from workbook.calibrate import alignment
from workbook.calibrate.alignment import cohen_kappa, consensus_of, entropy_bits, fleiss_kappa
from workbook.files import load_model_file

# Fleiss' kappa, the worked example of Wikipedia's "Fleiss' kappa" article: 10 subjects,
# 14 raters, 5 categories; P̄ = 0.378, P_e = 0.213, κ = 0.210.
WIKIPEDIA_FLEISS = [
    [0, 0, 0, 0, 14],
    [0, 2, 6, 4, 2],
    [0, 0, 3, 5, 6],
    [0, 3, 9, 2, 0],
    [2, 2, 8, 1, 1],
    [7, 7, 0, 0, 0],
    [3, 2, 6, 3, 0],
    [2, 5, 3, 2, 2],
    [6, 5, 2, 1, 0],
    [0, 2, 2, 3, 7],
]


def test_fleiss_textbook_example():
    assert fleiss_kappa(WIKIPEDIA_FLEISS) == pytest.approx(0.20993, abs=5e-5)


def test_fleiss_hand_computed_with_varying_raters():
    # Subject 1: 3 raters all "a" → P1 = 1; subject 2: 2 raters a, b → P2 = 0; subject 3: 1 rater (left out).
    # P̄ = 0.5; shares over the 5 ratings used: a 4/5, b 1/5 → P_e = 0.68; κ = (0.5 − 0.68) / 0.32.
    assert fleiss_kappa([[3, 0], [1, 1], [1, 0]]) == pytest.approx((0.5 - 0.68) / 0.32)


def test_fleiss_undefined_and_perfect():
    assert fleiss_kappa([[3, 0], [2, 0]]) is None  # everyone always says the same: chance agreement is 1
    assert fleiss_kappa([[1, 0]]) is None  # no subject with two raters
    assert fleiss_kappa([[3, 0], [0, 3]]) == pytest.approx(1.0)


def test_cohen_textbook_example():
    # Wikipedia "Cohen's kappa": 50 proposals, yes/yes 20, yes/no 5, no/yes 10, no/no 15 → κ = 0.4.
    a = ["y"] * 20 + ["y"] * 5 + ["n"] * 10 + ["n"] * 15
    b = ["y"] * 20 + ["n"] * 5 + ["y"] * 10 + ["n"] * 15
    assert cohen_kappa(a, b) == pytest.approx(0.4)


def test_cohen_undefined_and_negative():
    assert cohen_kappa(["x", "x"], ["x", "x"]) is None
    assert cohen_kappa([], []) is None
    assert cohen_kappa(["a", "b"], ["b", "a"]) == pytest.approx(-1.0)


def test_consensus_is_the_mode_and_ties_go_to_the_more_cautious_state():
    order = ["Send to sales", "Qualify", "Nurture", "Ignore"]
    assert consensus_of(["Qualify", "Qualify", "Nurture"], order) == "Qualify"
    assert consensus_of(["Send to sales", "Nurture"], order) == "Nurture"
    assert consensus_of(["Send to sales", "Send to sales", "Qualify", "Qualify", "Ignore"], order) == "Qualify"
    assert consensus_of([], order) is None


def test_entropy():
    assert entropy_bits([3]) == 0.0
    assert entropy_bits([1, 1]) == pytest.approx(1.0)
    assert entropy_bits([1, 1, 1, 1]) == pytest.approx(2.0)


def room():
    members = {
        "s0": {"Ann": "Qualify", "Bo": "Qualify", "Cy": "Qualify"},
        "s1": {"Ann": "Send to sales", "Bo": "Nurture"},
        "s2": {"Ann": "Nurture", "Cy": "Ignore", "Bo": "Nurture"},
        "s3": {"Bo": "Ignore"},
        "s4": {},
    }
    return model(
        scenarios=[scenario(name, {"P0": "top"}, members=by) for name, by in members.items()],
        team=["Ann", "Bo", "Cy", "Dee"],
    )


def test_alignment_of_a_small_room():
    a = alignment(room())
    assert a.members == ["Ann", "Bo", "Cy"]  # Dee estimated nothing
    pairs = {(p.member_a, p.member_b): p for p in a.pairs}
    ab = pairs[("Ann", "Bo")]
    assert (ab.scenarios, ab.agreeing, ab.percent) == (3, 2, pytest.approx(200 / 3))
    # Ann: Q, S, N; Bo: Q, N, N → p_o = 2/3; p_e = (1·1 + 1·0 + 1·2) / 9 = 1/3; κ = (2/3 − 1/3) / (2/3) = 0.5
    assert ab.kappa == pytest.approx(0.5)
    assert pairs[("Ann", "Cy")].scenarios == 2
    # Fleiss over s0, s1, s2 (s3 has one rater, s4 none)
    assert a.fleiss_scenarios == 3
    assert a.fleiss_kappa == pytest.approx(fleiss_kappa([[0, 3, 0, 0], [1, 0, 1, 0], [0, 0, 2, 1]]))
    assert a.consensus == {"s0": "Qualify", "s1": "Nurture", "s2": "Nurture", "s3": "Ignore"}
    assert [s.scenario for s in a.most_disputed] == ["s1", "s2"]
    assert a.matrix.members == ["Ann", "Bo", "Cy"]
    assert a.matrix.values[0] == [1, 0, 2, None, None]
    assert a.matrix.values[2] == [1, None, 3, None, None]


def test_alignment_of_the_example_workshop_is_json_ready():
    import json

    a = alignment(load_model_file(REPO / "scenarios" / "sales_automation.yaml").model)
    json.dumps(a.as_dict())
    assert a.fleiss_kappa is not None and -1 <= a.fleiss_kappa <= 1
    assert len(a.matrix.values) == len(a.members)
    assert all(len(row) == len(a.matrix.scenarios) for row in a.matrix.values)
