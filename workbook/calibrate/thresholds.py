"""Threshold suggestions: profile-grade and engagement-level minimums that make the most
scenarios agree, found by an exact search over the breakpoints the scenarios define.

**Objective.** Maximise the number of scenarios whose *every* target agrees — grade,
level and state (:mod:`workbook.calibrate.targets`; the matrix and the weights stay as
they are). Ties go to the smallest total move, ``Σ |new min − today's min|`` over both axes.

**Why only breakpoints matter.** A scenario's grade depends only on where each minimum
sits among the scenarios' profile percentages: every minimum in ``(P_{j-1}, P_j]`` (two
neighbouring distinct percentages) gives every scenario the same grade. So the search
runs over one *class* per gap, and within a class over a few representative values:

* today's minimum, when it lies in the class (no move);
* the class's top ``P_j`` itself (a minimum exactly on a scenario: it earns the better band);
* the *roundest* number nearest each end — a whole point if the class holds one, else a
  half, tenth, … point — so a raised minimum becomes 61, not 60.000000001.

The search is exact over these candidates; the tie-break is therefore "the smallest move
among round candidate values", which for the agreement count loses nothing.

**Method.** All arithmetic is on integers (percentages in units of 10⁻⁹ points, which is
exactly the engine's canonical resolution), so a tie can never be broken by rounding noise.

* One axis with the other fixed: a dynamic programme over the bands, best band first,
  over the sorted candidates — ``O(bands × candidates)``; exact.
* Both axes: the axes are coupled whenever a scenario has targets on both (a grade *and* a
  level estimate must both hold) or a state estimate (the state comes from the grade × level
  matrix). Exact per-axis DPs are alternated from several starts, and then a
  branch-and-bound over the minimums of one axis — each node bounded by the exact DP of
  the other axis with the unfixed bands relaxed, and by the DP of this axis with the other
  relaxed — either proves the result optimal or improves on it. If no scenario couples the
  axes, the two DPs are independent and the result is exact at once. The proof has a time
  budget; a result it could not prove carries ``proven_optimal=False`` and an upper bound.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from workbook.calibrate.targets import Comparison, calibration_targets, compare, payoff_table, target_scores
from workbook.editing import EditError, set_bands
from workbook.engine import exact
from workbook.model import ScoringModel

Axis = Literal["profile", "engagement"]
UNIT = 10**9  # one percentage point, in the engine's canonical resolution (9 decimals)
HUNDRED = 100 * UNIT
# Round steps, coarsest first: 1, 0.5, 0.1, 0.05, 0.01, … 1e-9 points (in units).
_STEPS = [s for e in range(9, -1, -1) for s in ((10**e,) if e == 0 else (10**e, 5 * 10 ** (e - 1)))]
_NEG = -(2**62)
DEFAULT_TIME_LIMIT = 2.0


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
# Candidates and the one-axis dynamic programme (integers throughout)
# --------------------------------------------------------------------------------------------
def to_units(value: Fraction) -> int:
    """A percentage as an integer number of 10⁻⁹ points (rounded half-even, like the engine)."""
    return int(round(value * UNIT))


def _round_below(hi: np.ndarray, lo: np.ndarray) -> np.ndarray:
    """Per class (lo, hi]: the roundest number ≤ hi that is still > lo (the coarsest step that fits)."""
    out = hi.copy()
    done = np.zeros(hi.shape, dtype=bool)
    for step in _STEPS:
        cand = (hi // step) * step
        ok = ~done & (cand > lo)
        out[ok] = cand[ok]
        done |= ok
    return out


def _round_above(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per class (lo, hi]: the roundest number > lo that is still ≤ hi."""
    out = hi.copy()
    done = np.zeros(lo.shape, dtype=bool)
    for step in _STEPS:
        cand = (lo // step + 1) * step
        ok = ~done & (cand <= hi)
        out[ok] = cand[ok]
        done |= ok
    return out


def candidate_minimums(values: np.ndarray, today: Sequence[int]) -> np.ndarray:
    """Sorted candidate minimums (units) for one axis: 0, and per class of equal grading the
    class top, the roundest value near each end, and today's minimums (see the module doc)."""
    distinct = np.unique(np.clip(np.asarray(values, dtype=np.int64), 0, HUNDRED))
    lo = np.concatenate([[0], distinct])
    hi = np.concatenate([distinct, [HUNDRED]])
    keep = hi > lo  # an empty class (e.g. a scenario at 0 or at 100) has no value
    lo, hi = lo[keep], hi[keep]
    parts = [np.array([0], dtype=np.int64), hi, _round_below(hi, lo), _round_above(lo, hi)]
    parts.append(np.array([t for t in today if 0 < t <= HUNDRED], dtype=np.int64))
    return np.unique(np.concatenate(parts))


def _band_of(x: np.ndarray, mins: Sequence[int]) -> np.ndarray:
    """Band index per value: the first band, best first, whose min is ≤ x (mins decreasing)."""
    m = np.asarray(mins, dtype=np.int64)
    return np.sum(m[None, :] > x[:, None], axis=1)


def _prefix(x_sorted: np.ndarray, pay_sorted: np.ndarray, cands: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate v and band k: Σ payoff[s, k] over scenarios with x < v; and the totals.

    ``pay_sorted`` is (B, n, K) in the order of ``x_sorted``; returns (B, M, K) and (B, K).
    """
    b, _, k = pay_sorted.shape
    cum = np.concatenate([np.zeros((b, 1, k), dtype=np.int64), np.cumsum(pay_sorted, axis=1)], axis=1)
    pos = np.searchsorted(x_sorted, cands, side="left")
    return cum[:, pos, :], cum[:, -1, :]


def _dp(s: np.ndarray, tot: np.ndarray, cost: np.ndarray, big: int, keep: bool = False, share: bool = False):
    """Best (agreeing × big − move) over strictly decreasing minimums from the candidates.

    ``s`` (B, M, K) from :func:`_prefix`, ``cost`` (K, M). Candidate 0 is the value 0, which
    only the last band takes. Returns the values (B,) and, with ``keep``, what backtracking needs.
    With ``share`` neighbouring bands may take the same candidate (used for candidates that
    stand for a whole class of values: a relaxation, so an upper bound).
    """
    _, m, k_bands = s.shape
    if k_bands == 1:
        return tot[:, 0] * big - cost[0, 0], []
    f = (tot[:, :1] - s[:, :, 0]) * big - cost[0][None, :]
    f[:, 0] = _NEG
    kept = []
    for k in range(1, k_bands):
        g = f + s[:, :, k] * big
        if keep:
            kept.append(g)
        run = np.maximum.accumulate(g[:, ::-1], axis=1)[:, ::-1]  # max over i' ≥ i
        best_above = np.full_like(run, _NEG)
        if share:
            best_above[:, 1:] = run[:, 1:]
            best_above[:, 0] = run[:, 1] if m > 1 else _NEG
        else:
            best_above[:, :-1] = run[:, 1:]  # max over i' > i: the band above needs a higher minimum
        f = best_above - s[:, :, k] * big - cost[k][None, :]
        np.maximum(f, _NEG, out=f)
        if k < k_bands - 1:
            f[:, 0] = _NEG
    return f[:, 0], kept


def _backtrack(kept: list[np.ndarray], k_bands: int) -> list[int]:
    """Candidate index of each band's minimum, best band first, from :func:`_dp` with keep."""
    idx = [0]  # the last band: the value 0
    for k in range(k_bands - 1, 0, -1):
        g = kept[k - 1][0]
        i = idx[-1]
        idx.append(i + 1 + int(np.argmax(g[i + 1 :])))
    return idx[::-1]


@dataclass
class _Axis:
    """One axis of the search: scenario percentages, candidates, today's minimums, move costs."""

    x: np.ndarray  # (n,) units
    cands: np.ndarray  # (M,) units, sorted, cands[0] == 0
    today: list[int]  # units, best band first
    cost: np.ndarray  # (K, M) move cost of putting band k's minimum at each candidate
    order: np.ndarray  # argsort of x
    x_sorted: np.ndarray

    @property
    def bands(self) -> int:
        return len(self.today)

    def solve(self, pay: np.ndarray, big: int) -> tuple[int, list[int]]:
        """Exact DP on this axis for payoffs (n, K): (value, minimums in units)."""
        s, tot = _prefix(self.x_sorted, pay[self.order][None], self.cands)
        values, kept = _dp(s, tot, self.cost, big, keep=True)
        if values[0] <= _NEG // 2:
            return _NEG, list(self.today)
        idx = _backtrack(kept, self.bands) if self.bands > 1 else [0]
        return int(values[0]), [int(self.cands[i]) for i in idx]

    cost_div: int = 1

    def move(self, mins: Sequence[int]) -> int:
        """The move from today's minimums, in the units of ``cost`` (as the DP counts it)."""
        return sum(abs(int(a) - int(b)) // self.cost_div for a, b in zip(mins, self.today, strict=True))


def _make_axis(x: np.ndarray, today: list[int], cost_div: int) -> _Axis:
    cands = candidate_minimums(x, today)
    cost = np.abs(cands[None, :] - np.asarray(today, dtype=np.int64)[:, None]) // cost_div
    order = np.argsort(x, kind="stable")
    return _Axis(x, cands, today, cost, order, x[order], cost_div)


# --------------------------------------------------------------------------------------------
# The joint search
# --------------------------------------------------------------------------------------------
@dataclass
class _Result:
    value: int
    mins_a: list[int]
    mins_b: list[int]
    proven: bool
    bound: int


class _Joint:
    """Maximise Σ_s W[s, grade_s, level_s] − move over both axes' minimums (integers)."""

    def __init__(self, a: _Axis, b: _Axis, w: np.ndarray, big: int, cost_div: int):
        self.a, self.b, self.w, self.big, self.cost_div = a, b, w, big, cost_div
        self.n = len(a.x)
        self.rows = np.arange(self.n)

    def value(self, mins_a: Sequence[int], mins_b: Sequence[int]) -> int:
        ga, lb = _band_of(self.a.x, mins_a), _band_of(self.b.x, mins_b)
        agree = int(self.w[self.rows, ga, lb].sum())
        return agree * self.big - self.a.move(mins_a) - self.b.move(mins_b)

    # -- alternating exact DPs ------------------------------------------------------------
    def _solve_a(self, mins_b: Sequence[int]) -> list[int]:
        lb = _band_of(self.b.x, mins_b)
        return self.a.solve(self.w[self.rows, :, lb], self.big)[1]

    def _solve_b(self, mins_a: Sequence[int]) -> list[int]:
        ga = _band_of(self.a.x, mins_a)
        return self.b.solve(self.w[self.rows, ga, :], self.big)[1]

    def ascend(self, mins_a: list[int], mins_b: list[int]) -> tuple[int, list[int], list[int]]:
        """Alternate the two exact one-axis DPs until the value stops rising."""
        best = self.value(mins_a, mins_b)
        for _ in range(50):
            new_a = self._solve_a(mins_b)
            new_b = self._solve_b(new_a)
            v = self.value(new_a, new_b)
            if v <= best:
                break
            best, mins_a, mins_b = v, new_a, new_b
        return best, mins_a, mins_b

    def incumbent(self) -> tuple[int, list[int], list[int]]:
        """The best of several alternating runs (today's; each axis first with the other relaxed)."""
        starts = [(list(self.a.today), list(self.b.today))]
        relaxed_a = self.a.solve(self.w.max(axis=2), self.big)[1]
        starts.append((relaxed_a, self._solve_b(relaxed_a)))
        relaxed_b = self.b.solve(self.w.max(axis=1), self.big)[1]
        starts.append((self._solve_a(relaxed_b), relaxed_b))
        best = None
        for sa, sb in starts:
            cand = self.ascend(sa, sb)
            if best is None or cand[0] > best[0]:
                best = cand
        assert best is not None
        return best

    # -- branch and bound over the minimums of axis a ------------------------------------------
    def branch_and_bound(self, start: tuple[int, list[int], list[int]], deadline: float) -> _Result:
        a, b, w, big = self.a, self.b, self.w, self.big
        ka, kb = a.bands, b.bands
        best_value, best_a, best_b = start
        if ka == 1:
            return _Result(best_value, best_a, best_b, True, best_value)
        m = len(a.cands)
        # Suffix maxima over the grades: the payoff of a scenario whose grade is known to be ≥ d.
        rm = np.maximum.accumulate(w[:, ::-1, :], axis=1)[:, ::-1, :]  # (n, ka, kb)
        # Bound 1 (axis b relaxed): prefix sums in a's order and bottom-up DP tables.
        wmax_b = w.max(axis=2)  # (n, ka)
        s1, tot1 = _prefix(a.x_sorted, wmax_b[a.order][None], a.cands)
        s1, tot1 = s1[0], tot1[0]  # (m, ka), (ka,)
        s1 = np.vstack([s1, tot1[None, :]])  # row m: "no upper limit" (the best band)
        e = [np.zeros(m + 1, dtype=np.int64) for _ in range(ka)]
        e[ka - 1] = s1[:, ka - 1] * big - int(a.cost[ka - 1, 0])
        for k in range(ka - 2, 0, -1):
            inner = np.full(m + 1, _NEG, dtype=np.int64)
            inner[1:m] = e[k + 1][1:m] - s1[1:m, k] * big - a.cost[k, 1:m]
            run = np.maximum.accumulate(inner)
            prev = np.full(m + 1, _NEG, dtype=np.int64)
            prev[1:] = run[:-1]  # max over j < i
            e[k] = np.maximum(prev + s1[:, k] * big, _NEG)
        # Inner DP over axis b, in b's order.
        xa_b = a.x[b.order]
        w_b = w[b.order]
        rm_b = rm[b.order]
        # The inner DP runs over b's classes (one candidate each, the cheapest move per band;
        # neighbouring bands may share a class): a relaxation, exact on agreement.
        b_cls = np.searchsorted(np.unique(b.x), b.cands, side="left")
        b_cls[0] = -1  # the value 0 stands alone: only the last band takes it
        starts = np.flatnonzero(np.r_[True, b_cls[1:] != b_cls[:-1]])
        pos_b = np.searchsorted(b.x_sorted, b.cands[starts], side="left")
        cost_b = np.minimum.reduceat(b.cost, starts, axis=1)
        chunk = max(1, 2_000_000 // max(1, self.n * kb))
        last_cost = int(a.cost[ka - 1, 0])  # the last band's minimum is 0
        cls_of = np.searchsorted(np.unique(a.x), a.cands, side="left")  # class of each candidate

        def inner_values(payoffs: np.ndarray) -> np.ndarray:
            cum = np.concatenate(
                [np.zeros((payoffs.shape[0], 1, kb), dtype=np.int64), np.cumsum(payoffs, axis=1)], axis=1
            )
            vals, _ = _dp(cum[:, pos_b, :], cum[:, -1, :], cost_b, big, share=True)
            return vals

        # A node: (bound, depth d, candidate indexes of the minimums fixed so far, their move).
        stack: list[tuple[int, int, tuple[int, ...], int]] = [(1 << 62, 0, (), 0)]
        proven = True
        while stack:
            if time.monotonic() > deadline:
                proven = False
                break
            bound, d, fixed, move = stack.pop()
            if bound <= best_value:
                continue
            top = fixed[-1] if fixed else m  # candidate index of the band above's minimum (m: none)
            mins_fixed = [int(a.cands[i]) for i in fixed]
            det_b = xa_b >= (a.cands[top] if fixed else HUNDRED + 1)  # scenarios whose grade is known
            band_b = _band_of(xa_b, mins_fixed) if fixed else np.zeros(self.n, dtype=np.int64)
            # Children: the minimum of band d at candidate i, 1 ≤ i < top, leaving room below.
            lo_i = max(1, ka - 1 - d)
            kids = np.arange(lo_i, top)
            if kids.size == 0:
                continue
            # Bound 1: band d takes the scenarios in [v_i, top), the bands below the rest (b relaxed).
            det_a = a.x >= (a.cands[top] if fixed else HUNDRED + 1)
            c_node = int(wmax_b[self.rows[det_a], _band_of(a.x[det_a], mins_fixed)].sum()) if fixed else 0
            last = d + 1 == ka - 1
            below = e[d + 1][kids] if d + 1 < ka else np.zeros(kids.size, dtype=np.int64)
            b1 = (c_node + s1[top, d] - s1[kids, d]) * big - a.cost[d, kids] - move + below
            keep = b1 > best_value
            kids, b1 = kids[keep], b1[keep]
            if kids.size == 0:
                continue
            # Bound 2 (exact DP on axis b, the unfixed grades relaxed), once per class of candidates.
            classes, first = np.unique(cls_of[kids], return_index=True)
            reps = kids[first]
            b2_cls = np.empty(classes.size, dtype=np.int64)
            below_pay = w_b[:, ka - 1, :] if last else rm_b[:, min(d + 1, ka - 1), :]
            undet = ~det_b[:, None]
            # Payoff = the known grades' + the relaxed grades below, + the switch to band d above v.
            base = np.where(undet, below_pay, w_b[self.rows, np.minimum(band_b, ka - 1), :])
            diff = np.where(undet, w_b[:, d, :] - below_pay, 0)
            for c0 in range(0, reps.size, chunk):
                v = a.cands[reps[c0 : c0 + chunk]]
                pay = base[None] + (xa_b[None, :] >= v[:, None])[..., None] * diff[None]
                b2_cls[c0 : c0 + chunk] = inner_values(pay)
            b2 = b2_cls[np.searchsorted(classes, cls_of[kids])] - a.cost[d, kids] - move - last_cost
            bounds = np.minimum(b1, b2) if not last else b2
            keep = bounds > best_value
            kids, bounds = kids[keep], bounds[keep]
            if kids.size == 0:
                continue
            if last:  # every grade is known: solve b exactly, best bound first
                for j in np.argsort(-bounds, kind="stable"):
                    if bounds[j] <= best_value:
                        break
                    mins_a = mins_fixed + [int(a.cands[kids[j]]), 0]
                    mins_b = self._solve_b(mins_a)
                    value = self.value(mins_a, mins_b)
                    if value > best_value:
                        best_value, best_a, best_b = value, mins_a, mins_b
                continue
            order = np.argsort(bounds, kind="stable")  # best last: popped first
            for j in order:
                i = int(kids[j])
                stack.append((int(bounds[j]), d + 1, (*fixed, i), move + int(a.cost[d, i])))
        upper = max([best_value] + [s[0] for s in stack if s[0] > best_value]) if not proven else best_value
        return _Result(best_value, best_a, best_b, proven, upper)


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
        joint = _Joint(ax_a, ax_b, w, big, cost_div)
        rows = np.arange(len(w))
        today_value = joint.value(today_a, today_b)
        if len(free) == 1:  # the other axis keeps today's minimums: one exact DP
            if free[0] == "profile":
                mins_a = ax_a.solve(w[rows, :, _band_of(xb_arr, today_b)], big)[1]
            else:
                mins_b = ax_b.solve(w[rows, _band_of(xa_arr, today_a), :], big)[1]
            value = joint.value(mins_a, mins_b)
            upper = _agree_of(value, big)
        elif _separable(w):
            grade_only = np.all(w == w[:, :, :1], axis=(1, 2))
            # A scenario whose payoff ignores the level goes to the grade DP, the rest to the level DP.
            pay_a = np.where(grade_only[:, None], w[:, :, 0], 0)
            pay_b = np.where(grade_only[:, None], 0, w[:, 0, :])
            mins_a = ax_a.solve(pay_a, big)[1]
            mins_b = ax_b.solve(pay_b, big)[1]
            value = joint.value(mins_a, mins_b)
            upper = _agree_of(value, big)
            notes.append("no scenario ties the two axes together: each axis was solved exactly on its own")
        else:
            start = joint.incumbent()
            # Branch on the axis with fewer candidates; the other is solved exactly at every node.
            if len(ax_b.cands) < len(ax_a.cands):
                flipped = _Joint(ax_b, ax_a, np.swapaxes(w, 1, 2), big, cost_div)
                res = flipped.branch_and_bound((start[0], start[2], start[1]), started + time_limit)
                res = _Result(res.value, res.mins_b, res.mins_a, res.proven, res.bound)
            else:
                res = joint.branch_and_bound(start, started + time_limit)
            value, mins_a, mins_b, proven = res.value, res.mins_a, res.mins_b, res.proven
            upper = _agree_of(res.bound, big)
            if not proven:
                notes.append(
                    f"the search ran out of time ({time_limit:g} s) before proving this the best; "
                    f"no thresholds make more than {upper} scenarios agree"
                )
        if value < today_value:  # never suggest something worse than today (cannot happen; belt and braces)
            mins_a, mins_b = list(today_a), list(today_b)
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
            f"{len(consensus)} scenario(s) without a team estimate were compared with the consensus "
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
    new = model.model_copy(deep=True)
    for band, u, t in zip(new.profile_grades, mins_a, today_a, strict=True):
        band.min = _as_min(u, t, band.min)
    for band, u, t in zip(new.engagement_levels, mins_b, today_b, strict=True):
        band.min = _as_min(u, t, band.min)
    return new


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
