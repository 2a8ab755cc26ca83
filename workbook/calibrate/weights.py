"""Weight suggestions: the smallest change to attribute and activity weights that makes the
most scenarios agree, each section staying at 100 and every weight within the bounds the
facilitator set (locked, or a min and a max).

**Model.** A mixed-integer linear programme solved with ``scipy.optimize.milp`` (HiGHS):

* Each free weight moves in whole *steps* (default 0.5 points): ``w = today + step·k`` with
  ``k`` an integer. The suggestion needs no rounding afterwards, unchanged weights keep
  their exact value, and each section keeps its sum exactly (``Σ k = 0`` per section).
* A scenario agrees when its profile % and engagement % land in a cell its targets accept
  (:func:`workbook.calibrate.targets.payoff_table`). Those cells are grouped into boxes
  (a run of grades × a run of levels); a binary per box switches on big-M constraints
  putting the percentages inside the box: ``pct ≥ lower edge`` and ``pct ≤ upper edge − ε``
  (ε = 10⁻⁶ points expresses the strict "<" of SPEC §3.4). With ``missing: zero`` a % is
  linear in the weights. With ``missing: neutral`` it is ``Σ w·s / Σ_present w``, and
  ``pct ≥ m`` is the linear ``Σ_present w·(s − m) ≥ 0`` — both policies are handled.
  Clamping to [0, 100] changes nothing for edges inside (0, 100].
* Lexicographic objective: first the most agreeing scenarios, then the smallest total move
  ``Σ |Δw|`` at that count. Because scipy's ``milp`` cannot be given a starting solution, a
  heuristic goes first (iteratively reweighted L1 over LPs, then the smallest move keeping
  what it made agree); the full programme is then asked for one scenario *more* — a solved
  "infeasible" proves the count optimal — and last for the smallest move at the final
  count. Within the time limit the answer is proven optimal or said not to be.
* A knocked-out scenario's state does not depend on the weights: its state target is
  either always met or never, and it counts that way; its grade and level targets still
  take part.

Every suggestion is re-scored with the exact engine (:func:`workbook.engine.score_lead`)
and only the agreement the engine confirms is reported. Which weight "fixes" or "breaks" a
scenario: a changed weight is listed for a scenario whose band changed on the weight's
axis when the weight's own share of the change pushed the % the way it moved.

The programme's rows are built in :mod:`workbook.calibrate.weight_programme` and solved in
:mod:`workbook.calibrate.weight_search`; this module asks the question, re-scores the
answer with the engine, reports it and applies it.
"""

from __future__ import annotations

import math
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from workbook import fmt
from workbook.calibrate.exactscore import UNIT, SectionTable
from workbook.calibrate.targets import (
    Comparison,
    Scores,
    calibration_targets,
    compare,
    payoff_table,
    target_tables,
)
from workbook.calibrate.thresholds import StaleSuggestion
from workbook.calibrate.weight_programme import (
    EPSILON,
    EPSILON_Q,
    _edge_expression,
    _Free,
    _present_weight,
    _Programme,
    _range,
    boxes,
)
from workbook.calibrate.weight_search import _counter, _solve
from workbook.engine import exact
from workbook.model import ScoringModel, Section

DEFAULT_STEP = 0.5
DEFAULT_TIME_LIMIT = 5.0


@dataclass(frozen=True)
class WeightBound:
    """What the facilitator allows for one weight: locked, or within [min, max] points."""

    locked: bool = False
    min: float = 0.0
    max: float = 100.0


@dataclass(frozen=True)
class WeightChange:
    """One weight today and suggested, and the scenarios its change helped fix or break."""

    section: Section
    name: str
    before: float
    after: float
    locked: bool = False
    fixes: list[str] = field(default_factory=list)
    breaks: list[str] = field(default_factory=list)

    @property
    def moved(self) -> bool:
        return exact(self.before) != exact(self.after)

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "name": self.name,
            "before": self.before,
            "after": self.after,
            "locked": self.locked,
            "fixes": self.fixes,
            "breaks": self.breaks,
        }


