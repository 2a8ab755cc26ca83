"""Scoring a whole lead list (SPEC §3 + §4): a vectorized scorer, and the per-row reference path.

:func:`score_leads_naive` is the reference: for every row, :func:`workbook.match.labels_for_row`
then :func:`workbook.engine.score_lead`. It is slow and kept for the tests.

:func:`score_leads` gives exactly the same answers without a per-row Python loop:

* each column is factorized once and the match rules run on its distinct values
  (:mod:`workbook.match.columns`), giving a value index per row;
* the engine's exact rational arithmetic becomes integer arithmetic: every value's points
  ``weight × score / 100`` are scaled by a common denominator to an integer, so a section's
  raw % is ``N / S`` (``missing: zero``) or ``100·N·Sw / (S·W)`` (``missing: neutral``, W the
  scaled weight of the attributes present). The canonical percentage in units of 10⁻⁹ is the
  half-to-even rounded quotient of two integers, computed with ``divmod`` — no binary floating
  point anywhere, so no lead can cross a threshold that the engine does not cross;
* clamping, bands (``pct·10⁹ ≥ ⌈min·10⁹⌉``), cell, matrix and knockout are array look-ups.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.engine import exact, score_lead
from workbook.leads.reading import check_columns
from workbook.match import Factor, labels_for_row
from workbook.match.columns import ColumnView, factor_labels
from workbook.model import ScoringModel, Value

SCORED_COLUMNS = (
    "profile_pct",
    "engagement_pct",
    "profile_grade",
    "engagement_level",
    "cell",
    "state",
    "knocked_out",
)
NANO = 10**9
_HUNDRED_NANO = 100 * NANO
_INT64_SAFE = 2**62
_PLAN_LIMIT = _INT64_SAFE  # sums and products of a plan in int64 stay below this (tests lower it)


# --------------------------------------------------------------------------------------------
# The integer plan of a model
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class FactorPlan:
    """How one attribute or activity turns a column into integer points."""

    section: str
    factor: Factor
    column: str  # the column the labels are read from
    match_values: list[Value]  # the values tried on that column, in order
    resolve: np.ndarray  # matched index (len(match_values) = none) → own value index (len(values) = missing)
    points: np.ndarray  # own value index → points × S (int64; the missing slot is 0)
    weight: int  # weight × Sw
    knockout: np.ndarray  # own value index → knockout (bool; the missing slot is False)

    @property
    def missing(self) -> int:
        return len(self.factor.values)


@dataclass(frozen=True)
class SectionPlan:
    """A section's % = clamp(round_half_even(max(N, 0) · k / (d · (W if neutral else 1))))."""

    name: str
    factors: list[FactorPlan]
    neutral: bool
    k: int
    d: int
    fits_int64: bool


def _lcm(numbers: Sequence[int]) -> int:
    out = 1
    for n in numbers:
        out = out * n // math.gcd(out, n)
    return out


