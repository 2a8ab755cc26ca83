"""The mixed-integer programme behind weight suggestions: free weights, boxes of accepted cells, edge rows.

See :mod:`workbook.calibrate.weights` for the model it states; this module builds its rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction

import numpy as np

from workbook.calibrate.exactscore import SectionTable
from workbook.model import Section

# Points: how "<" the upper band edge is expressed to the solver. Not 1e-6: HiGHS (scipy 1.17)
# reports a "solve error" when a row's bound sits exactly its tolerance away from an integer
# (e.g. 2.999999), which integral percentages and thresholds would make common.
EPSILON = 1e-5
EPSILON_Q = Fraction(1, 10**5)


@dataclass
class _Free:
    section: Section
    index: int  # position in its section
    today: Fraction
    lo: int  # k bounds: weight = today + step·k
    hi: int


def _runs(flags: Sequence[bool]) -> list[tuple[int, int]]:
    """Maximal runs of True as (first, last) index pairs."""
    out, start = [], None
    for i, f in enumerate(list(flags) + [False]):
        if f and start is None:
            start = i
        elif not f and start is not None:
            out.append((start, i - 1))
            start = None
    return out


def boxes(table: np.ndarray) -> list[tuple[tuple[int, int], tuple[int, int]]]:
    """The accepted cells of a grade × level 0/1 table as boxes (grade run, level run)."""
    out: list[tuple[tuple[int, int], tuple[int, int]]] = []
    grades = table.shape[0]
    g = 0
    while g < grades:
        runs = _runs(table[g].astype(bool))
        if not runs:
            g += 1
            continue
        g2 = g
        while g2 + 1 < grades and _runs(table[g2 + 1].astype(bool)) == runs:
            g2 += 1
        out.extend(((g, g2), r) for r in runs)
        g = g2 + 1
    return out


class _Programme:
    """Rows of the MILP: ``lb ≤ A·x ≤ ub`` over x = (k for free weights, t = |k|, y per box)."""

    def __init__(self, n_free: int):
        self.n_free = n_free
        self.rows: list[tuple[dict[int, float], float, float]] = []
        self.n_y = 0
        self.box_owner: list[int] = []  # target index of each box variable

    def add_y(self, owner: int) -> int:
        self.box_owner.append(owner)
        self.n_y += 1
        return 2 * self.n_free + self.n_y - 1

    def row(self, coefs: Mapping[int, float], lb: float, ub: float) -> None:
        self.rows.append((dict(coefs), lb, ub))

    def matrix(self, n_vars: int) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        a = np.zeros((len(self.rows), n_vars))
        lb = np.empty(len(self.rows))
        ub = np.empty(len(self.rows))
        for i, (coefs, lo, hi) in enumerate(self.rows):
            for j, c in coefs.items():
                a[i, j] += c
            lb[i], ub[i] = lo, hi
        return a, lb, ub


def _edge_expression(
    tab: SectionTable, s: int, m: Fraction, free_idx: Mapping[int, int], step: Fraction
) -> tuple[Fraction, dict[int, Fraction]]:
    """``E(k) = c0 + Σ c_j k_j`` whose sign says whether scenario s's % is ≥ m (exactly).

    zero: E = raw − m.  neutral: E = Σ_present w·(s − m) / 100 (= present weight × (pct − m) / 100).
    """
    row = tab.scores[s]
    scale = tab.score_scale
    coefs: dict[int, Fraction] = {}
    if tab.missing == "neutral":
        c0 = Fraction(0)
        for a, v in enumerate(row):
            if v is None:
                continue
            d = (Fraction(v, scale) - m) / 100
            c0 += tab.weights[a] * d
            if a in free_idx and d:
                coefs[free_idx[a]] = step * d
    else:
        c0 = -m
        for a, v in enumerate(row):
            if v is None:
                continue
            d = Fraction(v, scale) / 100
            c0 += tab.weights[a] * d
            if a in free_idx and d:
                coefs[free_idx[a]] = step * d
    return c0, coefs


def _present_weight(
    tab: SectionTable, s: int, free_idx: Mapping[int, int], step: Fraction
) -> tuple[Fraction, dict[int, Fraction]]:
    """The weight of the factors scenario s has a value for, as ``c0 + Σ c_j k_j``."""
    c0 = Fraction(0)
    coefs: dict[int, Fraction] = {}
    for a, v in enumerate(tab.scores[s]):
        if v is not None:
            c0 += tab.weights[a]
            if a in free_idx:
                coefs[free_idx[a]] = step
    return c0, coefs


def _range(c0: Fraction, coefs: Mapping[int, Fraction], free: Sequence[_Free]) -> tuple[Fraction, Fraction]:
    """The least and greatest value of ``c0 + Σ c_j k_j`` over the k bounds, exactly."""
    lo = hi = c0
    for j, c in coefs.items():
        a, b = c * free[j].lo, c * free[j].hi
        lo += min(a, b)
        hi += max(a, b)
    return lo, hi
