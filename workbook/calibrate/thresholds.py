"""Threshold suggestions: profile-grade and engagement-level minimums that make the most
scenarios agree, found by an exact search over the breakpoints the scenarios define.

**Objective.** Maximise the number of scenarios whose *every* target agrees — grade,
level and state (:mod:`workbook.calibrate.targets`; the matrix and the weights stay as
they are). Ties go to the smallest total move, ``Σ |new min − today's min|`` over both axes.

**Why only breakpoints matter.** A scenario's grade depends only on where each minimum
sits among the scenarios' profile percentages: every minimum in ``(P_{j-1}, P_j]`` (two
neighbouring distinct percentages) gives every scenario the same grade. So the search runs
over these *classes* — one per gap, plus the value 0 of the last band — and is exact on
agreement: every way of cutting the scenarios into bands is a choice of classes (bands may
share a class; the band between them is then one no scenario lands in). Within its class
each band takes one value:

* today's minimum, when it lies in the class (no move);
* when the minimum must rise: the *round* number just above the class's bottom — a whole
  point if the class holds one, else a half, tenth, … point — so it becomes 61, not
  60.000000001;
* when it must fall: the class's top, i.e. the % of the scenario it must now include (a
  minimum exactly on a scenario earns it the better band; the smallest move down).

Ties go to the smallest total move to these values. Bands sharing a class take neighbouring
round values inside it, as near these as possible.

**Method.** All arithmetic is on integers (percentages in units of 10⁻⁹ points, which is
exactly the engine's canonical resolution), so a tie can never be broken by rounding noise.

* One axis with the other fixed: a dynamic programme over the bands, best band first,
  over the sorted classes — ``O(bands × scenarios)``; exact.
* Both axes: the axes are coupled whenever a scenario has targets on both (a grade *and* a
  level estimate must both hold) or a state estimate (the state comes from the grade × level
  matrix). Exact per-axis DPs are alternated from several starts, and then a
  branch-and-bound over the minimums of one axis — each node bounded by the exact DP of
  the other axis with the unfixed bands relaxed, and by the DP of this axis with the other
  relaxed — either proves the result optimal or improves on it. If no scenario couples the
  axes, the two DPs are independent and the result is exact at once. The proof has a time
  budget; a result it could not prove carries ``proven_optimal=False`` and an upper bound.

The search itself (classes, the dynamic programme, the branch-and-bound) is
:mod:`workbook.calibrate.threshold_search`; this module asks the question, reports the
answer and applies it.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

import numpy as np

from workbook import fmt
from workbook.calibrate.targets import Comparison, calibration_targets, compare, payoff_table, target_scores
from workbook.calibrate.threshold_search import HUNDRED, UNIT, _band_of, _Joint, _make_axis, _Result, to_units
from workbook.editing import EditError, set_bands
from workbook.engine import exact
from workbook.model import ScoringModel, Section

Axis = Section  # a grid axis is one of the model's two sections
DEFAULT_TIME_LIMIT = 1.0


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class BandChange:
    """One band's minimum, today and suggested."""

    axis: Axis
    name: str  # grade "A" or level "1"
    before: float
    after: float

    @property
    def moved(self) -> bool:
        return exact(self.before) != exact(self.after)

    def as_dict(self) -> dict[str, Any]:
        return {"axis": self.axis, "name": self.name, "before": self.before, "after": self.after}


@dataclass(frozen=True)
class ThresholdSuggestion:
    """Suggested band minimums, with the agreement before → after confirmed by the exact engine."""

    profile_grades: list[BandChange]
    engagement_levels: list[BandChange]
    comparison: Comparison
    searched: tuple[Axis, ...]  # the axes whose minimums were free
    proven_optimal: bool
    upper_bound: int  # no thresholds (matrix and weights fixed) make more scenarios agree than this
    total_move: float  # Σ |after − before| in points
    seconds: float
    notes: list[str] = field(default_factory=list)

    @property
    def bands(self) -> list[BandChange]:
        return self.profile_grades + self.engagement_levels

    @property
    def changed(self) -> list[BandChange]:
        return [b for b in self.bands if b.moved]

    def as_dict(self) -> dict[str, Any]:
        return {
            "profile_grades": [b.as_dict() for b in self.profile_grades],
            "engagement_levels": [b.as_dict() for b in self.engagement_levels],
            "changed": [b.as_dict() for b in self.changed],
            **self.comparison.as_dict(),
            "searched": list(self.searched),
            "proven_optimal": self.proven_optimal,
            "upper_bound": self.upper_bound,
            "total_move": self.total_move,
            "seconds": round(self.seconds, 4),
            "notes": self.notes,
        }


