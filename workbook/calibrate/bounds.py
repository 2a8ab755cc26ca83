"""What the facilitator allows the weight suggestion to move: locks and a largest move.

The calibration page asks which weights are locked and how far any other weight may move;
:func:`weight_bounds` turns that into the per-weight bounds :func:`suggest_weights` takes.
"""

from __future__ import annotations

from collections.abc import Collection

from workbook.calibrate.weights import WeightBound
from workbook.model import ScoringModel

SECTIONS = ("profile", "engagement")


def weight_options(model: ScoringModel) -> list[tuple[str, str]]:
    """Every weight of the model as ``(section, factor name)``, profile first, in model order."""
    return [(s, f.name) for s in SECTIONS for f in model.section(s)]


def weight_bounds(
    model: ScoringModel, locked: Collection[tuple[str, str]], max_move: float | None
) -> dict[tuple[str, str], WeightBound]:
    """The bounds for :func:`suggest_weights`: locked weights stay, the others move at most ``max_move`` points.

    A bound never leaves 0–100. Without ``max_move`` only the locked weights get a bound
    (the others may move anywhere the section total allows).
    """
    bounds: dict[tuple[str, str], WeightBound] = {}
    for section, name in weight_options(model):
        if (section, name) in locked:
            bounds[(section, name)] = WeightBound(locked=True)
        elif max_move is not None:
            w = next(f.weight for f in model.section(section) if f.name == name)
            bounds[(section, name)] = WeightBound(min=max(0.0, w - max_move), max=min(100.0, w + max_move))
    return bounds
