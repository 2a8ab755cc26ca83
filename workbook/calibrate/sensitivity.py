"""Sensitivity: how close each scenario is to a band edge, and which single weight change
would move it across — the "what would it take?" of a workshop.

**One weight changes, the rest of its section follows proportionally.** Changing weight
``a`` by ``δ`` points rescales every other weight of the section by
``(T − w_a − δ) / (T − w_a)`` (``T`` the section's total, 100 in a valid model), so the
section stays at 100 and the others keep their proportions. That is the change a facilitator
means by "what if the job role counted five points more?". Under ``missing: zero`` a
scenario's % is then linear in δ with slope ``(s_a − s̄_others) / 100`` (its score for ``a``
against the weighted mean of its other scores); under ``missing: neutral`` it is a ratio of
two linear functions. Either way it is monotone in δ, so the smallest change that flips a
scenario is found exactly (Fractions) by solving for the band edge; a change is limited to
what the weight can take (0 … T). Under ``missing: neutral`` a weight whose value a scenario
lacks moves it only at the very end, where every weight it has a value for becomes 0 and its
% drops to 0 (SPEC §3.3); those ends are checked by re-scoring, as is the tornado's ±N.

Edges follow SPEC §3.4: reaching the better band's minimum flips a scenario up; it drops a
band only when it falls *below* its own band's minimum. Boundaries are computed on the exact
% (the 9-decimal rounding of the engine is finer than anything shown).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from workbook import fmt
from workbook.calibrate.exactscore import UNIT, SectionTable, tables
from workbook.calibrate.targets import calibration_targets
from workbook.engine import canonical, exact
from workbook.model import ScoringModel, Section

DEFAULT_POINTS = 5.0


@dataclass(frozen=True)
class EdgeDistance:
    """A scenario's place in its band on one axis."""

    axis: Section
    pct: float
    band: str | None
    up: float | None  # points to the better band's minimum; None in the best band
    up_to: str | None
    down: float | None  # points above its own band's minimum (falling further drops a band); None in the last
    down_to: str | None

    @property
    def nearest(self) -> tuple[float, str, str] | None:
        """(points, "up"/"down", the band it would reach) for the nearer edge, or None."""
        options = []
        if self.up is not None and self.up_to is not None:
            options.append((self.up, "up", self.up_to))
        if self.down is not None and self.down_to is not None:
            options.append((self.down, "down", self.down_to))
        return min(options, key=lambda o: o[0]) if options else None

    def as_dict(self) -> dict[str, Any]:
        return {
            "axis": self.axis,
            "pct": self.pct,
            "band": self.band,
            "up": self.up,
            "up_to": self.up_to,
            "down": self.down,
            "down_to": self.down_to,
        }


@dataclass(frozen=True)
class WeightFlip:
    """The smallest change of one weight (others rescaled) that moves a scenario across an edge."""

    section: Section
    weight: str
    delta: float  # signed points; see ``strict``
    strict: bool  # True: the change must go *beyond* delta (falling below a minimum); False: reach it
    direction: int  # +1: raise the weight, −1: lower it (tells the way when delta is 0)
    band_to: str  # the grade or level it would land in
    cell_to: str | None
    state_to: str | None
    agrees_after: bool | None  # against its target (None without one)

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "weight": self.weight,
            "delta": self.delta,
            "strict": self.strict,
            "direction": self.direction,
            "band_to": self.band_to,
            "cell_to": self.cell_to,
            "state_to": self.state_to,
            "agrees_after": self.agrees_after,
        }


def flip_text(flip: WeightFlip) -> str:
    """A flip's change in words: ``+2.88 pts``; ``beyond -3.12 pts`` (a minimum must be undercut); ``any decrease``."""
    if flip.strict and flip.delta == 0:
        return "any increase" if flip.direction > 0 else "any decrease"
    return ("beyond " if flip.strict else "") + fmt.points(flip.delta, 2)


@dataclass(frozen=True)
class ScenarioSensitivity:
    scenario: str
    cell: str | None
    state: str | None
    knocked_out: bool
    agrees: bool | None
    profile: EdgeDistance
    engagement: EdgeDistance
    flips: list[WeightFlip]  # weights that can flip it, smallest |delta| first

    @property
    def nearest_edge(self) -> tuple[Section, float, str, str] | None:
        """(axis, points, direction, band reached) over both axes."""
        best = None
        for d in (self.profile, self.engagement):
            n = d.nearest
            if n is not None and (best is None or n[0] < best[1]):
                best = (d.axis, n[0], n[1], n[2])
        return best

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "cell": self.cell,
            "state": self.state,
            "knocked_out": self.knocked_out,
            "agrees": self.agrees,
            "profile": self.profile.as_dict(),
            "engagement": self.engagement.as_dict(),
            "nearest_edge": self.nearest_edge,
            "flips": [f.as_dict() for f in self.flips],
        }