# --------------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------------
def _agree_of(value: int, big: int) -> int:
    """The agreement part of a combined value ``agree × big − move`` (0 ≤ move < big)."""
    return -((-value) // big)


def suggest_thresholds(
    model: ScoringModel,
    *,
    axes: Sequence[Axis] = ("profile", "engagement"),
    time_limit: float = DEFAULT_TIME_LIMIT,
) -> ThresholdSuggestion:
    """The band minimums that make the most scenarios agree (weights and matrix fixed).

    ``axes`` picks which minimums may move (both by default). ``time_limit`` (seconds)
    bounds the optimality proof of the joint search; the result is always at least as good
    as today's thresholds and is confirmed by the exact engine.
    """
    started = time.monotonic()
    targets = calibration_targets(model)
    today_a = [to_units(exact(b.min)) for b in model.profile_grades]
    today_b = [to_units(exact(b.min)) for b in model.engagement_levels]
    notes: list[str] = []
    free = tuple(ax for ax in ("profile", "engagement") if ax in axes)

    scores = target_scores(model, targets)
    xa, xb = scores.profile, scores.engagement
    pays = [payoff_table(model, t, ko) for t, ko in zip(targets, scores.knocked_out, strict=True)]

    mins_a, mins_b = list(today_a), list(today_b)
    proven, upper = True, None
    if targets and today_a and today_b and free:
        xa_arr, xb_arr = np.array(xa, dtype=np.int64), np.array(xb, dtype=np.int64)
        w = np.stack(pays)
        # Identical scenarios (same percentages, same payoffs) count once, with a multiplicity.
        key = np.concatenate([xa_arr[:, None], xb_arr[:, None], w.reshape(len(w), -1)], axis=1)
        uniq, inverse = np.unique(key, axis=0, return_inverse=True)
        counts = np.bincount(inverse.ravel(), minlength=len(uniq)).astype(np.int64)
        xa_arr, xb_arr = uniq[:, 0].copy(), uniq[:, 1].copy()
        w = uniq[:, 2:].reshape(len(uniq), len(today_a), len(today_b)) * counts[:, None, None]
        n_total = int(counts.sum())
        max_move = (len(today_a) + len(today_b)) * 2 * HUNDRED
        cost_div = 1
        while n_total * (1 << (max_move // cost_div).bit_length()) >= 1 << 58:
            cost_div *= 10
        big = 1 << (max_move // cost_div).bit_length()
        ax_a = _make_axis(xa_arr, today_a, cost_div)
        ax_b = _make_axis(xb_arr, today_b, cost_div)
        joint = _Joint(ax_a, ax_b, w, big)
        rows = np.arange(len(w))
        idx_a, idx_b = ax_a.today_index(), ax_b.today_index()
        today_value = joint.value(idx_a, idx_b)
        if len(free) == 1:  # the other axis keeps today's minimums: one exact DP
            if free[0] == "profile":
                idx_a = ax_a.solve(w[rows, :, _band_of(xb_arr, today_b)], big)[1]
            else:
                idx_b = ax_b.solve(w[rows, _band_of(xa_arr, today_a), :], big)[1]
            value = joint.value(idx_a, idx_b)
        elif _separable(w):
            grade_only = np.all(w == w[:, :, :1], axis=(1, 2))
            # A scenario whose payoff ignores the level goes to the grade DP, the rest to the level DP.
            idx_a = ax_a.solve(np.where(grade_only[:, None], w[:, :, 0], 0), big)[1]
            idx_b = ax_b.solve(np.where(grade_only[:, None], 0, w[:, 0, :]), big)[1]
            value = joint.value(idx_a, idx_b)
            notes.append("no scenario ties the two axes together: each axis was solved exactly on its own")
        else:
            start = joint.incumbent()
            deadline = started + max(0.0, time_limit - 0.05)  # leave time to report
            # Branch on the axis with fewer classes; the other is solved exactly at every node.
            if len(ax_b.gate) < len(ax_a.gate):
                flipped = _Joint(ax_b, ax_a, np.swapaxes(w, 1, 2), big)
                res = flipped.branch_and_bound((start[0], start[2], start[1]), deadline)
                res = _Result(res.value, res.idx_b, res.idx_a, res.proven, res.bound)
            else:
                res = joint.branch_and_bound(start, deadline)
            value, idx_a, idx_b, proven = res.value, res.idx_a, res.idx_b, res.proven
            upper = _agree_of(res.bound, big)
            if not proven:
                notes.append(
                    f"the search ran out of time ({time_limit:g} s) before proving this the best; "
                    f"no thresholds make more than {upper} scenarios agree"
                )
        if upper is None:
            upper = _agree_of(value, big)
        if value >= today_value:  # never worse than today (cannot happen; belt and braces)
            new_a, new_b = ax_a.values(idx_a), ax_b.values(idx_b)
            if new_a is None or new_b is None:
                notes.append("two scenarios are too close together to put a band between them; kept today's")
            else:
                mins_a, mins_b = new_a, new_b
    elif not targets:
        notes.append("no scenario has an estimate or member estimates: nothing to calibrate against")

    new_model = _with_minimums(model, mins_a, mins_b, today_a, today_b)
    # The percentages do not depend on the thresholds: grade the same exact values under both.
    comparison = compare(model, new_model, targets, scores_before=scores, scores_after=scores)
    if upper is None:
        upper = comparison.agreeing_after
    consensus = comparison.consensus_used
    if consensus:
        notes.append(
            f"{fmt.count(len(consensus), 'scenario')} without a team estimate were compared with the consensus "
            "of their members' estimates"
        )
    grades = [
        BandChange("profile", b.grade, b.min, nb.min)
        for b, nb in zip(model.profile_grades, new_model.profile_grades, strict=True)
    ]
    levels = [
        BandChange("engagement", b.level, b.min, nb.min)
        for b, nb in zip(model.engagement_levels, new_model.engagement_levels, strict=True)
    ]
    move = sum(abs(float(exact(c.after) - exact(c.before))) for c in grades + levels)
    return ThresholdSuggestion(
        profile_grades=grades,
        engagement_levels=levels,
        comparison=comparison,
        searched=free,
        proven_optimal=proven,
        upper_bound=max(upper, comparison.agreeing_after),
        total_move=move,
        seconds=time.monotonic() - started,
        notes=notes,
    )


def _separable(w: np.ndarray) -> bool:
    """True when every scenario's payoff depends on the grade only or on the level only."""
    by_grade = np.all(w == w[:, :, :1], axis=(1, 2))
    by_level = np.all(w == w[:, :1, :], axis=(1, 2))
    return bool(np.all(by_grade | by_level))


def _as_min(units: int, today_units: int, today: float) -> float:
    """A minimum in units as the number written in the model; today's exact value if unmoved."""
    if units == today_units:
        return today
    return float(Fraction(units, UNIT))


def _with_minimums(
    model: ScoringModel, mins_a: Sequence[int], mins_b: Sequence[int], today_a: Sequence[int], today_b: Sequence[int]
) -> ScoringModel:
    """The model with other band minimums; shares everything else with ``model`` (read only)."""
    grades = [b.model_copy(update={"min": _as_min(u, t, b.min)})
              for b, u, t in zip(model.profile_grades, mins_a, today_a, strict=True)]
    levels = [b.model_copy(update={"min": _as_min(u, t, b.min)})
              for b, u, t in zip(model.engagement_levels, mins_b, today_b, strict=True)]
    return model.model_copy(update={"profile_grades": grades, "engagement_levels": levels})


# --------------------------------------------------------------------------------------------
# Apply
# --------------------------------------------------------------------------------------------
class StaleSuggestion(EditError):
    """The model changed since the suggestion was made; make a new one."""


def apply_threshold_suggestion(model: ScoringModel, suggestion: ThresholdSuggestion) -> ScoringModel:
    """The model with the suggested band minimums (a new model; the argument is not changed).

    Raises :class:`StaleSuggestion` when the model's bands are no longer the ones the
    suggestion started from, and :class:`EditError` if the bands would be invalid.
    """
    for section, bands, changes in (
        ("profile", [(b.grade, b.min) for b in model.profile_grades], suggestion.profile_grades),
        ("engagement", [(b.level, b.min) for b in model.engagement_levels], suggestion.engagement_levels),
    ):
        now = [(n, exact(m)) for n, m in bands]
        then = [(c.name, exact(c.before)) for c in changes]
        if now != then:
            what = "profile grades" if section == "profile" else "engagement levels"
            raise StaleSuggestion(f"the {what} changed since this suggestion was made; ask for a new one")
    new = model
    for section, changes in (("profile", suggestion.profile_grades), ("engagement", suggestion.engagement_levels)):
        if any(c.moved for c in changes):
            rows = [{"name": c.name, "min": c.after, "orig": i} for i, c in enumerate(changes)]
            new = set_bands(new, section, rows)
    return new if new is not model else model.model_copy(deep=True)
