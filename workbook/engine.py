"""SPEC §3: scoring one lead — the one implementation everything else calls or is tested against.

Arithmetic is exact: every weight, score and threshold is read as the decimal number it
was written as (``33.3`` is 333/10, not the nearest binary float) and combined as a
rational number. A percentage is then rounded half-to-even to 9 decimal places — the
canonical value that is shown, exported and compared with the thresholds. So weights
5/11/84 with scores 50/10/85 give exactly 75 and grade A at ``min: 75``, and floating
point error can never move a lead across a threshold.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from typing import Any, Literal

from workbook.model import Activity, ProfileAttribute, Scenario, ScoringModel

Section = Literal["profile", "engagement"]
DECIMALS = 9
_ZERO = Fraction(0)
_HUNDRED = Fraction(100)


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
    exact_pct: Fraction  # the canonical value as an exact fraction, for comparisons


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


def score_section(
    factors: Sequence[ProfileAttribute] | Sequence[Activity],
    chosen: Mapping[str, str | None],
    section: Section,
    missing: str = "zero",
) -> SectionScore:
    """A section's % for the chosen value labels (attribute name → label; absent = missing).

    A label that the attribute does not have counts as missing (validation reports it).
    """
    picked: list[tuple[Any, Any]] = []
    for factor in factors:
        label = chosen.get(factor.name)
        value = next((v for v in factor.values if v.label == label), None) if label is not None else None
        picked.append((factor, value))

    if missing == "neutral":
        present_weight = sum((exact(f.weight) for f, v in picked if v is not None), _ZERO)
        scale = _HUNDRED / present_weight if present_weight else _ZERO
    else:
        scale = Fraction(1)

    contributions = []
    raw = _ZERO
    for factor, value in picked:
        weight = exact(factor.weight)
        if value is None:
            eff_weight = _ZERO if missing == "neutral" else weight
            points = _ZERO
        else:
            eff_weight = weight * scale
            points = eff_weight * exact(value.score) / _HUNDRED
        raw += points
        contributions.append(
            Contribution(
                section=section,
                name=factor.name,
                weight=factor.weight,
                value=None if value is None else value.label,
                score=None if value is None else value.score,
                effective_weight=float(canonical(eff_weight)),
                points=float(canonical(points)),
                knockout=bool(value is not None and value.knockout),
            )
        )
    pct = min(max(canonical(raw), _ZERO), _HUNDRED)
    return SectionScore(float(pct), float(canonical(raw)), tuple(contributions), pct)


def band_for(pct: Fraction, bands: Sequence[tuple[str, float]]) -> str | None:
    """The first band, best first, whose min is ≤ pct (on the threshold earns the better band)."""
    for name, lo in bands:
        if exact(lo) <= pct:
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
    grade = band_for(p.exact_pct, [(b.grade, b.min) for b in model.profile_grades])
    level = band_for(e.exact_pct, [(b.level, b.min) for b in model.engagement_levels])
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