def plan_section(model: ScoringModel, section: str) -> SectionPlan:
    """The integer form of a section; it mirrors ``engine.score_section`` exactly."""
    factors = list(model.section(section))  # type: ignore[arg-type]
    # The engine keys labels by factor name, so with two factors of one name (an invalid
    # model) both read the label found by the last of them; mirror that.
    source = {f.name: f for f in factors}
    fractions = [[exact(f.weight) * exact(v.score) / 100 for v in f.values] for f in factors]
    s = _lcm([p.denominator for row in fractions for p in row])
    sw = _lcm([exact(f.weight).denominator for f in factors])
    plans = []
    for f, row in zip(factors, fractions, strict=True):
        src = source[f.name]
        first_by_label: dict[str, int] = {}
        for i, v in enumerate(f.values):
            first_by_label.setdefault(v.label, i)
        resolve = np.array([first_by_label.get(v.label, len(f.values)) for v in src.values] + [len(f.values)])
        points = np.array([int(p * s) for p in row] + [0], dtype=object)
        plans.append(
            FactorPlan(
                section=section,
                factor=f,
                column=src.source_column,
                match_values=list(src.values),
                resolve=resolve.astype(np.int32),
                points=points,
                weight=int(exact(f.weight) * sw),
                knockout=np.array([v.knockout for v in f.values] + [False], dtype=bool),
            )
        )
    neutral = model.missing == "neutral"
    k, d = (100 * sw * NANO, s) if neutral else (NANO, s)
    g = math.gcd(k, d)
    k, d = k // g, d // g
    # int64 is exact while no sum or product can reach 2**62; otherwise Python integers.
    abs_points = sum(max((abs(int(x)) for x in p.points), default=0) for p in plans)
    pos_points = sum(max(0, max(int(x) for x in p.points)) for p in plans)
    max_den = d * (sum(p.weight for p in plans) if neutral else 1)
    fits = abs_points < _PLAN_LIMIT and pos_points * k < _PLAN_LIMIT and 2 * max_den < _PLAN_LIMIT
    if fits:
        plans = [
            FactorPlan(p.section, p.factor, p.column, p.match_values, p.resolve, p.points.astype(np.int64),
                       p.weight, p.knockout)
            for p in plans
        ]
    return SectionPlan(section, plans, neutral, k, d, fits)


def canonical_nanos(plan: SectionPlan, n: np.ndarray, w: np.ndarray | None) -> np.ndarray:
    """The canonical, clamped % in units of 10⁻⁹ (int64), from the integer sums N and W."""
    a = np.maximum(n, 0) * plan.k  # a negative raw % clamps to 0 whatever its rounding
    if plan.neutral:
        assert w is not None
        b = w * plan.d
        safe_b = np.where(b > 0, b, 1)
        out = _round_half_even_div(a, safe_b)
        out = np.where(b > 0, out, 0)  # no attribute present: the section's % is 0
    elif plan.d == 1:
        out = a
    else:
        out = _round_half_even_div(a, plan.d)
    out = np.minimum(out, _HUNDRED_NANO)
    return out.astype(np.int64)


def _round_half_even_div(a: np.ndarray, b: np.ndarray | int) -> np.ndarray:
    """round_half_even(a / b) for a ≥ 0, b > 0, in integers."""
    q = a // b  # on object arrays (Python integers) too, unlike np.divmod
    twice = 2 * (a - q * b)
    return q + ((twice > b) | ((twice == b) & (q % 2 == 1)))


