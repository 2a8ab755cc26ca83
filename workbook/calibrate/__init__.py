"""Calibration (issue 6): suggestions that make the model say what the room believes.

The pure core behind the CLI's ``calibrate`` command and the calibration page:

* :func:`suggest_thresholds` → :class:`ThresholdSuggestion` — band minimums (exact search);
* :func:`suggest_weights` → :class:`WeightSuggestion` — weights (MILP, verified by the engine);
* :func:`apply_threshold_suggestion` / :func:`apply_weight_suggestion` → a new ScoringModel;
* :func:`sensitivity` → :class:`Sensitivity` — band-edge distances, single-weight flips, tornado;
* :func:`alignment` → :class:`Alignment` — the room's agreement (Cohen, Fleiss, consensus).

Every count of agreeing scenarios in a suggestion is what the exact engine confirms.
"""

from workbook.calibrate.alignment import Alignment, MemberMatrix, PairAgreement, ScenarioSpread, alignment
from workbook.calibrate.sensitivity import (
    EdgeDistance,
    ScenarioSensitivity,
    Sensitivity,
    TornadoRow,
    WeightFlip,
    flip_text,
    sensitivity,
)
from workbook.calibrate.targets import Comparison, ScenarioChange, Target, calibration_targets
from workbook.calibrate.thresholds import (
    BandChange,
    StaleSuggestion,
    ThresholdSuggestion,
    apply_threshold_suggestion,
    suggest_thresholds,
)
from workbook.calibrate.weights import (
    WeightBound,
    WeightChange,
    WeightSuggestion,
    apply_weight_suggestion,
    suggest_weights,
)

__all__ = [
    "Alignment",
    "BandChange",
    "Comparison",
    "EdgeDistance",
    "MemberMatrix",
    "PairAgreement",
    "ScenarioChange",
    "ScenarioSensitivity",
    "ScenarioSpread",
    "Sensitivity",
    "StaleSuggestion",
    "Target",
    "ThresholdSuggestion",
    "TornadoRow",
    "WeightBound",
    "WeightChange",
    "WeightFlip",
    "WeightSuggestion",
    "alignment",
    "apply_threshold_suggestion",
    "apply_weight_suggestion",
    "calibration_targets",
    "flip_text",
    "sensitivity",
    "suggest_thresholds",
    "suggest_weights",
]
