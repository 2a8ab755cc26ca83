"""Weight bounds from the calibration page's locks and largest move; kappa in words."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.calibrate import WeightBound
from workbook.calibrate.alignment import kappa_reading
from workbook.calibrate.bounds import weight_bounds, weight_options
from workbook.files import load_model_file
from workbook.model import ScoringModel

EXAMPLE = load_model_file(Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml").model


def test_options_list_every_weight_profile_first():
    options = weight_options(EXAMPLE)
    expected = [("profile", f.name) for f in EXAMPLE.profile] + [("engagement", f.name) for f in EXAMPLE.engagement]
    assert options == expected


def test_locked_weights_are_locked_and_the_rest_free_without_a_largest_move():
    first = weight_options(EXAMPLE)[0]
    assert weight_bounds(EXAMPLE, [first], None) == {first: WeightBound(locked=True)}


@given(st.floats(min_value=0, max_value=100, allow_nan=False))
def test_a_largest_move_bounds_every_free_weight_within_0_and_100(move: float):
    bounds = weight_bounds(EXAMPLE, [], move)
    assert set(bounds) == set(weight_options(EXAMPLE))
    for (section, name), bound in bounds.items():
        weight = next(f.weight for f in EXAMPLE.section(section) if f.name == name)
        assert not bound.locked
        assert 0 <= bound.min <= weight <= bound.max <= 100
        assert bound.min == pytest.approx(max(0.0, weight - move))
        assert bound.max == pytest.approx(min(100.0, weight + move))


def test_a_lock_wins_over_the_largest_move():
    model: ScoringModel = EXAMPLE
    last = weight_options(model)[-1]
    assert weight_bounds(model, {last}, 5.0)[last] == WeightBound(locked=True)


@pytest.mark.parametrize(
    ("kappa", "words"),
    [
        (None, "not defined (every estimate is the same state, or too few estimates)"),
        (-0.1, "poor: less than chance"),
        (0.0, "slight agreement"),
        (0.20, "slight agreement"),
        (0.21, "fair agreement"),
        (0.40, "fair agreement"),
        (0.5, "moderate agreement"),
        (0.61, "substantial agreement"),
        (0.80, "substantial agreement"),
        (0.81, "almost perfect agreement"),
        (1.0, "almost perfect agreement"),
    ],
)
def test_kappa_reading_follows_landis_and_koch(kappa, words):
    assert kappa_reading(kappa) == words
