"""Solving the weight programme: a heuristic first, then HiGHS (scipy's milp) for the proof and the smallest move.

See :mod:`workbook.calibrate.weights` for the order of the solves and why.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

from workbook.calibrate.exactscore import UNIT
from workbook.calibrate.weight_programme import _Free, _Programme
from workbook.engine import exact
from workbook.model import ScoringModel

if TYPE_CHECKING:
    from scipy.optimize import LinearConstraint


def _scipy_optimize() -> Any:
    """scipy.optimize, imported on first use: importing it costs every CLI command ~0.4 s otherwise."""
    import scipy.optimize

    return scipy.optimize


def _counter(
    model: ScoringModel, targets: Sequence[Any], tabs: Any, pays: Sequence[np.ndarray], free: Sequence[_Free],
    step: Fraction,
) -> Callable[[Sequence[int]], int]:
    """Exact count of agreeing targets for whole steps k (integer scoring, SPEC §3)."""
    grade_gates = [exact(b.min) * UNIT for b in model.profile_grades]
    level_gates = [exact(b.min) * UNIT for b in model.engagement_levels]
    pay = np.stack(pays) if pays else np.zeros((0, 1, 1), dtype=np.int64)
    rows = np.arange(len(pay))
    cache: dict[tuple[int, ...], int] = {}

    def count(ks: Sequence[int]) -> int:
        key = tuple(int(k) for k in ks)
        if key not in cache:
            weights = {s: list(tabs.section(s).weights) for s in ("profile", "engagement")}
            for f, k in zip(free, key, strict=True):
                weights[f.section][f.index] = f.today + step * k
            p = tabs.profile.units(weights["profile"])
            e = tabs.engagement.units(weights["engagement"])
            g = np.array([sum(1 for m in grade_gates if m > u) for u in p], dtype=np.int64)
            lv = np.array([sum(1 for m in level_gates if m > u) for u in e], dtype=np.int64)
            # A draft whose last band is not at 0 can leave a % without a band: it agrees with nothing.
            graded = (g < pay.shape[1]) & (lv < pay.shape[2])
            g, lv = np.minimum(g, pay.shape[1] - 1), np.minimum(lv, pay.shape[2] - 1)
            cache[key] = int((pay[rows, g, lv] * graded).sum()) if len(pay) else 0
        return cache[key]

    return count


def _milp(c: np.ndarray, **kwargs: Any) -> Any:
    """scipy's milp, retried when HiGHS reports a "solve error" on a plainly feasible programme
    (seen with scipy 1.17): without presolve, then with every row bound eased by 10⁻⁷ (the
    exact engine checks the result anyway)."""
    res = _scipy_optimize().milp(c, **kwargs)
    if res.status == 4:
        res = _scipy_optimize().milp(c, **{**kwargs, "options": {**kwargs.get("options", {}), "presolve": False}})
    if res.status == 4:
        eased = [_scipy_optimize().LinearConstraint(k.A, k.lb - 1e-7, k.ub + 1e-7) for k in kwargs["constraints"]]
        res = _scipy_optimize().milp(c, **{**kwargs, "constraints": eased})
    return res


def _round_steps(k: np.ndarray, free: Sequence[_Free]) -> np.ndarray:
    """Whole steps nearest to continuous ones, each section still summing to 0, within bounds."""
    out = np.clip(np.round(k), [f.lo for f in free], [f.hi for f in free]).astype(np.int64)
    for section in ("profile", "engagement"):
        js = [j for j, f in enumerate(free) if f.section == section]
        for _ in range(4 * len(js) + 4):
            excess = int(out[js].sum())
            if excess == 0:
                break
            sign = 1 if excess > 0 else -1
            # move the step whose rounding went furthest the wrong way, if it has room
            order = sorted(js, key=lambda j: -sign * (out[j] - k[j]))
            for j in order:
                if free[j].lo <= out[j] - sign <= free[j].hi:
                    out[j] -= sign
                    break
    return out


class _Search:
    """The programme plus what the search needs around it."""

    def __init__(self, prog: _Programme, free: Sequence[_Free], count: Callable[[Sequence[int]], int]):
        self.prog, self.free, self.count = prog, free, count
        n_free = len(free)
        self.n_free, self.first_y = n_free, 2 * n_free
        self.n_vars = 2 * n_free + prog.n_y
        self.a, self.lb, self.ub = prog.matrix(self.n_vars)
        lower = np.concatenate([[f.lo for f in free], np.zeros(n_free), np.zeros(prog.n_y)])
        upper = np.concatenate(
            [[f.hi for f in free], [max(abs(f.lo), abs(f.hi)) for f in free], np.ones(prog.n_y)]
        )
        self.bounds = _scipy_optimize().Bounds(lower, upper)
        self.integrality = np.concatenate([np.ones(n_free), np.zeros(n_free), np.ones(prog.n_y)])
        ycols = self.a[:, self.first_y :]
        self.box_of_row = np.where(np.count_nonzero(ycols, axis=1) == 1, np.argmax(ycols != 0, axis=1), -1)
        self.other_rows = np.flatnonzero(np.count_nonzero(ycols, axis=1) == 0)  # sums and |k|
        self.owner = np.asarray(prog.box_owner)

    def milp(self, c: np.ndarray, extra: list[LinearConstraint], limit: float, integral: bool = True) -> Any:
        integrality = self.integrality if integral else np.zeros(self.n_vars)
        return _milp(
            c,
            integrality=integrality,
            bounds=self.bounds,
            constraints=[_scipy_optimize().LinearConstraint(self.a, self.lb, self.ub), *extra],
            options={"time_limit": max(0.05, limit), "mip_rel_gap": 1e-9},
        )

    def box_rows(self, box: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """A box's rows with its binary at 1: coefficients on k, and bounds lo ≤ c·k ≤ hi."""
        rows = np.flatnonzero(self.box_of_row == box)
        y = self.a[rows, self.first_y + box]
        return self.a[rows, : self.n_free], self.lb[rows] - y, self.ub[rows] - y

    def violation(self, box: int, k: np.ndarray) -> float:
        c, lo, hi = self.box_rows(box)
        v = c @ k
        return float(np.maximum(lo - v, 0).sum() + np.maximum(v - hi, 0).sum())

    def holding(self, k: np.ndarray) -> np.ndarray:
        """Box binaries that can be 1 at the step vector k."""
        y = np.zeros(self.prog.n_y)
        for b in range(self.prog.n_y):
            if self.violation(b, k) <= 1e-9:
                y[b] = 1
        for s in np.unique(self.owner):  # at most one box per scenario
            on = np.flatnonzero((self.owner == s) & (y == 1))
            y[on[1:]] = 0
        return y

    def reweighted_l1(self, deadline: float, rounds: int = 12) -> np.ndarray:
        """Iteratively reweighted L1 (a classic heuristic for the most satisfiable constraints):
        each LP minimises the weighted sum of the scenarios' violations, in each scenario's
        nearest box, plus a little of the move; the weights then favour the nearly satisfied.
        Returns the best whole-step vector met, by the exact count."""
        n_free = self.n_free
        scen = np.unique(self.owner)
        slot = {int(s): i for i, s in enumerate(scen)}
        n_s = len(scen)
        omega = np.ones(n_s)
        k = np.zeros(n_free)
        best_k = np.zeros(n_free, dtype=np.int64)
        best = self.count(best_k)
        for _ in range(rounds):
            if time.monotonic() > deadline:
                break
            chosen = {}
            for s in scen:
                boxes_s = np.flatnonzero(self.owner == s)
                chosen[int(s)] = min(boxes_s, key=lambda b: self.violation(int(b), k))
            rows, lo, hi = [], [], []
            for s, b in chosen.items():
                c, l_, h_ = self.box_rows(int(b))
                for r in range(len(c)):
                    row = np.zeros(2 * n_free + n_s)
                    row[:n_free] = c[r]
                    if np.isfinite(l_[r]):  # c·k + slack ≥ lo
                        row[2 * n_free + slot[s]] = 1.0
                        rows.append(row)
                        lo.append(l_[r])
                        hi.append(np.inf)
                    else:  # c·k − slack ≤ hi
                        row[2 * n_free + slot[s]] = -1.0
                        rows.append(row)
                        lo.append(-np.inf)
                        hi.append(h_[r])
            base = self.a[self.other_rows][:, : 2 * n_free]
            base = np.hstack([base, np.zeros((len(base), n_s))])
            a = np.vstack([*rows, base]) if rows else base
            lo_all = np.concatenate([lo, self.lb[self.other_rows]])
            hi_all = np.concatenate([hi, self.ub[self.other_rows]])
            cost = np.concatenate([np.zeros(n_free), np.full(n_free, 1e-3), omega])
            res = _scipy_optimize().milp(
                cost,
                integrality=np.zeros(2 * n_free + n_s),
                bounds=_scipy_optimize().Bounds(
                    np.concatenate([self.bounds.lb[: 2 * n_free], np.zeros(n_s)]),
                    np.concatenate([self.bounds.ub[: 2 * n_free], np.full(n_s, np.inf)]),
                ),
                constraints=[_scipy_optimize().LinearConstraint(a, lo_all, hi_all)],
                options={"time_limit": max(0.05, deadline - time.monotonic())},
            )
            if res.x is None:
                break
            k = res.x[:n_free]
            slack = res.x[2 * n_free :]
            cand = _round_steps(k, self.free)
            n = self.count(cand)
            if n > best or (n == best and np.abs(cand).sum() < np.abs(best_k).sum()):
                best, best_k = n, cand
            omega = 1.0 / (slack + 0.05)
        return best_k


