"""Data-suggested value scores, weights and thresholds, inside the team's own model.

Given a lead list with a known outcome, :func:`suggest_from_outcomes` proposes for the model's
*own* attributes and values a score per value (-100..100), a weight per attribute and activity
(whole numbers adding up to exactly 100 per section) and, optionally, the grade and level
thresholds. Every number comes with its evidence, and the suggestion is measured on leads it
was not fitted on, beside the current model and an unconstrained regression (the ceiling).

**The fit.** A logistic regression (scikit-learn, L2-regularised, ``C`` = 1) over one-hot
indicators of every value of every attribute and activity that takes part — the very values the
model scores, found by the scorer's own match rules. A lead without a value for an attribute
(empty or unmatched) has no indicator on: the "no value" level is the reference, exactly as it
earns 0 points in the model (``missing: zero``). Knocked-out leads are left out of the fit:
their state does not depend on scores.

**Why weights × scores can carry the fit.** The regression's linear predictor is
``η = b + Σ_f β_f[v_f]``. The model's section % is ``P = Σ_f w_f · s_f[v_f] / 100``. Per
attribute ``f`` let ``δ_f[j]`` be value ``j``'s coefficient offset from the attribute's zero
point (the "no value" level when some leads lack a value, which must earn 0 points; otherwise
the attribute's weakest value, since a constant per attribute is absorbed by the intercept),
and ``M_f = max_j |δ_f[j]|`` its coefficient range. Setting

    ``s_f[j] = 100 · δ_f[j] / M_f``  (the strongest value earns ±100)
    ``w_f = 100 · M_f / Σ_g M_g``  (over the attributes of the section)

gives ``w_f · s_f[j] / 100 = 100 · δ_f[j] / Σ_g M_g``, so ``P = 100 · η_section / Σ_g M_g`` plus a
constant: within a section the % is a monotone affine transform of the regression's section
part, and it ranks those leads exactly as the regression does.

**What is lost, honestly.** (1) The two sections are combined by the grid, not added: a lead's
cell is a grade × level and its state a matrix look-up, so the relative scale of profile and
engagement is only what the thresholds and the matrix make of it; the suggested thresholds are
searched (on the fitting part only) to rank by cell as well as the grid allows. (2) Ranking by
cell ties every lead of a cell: 16 cells cannot rank as finely as a continuous score.
(3) A section % is clamped to [0, 100], so leads whose negative values outweigh the rest tie
at 0. (4) Rounding to whole numbers, locks and bounds (applied after the fit, by projection,
not by a constrained refit) move the numbers off the regression's. (5) With ``missing:
neutral`` the % is renormalised per lead and the mapping is only approximate. (6) A value with
no leads keeps its current score (there is nothing to learn from). The held-out figures show
the net cost of all of this against the ceiling.

**The ceiling** is the same regression, unconstrained, ranking the held-out leads by its
probability over the same values (attributes left out of the fit stay out), knocked-out leads
last as the model's knockouts put them: how well these values can rank at all.

Attributes flagged by the leakage guard (:mod:`workbook.leads.leakage`) are left out of the fit
and get weight 0 unless the team keeps them (``keep``) — their knockouts stay as they are.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection, Iterable, Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from workbook.calibrate.weights import WeightBound
from workbook.leads.evidence import SECTIONS, FactorValues, auc, cell_rank, factor_values, value_rates
from workbook.leads.fitmath import (
    ScoreBound,
    integer_weights,
    search_thresholds,
    split_rows,
)
from workbook.leads.leakage import find_leaks
from workbook.leads.reports import outcome_report, parse_outcome
from workbook.leads.scoring import score_leads
from workbook.leads.suggestion import (
    AttributeWeight,
    FitSuggestion,
    HeldOut,
    ThresholdChange,
    ValueSuggestion,
    apply_suggestion,
)
from workbook.model import ScoringModel

__all__ = [
    "AttributeWeight",
    "FitError",
    "FitSuggestion",
    "HeldOut",
    "ScoreBound",
    "ThresholdChange",
    "ValueSuggestion",
    "WeightBound",
    "apply_suggestion",
    "suggest_from_outcomes",
]

DEFAULT_HOLDOUT = 0.3


class FitError(ValueError):
    """The list cannot teach the model (no outcome, one class only, too few leads …)."""


# --------------------------------------------------------------------------------------------
def suggest_from_outcomes(
    model: ScoringModel,
    frame: pd.DataFrame,
    outcome_column: str,
    *,
    holdout: float = DEFAULT_HOLDOUT,
    folds: int | None = None,
    seed: int = 0,
    as_of: dt.date | None = None,
    weight_bounds: Mapping[tuple[str, str], WeightBound] | None = None,
    score_bounds: Mapping[tuple[str, str, str], ScoreBound] | None = None,
    suggest_thresholds: bool = True,
    declared_leaks: Collection[str] = (),
    keep: Collection[str] = (),
    c: float = 1.0,
) -> FitSuggestion:
    """Suggest scores, weights and (optionally) thresholds for ``model`` from ``frame``'s outcome.

    ``holdout`` is the share of leads (stratified, seeded by ``seed``) kept aside to measure on;
    the suggestion returned is the one fitted on the rest. With ``folds`` = k instead, every
    lead is held out once (k fits), the figures pool the k held-out parts (AUCs are the mean of
    the folds') and the suggestion returned is fitted on the whole list.
    ``weight_bounds`` maps ``(section, name)`` to a :class:`WeightBound` and ``score_bounds``
    maps ``(section, attribute, label)`` to a :class:`ScoreBound` (locked, or min..max), as in
    weight calibration. ``declared_leaks`` and ``keep`` are passed to the leakage guard.
    Raises :class:`FitError` when the list cannot be used.
    """
    if outcome_column not in frame.columns:
        raise FitError(f"the lead list has no column '{outcome_column}'")
    if not model.profile and not model.engagement:
        raise FitError("the model has no attribute or activity yet: there are no values to learn scores for")
    as_of = as_of or dt.date.today()
    frame = frame.reset_index(drop=True)
    outcome = parse_outcome(frame[outcome_column])
    known = np.flatnonzero(~np.isnan(outcome))
    if len(known) < 20 or outcome[known].min() == outcome[known].max():
        raise FitError(
            f"the column '{outcome_column}' needs at least 20 leads with a known outcome, converted and "
            "not converted both present"
        )
    values = factor_values(model, frame, as_of)
    leaks = find_leaks(model, frame, outcome_column, as_of=as_of, declared=declared_leaks, keep=keep,
                       values=values)
    left_out = {(c_.section, c_.attribute): "; ".join(c_.reasons()) for c_ in leaks if c_.left_out}
    spec = _Spec(model, values, left_out, dict(weight_bounds or {}), dict(score_bounds or {}),
                 suggest_thresholds, c, as_of)
    current = score_leads(model, frame, as_of, quality=False).frame
    knocked_out = current["knocked_out"].to_numpy(dtype=bool)
    y = outcome

    try:
        parts = split_rows(y, known, holdout=holdout, folds=folds, seed=seed)
    except ValueError as exc:
        raise FitError(str(exc)) from None
    held_rows: list[np.ndarray] = []
    suggested_frames: list[pd.DataFrame] = []
    per_fold: list[dict[str, float | None]] = []
    ceiling_scores = np.full(len(frame), np.nan)
    last: _Fitted | None = None
    for train, test in parts:
        fitted = _fit(spec, frame.iloc[train], y[train], [_rows(v, train) for v in values], current.iloc[train])
        last = fitted
        sug_test = score_leads(fitted.model, frame.iloc[test], as_of, quality=False).frame
        # knocked-out leads rank last for the ceiling too: the suggestion keeps the team's knockouts
        proba = fitted.ceiling(np.stack([v.codes[test] for v in values]))
        ceiling_scores[test] = np.where(knocked_out[test], -1.0, proba)
        per_fold.append({
            "rows": float(len(test)),
            "auc_current": auc(y[test], cell_rank(model, current.iloc[test])),
            "auc_suggested": auc(y[test], cell_rank(fitted.model, sug_test)),
            "auc_ceiling": auc(y[test], ceiling_scores[test]),
        })
        held_rows.append(test)
        suggested_frames.append(sug_test)
    assert last is not None
    if folds:
        final = _fit(spec, frame.iloc[known], y[known], [_rows(v, known) for v in values], current.iloc[known])
        method = f"{folds}-fold"
    else:
        final = last
        method = f"holdout {holdout:.0%}"
    test_all = np.concatenate(held_rows)
    sug_all = pd.concat(suggested_frames)
    held = HeldOut(
        rows=len(test_all),
        auc_current=_mean(f["auc_current"] for f in per_fold),
        auc_suggested=_mean(f["auc_suggested"] for f in per_fold),
        auc_ceiling=_mean(f["auc_ceiling"] for f in per_fold),
        states_current=outcome_report(model, current.iloc[test_all], outcome_column).states,
        states_suggested=outcome_report(model, sug_all, outcome_column).states,
        method=method,
        folds=per_fold if folds else [],
    )
    return FitSuggestion(
        model=final.model,
        values=_value_rows(spec, final, outcome),
        weights=final.weights,
        thresholds=final.thresholds,
        held_out=held,
        leaks=leaks,
        outcome_column=outcome_column,
        notes=final.notes,
    )


def _mean(xs: Iterable[float | None]) -> float | None:
    vals = [x for x in xs if x is not None]
    return float(np.mean(vals)) if vals else None


def _rows(v: FactorValues, rows: np.ndarray) -> FactorValues:
    return FactorValues(v.section, v.name, v.column, v.labels, v.codes[rows])


# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Spec:
    model: ScoringModel
    values: list[FactorValues]
    left_out: dict[tuple[str, str], str]
    weight_bounds: dict[tuple[str, str], WeightBound]
    score_bounds: dict[tuple[str, str, str], ScoreBound]
    thresholds: bool
    c: float
    as_of: dt.date


@dataclass
class _Fitted:
    model: ScoringModel
    weights: list[AttributeWeight]
    thresholds: list[ThresholdChange]
    offsets: dict[tuple[str, str], dict[int, float]]  # per factor: value index → δ (values with leads)
    used: list[int]  # indices into spec.values of the factors in the regression
    sizes: list[int]  # their numbers of values (one-hot columns each)
    regression: Any
    notes: list[str]

    def ceiling(self, codes: np.ndarray) -> np.ndarray:
        """The unconstrained regression's probability per lead (codes: factors × rows)."""
        if self.regression is None:
            return np.zeros(codes.shape[1])
        return self.regression.predict_proba(_design(codes[self.used], self.sizes))[:, 1]


def _design(codes: np.ndarray, sizes: list[int]) -> np.ndarray:
    """One-hot indicators of each factor's values (the 'no value' slot has none)."""
    cols = []
    for row, size in zip(codes, sizes, strict=True):
        onehot = np.zeros((len(row), size), dtype=np.float64)
        hit = row < size
        onehot[np.flatnonzero(hit), row[hit]] = 1.0
        cols.append(onehot)
    return np.hstack(cols) if cols else np.zeros((codes.shape[1] if codes.ndim == 2 else 0, 0))


def _fit(spec: _Spec, frame: pd.DataFrame, y: np.ndarray, values: list[FactorValues],
         current: pd.DataFrame) -> _Fitted:
    from sklearn.linear_model import LogisticRegression

    model = spec.model
    notes: list[str] = []
    live = ~current["knocked_out"].to_numpy(dtype=bool) & ~np.isnan(y)
    used = [i for i, v in enumerate(values) if (v.section, v.name) not in spec.left_out]
    sizes = [len(values[i].labels) for i in used]
    codes = np.stack([v.codes for v in values]) if values else np.zeros((0, len(frame)), dtype=np.int32)
    regression = None
    offsets: dict[tuple[str, str], dict[int, float]] = {}
    if used and live.sum() >= 2 and len(np.unique(y[live])) == 2:
        x = _design(codes[used][:, live], sizes)
        regression = LogisticRegression(C=spec.c, max_iter=5000).fit(x, y[live])
        beta = regression.coef_[0]
        start = 0
        for i, size in zip(used, sizes, strict=True):
            v = values[i]
            row = codes[i][live]
            counts = np.bincount(row, minlength=size + 1)
            seen = [j for j in range(size) if counts[j] > 0]
            b = beta[start:start + size]
            start += size
            zero = 0.0 if counts[size] > 0 or not seen else min(b[j] for j in seen)
            offsets[(v.section, v.name)] = {j: float(b[j] - zero) for j in seen}
    elif used:
        notes.append("too few leads that were not knocked out, or only one outcome among them: nothing fitted")

    suggested = model.model_copy(deep=True)
    weights: list[AttributeWeight] = []
    for section in SECTIONS:
        factors = suggested.section(section)  # type: ignore[arg-type]
        ranges: dict[str, float] = {}
        for f in factors:
            offs = offsets.get((section, f.name), {})
            m = max((abs(d) for d in offs.values()), default=0.0)
            ranges[f.name] = m
            for j, value in enumerate(f.values):
                bound = spec.score_bounds.get((section, f.name, value.label), ScoreBound())
                if bound.locked:
                    continue
                if j in offs and m > 0:
                    value.score = float(np.clip(round(100 * offs[j] / m), bound.min, bound.max))
                else:
                    value.score = float(np.clip(value.score, bound.min, bound.max))
        new = integer_weights(
            [(f.name, f.weight, ranges[f.name], spec.weight_bounds.get((section, f.name), WeightBound()))
             for f in factors],
            zero={f.name for f in factors if (section, f.name) in spec.left_out},
        )
        for f in factors:
            before = f.weight
            bound = spec.weight_bounds.get((section, f.name), WeightBound())
            f.weight = float(new[f.name])
            reason = spec.left_out.get((section, f.name))
            if reason is None and ranges[f.name] == 0 and not bound.locked and factors:
                reason = "no signal in the data (no value differs from the others)"
            weights.append(AttributeWeight(section, f.name, before, f.weight, bound.locked, reason))
        if sum(f.weight for f in factors) != 100 and factors:
            notes.append(f"the {section} weights could not reach 100 within the bounds; they were kept")
            for f, w in zip(factors, [w for w in weights if w.section == section], strict=True):
                f.weight = w.current

    thresholds: list[ThresholdChange] = []
    if spec.thresholds:
        scored = score_leads(suggested, frame, spec.as_of, quality=False).frame
        grades, levels = search_thresholds(
            suggested, scored["profile_pct"].to_numpy(float), scored["engagement_pct"].to_numpy(float),
            scored["knocked_out"].to_numpy(bool), y,
        )
        for band, lo in zip(suggested.profile_grades, grades, strict=True):
            thresholds.append(ThresholdChange("profile", band.grade, band.min, lo))
            band.min = lo
        for band, lo in zip(suggested.engagement_levels, levels, strict=True):
            thresholds.append(ThresholdChange("engagement", band.level, band.min, lo))
            band.min = lo
    return _Fitted(suggested, weights, thresholds, offsets, used, sizes, regression, notes)


def _value_rows(spec: _Spec, fitted: _Fitted, outcome: np.ndarray) -> list[ValueSuggestion]:
    out = []
    for v in spec.values:
        rates = value_rates(v.codes, v.labels, outcome)
        before = spec.model.section(v.section)  # type: ignore[arg-type]
        after = fitted.model.section(v.section)  # type: ignore[arg-type]
        f0 = next(f for f in before if f.name == v.name)
        f1 = next(f for f in after if f.name == v.name)
        offs = fitted.offsets.get((v.section, v.name), {})
        for j, (old, new) in enumerate(zip(f0.values, f1.values, strict=True)):
            r = rates[j]
            locked = spec.score_bounds.get((v.section, v.name, old.label), ScoreBound()).locked
            note = None
            if (v.section, v.name) in spec.left_out:
                note = "left out of the fit (possible leakage)"
            elif j not in offs:
                note = "no leads with this value: score kept"
            out.append(ValueSuggestion(
                v.section, v.name, old.label, r.leads, r.conversions, r.rate, r.lift, r.ci_low, r.ci_high,
                old.score, new.score, offs.get(j), locked, note,
            ))
    return out

