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
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import TYPE_CHECKING, Any

import numpy as np

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
from workbook.engine import exact
from workbook.model import ScoringModel, Section

if TYPE_CHECKING:
    from scipy.optimize import LinearConstraint



def _scipy_optimize() -> Any:
    """scipy.optimize, imported on first use: importing it costs every CLI command ~0.4 s otherwise."""
    import scipy.optimize

    return scipy.optimize


# Points: how "<" the upper band edge is expressed to the solver. Not 1e-6: HiGHS (scipy 1.17)
# reports a "solve error" when a row's bound sits exactly its tolerance away from an integer
# (e.g. 2.999999), which integral percentages and thresholds would make common.
EPSILON = 1e-5
EPSILON_Q = Fraction(1, 10**5)
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
# Building the programme
# --------------------------------------------------------------------------------------------
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
            f"{len(comparison.consensus_used)} scenario(s) without a team estimate were compared with the "
            "consensus of their members' estimates"
        )
    ko_states = [t.name for t, ko in zip(targets, knocked, strict=True) if ko and "state" in t.given]
    if ko_states:
        notes.append(
            f"{len(ko_states)} knocked-out scenario(s) keep the knockout state whatever the weights; "
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