@dataclass(frozen=True)
class TornadoRow:
    """How many scenarios change cell when one weight moves by −N and by +N points."""

    section: Section
    weight: str
    minus: int
    plus: int
    minus_scenarios: list[str] = field(default_factory=list)
    plus_scenarios: list[str] = field(default_factory=list)
    minus_change: float = 0.0  # the change actually applied (a weight cannot go below 0 or above T)
    plus_change: float = 0.0

    @property
    def total(self) -> int:
        return self.minus + self.plus

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "weight": self.weight,
            "minus": self.minus,
            "plus": self.plus,
            "minus_change": self.minus_change,
            "plus_change": self.plus_change,
            "minus_scenarios": self.minus_scenarios,
            "plus_scenarios": self.plus_scenarios,
        }


@dataclass(frozen=True)
class Sensitivity:
    points: float
    scenarios: list[ScenarioSensitivity]
    tornado: list[TornadoRow]  # most flips first

    def as_dict(self) -> dict[str, Any]:
        return {
            "points": self.points,
            "scenarios": [s.as_dict() for s in self.scenarios],
            "tornado": [t.as_dict() for t in self.tornado],
        }


# --------------------------------------------------------------------------------------------
# Exact crossing points
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class _Line:
    """pct(δ) = (alpha + beta·δ) / (gamma + eta·δ) over δ in [lo, hi]."""

    alpha: Fraction
    beta: Fraction
    gamma: Fraction
    eta: Fraction
    lo: Fraction
    hi: Fraction

    def at(self, d: Fraction) -> Fraction:
        den = self.gamma + self.eta * d
        return (self.alpha + self.beta * d) / den if den else Fraction(0)

    def crossing(self, edge: Fraction) -> Fraction | None:
        """δ where pct(δ) = edge, if it lies in [lo, hi]."""
        slope = self.beta - edge * self.eta
        if slope == 0:
            return None
        d = (edge * self.gamma - self.alpha) / slope
        if not self.lo <= d <= self.hi or self.gamma + self.eta * d <= 0:
            return None
        return d


def _line(tab: SectionTable, s: int, a: int) -> _Line | None:
    """Scenario s's section % as a function of a change δ of weight a (others rescaled)."""
    ws = tab.weights
    total = sum(ws, Fraction(0))
    wa = ws[a]
    rest = total - wa
    if rest <= 0:
        return None  # every other weight is 0: nothing to rescale
    row = tab.scores[s]
    scale = tab.score_scale
    sa = Fraction(row[a], scale) if row[a] is not None else None
    others = [(w, Fraction(v, scale)) for i, (w, v) in enumerate(zip(ws, row, strict=True)) if i != a and v is not None]
    n_o = sum((w * v for w, v in others), Fraction(0))
    lo, hi = -wa, rest
    # others' factor f(δ) = (rest − δ) / rest
    if tab.missing == "neutral":
        if sa is None:
            return None  # the ratio does not change
        w_o = sum((w for w, _ in others), Fraction(0))
        # num = (wa + δ)·sa + (rest − δ)/rest · n_o ; den = (wa + δ) + (rest − δ)/rest · w_o
        alpha = wa * sa + n_o
        beta = sa - n_o / rest
        gamma = wa + w_o
        eta = 1 - w_o / rest
        if gamma <= 0:
            return None  # nothing present weighs anything: the % is 0 and jumps at any change
        return _Line(alpha, beta, gamma, eta, lo, hi)
    s_a = sa if sa is not None else Fraction(0)
    alpha = (wa * s_a + n_o) / 100
    beta = (s_a - n_o / rest) / 100
    return _Line(alpha, beta, Fraction(1), Fraction(0), lo, hi)


def _bands(model: ScoringModel, axis: Section) -> list[tuple[str, Fraction]]:
    if axis == "profile":
        return [(b.grade, exact(b.min)) for b in model.profile_grades]
    return [(b.level, exact(b.min)) for b in model.engagement_levels]