@dataclass(frozen=True)
class WeightSuggestion:
    """Suggested weights with the agreement before → after confirmed by the exact engine."""

    weights: list[WeightChange]  # every weight of the sections, in model order
    comparison: Comparison
    claimed_agreeing: int | None  # what the solver promised (the engine's count is in comparison)
    step: float
    status: str  # "optimal", "time limit", "no change possible", "infeasible", …
    proven_optimal: bool
    total_move: float
    seconds: float
    knockout_states: list[str] = field(default_factory=list)  # scenarios whose state a knockout fixes
    notes: list[str] = field(default_factory=list)

    @property
    def changed(self) -> list[WeightChange]:
        return [w for w in self.weights if w.moved]

    def as_dict(self) -> dict[str, Any]:
        return {
            "weights": [w.as_dict() for w in self.weights],
            "changed": [w.as_dict() for w in self.changed],
            **self.comparison.as_dict(),
            "claimed_agreeing": self.claimed_agreeing,
            "step": self.step,
            "status": self.status,
            "proven_optimal": self.proven_optimal,
            "total_move": self.total_move,
            "seconds": round(self.seconds, 4),
            "knockout_states": self.knockout_states,
            "notes": self.notes,
        }


# --------------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------------
def suggest_weights(
    model: ScoringModel,
    *,
    bounds: Mapping[tuple[str, str], WeightBound] | None = None,
    sections: Sequence[Section] = ("profile", "engagement"),
    step: float = DEFAULT_STEP,
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> WeightSuggestion:
    """The weights that make the most scenarios agree, with the smallest total move.

    ``bounds`` maps ``(section, weight name)`` to a :class:`WeightBound`; weights not named
    are free within 0..100. ``sections`` lists the sections whose weights may move. Weights
    move in multiples of ``step`` points from today's values. ``time_limit`` (seconds) is
    shared by the two solves; a result found when it ran out is reported as not proven.
    """
    started = time.monotonic()
    bounds = bounds or {}
    if not step > 0:
        raise ValueError("the step must be a positive number of points")
    step_q = exact(step)
    notes: list[str] = []
    targets = calibration_targets(model)
    tabs = target_tables(model, targets)
    knocked = tabs.knocked_out
    scores_before = Scores(tabs.profile.units(), tabs.engagement.units(), knocked)
    tables_by_section = {"profile": tabs.profile, "engagement": tabs.engagement}

    # -- the free weights ------------------------------------------------------------------
    free: list[_Free] = []
    for section in ("profile", "engagement"):
        for i, factor in enumerate(model.section(section)):
            b = bounds.get((section, factor.name), WeightBound())
            if section not in sections or b.locked:
                continue
            today = exact(factor.weight)
            lo_w, hi_w = max(exact(b.min), Fraction(0)), min(exact(b.max), Fraction(100))
            lo = math.ceil((lo_w - today) / step_q)
            hi = math.floor((hi_w - today) / step_q)
            free.append(_Free(section, i, today, lo, hi))  # type: ignore[arg-type]
    n_free = len(free)
    free_idx = {
        s: {f.index: j for j, f in enumerate(free) if f.section == s} for s in ("profile", "engagement")
    }
    infeasible = [f for f in free if f.lo > f.hi]

    # -- the scenarios: boxes of accepted cells with big-M rows ------------------------------
    prog = _Programme(n_free)
    always = 0  # targets that agree whatever the weights
    pays = [payoff_table(model, t, ko) for t, ko in zip(targets, knocked, strict=True)]
    grade_mins = [exact(b.min) for b in model.profile_grades]
    level_mins = [exact(b.min) for b in model.engagement_levels]
    for s, pay in enumerate(pays):
        if pay.all():
            always += 1
            continue
        options = []
        for (g1, g2), (l1, l2) in boxes(pay):
            rows = []
            possible = True
            for section, mins, (b1, b2) in (("profile", grade_mins, (g1, g2)), ("engagement", level_mins, (l1, l2))):
                tab = tables_by_section[section]
                edges = []
                if b2 < len(mins) - 1 and mins[b2] > 0:
                    edges.append((mins[b2], "lower"))
                if b1 > 0:
                    edges.append((mins[b1 - 1], "upper"))
                if tab.missing == "neutral" and any(kind == "lower" for _, kind in edges):
                    # Σ_present w·(s − m) ≥ 0 also holds when nothing present weighs anything, but
                    # then the % is 0 (SPEC §3.3): ask for a present weight > 0 as well.
                    c0w, coefs_w = _present_weight(tab, s, free_idx[section], step_q)
                    lo_w, hi_w = _range(c0w, coefs_w, free)
                    if hi_w < EPSILON:
                        possible = False
                    elif lo_w < EPSILON:
                        rows.append((c0w - EPSILON_Q, coefs_w, "lower", Fraction(1)))
                for m, kind in edges:
                    if kind == "lower":  # E ≥ 0
                        c0, coefs = _edge_expression(tab, s, m, free_idx[section], step_q)
                        lo, hi = _range(c0, coefs, free)
                        if hi < 0:
                            possible = False
                        elif lo < 0:
                            rows.append((c0, coefs, "lower", max(-lo, Fraction(1))))
                        continue
                    # pct < m, as E' ≤ 0 with E' = raw − m + ε (zero), or Σ_present w·(s − (m − ε)) / 100
                    # (neutral: then also right when nothing present weighs anything and the % is 0).
                    if tab.missing == "neutral":
                        c0, coefs = _edge_expression(tab, s, m - EPSILON_Q, free_idx[section], step_q)
                    else:
                        c0, coefs = _edge_expression(tab, s, m, free_idx[section], step_q)
                        c0 += EPSILON_Q
                    lo, hi = _range(c0, coefs, free)
                    if lo > 0:
                        possible = False
                    elif hi > 0:
                        rows.append((c0, coefs, "upper", max(hi, Fraction(1))))
            if possible:
                options.append(rows)
        if not options:
            continue  # can never agree with these thresholds and this matrix
        if any(not rows for rows in options):
            always += 1  # some box holds whatever the weights
            continue
        ys = []
        for rows in options:
            y = prog.add_y(s)
            ys.append(y)
            for c0, coefs, kind, big_m in rows:
                # M is at least what the row needs (and ≥ 1: a larger M is as valid, and a tiny
                # coefficient on a binary upsets the solver).
                # lower: c0 + Σ c k ≥ −M(1 − y)  ⇔  Σ c k − M·y ≥ −M − c0
                # upper: c0 + Σ c k ≤ M(1 − y)  ⇔  Σ c k + M·y ≤ M − c0   (ε is inside c0)
                row = {j: float(c) for j, c in coefs.items()}
                if kind == "lower":
                    prog.row({**row, y: -float(big_m)}, float(-big_m - c0), np.inf)
                else:
                    prog.row({**row, y: float(big_m)}, -np.inf, float(big_m - c0))
        if len(ys) > 1:
            prog.row(dict.fromkeys(ys, 1.0), -np.inf, 1.0)
    # Sections keep their sum; t ≥ |k|.
    for section in ("profile", "engagement"):
        js = [j for j, f in enumerate(free) if f.section == section]
        if js:
            prog.row(dict.fromkeys(js, 1.0), 0.0, 0.0)
    for j in range(n_free):
        prog.row({n_free + j: 1.0, j: -1.0}, 0.0, np.inf)
        prog.row({n_free + j: 1.0, j: 1.0}, 0.0, np.inf)

    ks = [0] * n_free
    claimed: int | None = None
    status, proven = "optimal", True
    if infeasible:
        names = ", ".join(model.section(f.section)[f.index].name for f in infeasible)
        status, proven = "infeasible", False
        notes.append(f"no weight in steps of {step:g} from today's lies within the bounds of: {names}")
    elif n_free == 0:
        status = "no change possible"
        notes.append("every weight is locked (or no section may move): nothing to suggest")
    elif prog.n_y:
        # Leave time for the engine to re-score every scenario afterwards (a few ms each).
        deadline = started + max(0.2 * time_limit, time_limit - 0.005 * len(targets) - 0.05)
        ks, claimed, status, proven, solver_notes = _solve(
            prog, free, always, deadline, _counter(model, targets, tabs, pays, free, step_q)
        )
        notes.extend(solver_notes)
    else:
        claimed = always

    weights_after = {
        s: [exact(f.weight) for f in model.section(s)] for s in ("profile", "engagement")
    }
    for f, k in zip(free, ks, strict=True):
        weights_after[f.section][f.index] = f.today + step_q * k
    new_model = _with_weights(model, weights_after)
    scores_after = Scores(
        tabs.profile.units(weights_after["profile"]), tabs.engagement.units(weights_after["engagement"]), knocked
    )
    # The engine has the last word: re-score the suggestion with score_lead.
    comparison = compare(model, new_model, targets, scores_before=scores_before, scores_after=None)
    if comparison.agreeing_after < comparison.agreeing_before:  # solver tolerance; never suggest worse
        notes.append("the solver's weights did not hold up in exact arithmetic; today's weights are kept")
        weights_after = {s: [exact(f.weight) for f in model.section(s)] for s in ("profile", "engagement")}
        new_model = model.model_copy(deep=True)
        scores_after = scores_before
        comparison = compare(model, new_model, targets, scores_before=scores_before, scores_after=scores_before)
    elif claimed is not None and comparison.agreeing_after != claimed:
        notes.append(
            f"the solver expected {claimed} agreeing scenarios; the exact engine confirms "
            f"{comparison.agreeing_after}"
        )
    if comparison.consensus_used:
        notes.append(
            f"{fmt.count(len(comparison.consensus_used), 'scenario')} without a team estimate were compared with the "
            "consensus of their members' estimates"
        )
    ko_states = [t.name for t, ko in zip(targets, knocked, strict=True) if ko and "state" in t.given]
    if ko_states:
        notes.append(
            f"{fmt.count(len(ko_states), 'knocked-out scenario')} keep the knockout state whatever the weights; "
            "their state estimate counts as it stands"
        )
    changes = _changes(model, bounds, sections, weights_after, targets, tabs, scores_before, scores_after, comparison)
    move = sum(abs(float(exact(c.after) - exact(c.before))) for c in changes)
    return WeightSuggestion(
        weights=changes,
        comparison=comparison,
        claimed_agreeing=claimed,
        step=step,
        status=status,
        proven_optimal=proven,
        total_move=move,
        seconds=time.monotonic() - started,
        knockout_states=ko_states,
        notes=notes,
    )


# --------------------------------------------------------------------------------------------
# Reporting and applying
# --------------------------------------------------------------------------------------------
def _as_weight(value: Fraction, today: float) -> float:
    return today if value == exact(today) else float(value)


def _with_weights(model: ScoringModel, weights: Mapping[str, Sequence[Fraction]]) -> ScoringModel:
    new = model.model_copy(deep=True)
    for section in ("profile", "engagement"):
        for factor, w in zip(new.section(section), weights[section], strict=True):  # type: ignore[arg-type]
            factor.weight = _as_weight(w, factor.weight)
    return new


def _changes(
    model: ScoringModel,
    bounds: Mapping[tuple[str, str], WeightBound],
    sections: Sequence[Section],
    weights_after: Mapping[str, Sequence[Fraction]],
    targets: Sequence[Any],
    tabs: Any,
    before: Scores,
    after: Scores,
    comparison: Comparison,
) -> list[WeightChange]:
    status = {c.scenario: c.status for c in comparison.changes}
    out = []
    for section in ("profile", "engagement"):
        tab: SectionTable = tabs.section(section)
        pct_b = before.profile if section == "profile" else before.engagement
        pct_a = after.profile if section == "profile" else after.engagement
        mins = [exact(b.min) for b in (model.profile_grades if section == "profile" else model.engagement_levels)]

        def band(units: int, mins: Sequence[Fraction] = mins) -> int:
            return sum(1 for m in mins if m * UNIT > units)

        for i, factor in enumerate(model.section(section)):
            w0 = exact(factor.weight)
            w1 = weights_after[section][i]
            fixes, breaks = [], []
            if w1 != w0:
                for s, t in enumerate(targets):
                    st = status.get(t.name)
                    if st not in ("fixed", "broken") or band(pct_b[s]) == band(pct_a[s]):
                        continue
                    v = tab.scores[s][i]
                    if v is None:
                        continue
                    score = Fraction(v, tab.score_scale)
                    pushed = (w1 - w0) * (score - (Fraction(pct_b[s], UNIT) if tab.missing == "neutral" else 0))
                    moved = pct_a[s] - pct_b[s]
                    if pushed and moved and (pushed > 0) == (moved > 0):
                        (fixes if st == "fixed" else breaks).append(t.name)
            b = bounds.get((section, factor.name), WeightBound())
            out.append(
                WeightChange(
                    section,  # type: ignore[arg-type]
                    factor.name,
                    factor.weight,
                    _as_weight(w1, factor.weight),
                    locked=b.locked or section not in sections,
                    fixes=fixes,
                    breaks=breaks,
                )
            )
    return out


def apply_weight_suggestion(model: ScoringModel, suggestion: WeightSuggestion) -> ScoringModel:
    """The model with the suggested weights (a new model; the argument is not changed).

    Raises :class:`StaleSuggestion` when the model's weights are no longer the ones the
    suggestion started from.
    """
    now = [(s, f.name, exact(f.weight)) for s in ("profile", "engagement") for f in model.section(s)]
    then = [(c.section, c.name, exact(c.before)) for c in suggestion.weights]
    if now != then:
        raise StaleSuggestion("the weights changed since this suggestion was made; ask for a new one")
    weights = {
        s: [exact(c.after) for c in suggestion.weights if c.section == s] for s in ("profile", "engagement")
    }
    return _with_weights(model, weights)
