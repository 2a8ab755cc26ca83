"""The arithmetic behind :mod:`workbook.leads.fit`: splitting a list, whole-number weights within
bounds, a fast AUC of a ranking by cell, and the threshold search.

Kept apart so that each piece can be tested on its own with numbers checked by hand.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from workbook.calibrate.weights import WeightBound
from workbook.model import ScoringModel


@dataclass(frozen=True)
class ScoreBound:
    """What the facilitator allows for one value's score: locked, or within [min, max]."""

    locked: bool = False
    min: float = -100.0
    max: float = 100.0


def split_rows(y: np.ndarray, known: np.ndarray, *, holdout: float, folds: int | None, seed: int
               ) -> list[tuple[np.ndarray, np.ndarray]]:
    """(fit rows, held-out rows) pairs over the rows with a known outcome, stratified and seeded.

    One pair for a holdout share, ``folds`` pairs for k-fold (every row held out once).
    """
    from sklearn.model_selection import StratifiedKFold, train_test_split

    labels = y[known].astype(int)
    smallest = int(min(labels.sum(), len(labels) - labels.sum()))
    if folds is not None:
        if folds < 2:
            raise ValueError("k-fold needs at least 2 folds")
        if smallest < folds:
            raise ValueError(f"{folds} folds need at least {folds} converted and {folds} not converted leads")
        splitter = StratifiedKFold(n_splits=folds, shuffle=True, random_state=seed)
        return [(known[a], known[b]) for a, b in splitter.split(np.zeros(len(labels)), labels)]
    if not 0 < holdout < 1:
        raise ValueError("the holdout share must be between 0 and 1 (e.g. 0.3)")
    if smallest < 2:
        raise ValueError("a holdout needs at least 2 converted and 2 not converted leads")
    train, test = train_test_split(known, test_size=holdout, random_state=seed, stratify=labels)
    return [(np.sort(train), np.sort(test))]


def integer_weights(
    items: Sequence[tuple[str, float, float, WeightBound]], zero: set[str] = frozenset()  # type: ignore[assignment]
) -> dict[str, float]:
    """Whole-number weights proportional to each item's range, adding up to exactly 100.

    ``items``: (name, current weight, range, bound). A locked weight keeps its current value;
    names in ``zero`` (left out of the fit) get their bound's minimum; the others share the
    rest in proportion to their ranges, each within its bound (water-filling), then are rounded
    by largest remainder so that the sum is exact. If no free item has a range, the free
    items keep their current proportions. A fractional remainder left by locked weights goes
    to the largest free weight.
    """
    fixed: dict[str, float] = {}
    free: list[tuple[str, float, float, WeightBound]] = []
    for name, current, rng, bound in items:
        if bound.locked:
            fixed[name] = current
        elif name in zero:
            fixed[name] = float(max(0.0, bound.min))
        else:
            free.append((name, current, rng, bound))
    target = 100.0 - sum(fixed.values())
    if not free:
        return fixed
    shares = [r for _, _, r, _ in free]
    if sum(shares) <= 0:
        shares = [c for _, c, _, _ in free]
    if sum(shares) <= 0:
        shares = [1.0] * len(free)
    lo = np.array([max(0.0, b.min) for *_, b in free])
    hi = np.array([min(100.0, b.max) for *_, b in free])
    ideal = _water_fill(np.array(shares, dtype=float), lo, hi, max(target, 0.0))
    whole = math.floor(target + 1e-9)
    units = np.clip(np.floor(ideal + 1e-9), np.ceil(lo - 1e-9), np.floor(hi + 1e-9))
    left = int(round(whole - units.sum()))
    order = np.argsort(-(ideal - units), kind="stable")
    step = 1 if left > 0 else -1
    while left != 0:
        moved = False
        for i in order if step > 0 else order[::-1]:
            if left == 0:
                break
            if lo[i] - 1e-9 <= units[i] + step <= hi[i] + 1e-9:
                units[i] += step
                left -= step
                moved = True
        if not moved:
            break
    out = dict(fixed)
    frac = target - whole
    if frac > 1e-9:
        units[int(np.argmax(units))] += frac
    for (name, *_), w in zip(free, units, strict=True):
        out[name] = float(round(w, 6))
    return out


def _water_fill(shares: np.ndarray, lo: np.ndarray, hi: np.ndarray, target: float) -> np.ndarray:
    """``target`` split in proportion to ``shares``, each within [lo, hi] (proportional among the unclamped)."""
    out = np.zeros_like(shares)
    clamped = np.zeros(len(shares), dtype=bool)
    for _ in range(len(shares) + 1):
        rest = target - out[clamped].sum()
        total = shares[~clamped].sum()
        out[~clamped] = shares[~clamped] * rest / total if total > 0 else rest / max((~clamped).sum(), 1)
        low, high = (out < lo) & ~clamped, (out > hi) & ~clamped
        if not (low.any() or high.any()):
            break
        out[low], out[high] = lo[low], hi[high]
        clamped |= low | high
    return out