def _solve(
    prog: _Programme, free: Sequence[_Free], always: int, deadline: float, count: Callable[[Sequence[int]], int]
) -> tuple[list[int], int, str, bool, list[str]]:
    """Most agreeing scenarios, then the smallest move keeping that many.

    HiGHS gets no starting solution through scipy, and on a few hundred scenarios it can spend
    its whole time looking for a first one. So a heuristic goes first — iteratively
    reweighted L1 over LPs (fractions of a second) — and its whole-step weights are polished
    to the smallest move that keeps its agreeing boxes. Then the full programme is asked for
    *one more* agreeing scenario than that: a solution improves on it (and a solved
    programme proves the count optimal); "infeasible" proves the heuristic's count optimal.
    Last, the smallest total move at the final count. Each answer is a feasible point of the
    full programme, and the caller re-checks it with the exact engine.
    """
    search = _Search(prog, free, count)
    n_free, first_y, n_vars = search.n_free, search.first_y, search.n_vars
    notes: list[str] = []
    started = time.monotonic()
    budget = max(0.1, deadline - started)
    count_row = np.zeros((1, n_vars))
    count_row[0, first_y:] = 1.0
    c_count = -count_row[0]
    c_move = np.zeros(n_vars)
    c_move[n_free:first_y] = 1.0

    def polish(k: np.ndarray, limit: float) -> tuple[np.ndarray, bool]:
        """The smallest move keeping every box that holds at k (whole steps)."""
        y = search.holding(k.astype(float))
        lo = search.bounds.lb.copy()
        hi = search.bounds.ub.copy()
        lo[first_y:] = y
        hi[first_y:] = y
        res = _milp(
            c_move,
            integrality=search.integrality,
            bounds=_scipy_optimize().Bounds(lo, hi),
            constraints=[_scipy_optimize().LinearConstraint(search.a, search.lb, search.ub)],
            options={"time_limit": max(0.05, limit), "mip_rel_gap": 1e-9},
        )
        if res.x is None:
            return k, False
        better = np.round(res.x[:n_free]).astype(np.int64)
        return (better, res.status == 0) if count(better) >= count(k) else (k, False)

    best_k = search.reweighted_l1(started + 0.3 * budget)
    best = count(best_k)
    best_k, _ = polish(best_k, 0.1 * budget)
    # One more scenario than the heuristic, from the full programme.
    proven = False
    left = started + 0.8 * budget - time.monotonic()
    if left > 0.05:
        res = search.milp(c_count, [_scipy_optimize().LinearConstraint(count_row, best - always + 0.5, np.inf)], left)
        if res.x is not None:
            cand = np.round(res.x[:n_free]).astype(np.int64)
            if count(cand) > best:
                best_k, best = cand, count(cand)
                proven = res.status == 0
        else:
            proven = res.status == 2  # nothing agrees more than the heuristic's weights
    # The smallest move at that count.
    if proven:
        move_row = np.zeros((1, n_vars))
        move_row[0, n_free:first_y] = 1.0
        res = search.milp(
            c_move,
            [
                _scipy_optimize().LinearConstraint(count_row, best - always - 0.5, np.inf),
                _scipy_optimize().LinearConstraint(move_row, -np.inf, float(np.abs(best_k).sum()) + 0.5),
            ],
            deadline - time.monotonic(),
        )
        if res.x is not None:
            cand = np.round(res.x[:n_free]).astype(np.int64)
            if count(cand) >= best:
                best_k = cand
            proven = res.status == 0
        else:
            proven = False
    else:
        best_k, _ = polish(best_k, deadline - time.monotonic())
    best = count(best_k)
    if not proven:
        notes.append("the solver ran out of time: the suggestion is the best found, not proven the best")
    return [int(v) for v in best_k], best, "optimal" if proven else "time limit", proven, notes