def band_nanos(bands: Sequence[float]) -> list[int]:
    """Band minimums in units of 10⁻⁹: ``pct ≥ min`` ⇔ ``pct_nanos ≥ ⌈min·10⁹⌉`` (pct has 9 decimals)."""
    out = []
    for lo in bands:
        scaled = exact(lo) * NANO
        ceil = -((-scaled.numerator) // scaled.denominator)
        out.append(int(min(max(ceil, -_INT64_SAFE), _INT64_SAFE)))
    return out


# --------------------------------------------------------------------------------------------
# Results
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Unmatched:
    """Data quality of one attribute or activity: the rows that matched none of its values."""

    section: str
    name: str
    column: str
    rows: int  # rows in the list
    count: int  # rows that matched no value (treated as missing)
    top_values: list[tuple[object, int]]  # their most common raw cells (None = NA), most common first

    @property
    def share(self) -> float:
        return self.count / self.rows if self.rows else 0.0

    def as_dict(self) -> dict[str, object]:
        return {
            "section": self.section,
            "name": self.name,
            "column": self.column,
            "count": self.count,
            "share": self.share,
            "top_values": [{"value": v, "count": c} for v, c in self.top_values],
        }


@dataclass
class ScoredLeads:
    """A scored lead list: the input columns plus :data:`SCORED_COLUMNS`, and the data-quality report."""

    frame: pd.DataFrame
    unmatched: list[Unmatched] = field(default_factory=list)
    as_of: dt.date = field(default_factory=dt.date.today)
    replaced_columns: list[str] = field(default_factory=list)  # scored columns the input already had


TOP_VALUES = 5


def score_leads(
    model: ScoringModel,
    frame: pd.DataFrame,
    as_of: dt.date | None = None,
    *,
    quality: bool = True,
    threads: int = 2,
    top_values: int | None = TOP_VALUES,
) -> ScoredLeads:
    """Score every row of a lead list, vectorized (see the module notes).

    The data-quality report names each factor's ``top_values`` most common unmatched cells;
    ``None`` names them all, in the order of their first row (to add up reports of chunks).

    Raises :class:`workbook.leads.reading.MissingColumns` when a column the model reads is absent.
    """
    as_of = as_of or dt.date.today()
    check_columns(model, frame)
    plans = [plan_section(model, "profile"), plan_section(model, "engagement")]
    columns = list(dict.fromkeys(p.column for plan in plans for p in plan.factors))
    views = _views(frame, columns, threads)
    rows = len(frame)

    nanos: dict[str, np.ndarray] = {}
    knocked_out = np.zeros(rows, dtype=bool)
    unmatched: list[Unmatched] = []
    for plan in plans:
        dtype = np.int64 if plan.fits_int64 else object
        # Per column, per distinct value: the section's points, present weight and knockout from
        # every factor reading that column — then one gather per column brings them to the rows.
        sums: dict[str, _ColumnSums] = {}
        for p in plan.factors:
            view = views[p.column]
            own = p.resolve[factor_labels(p.match_values, view, as_of)]
            if p.column not in sums:
                sums[p.column] = _ColumnSums.zeros(view.size + 1, dtype)
            s = sums[p.column]
            s.points += p.points[own]
            s.weight += np.where(own != p.missing, p.weight, 0).astype(dtype)
            s.knockout |= p.knockout[own]
            if quality:
                unmatched.append(_unmatched(p, view, own == p.missing, rows, top_values))
        n = np.zeros(rows, dtype=dtype)
        w = np.zeros(rows, dtype=dtype) if plan.neutral else None
        for column, s in sums.items():
            codes = views[column].codes
            n += s.points[codes]
            if w is not None:
                w += s.weight[codes]
            if s.knockout.any():
                knocked_out |= s.knockout[codes]
        nanos[plan.name] = canonical_nanos(plan, n, w)

    out = frame.copy(deep=False)
    replaced = [c for c in SCORED_COLUMNS if c in out.columns]
    if replaced:
        out = out.drop(columns=replaced)
    for column, values in _results(model, nanos["profile"], nanos["engagement"], knocked_out).items():
        out[column] = values
    return ScoredLeads(out, unmatched, as_of, replaced)


@dataclass
class _ColumnSums:
    points: np.ndarray
    weight: np.ndarray
    knockout: np.ndarray

    @classmethod
    def zeros(cls, size: int, dtype: object) -> _ColumnSums:
        return cls(np.zeros(size, dtype=dtype), np.zeros(size, dtype=dtype), np.zeros(size, dtype=bool))


def _views(frame: pd.DataFrame, columns: list[str], threads: int) -> dict[str, ColumnView]:
    # Factorizing is most of the work and Arrow releases the GIL while hashing.
    if threads > 1 and len(columns) > 1 and len(frame) >= 50_000:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            return dict(zip(columns, pool.map(lambda c: ColumnView(frame[c]), columns), strict=True))
    return {c: ColumnView(frame[c]) for c in columns}


def _unmatched(p: FactorPlan, view: ColumnView, missing: np.ndarray, rows: int,
               top: int | None = TOP_VALUES) -> Unmatched:
    counts = np.where(missing, view.counts, 0)
    total = int(counts.sum())
    order = np.flatnonzero(counts)
    # Most common first; ties in order of first appearance in the list (the NA slot is last
    # in the arrays but ranks where its first row is).
    na_rank = view.size
    if counts[-1]:
        first_na = int(np.argmax(view.codes < 0))
        na_rank = int(view.codes[:first_na].max(initial=-1)) + 0.5
    rank = np.where(order == view.size, na_rank, order)
    if top is None:
        order = order[np.argsort(rank, kind="stable")]
    else:
        order = order[np.lexsort((rank, -counts[order]))][:top]
    top = [(view.raw(int(i)), int(counts[i])) for i in order]
    return Unmatched(p.section, p.factor.name, p.column, rows, total, top)


def _categorical(codes: np.ndarray, names: Sequence[str | None]) -> pd.Categorical:
    """Codes into ``names`` (-1 = none) as a Categorical; names may repeat or be None."""
    categories = list(dict.fromkeys(n for n in names if n is not None))
    remap = np.array([categories.index(n) if n is not None else -1 for n in names] + [-1], dtype=np.int32)
    return pd.Categorical.from_codes(remap[codes], categories=categories)


def _band_index(nanos: np.ndarray, bands: Sequence[float]) -> np.ndarray:
    """Per row, the first band (best first) whose min is ≤ the %; -1 for none."""
    lows = band_nanos(bands)
    if all(a > b for a, b in zip(lows, lows[1:], strict=False)):
        # Strictly decreasing minimums (a valid model): the band is fixed by how many
        # minimums the % reaches.
        reached = np.searchsorted(np.array(lows[::-1], dtype=np.int64), nanos, side="right")
        return (len(lows) - reached).astype(np.int32) - np.where(reached == 0, len(lows) + 1, 0).astype(np.int32)
    index = np.full(len(nanos), -1, dtype=np.int32)
    for i, lo in reversed(list(enumerate(lows))):
        index[nanos >= lo] = i
    return index


def _results(
    model: ScoringModel, p_nanos: np.ndarray, e_nanos: np.ndarray, knocked_out: np.ndarray
) -> dict[str, object]:
    grades, levels = model.grades, model.levels
    gi = _band_index(p_nanos, [b.min for b in model.profile_grades])
    li = _band_index(e_nanos, [b.min for b in model.engagement_levels])
    has_cell = (gi >= 0) & (li >= 0)
    cell_codes = np.where(has_cell, gi * len(levels) + li, -1)
    cell_names = [g + lvl for g in grades for lvl in levels]
    cell_states = [model.matrix.get(c) for c in cell_names]
    ko_state = model.effective_knockout_state
    # state codes: one per cell, then the knockout state, then "no state"
    state_names = [*cell_states, ko_state]
    state_codes = np.where(knocked_out, len(cell_names), cell_codes)
    return {
        "profile_pct": p_nanos / NANO,
        "engagement_pct": e_nanos / NANO,
        "profile_grade": _categorical(gi, grades),
        "engagement_level": _categorical(li, levels),
        "cell": _categorical(cell_codes, cell_names),
        "state": _categorical(state_codes, state_names),
        "knocked_out": knocked_out,
    }


# --------------------------------------------------------------------------------------------
# The reference path
# --------------------------------------------------------------------------------------------
def score_leads_naive(model: ScoringModel, frame: pd.DataFrame, as_of: dt.date | None = None) -> pd.DataFrame:
    """The scored columns, row by row through ``match.labels_for_row`` and ``engine.score_lead``.

    The reference the vectorized path and the SQL export are tested against; slow.
    """
    as_of = as_of or dt.date.today()
    check_columns(model, frame)
    columns = list(dict.fromkeys(f.source_column for f in [*model.profile, *model.engagement]))
    records = []
    for row in frame[columns].to_dict("records"):
        profile, engagement = labels_for_row(model, row, as_of)
        r = score_lead(model, profile, engagement)
        records.append((r.profile_pct, r.engagement_pct, r.profile_grade, r.engagement_level, r.cell, r.state,
                        r.knocked_out))
    scored = pd.DataFrame.from_records(records, columns=list(SCORED_COLUMNS), index=frame.index)
    for column in ("profile_grade", "engagement_level", "cell", "state"):
        scored[column] = scored[column].astype(object)
    return scored