# --------------------------------------------------------------------------------------------
def grouped_auc(position: np.ndarray, y: np.ndarray) -> float | None:
    """AUC of a ranking by small integer positions (0 = best); leads sharing a position tie."""
    known = ~np.isnan(y)
    pos, yk = position[known], y[known]
    size = int(pos.max()) + 1 if len(pos) else 1
    p = np.bincount(pos, weights=yk, minlength=size)
    n = np.bincount(pos, weights=1 - yk, minlength=size)
    total_p, total_n = p.sum(), n.sum()
    if total_p == 0 or total_n == 0:
        return None
    worse_n = total_n - np.cumsum(n)  # negatives at strictly worse positions
    return float((p * worse_n).sum() + 0.5 * (p * n).sum()) / (total_p * total_n)


def band_index(pct: np.ndarray, mins: Sequence[float]) -> np.ndarray:
    """Per lead, the first band (best first, strictly decreasing minimums) whose min ≤ the %."""
    lows = np.array(mins[::-1], dtype=float)
    reached = np.searchsorted(lows, pct, side="right")
    return len(mins) - reached


def cell_positions(model: ScoringModel, grades: Sequence[float], levels: Sequence[float],
                   p: np.ndarray, e: np.ndarray, ko: np.ndarray) -> np.ndarray:
    """The position of :func:`workbook.leads.evidence.cell_rank` (0 = best) from percentages."""
    n_g, n_l = len(grades), len(levels)
    gi, li = band_index(p, grades), band_index(e, levels)
    state_of = {s: i for i, s in enumerate(model.state_names)}
    n_s = len(model.states)
    cell_state = np.array([state_of.get(model.matrix.get(g + lv, ""), n_s)
                           for g in model.grades for lv in model.levels], dtype=np.int64)
    state = cell_state[gi * n_l + li]
    ko_state = state_of.get(model.effective_knockout_state or "", n_s)
    state = np.where(ko, ko_state, state)
    return (state * (n_g + 1) + gi) * (n_l + 1) + li


def search_thresholds(model: ScoringModel, p: np.ndarray, e: np.ndarray, ko: np.ndarray, y: np.ndarray,
                      rounds: int = 4) -> tuple[list[float], list[float]]:
    """Whole-number grade and level minimums that rank the leads by cell best (AUC), by coordinate ascent.

    Candidates are the percentages' quantiles (2 % steps) among leads not knocked out; the
    last band stays at 0 and minimums stay strictly decreasing. Two starts — today's
    thresholds and equal-frequency ones — and the better result wins.
    """
    live = ~ko
    cands = {
        "p": _candidates(p[live]),
        "e": _candidates(e[live]),
    }

    def score(g: list[float], lv: list[float]) -> float:
        return grouped_auc(cell_positions(model, g, lv, p, e, ko), y) or 0.0

    def quantile_start(x: np.ndarray, n: int) -> list[float]:
        qs = np.quantile(x, [1 - (k + 1) / n for k in range(n - 1)]) if len(x) else np.zeros(n - 1)
        mins = [float(min(100, max(1, round(q)))) for q in qs] + [0.0]
        return _strict(mins)

    starts = [
        ([float(b.min) for b in model.profile_grades], [float(b.min) for b in model.engagement_levels]),
        (quantile_start(p[live], len(model.profile_grades)), quantile_start(e[live], len(model.engagement_levels))),
    ]
    best: tuple[float, list[float], list[float]] | None = None
    for g0, l0 in starts:
        g, lv = list(g0), list(l0)
        current = score(g, lv)
        for _ in range(rounds):
            improved = False
            for axis, mins in (("p", g), ("e", lv)):
                for k in range(len(mins) - 1):
                    upper = mins[k - 1] if k > 0 else 101.0
                    lower = mins[k + 1]
                    for c in cands[axis]:
                        if not lower < c < upper or c == mins[k]:
                            continue
                        old = mins[k]
                        mins[k] = c
                        s = score(g, lv)
                        if s > current + 1e-12:
                            current, improved = s, True
                        else:
                            mins[k] = old
            if not improved:
                break
        if best is None or current > best[0] + 1e-12:
            best = (current, g, lv)
    assert best is not None
    return best[1], best[2]


def _candidates(x: np.ndarray) -> list[float]:
    if not len(x):
        return []
    qs = np.quantile(x, np.linspace(0.02, 0.98, 49))
    return sorted({float(min(100, max(1, round(q)))) for q in qs})


def _strict(mins: list[float]) -> list[float]:
    """Make minimums strictly decreasing whole numbers ending at 0 (nudging ties down)."""
    out = list(mins)
    for k in range(len(out) - 2, -1, -1):
        out[k] = max(out[k], out[k + 1] + 1)
    for k in range(len(out) - 1):
        out[k] = min(out[k], 100 - k)
    return out
