"""What an outcome column says about a model's values: which value each lead has, per value the
leads, conversions, rate, lift and a Wilson interval, and the AUC of a ranking by cell.

Shared by :mod:`workbook.leads.fit`, :mod:`workbook.leads.leakage` and the other outcome
reports. The value of a lead for an attribute is found exactly as the scorer finds it
(:func:`workbook.leads.scoring.plan_section` and the vectorized match of
:mod:`workbook.leads.columns`), so the evidence is about the very values the model scores.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.leads.reading import check_columns
from workbook.leads.scoring import plan_section
from workbook.match.columns import ColumnView, factor_labels
from workbook.model import ScoringModel

SECTIONS = ("profile", "engagement")
Z_95 = 1.959963984540054


@dataclass(frozen=True)
class FactorValues:
    """Per lead, which value of one attribute or activity it has (``len(labels)`` = none)."""

    section: str
    name: str
    column: str
    labels: list[str]
    codes: np.ndarray  # int32 per row; len(labels) for a missing or unmatched value

    @property
    def missing(self) -> int:
        return len(self.labels)


def factor_values(model: ScoringModel, frame: pd.DataFrame, as_of: dt.date | None = None) -> list[FactorValues]:
    """For every attribute and activity, the index of each lead's value — the scorer's own match."""
    as_of = as_of or dt.date.today()
    check_columns(model, frame)
    views: dict[str, ColumnView] = {}
    out = []
    for section in SECTIONS:
        for p in plan_section(model, section).factors:
            view = views.setdefault(p.column, ColumnView(frame[p.column]))
            own = p.resolve[factor_labels(p.match_values, view, as_of)]
            out.append(
                FactorValues(section, p.factor.name, p.column, [v.label for v in p.factor.values],
                             own[view.codes].astype(np.int32))
            )
    return out


def wilson(conversions: int, leads: int, z: float = Z_95) -> tuple[float | None, float | None]:
    """The Wilson score interval of a conversion rate (95 % by default); (None, None) without leads."""
    if leads <= 0:
        return None, None
    p = conversions / leads
    denom = 1 + z * z / leads
    centre = (p + z * z / (2 * leads)) / denom
    half = z * math.sqrt(p * (1 - p) / leads + z * z / (4 * leads * leads)) / denom
    return max(0.0, centre - half), min(1.0, centre + half)


@dataclass(frozen=True)
class ValueRate:
    """One value's leads (with a known outcome), conversions, rate, lift and 95 % interval."""

    label: str | None  # None: no value (missing or unmatched)
    leads: int
    conversions: int
    rate: float | None
    lift: float | None
    ci_low: float | None
    ci_high: float | None


def value_rates(codes: np.ndarray, labels: Sequence[str], outcome: np.ndarray) -> list[ValueRate]:
    """Per value (and last the 'no value' slot), the conversion evidence over rows with a known outcome."""
    known = ~np.isnan(outcome)
    size = len(labels) + 1
    leads = np.bincount(codes[known], minlength=size)
    conv = np.bincount(codes[known], weights=outcome[known], minlength=size).round().astype(int)
    total = int(known.sum())
    base = float(outcome[known].sum()) / total if total else None
    out = []
    for i in range(size):
        n, k = int(leads[i]), int(conv[i])
        rate = k / n if n else None
        lo, hi = wilson(k, n)
        lift = rate / base if rate is not None and base else None
        out.append(ValueRate(labels[i] if i < len(labels) else None, n, k, rate, lift, lo, hi))
    return out


def auc(outcome: np.ndarray, score: np.ndarray) -> float | None:
    """Area under the ROC curve of ``score`` (higher = likelier to convert); ties count half.

    Rows with an unknown outcome are left out; None when only one class is present.
    """
    known = ~np.isnan(outcome)
    y = outcome[known]
    positives = int(y.sum())
    negatives = len(y) - positives
    if positives == 0 or negatives == 0:
        return None
    # Mann-Whitney: the positives' mean rank (ties share their average rank, so count half)
    ranks = pd.Series(np.asarray(score, dtype=float)[known]).rank(method="average").to_numpy()
    return float((ranks[y == 1].sum() - positives * (positives + 1) / 2) / (positives * negatives))


def cell_rank(model: ScoringModel, scored: pd.DataFrame) -> np.ndarray:
    """A ranking score per lead from its cell: higher = more sales-ready.

    The order is exactly: the state first (the model's state order, most sales-ready first; a
    knocked-out lead has the knockout state), then the profile grade (best first), then the
    engagement level (best first). Leads without a state rank last. Leads in one cell tie.
    """
    n_states, n_grades, n_levels = len(model.states), len(model.grades), len(model.levels)
    state_ix = _index(scored["state"], model.state_names, n_states)
    grade_ix = _index(scored["profile_grade"], model.grades, n_grades)
    level_ix = _index(scored["engagement_level"], model.levels, n_levels)
    position = (state_ix * (n_grades + 1) + grade_ix) * (n_levels + 1) + level_ix
    return -position.astype(float)


def _index(values: pd.Series, names: Sequence[str], default: int) -> np.ndarray:
    lookup = {name: i for i, name in enumerate(names)}
    keys = values.astype(object).to_numpy()
    return np.array([lookup.get(k, default) if isinstance(k, str) else default for k in keys], dtype=np.int64)
