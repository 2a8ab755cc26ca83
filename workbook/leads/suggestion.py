"""What a data suggestion hands back (:func:`workbook.leads.fit.suggest_from_outcomes`), and
accepting it — all of it or value by value — with :func:`apply_suggestion`.

Every figure a page or the CLI shows is here: per value the evidence and the scores today and
suggested, per attribute the weights, the thresholds, and the held-out comparison.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

from workbook.leads.evidence import SECTIONS
from workbook.leads.leakage import LeakCheck
from workbook.leads.reports import Group
from workbook.model import ScoringModel


@dataclass(frozen=True)
class ValueSuggestion:
    """One value: its evidence on the whole list, its score today and the suggested one."""

    section: str
    attribute: str
    label: str
    leads: int  # with a known outcome
    conversions: int
    rate: float | None
    lift: float | None
    ci_low: float | None  # 95 % Wilson interval of the rate
    ci_high: float | None
    current: float
    suggested: float
    coefficient: float | None = None  # offset from the attribute's zero point (log-odds)
    locked: bool = False
    note: str | None = None

    @property
    def key(self) -> tuple[str, str, str, str]:
        return ("score", self.section, self.attribute, self.label)

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section, "attribute": self.attribute, "value": self.label,
            "leads": self.leads, "conversions": self.conversions, "rate": self.rate, "lift": self.lift,
            "ci_low": self.ci_low, "ci_high": self.ci_high, "current": self.current,
            "suggested": self.suggested, "coefficient": self.coefficient, "locked": self.locked,
            "note": self.note,
        }


@dataclass(frozen=True)
class AttributeWeight:
    """One attribute's or activity's weight today and suggested."""

    section: str
    name: str
    current: float
    suggested: float
    locked: bool = False
    left_out: str | None = None  # why the fit did not use it (leakage, no signal)

    def as_dict(self) -> dict[str, Any]:
        return {"section": self.section, "name": self.name, "current": self.current,
                "suggested": self.suggested, "locked": self.locked, "left_out": self.left_out}


@dataclass(frozen=True)
class ThresholdChange:
    """A grade's or level's minimum % today and suggested."""

    axis: str  # "profile" or "engagement"
    band: str
    current: float
    suggested: float

    def as_dict(self) -> dict[str, Any]:
        return {"axis": self.axis, "band": self.band, "current": self.current, "suggested": self.suggested}


@dataclass(frozen=True)
class HeldOut:
    """Figures on leads the suggestion was not fitted on.

    AUCs rank by cell (:func:`workbook.leads.evidence.cell_rank`) for the two models; the ceiling
    ranks by the unconstrained regression's probability over the same values, knocked-out leads
    last (the suggestion keeps the team's knockouts, so the ceiling does too).
    """

    rows: int
    auc_current: float | None
    auc_suggested: float | None
    auc_ceiling: float | None
    states_current: list[Group]
    states_suggested: list[Group]
    method: str  # "holdout 30 %" or "5-fold"
    folds: list[dict[str, float | None]] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "rows": self.rows, "method": self.method, "auc_current": self.auc_current,
            "auc_suggested": self.auc_suggested, "auc_ceiling": self.auc_ceiling,
            "states_current": [g.as_dict("state") for g in self.states_current],
            "states_suggested": [g.as_dict("state") for g in self.states_suggested],
            "folds": self.folds,
        }


@dataclass(frozen=True)
class FitSuggestion:
    """A suggested model with its evidence and held-out figures; accept it with :func:`apply_suggestion`."""

    model: ScoringModel
    values: list[ValueSuggestion]
    weights: list[AttributeWeight]
    thresholds: list[ThresholdChange]
    held_out: HeldOut
    leaks: list[LeakCheck]
    outcome_column: str
    notes: list[str] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        h = self.held_out
        return {
            "outcome": self.outcome_column,
            "auc_current": h.auc_current, "auc_suggested": h.auc_suggested, "auc_ceiling": h.auc_ceiling,
            "held_out": h.as_dict(),
            "weights": [w.as_dict() for w in self.weights],
            "values": [v.as_dict() for v in self.values],
            "thresholds": [t.as_dict() for t in self.thresholds],
            "leaks": [c.as_dict() for c in self.leaks if c.flagged],
            "notes": self.notes,
        }


# --------------------------------------------------------------------------------------------
AcceptKey = tuple[str, ...]


def apply_suggestion(model: ScoringModel, suggestion: FitSuggestion,
                     accept: Collection[AcceptKey] | None = None) -> ScoringModel:
    """The model with the suggestion accepted: all of it (``accept`` None) or part of it.

    Keys of ``accept``: ``("score", section, attribute, label)`` for one value's score,
    ``("weights", section)`` for a whole section's weights (weights are accepted per section,
    so that they still add up to 100), ``("thresholds",)`` for the grade and level minimums.
    Values, attributes or bands the model no longer has are skipped. ``model`` is not changed.
    """
    out = model.model_copy(deep=True)
    keys = None if accept is None else {tuple(k) for k in accept}

    def wanted(key: AcceptKey) -> bool:
        return keys is None or key in keys

    for section in SECTIONS:
        new = {f.name: f for f in suggestion.model.section(section)}  # type: ignore[arg-type]
        factors = out.section(section)  # type: ignore[arg-type]
        if wanted(("weights", section)) and {f.name for f in factors} == set(new):
            for f in factors:
                f.weight = new[f.name].weight
        for f in factors:
            if f.name not in new:
                continue
            scores = {v.label: v.score for v in new[f.name].values}
            for value in f.values:
                if value.label in scores and wanted(("score", section, f.name, value.label)):
                    value.score = scores[value.label]
    if wanted(("thresholds",)):
        if len(out.profile_grades) == len(suggestion.model.profile_grades):
            for band, s in zip(out.profile_grades, suggestion.model.profile_grades, strict=True):
                band.min = s.min
        if len(out.engagement_levels) == len(suggestion.model.engagement_levels):
            for band, s in zip(out.engagement_levels, suggestion.model.engagement_levels, strict=True):
                band.min = s.min
    return out
