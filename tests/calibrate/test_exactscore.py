"""The integer scorer gives exactly the engine's canonical percentages (SPEC §3.1–3.3)."""

from __future__ import annotations

from fractions import Fraction

import pytest
from calibrate_builders import REPO, model, random_models
from hypothesis import given, settings

from workbook.calibrate.exactscore import UNIT, round_units, tables
from workbook.engine import score_lead
from workbook.files import load_model_file
from workbook.model import ScoringModel


def assert_same_as_engine(m: ScoringModel) -> None:
    tabs = tables(m, m.scenarios)
    p, e = tabs.profile.units(), tabs.engagement.units()
    for i, s in enumerate(m.scenarios):
        r = score_lead(m, s.profile, s.engagement)
        assert Fraction(p[i], UNIT) == r.profile.exact_pct, s.name
        assert Fraction(e[i], UNIT) == r.engagement.exact_pct, s.name
        assert tabs.knocked_out[i] == r.knocked_out, s.name


@pytest.mark.parametrize("name", ["sales_automation.yaml", "x_education.yaml"])
def test_examples_score_exactly_like_the_engine(name):
    assert_same_as_engine(load_model_file(REPO / "scenarios" / name).model)


@settings(max_examples=60)
@given(random_models(max_scenarios=6))
def test_random_models_score_exactly_like_the_engine(m):
    assert_same_as_engine(m)


def test_spec_example_5_11_84_is_exactly_75():
    m = model([(5, {"a": 50}), (11, {"b": 10}), (84, {"c": 85})],
              scenarios=[{"name": "x", "profile": {"P0": "a", "P1": "b", "P2": "c"}}])
    assert tables(m, m.scenarios).profile.units() == [75 * UNIT]


def test_neutral_all_missing_is_zero_and_clamping_holds():
    m = model([(50, {"neg": -100}), (50, {"top": 100})], missing="neutral",
              scenarios=[{"name": "none", "profile": {}}, {"name": "neg", "profile": {"P0": "neg"}}])
    assert tables(m, m.scenarios).profile.units() == [0, 0]
    assert_same_as_engine(m)


@pytest.mark.parametrize(
    ("num", "den", "units"),
    [(1, 3, 333_333_333), (2, 3, 666_666_667), (1, 2 * UNIT, 0), (3, 2 * UNIT, 2), (-1, 3, -333_333_333)],
)
def test_round_half_even(num, den, units):
    assert round_units(num, den) == units
    assert round_units(num, den) == round(Fraction(num, den) * UNIT)
