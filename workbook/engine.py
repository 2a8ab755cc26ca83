"""SPEC §3: scoring one lead — the one implementation everything else calls or is tested against.

Arithmetic is exact: every weight, score and threshold is read as the decimal number it
was written as (``33.3`` is Decimal('33.3'), not the nearest binary float) and combined
in decimal arithmetic, where weight × score / 100 is exact and the neutral policy's one
division is carried to 50 digits. A percentage is then rounded half-to-even to 9 decimal
places — the canonical value that is shown, exported and compared with the thresholds.
So weights 5/11/84 with scores 50/10/85 give exactly 75 and grade A at ``min: 75``, and
floating-point error can never move a lead across a threshold. (:func:`exact` gives the
same numbers as fractions, for callers that reason with rationals.)
"""

from __future__ import annotations

import decimal
import functools
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from workbook.model import Activity, ProfileAttribute, Scenario, ScoringModel, Section

DECIMALS = 9
_ZERO = Fraction(0)
_HUNDRED = Fraction(100)


@functools.lru_cache(maxsize=65536)
def exact(number: float | int) -> Fraction:
    """The decimal number a person wrote, as an exact fraction (33.3 → 333/10)."""
    return Fraction(repr(number)) if isinstance(number, float) else Fraction(number)


def canonical(value: Fraction) -> Fraction:
    """Round half-to-even to 9 decimal places: the value shown and compared with thresholds."""
    return round(value, DECIMALS)


@dataclass(frozen=True)
class Contribution:
    """What one attribute or activity added to its section's %: the "why" of a result."""

    section: Section
    name: str
    weight: float
    value: str | None  # the selected value label, None when missing
    score: float | None  # the value's score, None when missing
    effective_weight: float  # the weight after neutral scaling (= weight with missing: zero)
    points: float  # percentage points added; a section's points add up to its raw %
    knockout: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "section": self.section,
            "name": self.name,
            "value": self.value,
            "weight": self.weight,
            "score": self.score,
            "effective_weight": self.effective_weight,
            "points": self.points,
            "knockout": self.knockout,
        }


@dataclass(frozen=True)
class SectionScore:
    pct: float  # clamped to [0, 100] and canonical
    raw: float  # the sum of the contributions before clamping
    contributions: tuple[Contribution, ...]
    decimal_pct: decimal.Decimal  # the canonical value, exact, for comparisons

    @property
    def exact_pct(self) -> Fraction:
        """The canonical value as an exact fraction."""
        return Fraction(self.decimal_pct)


@dataclass(frozen=True)
class LeadResult:
    """Where the model puts one lead."""

    profile_pct: float
    engagement_pct: float
    profile_grade: str | None
    engagement_level: str | None
    cell: str | None
    state: str | None
    knocked_out: bool
    knockouts: tuple[str, ...]  # "Job role = Student", … — why it was knocked out
    profile: SectionScore
    engagement: SectionScore

    @property
    def contributions(self) -> tuple[Contribution, ...]:
        return self.profile.contributions + self.engagement.contributions


_D = decimal.Context(prec=50, rounding=decimal.ROUND_HALF_EVEN)
_D_ZERO, _D_HUNDRED, _QUANTUM = decimal.Decimal(0), decimal.Decimal(100), decimal.Decimal(1).scaleb(-DECIMALS)


@functools.lru_cache(maxsize=65536)
def _dec(number: float | int) -> decimal.Decimal:
    """The decimal number a person wrote (33.3 → Decimal('33.3')); exact, like :func:`exact`."""
    return decimal.Decimal(repr(number)) if isinstance(number, float) else decimal.Decimal(number)


def _canonical_dec(value: decimal.Decimal) -> decimal.Decimal:
    return value.quantize(_QUANTUM, rounding=decimal.ROUND_HALF_EVEN, context=_D)


def score_section(
    factors: Sequence[ProfileAttribute] | Sequence[Activity],
    chosen: Mapping[str, str | None],
    section: Section,
    missing: str = "zero",
) -> SectionScore:
    """A section's % for the chosen value labels (attribute name → label; absent = missing).

    A label that the attribute does not have counts as missing (validation reports it).
    Computed in decimal arithmetic: the products weight × score / 100 of finite decimals
    are exact, and the one division of the neutral policy is carried to 50 digits before
    the canonical rounding to 9 places, so the result is the exact value rounded.
    """
    picked: list[tuple[Any, Any]] = []
    for factor in factors:
        label = chosen.get(factor.name)
        value = next((v for v in factor.values if v.label == label), None) if label is not None else None
        picked.append((factor, value))

    neutral = missing == "neutral"
    present_weight = _D_ZERO
    if neutral:
        for f, v in picked:
            if v is not None:
                present_weight = _D.add(present_weight, _dec(f.weight))

    def scaled(x: decimal.Decimal) -> decimal.Decimal:
        # x × 100 / present weight: the neutral policy's rescaling, one rounding at 50 digits.
        if not neutral:
            return x
        return _D.divide(_D.multiply(x, _D_HUNDRED), present_weight) if present_weight else _D_ZERO

    contributions = []
    raw_unscaled = _D_ZERO  # Σ weight × score / 100 (exact)
    for factor, value in picked:
        weight = _dec(factor.weight)
        if value is None:
            eff_weight = _D_ZERO if neutral else weight
            points = _D_ZERO
        else:
            unscaled = _D.divide(_D.multiply(weight, _dec(value.score)), _D_HUNDRED)
            raw_unscaled = _D.add(raw_unscaled, unscaled)
            eff_weight = scaled(weight)
            points = scaled(unscaled)
        contributions.append(
            Contribution(
                section=section,
                name=factor.name,
                weight=factor.weight,
                value=None if value is None else value.label,
                score=None if value is None else value.score,
                effective_weight=float(_canonical_dec(eff_weight)),
                points=float(_canonical_dec(points)),
                knockout=bool(value is not None and value.knockout),
            )
        )
    raw = _canonical_dec(scaled(raw_unscaled))
    pct = min(max(raw, _D_ZERO), _D_HUNDRED)
    return SectionScore(float(pct), float(raw), tuple(contributions), pct)


