"""The one rule for a section's weight total, shared by validation and every page that shows it."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace

from hypothesis import given
from hypothesis import strategies as st

from workbook.validate import WEIGHT_TOLERANCE, weight_total, weights_add_up


def _factors(weights):
    return [SimpleNamespace(weight=w) for w in weights]


def test_thirds_written_to_two_decimals_add_up_exactly():
    total = weight_total(_factors([33.33, 33.33, 33.33]))
    assert total == Decimal("99.99") and weights_add_up(total)


def test_just_outside_the_tolerance_does_not_add_up():
    assert not weights_add_up(weight_total(_factors([33.33, 33.33, 33.32])))
    assert not weights_add_up(weight_total(_factors([50, 50.02])))


@given(st.lists(st.decimals(min_value=0, max_value=100, places=2), max_size=6))
def test_the_total_is_the_exact_decimal_sum(weights):
    total = weight_total(_factors([float(w) for w in weights]))
    assert total == sum(weights, Decimal(0))
    assert weights_add_up(total) == (abs(total - 100) <= Decimal(str(WEIGHT_TOLERANCE)))
