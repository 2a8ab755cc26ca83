"""The exact search behind threshold suggestions: classes of equal grading, the one-axis dynamic
programme and the joint branch-and-bound over both axes, all on integers.

See :mod:`workbook.calibrate.thresholds` for why breakpoints are all that matter and how
the search proves its result.
"""

from __future__ import annotations

import itertools
import time
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

UNIT = 10**9  # one percentage point, in the engine's canonical resolution (9 decimals)
HUNDRED = 100 * UNIT
# Round steps, coarsest first: 1, 0.5, 0.1, 0.05, 0.01, … 1e-9 points (in units).
_STEPS = [s for e in range(9, -1, -1) for s in ((10**e,) if e == 0 else (10**e, 5 * 10 ** (e - 1)))]
_NEG = -(2**62)


def to_units(value: Fraction) -> int:
    """A percentage as an integer number of 10⁻⁹ points (rounded half-even, like the engine)."""
    return int(round(value * UNIT))


def _round_above(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """Per class (lo, hi]: the roundest number just above lo — the lowest multiple, > lo and
    ≤ hi, of the coarsest step (1, 0.5, 0.1, … 10⁻⁹ points) that has one there."""
    out = hi.copy()
    done = np.zeros(lo.shape, dtype=bool)
    for step in _STEPS:
        cand = (lo // step + 1) * step
        ok = ~done & (cand <= hi)
        out[ok] = cand[ok]
        done |= ok
    return out


def _share(lo: int, hi: int, prefs: Sequence[int]) -> list[int] | None:
    """Strictly decreasing values in (lo, hi] for bands sharing a class, best band first, as
    near their preferred values as a simple repair gets: kept as they are when they already
    decrease (today's minimums, say); else spaced by the coarsest step that fits them all.
    None if the class cannot hold that many values."""
    j = len(prefs)
    if all(a > b for a, b in itertools.pairwise(prefs)) and lo < prefs[-1] and prefs[0] <= hi:
        return list(prefs)
    for step in _STEPS:
        first, last = lo // step + 1, hi // step
        if last - first + 1 < j:
            continue
        vals = [min(max(p, first * step), last * step) for p in prefs]
        for i in range(1, j):  # downwards: each below the one above
            vals[i] = min(vals[i], vals[i - 1] - step)
        if vals[-1] <= lo:  # pushed out at the bottom: push up from there
            vals[-1] = first * step
            for i in range(j - 2, -1, -1):
                vals[i] = max(vals[i], vals[i + 1] + step)
        if vals[0] > hi:  # cannot happen with j multiples in the class; belt and braces
            vals = [(last - i) * step for i in range(j)]
        return vals
    return None


def _band_of(x: np.ndarray, gates: Sequence[int]) -> np.ndarray:
    """Band index per value: the first band, best first, whose gate is ≤ x (gates decreasing)."""
    m = np.asarray(gates, dtype=np.int64)
    return np.sum(m[None, :] > x[:, None], axis=1)


def _prefix(x_sorted: np.ndarray, pay_sorted: np.ndarray, gates: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Per candidate gate g and band k: Σ payoff[s, k] over scenarios with x < g; and the totals.

    ``pay_sorted`` is (B, n, K) in the order of ``x_sorted``; returns (B, M, K) and (B, K).
    """
    b, _, k = pay_sorted.shape
    cum = np.concatenate([np.zeros((b, 1, k), dtype=np.int64), np.cumsum(pay_sorted, axis=1)], axis=1)
    pos = np.searchsorted(x_sorted, gates, side="left")
    return cum[:, pos, :], cum[:, -1, :]


def _dp(s: np.ndarray, tot: np.ndarray, cost: np.ndarray, big: int, keep: bool = False):
    """Best (agreeing × big − move) over the bands' candidates, best band first.

    ``s`` (B, M, K) from :func:`_prefix`, ``cost`` (K, M). Candidate 0 is the value 0, which
    only the last band takes; every other candidate is a class of values, which neighbouring
    bands may share (their minimums then differ inside it). Returns the values (B,) and, with
    ``keep``, what :func:`_backtrack` needs.
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
        best_above = run.copy()
        best_above[:, 0] = run[:, 1] if m > 1 else _NEG  # above the value 0: a class
        f = best_above - s[:, :, k] * big - cost[k][None, :]
        np.maximum(f, _NEG, out=f)
        if k < k_bands - 1:
            f[:, 0] = _NEG
    return f[:, 0], kept


def _backtrack(kept: list[np.ndarray], k_bands: int) -> list[int]:
    """Candidate index of each band, best band first, from :func:`_dp` with ``keep``."""
    idx = [0]  # the last band: the value 0
    for k in range(k_bands - 1, 0, -1):
        g = kept[k - 1][0]
        start = max(idx[-1], 1)
        idx.append(start + int(np.argmax(g[start:])))
    return idx[::-1]


@dataclass
class _Axis:
    """One axis of the search over classes of equal grading.

    Candidate 0 is the value 0; candidate c ≥ 1 is a class ``(lo, hi]`` between neighbouring
    distinct percentages — any minimum in it grades every scenario alike. A scenario is at
    or above a minimum in the class iff its % ≥ ``gate = lo + 1`` (units are integers).
    Each band has a preferred value per class: today's minimum if it lies there, else the
    round number just above the class's bottom (raising), or its top — the scenario's own %
    — (lowering); ``cost`` is the move to it.
    """

    x: np.ndarray  # (n,) units
    today: list[int]  # units, best band first
    lo: np.ndarray  # (M,)
    hi: np.ndarray  # (M,)
    gate: np.ndarray  # (M,)
    pref: np.ndarray  # (K, M) units
    cost: np.ndarray  # (K, M)
    order: np.ndarray
    x_sorted: np.ndarray

    @property
    def bands(self) -> int:
        return len(self.today)

    def solve(self, pay: np.ndarray, big: int) -> tuple[int, list[int]]:
        """Exact DP on this axis for payoffs (n, K): (value, candidate index per band)."""
        s, tot = _prefix(self.x_sorted, pay[self.order][None], self.gate)
        values, kept = _dp(s, tot, self.cost, big, keep=True)
        idx = _backtrack(kept, self.bands) if self.bands > 1 else [0]
        return int(values[0]), idx

    def move(self, idx: Sequence[int]) -> int:
        return int(sum(self.cost[k, i] for k, i in enumerate(idx)))

    def today_index(self) -> list[int]:
        """Today's minimums as candidates (the last band's 0 as candidate 0)."""
        out = []
        for k, t in enumerate(self.today):
            if k == self.bands - 1 or t <= 0:
                out.append(0)
            else:
                out.append(min(int(np.searchsorted(self.hi, t, side="left")), len(self.hi) - 1))
        return out

    def values(self, idx: Sequence[int]) -> list[int] | None:
        """The minimums (units) for candidate indexes; bands sharing a class get distinct values."""
        out: list[int] = []
        k = 0
        while k < len(idx):
            j = k
            while j + 1 < len(idx) and idx[j + 1] == idx[k] and idx[k] != 0:
                j += 1
            c = idx[k]
            if j == k:
                out.append(int(self.pref[k, c]))
            else:
                shared = _share(int(self.lo[c]), int(self.hi[c]), [int(self.pref[b, c]) for b in range(k, j + 1)])
                if shared is None:
                    return None
                out.extend(shared)
            k = j + 1
        return out


def _make_axis(x: np.ndarray, today: list[int], cost_div: int) -> _Axis:
    distinct = np.unique(np.clip(np.asarray(x, dtype=np.int64), 0, HUNDRED))
    lo = np.concatenate([[0], distinct])
    hi = np.concatenate([distinct, [HUNDRED]])
    keep = hi > lo  # an empty class (a scenario at 0 or at 100) holds no value
    lo = np.concatenate([[-1], lo[keep]]).astype(np.int64)
    hi = np.concatenate([[0], hi[keep]]).astype(np.int64)
    gate = lo + 1
    up = _round_above(lo, hi)
    up[0] = 0
    t = np.asarray(today, dtype=np.int64)[:, None]
    pref = np.where(t <= lo[None, :], up[None, :], np.where(t > hi[None, :], hi[None, :], t))
    pref[:, 0] = 0
    cost = np.abs(pref - t) // cost_div
    order = np.argsort(x, kind="stable")
    return _Axis(x, list(today), lo, hi, gate, pref, cost, order, x[order])


# --------------------------------------------------------------------------------------------
# The joint search
# --------------------------------------------------------------------------------------------
@dataclass
class _Result:
    value: int
    idx_a: list[int]
    idx_b: list[int]
    proven: bool
    bound: int


class _Joint:
    """Maximise Σ_s W[s, grade_s, level_s] − move over both axes' candidates (integers)."""

    def __init__(self, a: _Axis, b: _Axis, w: np.ndarray, big: int):
        self.a, self.b, self.w, self.big = a, b, w, big
        self.n = len(a.x)
        self.rows = np.arange(self.n)

    def value(self, idx_a: Sequence[int], idx_b: Sequence[int]) -> int:
        ga = _band_of(self.a.x, self.a.gate[list(idx_a)])
        lb = _band_of(self.b.x, self.b.gate[list(idx_b)])
        agree = int(self.w[self.rows, ga, lb].sum())
        return agree * self.big - self.a.move(idx_a) - self.b.move(idx_b)

    # -- alternating exact DPs ------------------------------------------------------------
    def _solve_a(self, idx_b: Sequence[int]) -> list[int]:
        lb = _band_of(self.b.x, self.b.gate[list(idx_b)])
        return self.a.solve(self.w[self.rows, :, lb], self.big)[1]

    def _solve_b(self, idx_a: Sequence[int]) -> list[int]:
        ga = _band_of(self.a.x, self.a.gate[list(idx_a)])
        return self.b.solve(self.w[self.rows, ga, :], self.big)[1]

    def ascend(self, idx_a: list[int], idx_b: list[int]) -> tuple[int, list[int], list[int]]:
        """Alternate the two exact one-axis DPs until the value stops rising."""
        best = self.value(idx_a, idx_b)
        for _ in range(50):
            new_a = self._solve_a(idx_b)
            new_b = self._solve_b(new_a)
            v = self.value(new_a, new_b)
            if v <= best:
                break
            best, idx_a, idx_b = v, new_a, new_b
        return best, idx_a, idx_b

    def incumbent(self) -> tuple[int, list[int], list[int]]:
        """The best of several alternating runs (today's; each axis first with the other relaxed)."""
        starts = [(self.a.today_index(), self.b.today_index())]
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

    # -- branch and bound over the candidates of axis a ------------------------------------------
    def branch_and_bound(self, start: tuple[int, list[int], list[int]], deadline: float) -> _Result:
        a, b, w, big = self.a, self.b, self.w, self.big
        ka, kb = a.bands, b.bands
        best_value, best_a, best_b = start
        if ka == 1:
            return _Result(best_value, best_a, best_b, True, best_value)
        m = len(a.gate)
        # Suffix maxima over the grades: the payoff of a scenario whose grade is known to be ≥ d.
        rm = np.maximum.accumulate(w[:, ::-1, :], axis=1)[:, ::-1, :]  # (n, ka, kb)
        # Bound 1 (axis b relaxed): prefix sums in a's order and bottom-up DP tables.
        wmax_b = w.max(axis=2)  # (n, ka)
        s1, tot1 = _prefix(a.x_sorted, wmax_b[a.order][None], a.gate)
        s1 = np.vstack([s1[0], tot1[0][None, :]])  # row m: "no upper limit" (the best band)
        e = [np.full(m + 1, _NEG, dtype=np.int64) for _ in range(ka)]
        e[ka - 1] = s1[:, ka - 1] * big - int(a.cost[ka - 1, 0])
        for k in range(ka - 2, 0, -1):
            inner = np.full(m + 1, _NEG, dtype=np.int64)
            inner[1:m] = e[k + 1][1:m] - s1[1:m, k] * big - a.cost[k, 1:m]
            run = np.maximum.accumulate(inner)  # max over 1 ≤ j ≤ i: band k may share the class above
            e[k] = np.maximum(run + s1[:, k] * big, _NEG)
            e[k][0] = _NEG
        # Bound 2: the exact DP of axis b, the unfixed grades relaxed; in b's order.
        xa_b = a.x[b.order]
        w_b = w[b.order]
        rm_b = rm[b.order]
        pos_b = np.searchsorted(b.x_sorted, b.gate, side="left")
        chunk = max(1, 2_000_000 // max(1, self.n * kb))
        last_cost = int(a.cost[ka - 1, 0])  # the last band's minimum is 0

        def inner_values(payoffs: np.ndarray) -> np.ndarray:
            cum = np.concatenate(
                [np.zeros((payoffs.shape[0], 1, kb), dtype=np.int64), np.cumsum(payoffs, axis=1)], axis=1
            )
            vals, _ = _dp(cum[:, pos_b, :], cum[:, -1, :], b.cost, big)
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
            top = fixed[-1] if fixed else m  # the band above's candidate (m: no band above)
            top_gate = int(a.gate[top]) if fixed else HUNDRED + 1
            gates_fixed = [int(a.gate[i]) for i in fixed]
            det_b = xa_b >= top_gate  # scenarios whose grade is known
            band_b = _band_of(xa_b, gates_fixed) if fixed else np.zeros(self.n, dtype=np.int64)
            kids = np.arange(1, min(top, m - 1) + 1)  # band d may share the class of the band above
            if kids.size == 0:
                continue
            # Bound 1: band d takes the scenarios in [gate_i, top), the bands below the rest (b relaxed).
            det_a = a.x >= top_gate
            c_node = int(wmax_b[self.rows[det_a], _band_of(a.x[det_a], gates_fixed)].sum()) if fixed else 0
            last = d + 1 == ka - 1
            b1 = (c_node + s1[top, d] - s1[kids, d]) * big - a.cost[d, kids] - move + e[d + 1][kids]
            keep = b1 > best_value
            kids, b1 = kids[keep], b1[keep]
            if kids.size == 0:
                continue
            # Bound 2 (exact when every grade is known).
            below_pay = rm_b[:, d + 1, :]
            undet = ~det_b[:, None]
            base = np.where(undet, below_pay, w_b[self.rows, np.minimum(band_b, ka - 1), :])
            diff = np.where(undet, w_b[:, d, :] - below_pay, 0)
            b2 = np.empty(kids.size, dtype=np.int64)
            interrupted = False
            for c0 in range(0, kids.size, chunk):
                if c0 and time.monotonic() > deadline:
                    interrupted = True
                    break
                g = a.gate[kids[c0 : c0 + chunk]]
                pay = base[None] + (xa_b[None, :] >= g[:, None])[..., None] * diff[None]
                b2[c0 : c0 + chunk] = inner_values(pay)
            if interrupted:  # out of time inside the node: it stays open
                stack.append((bound, d, fixed, move))
                proven = False
                break
            b2 = b2 - a.cost[d, kids] - move - last_cost
            bounds = b2 if last else np.minimum(b1, b2)
            keep = bounds > best_value
            kids, bounds = kids[keep], bounds[keep]
            if kids.size == 0:
                continue
            if last:  # every grade is known: the bound is the value
                j = int(np.argmax(bounds))
                idx_a = [*fixed, int(kids[j]), 0]
                idx_b = self._solve_b(idx_a)
                best_value, best_a, best_b = int(bounds[j]), idx_a, idx_b
                continue
            for j in np.argsort(bounds, kind="stable"):  # best last: popped first
                i = int(kids[j])
                stack.append((int(bounds[j]), d + 1, (*fixed, i), move + int(a.cost[d, i])))
        upper = max([best_value] + [node[0] for node in stack]) if not proven else best_value
        return _Result(best_value, best_a, best_b, proven, upper)