def _band_index(pct: Fraction, bands: Sequence[tuple[str, Fraction]]) -> int | None:
    for i, (_, lo) in enumerate(bands):
        if lo <= pct:
            return i
    return None


def _clamp(p: Fraction) -> Fraction:
    return min(max(p, Fraction(0)), Fraction(100))


def _weighs_nothing(tab: SectionTable, s: int, a: int) -> bool:
    """Neutral, a present, every present weight 0 today, and room to raise a."""
    if tab.missing != "neutral" or tab.scores[s][a] is None:
        return False
    present = sum((w for w, v in zip(tab.weights, tab.scores[s], strict=True) if v is not None), Fraction(0))
    return present == 0 and sum(tab.weights, Fraction(0)) - tab.weights[a] > 0


def _ends(tab: SectionTable, a: int) -> list[Fraction]:
    """The changes that take weight a to 0 or to the whole section (where possible)."""
    total = sum(tab.weights, Fraction(0))
    rest = total - tab.weights[a]
    if rest <= 0:
        return []
    return [d for d in (-tab.weights[a], rest) if d != 0]


def _rescored(tab: SectionTable, s: int, a: int, delta: Fraction) -> Fraction:
    """Scenario s's raw % with weight a changed by delta and the others rescaled, by SPEC §3."""
    weights = list(tab.weights)
    rest = sum(weights, Fraction(0)) - weights[a]
    factor = (rest - delta) / rest
    weights = [w + delta if i == a else w * factor for i, w in enumerate(weights)]
    row = tab.scores[s]
    num = sum((w * Fraction(v, tab.score_scale) for w, v in zip(weights, row, strict=True) if v is not None),
              Fraction(0))
    if tab.missing == "neutral":
        present = sum((w for w, v in zip(weights, row, strict=True) if v is not None), Fraction(0))
        return num / present if present else Fraction(0)
    return num / 100


def _pct_after(tab: SectionTable, s: int, a: int, delta: Fraction, line: _Line | None) -> Fraction:
    """The canonical % after the change: the line inside the range, re-scoring at its ends."""
    if line is not None and line.lo < delta < line.hi and line.gamma + line.eta * delta > 0:
        raw = line.at(delta)
    else:
        raw = _rescored(tab, s, a, delta)
    return _clamp(canonical(raw))