def band_for(pct: Fraction | decimal.Decimal, bands: Sequence[tuple[str, float]]) -> str | None:
    """The first band, best first, whose min is ≤ pct (on the threshold earns the better band)."""
    as_decimal = isinstance(pct, decimal.Decimal)
    for name, lo in bands:
        if (_dec(lo) if as_decimal else exact(lo)) <= pct:
            return name
    return None


def score_lead(
    model: ScoringModel,
    profile: Mapping[str, str | None],
    engagement: Mapping[str, str | None],
) -> LeadResult:
    """Score one lead given its value labels per attribute and per activity (SPEC §3)."""
    p = score_section(model.profile, profile, "profile", model.missing)
    e = score_section(model.engagement, engagement, "engagement", model.missing)
    grade = band_for(p.decimal_pct, [(b.grade, b.min) for b in model.profile_grades])
    level = band_for(e.decimal_pct, [(b.level, b.min) for b in model.engagement_levels])
    cell = grade + level if grade is not None and level is not None else None
    knockouts = tuple(f"{c.name} = {c.value}" for c in p.contributions + e.contributions if c.knockout)
    if knockouts:
        state = model.effective_knockout_state
    else:
        state = model.matrix.get(cell) if cell is not None else None
    return LeadResult(
        profile_pct=p.pct,
        engagement_pct=e.pct,
        profile_grade=grade,
        engagement_level=level,
        cell=cell,
        state=state,
        knocked_out=bool(knockouts),
        knockouts=knockouts,
        profile=p,
        engagement=e,
    )


# --------------------------------------------------------------------------------------------
# Scenarios and agreement
# --------------------------------------------------------------------------------------------
ESTIMATE_KEYS = ("profile", "engagement", "state")


@dataclass(frozen=True)
class ScenarioResult:
    """A scenario's computed result beside the team's estimate."""

    scenario: Scenario
    result: LeadResult
    checks: dict[str, bool]  # per given estimate ("profile", "engagement", "state"): does it match?
    member_checks: dict[str, bool]  # per team member who estimated a state: does it match?

    @property
    def agrees(self) -> bool | None:
        """True when every given estimate matches; None when no estimate is given."""
        return all(self.checks.values()) if self.checks else None

    @property
    def name(self) -> str:
        return self.scenario.name

    def computed(self, key: str) -> str | None:
        r = self.result
        return {"profile": r.profile_grade, "engagement": r.engagement_level, "state": r.state}[key]

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape of ``python -m workbook scenarios --json``."""
        r = self.result
        est = self.scenario.estimate
        return {
            "name": self.name,
            "profile_pct": r.profile_pct,
            "engagement_pct": r.engagement_pct,
            "profile_grade": r.profile_grade,
            "engagement_level": r.engagement_level,
            "cell": r.cell,
            "state": r.state,
            "knocked_out": r.knocked_out,
            "estimate": est.given() if est is not None else {},
            "agrees": self.agrees,
            "contributions": [c.as_dict() for c in r.contributions],
        }


def evaluate_scenario(model: ScoringModel, scenario: Scenario) -> ScenarioResult:
    """Score a scenario and compare it with each estimate that is given (SPEC §3.6)."""
    result = score_lead(model, scenario.profile, scenario.engagement)
    computed = {"profile": result.profile_grade, "engagement": result.engagement_level, "state": result.state}
    given = scenario.estimate.given() if scenario.estimate is not None else {}
    checks = {key: given[key] == computed[key] for key in ESTIMATE_KEYS if key in given}
    members = {name: state == result.state for name, state in scenario.estimates_by_member.items()}
    return ScenarioResult(scenario, result, checks, members)


def evaluate_scenarios(model: ScoringModel) -> list[ScenarioResult]:
    """Every scenario of the model, in order."""
    return [evaluate_scenario(model, s) for s in model.scenarios]


@dataclass(frozen=True)
class Agreement:
    agreeing: int
    disagreeing: int
    without_estimate: int

    @property
    def with_estimate(self) -> int:
        return self.agreeing + self.disagreeing

    @property
    def rate(self) -> float | None:
        return self.agreeing / self.with_estimate if self.with_estimate else None

    def sentence(self) -> str:
        """"12 of 15 scenarios agree" — what the sidebar and the summary say."""
        text = f"{self.agreeing} of {self.with_estimate} scenarios agree"
        if self.without_estimate:
            text += f" ({self.without_estimate} without estimate)"
        return text


def agreement(results: Sequence[ScenarioResult]) -> Agreement:
    """Count the scenarios that agree, disagree or carry no estimate."""
    agree = sum(1 for r in results if r.agrees is True)
    disagree = sum(1 for r in results if r.agrees is False)
    return Agreement(agree, disagree, len(results) - agree - disagree)


def scenario_counts_by_cell(model: ScoringModel, results: Sequence[ScenarioResult]) -> dict[str, int]:
    """How many scenarios land in each grid cell (every cell present, 0 when empty)."""
    counts = dict.fromkeys(model.cells, 0)
    for r in results:
        if r.result.cell in counts:
            counts[r.result.cell] += 1
    return counts
