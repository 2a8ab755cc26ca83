"""The "Learn from outcomes" page's session: its keys, the settings of a fit, the fit kept in this
session, and the parts of a suggestion a team can accept one at a time.

The helpers here import no Streamlit widgets' results: the tests call them directly.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, field

from workbook import fmt
from workbook.leads.evidence import SECTIONS
from workbook.leads.suggestion import AcceptKey, FitSuggestion, apply_suggestion
from workbook.model import ScoringModel
from workbook.ui.keys import page_key

SECTION_WORDS = {"profile": "ICP", "engagement": "Activity"}
DEFAULT_HOLDOUT = 0.3
FOLD_CHOICES = [None, 5]  # None: one held-out share; k: k-fold cross-validation (k fits: k times slower)


class Keys:
    """Session-state and widget keys of this page."""

    FIT = page_key("fit", "fitted")  # the Fitted of this session
    KEEP = page_key("fit", "keep")  # set of (section, attribute) kept on purpose despite a leakage flag
    REFIT = page_key("fit", "refit")  # a keep checkbox changed: fit again on this run
    FORM = page_key("fit", "settings")
    OUTCOME = page_key("fit", "outcome")
    HOLDOUT = page_key("fit", "holdout")
    FOLDS = page_key("fit", "folds")
    SEED = page_key("fit", "seed")
    AS_OF = page_key("fit", "as_of")
    THRESHOLDS = page_key("fit", "thresholds")
    LOCKED_WEIGHTS = page_key("fit", "locked_weights")
    MAX_MOVE = page_key("fit", "max_move")
    LOCKED_VALUES = page_key("fit", "locked_values")
    DECLARED = page_key("fit", "declared")
    SUGGEST = page_key("fit", "suggest")
    ACCEPT_ALL = page_key("fit", "accept_all")
    PART = page_key("fit", "part")
    ACCEPT_PART = page_key("fit", "accept_part")
    EVIDENCE_ATTRIBUTE = page_key("fit", "evidence_attribute")
    # funnel
    FUNNEL_SHAPE = page_key("fit", "funnel", "shape")
    FUNNEL_COLUMNS = page_key("fit", "funnel", "columns")
    FUNNEL_COLUMN = page_key("fit", "funnel", "column")
    FUNNEL_STAGES = page_key("fit", "funnel", "stages")
    FUNNEL_AMOUNT = page_key("fit", "funnel", "amount")
    FUNNEL_MISSED = page_key("fit", "funnel", "missed")
    # sales acceptance
    VERDICTS = page_key("fit", "verdicts")  # (file id, name, frame) of the verdicts read
    VERDICT_UPLOAD = page_key("fit", "verdict_upload")
    LEAD_ID = page_key("fit", "lead_id")
    VERDICT_ID = page_key("fit", "verdict_id")
    VERDICT_COLUMN = page_key("fit", "verdict_column")
    REASON_COLUMN = page_key("fit", "reason_column")
    # champion vs challenger
    CHALLENGER = page_key("fit", "challenger")
    REVISION = page_key("fit", "challenger_revision")
    CAPACITY = page_key("fit", "capacity")
    COMPARE_OUTCOME = page_key("fit", "compare_outcome")
    COMPARISON = page_key("fit", "comparison")  # (key, Comparison) of the last comparison

    @staticmethod
    def keep(section: str, attribute: str) -> str:
        return page_key("fit", "keep", section, attribute)


@dataclass(frozen=True)
class FitSettings:
    """Everything a fit depends on besides the model and the list (what the form submits)."""

    outcome: str
    holdout: float = DEFAULT_HOLDOUT
    seed: int = 0
    folds: int | None = None  # k-fold instead of one holdout
    thresholds: bool = True
    locked_weights: tuple[tuple[str, str], ...] = ()
    max_move: float | None = None  # largest move of any weight, points; None: no limit
    locked_values: tuple[tuple[str, str, str], ...] = ()
    declared: tuple[str, ...] = ()  # columns the team knows are filled after contact
    keep: tuple[tuple[str, str], ...] = ()  # flagged attributes kept on purpose
    as_of: dt.date | None = None  # the date recency rules count back from (None: today)

    def words(self) -> str:
        """The settings in one line, for the caption under the figures."""
        measure = f"{self.folds}-fold" if self.folds else f"{fmt.number(100 * self.holdout, 0)} % held out"
        parts = [f"outcome '{self.outcome}'", measure,
                 f"seed {self.seed}", "thresholds suggested" if self.thresholds else "thresholds kept"]
        if self.as_of is not None:
            parts.append(f"as of {self.as_of.isoformat()}")
        if self.locked_weights:
            parts.append(f"{fmt.count(len(self.locked_weights), 'weight')} locked")
        if self.max_move is not None:
            parts.append(f"weights move at most {fmt.number(self.max_move)} points")
        if self.locked_values:
            parts.append(f"{fmt.count(len(self.locked_values), 'score')} locked")
        if self.keep:
            parts.append("kept on purpose: " + ", ".join(name for _, name in self.keep))
        return " · ".join(parts)


@dataclass(frozen=True)
class Fitted:
    """A suggestion made in this session, and what it was made from."""

    list_digest: str
    workbook_id: str
    revision: int  # the store revision the model was at when fitted
    settings: FitSettings
    suggestion: FitSuggestion
    seconds: float
    model: ScoringModel  # the model as it was fitted (the "current" of the held-out figures)
    mapping: tuple = field(default=())


@dataclass(frozen=True)
class Part:
    """One piece of a suggestion the team may accept on its own: a score, a section's weights, the thresholds."""

    key: AcceptKey
    label: str  # for the picker
    message: str  # what the accepting revision did, in words