# --------------------------------------------------------------------------------------------
# The public function
# --------------------------------------------------------------------------------------------
def sensitivity(model: ScoringModel, *, points: float = DEFAULT_POINTS) -> Sensitivity:
    """Per scenario: distance to the band edges and the single weight changes that flip it;
    and per weight: how many scenarios change cell at −``points`` and +``points``."""
    scenarios = list(model.scenarios)
    tabs = tables(model, scenarios)
    targets = {t.index: t for t in calibration_targets(model)}
    axes: dict[Section, SectionTable] = {"profile": tabs.profile, "engagement": tabs.engagement}
    pcts = {ax: [Fraction(u, UNIT) for u in tab.units()] for ax, tab in axes.items()}
    bands = {ax: _bands(model, ax) for ax in axes}
    knocked = tabs.knocked_out
    n_points = exact(points)

    def outcome(s: int, axis: Section, band: int) -> tuple[str | None, str | None, bool | None]:
        other: Section = "engagement" if axis == "profile" else "profile"
        ob = _band_index(pcts[other][s], bands[other])
        names = {axis: bands[axis][band][0], other: bands[other][ob][0] if ob is not None else None}
        cell = names["profile"] + names["engagement"] if None not in names.values() else None  # type: ignore[operator]
        state = model.effective_knockout_state if knocked[s] else (model.matrix.get(cell) if cell else None)
        t = targets.get(s)
        agrees = None
        if t is not None:
            computed = {"profile": names["profile"], "engagement": names["engagement"], "state": state}
            agrees = all(computed[k] == v for k, v in t.given.items())
        return cell, state, agrees

    # The change applied for the tornado: ±N, limited to what the weight can take (0 … T).
    changes: dict[tuple[Section, int], dict[str, Fraction]] = {}
    for axis, tab in axes.items():
        total = sum(tab.weights, Fraction(0))
        for a, w in enumerate(tab.weights):
            room = total - w if total - w > 0 else Fraction(0)
            changes[(axis, a)] = {"minus": max(-n_points, -w) if room else Fraction(0), "plus": min(n_points, room)}
    flipped: dict[tuple[Section, int], dict[str, list[str]]] = {k: {"minus": [], "plus": []} for k in changes}
    results = []
    for s, scenario in enumerate(scenarios):
        distances = {}
        current = {}
        for axis in axes:
            p, bs = pcts[axis][s], bands[axis]
            k = _band_index(p, bs)
            current[axis] = k
            up = down = up_to = down_to = None
            if k is not None and k > 0:
                up, up_to = float(bs[k - 1][1] - p), bs[k - 1][0]
            if k is not None and k < len(bs) - 1:
                down, down_to = float(p - bs[k][1]), bs[k + 1][0]
            distances[axis] = EdgeDistance(axis, float(p), bs[k][0] if k is not None else None, up, up_to, down,
                                           down_to)
        flips = []
        for axis, tab in axes.items():
            k = current[axis]
            if k is None:
                continue
            bs = bands[axis]
            for a, name in enumerate(tab.names):
                line = _line(tab, s, a)
                best = None
                if line is not None and k > 0:
                    d = line.crossing(bs[k - 1][1])
                    if d is not None:
                        best = (abs(d), d, False, k - 1, 1 if d > 0 else -1)
                if line is not None and k < len(bs) - 1:
                    d = line.crossing(bs[k][1])
                    # Falling below the minimum needs a change beyond d, and room to make it.
                    slope = line.beta - bs[k][1] * line.eta
                    if d is not None and (d > line.lo if slope > 0 else d < line.hi):
                        if best is None or abs(d) < best[0]:
                            best = (abs(d), d, True, k + 1, -1 if slope > 0 else 1)
                if line is None and _weighs_nothing(tab, s, a):
                    # Nothing present weighs anything (the % is 0) but a is present: any increase of
                    # a makes the % its score.
                    score = Fraction(tab.scores[s][a], tab.score_scale)  # type: ignore[arg-type]
                    to = _band_index(_clamp(canonical(score)), bs)
                    if to is not None and to != k:
                        best = (Fraction(0), Fraction(0), True, to, 1)
                # The ends of the range (the weight at 0, or taking the whole section) can jump:
                # under neutral, a % whose present weights all become 0 is 0 (SPEC §3.3).
                for end in _ends(tab, a):
                    if best is not None and (best[1] > 0) == (end > 0):
                        continue  # a crossing on this side comes first
                    to = _band_index(_pct_after(tab, s, a, end, line), bs)
                    if to is not None and to != k and (best is None or abs(end) < best[0]):
                        best = (abs(end), end, False, to, 1 if end > 0 else -1)
                if best is not None:
                    _, d, strict, to, direction = best
                    cell, state, agrees = outcome(s, axis, to)
                    flips.append(WeightFlip(axis, name, float(d), strict, direction, bs[to][0], cell, state, agrees))
                # The tornado: the band at −N and +N (limited to what the weight can take).
                for key, change in changes[(axis, a)].items():
                    if change and _band_index(_pct_after(tab, s, a, change, line), bs) != k:
                        flipped[(axis, a)][key].append(scenario.name)
        flips.sort(key=lambda f: (abs(f.delta), f.section, f.weight))
        t = targets.get(s)
        cell_now = None
        kp, ke = current["profile"], current["engagement"]
        if kp is not None and ke is not None:
            cell_now = bands["profile"][kp][0] + bands["engagement"][ke][0]
        state_now = model.effective_knockout_state if knocked[s] else (model.matrix.get(cell_now) if cell_now else None)
        agrees_now = None
        if t is not None:
            computed = {
                "profile": bands["profile"][kp][0] if kp is not None else None,
                "engagement": bands["engagement"][ke][0] if ke is not None else None,
                "state": state_now,
            }
            agrees_now = all(computed[k] == v for k, v in t.given.items())
        results.append(
            ScenarioSensitivity(
                scenario.name, cell_now, state_now, knocked[s], agrees_now, distances["profile"],
                distances["engagement"], flips,
            )
        )
    tornado = [
        TornadoRow(
            axis, tab.names[a], len(flipped[(axis, a)]["minus"]), len(flipped[(axis, a)]["plus"]),
            flipped[(axis, a)]["minus"], flipped[(axis, a)]["plus"],
            float(changes[(axis, a)]["minus"]), float(changes[(axis, a)]["plus"]),
        )
        for axis, tab in axes.items()
        for a in range(len(tab.names))
    ]
    tornado.sort(key=lambda r: (-r.total, -max(r.minus, r.plus), r.section, r.weight))
    return Sensitivity(float(points), results, tornado)