def _score(value: float) -> str:
    return fmt.number(value, 0)


def pending_parts(model: ScoringModel, suggestion: FitSuggestion) -> list[Part]:
    """The parts of ``suggestion`` that would still change ``model``, scores first, in model order."""
    parts: list[Part] = []
    suggested = {(v.section, v.attribute, v.label): v for v in suggestion.values}
    for section in SECTIONS:
        for f in model.section(section):  # type: ignore[arg-type]
            for value in f.values:
                v = suggested.get((section, f.name, value.label))
                if v is None or v.suggested == value.score:
                    continue
                change = f"{_score(value.score)} → {_score(v.suggested)}"
                parts.append(Part(("score", section, f.name, value.label),
                                  f"{f.name}: {value.label} — score {change}",
                                  f"the score of {f.name}: {value.label} ({change})"))
    for section in SECTIONS:
        key: AcceptKey = ("weights", section)
        if apply_suggestion(model, suggestion, [key]) != model:
            what = f"{SECTION_WORDS[section]} weights"
            parts.append(Part(key, f"{what} (all together: they add up to 100)", f"the suggested {what}"))
    key = ("thresholds",)
    if apply_suggestion(model, suggestion, [key]) != model:
        parts.append(Part(key, "Grade and level minimums (thresholds)", "the suggested grade and level minimums"))
    return parts


def accept_message(parts: Sequence[Part], outcome: str, *, everything: bool = False) -> str:
    """The words of an accepting revision's message."""
    source = f"from the outcomes in '{outcome}'"
    if everything:
        return f"Accepted the data suggestion {source} ({fmt.count(len(parts), 'change')})"
    return f"Accepted {parts[0].message} {source}" if len(parts) == 1 else \
        f"Accepted {len(parts)} suggested changes {source}"


def interval_text(low: float | None, high: float | None) -> str:
    """A 95 % interval of a rate for people: ``12–18 %``."""
    if low is None or high is None:
        return "–"
    return f"{fmt.number(100 * low, 1)}–{fmt.pct(100 * high, 1)}"
