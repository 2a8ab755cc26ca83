"""Section percentages of many scenarios at once, exactly as SPEC §3 computes them.

The calibration re-scores the same scenarios under many weight sets; the engine's
:func:`workbook.engine.score_lead` builds a full explanation (contributions, floats) for
each lead, which is the right thing for one lead and too slow for a thousand × many. This
module computes only the percentages, in exact integer arithmetic: every weight and score
is read as the decimal it was written as (:func:`workbook.engine.exact`), scaled to
integers by the least common denominator, summed, and rounded half-to-even to 10⁻⁹ points
— the engine's canonical value — then clamped to [0, 100]. The tests check it against the
engine on random models; results are identical, not merely close.

A percentage is returned as an integer number of 10⁻⁹ points ("units"): ``75 %`` is
``75_000_000_000``.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from fractions import Fraction
from math import lcm

from workbook.engine import exact
from workbook.model import Scenario, ScoringModel

UNIT = 10**9
HUNDRED = 100 * UNIT


def round_units(numerator: int, denominator: int) -> int:
    """``numerator / denominator`` points as units, rounded half-to-even (the engine's canonical)."""
    q, r = divmod(numerator * UNIT, denominator)
    twice = 2 * r
    if twice > denominator or (twice == denominator and q % 2):
        q += 1
    return q


def clamp_units(units: int) -> int:
    return min(max(units, 0), HUNDRED)


@dataclass(frozen=True)
class SectionTable:
    """One section (profile or engagement) of many scenarios, as integers.

    ``scores[s][a]`` is scenario s's value score for factor a times ``score_scale`` (an
    integer), or ``None`` when the scenario has no (known) value for it.
    """

    names: list[str]
    weights: list[Fraction]
    score_scale: int
    scores: list[list[int | None]]
    knockout: list[bool]
    missing: str

    def raw(self, s: int, weights: Sequence[Fraction] | None = None) -> Fraction:
        """Scenario s's section % before rounding and clamping, exactly."""
        ws = self.weights if weights is None else weights
        row = self.scores[s]
        num = sum((w * v for w, v in zip(ws, row, strict=True) if v is not None), Fraction(0))
        if self.missing == "neutral":
            present = sum((w for w, v in zip(ws, row, strict=True) if v is not None), Fraction(0))
            return num / (self.score_scale * present) if present else Fraction(0)
        return num / (100 * self.score_scale)

    def units(self, weights: Sequence[Fraction] | None = None) -> list[int]:
        """Every scenario's canonical, clamped section % in units (integer arithmetic)."""
        ws = self.weights if weights is None else list(weights)
        scale = lcm(*(w.denominator for w in ws)) if ws else 1
        wi = [int(w * scale) for w in ws]
        out = []
        neutral = self.missing == "neutral"
        for row in self.scores:
            num = 0
            present = 0
            for w, v in zip(wi, row, strict=True):
                if v is not None:
                    num += w * v
                    present += w
            if neutral:
                # raw = Σ w·s / Σ_present w  (weights scaled by `scale` on both sides)
                units = round_units(num, self.score_scale * present) if present else 0
            else:
                units = round_units(num, 100 * self.score_scale * scale)
            out.append(clamp_units(units))
        return out


def section_table(model: ScoringModel, section: str, scenarios: Sequence[Scenario]) -> SectionTable:
    """The integer table of one section for the given scenarios (labels resolved like the engine)."""
    factors = model.section(section)  # type: ignore[arg-type]
    scale = lcm(*(exact(v.score).denominator for f in factors for v in f.values)) if factors else 1
    # label → (integer score, knockout) per factor; the first value wins a repeated label, like the engine
    by_label: list[dict[str, tuple[int, bool]]] = []
    for f in factors:
        table: dict[str, tuple[int, bool]] = {}
        for v in f.values:
            table.setdefault(v.label, (int(exact(v.score) * scale), v.knockout))
        by_label.append(table)
    scores: list[list[int | None]] = []
    knockout = []
    for sc in scenarios:
        chosen: Mapping[str, str] = getattr(sc, section)
        row: list[int | None] = []
        ko = False
        for f, labels in zip(factors, by_label, strict=True):
            label = chosen.get(f.name)
            value = labels.get(label) if label is not None else None
            if value is None:
                row.append(None)
            else:
                row.append(value[0])
                ko = ko or value[1]
        scores.append(row)
        knockout.append(ko)
    return SectionTable(
        names=[f.name for f in factors],
        weights=[exact(f.weight) for f in factors],
        score_scale=scale,
        scores=scores,
        knockout=knockout,
        missing=model.missing,
    )


@dataclass(frozen=True)
class Tables:
    """Both sections of the same scenarios."""

    profile: SectionTable
    engagement: SectionTable

    @property
    def knocked_out(self) -> list[bool]:
        return [a or b for a, b in zip(self.profile.knockout, self.engagement.knockout, strict=True)]

    def section(self, which: str) -> SectionTable:
        return self.profile if which == "profile" else self.engagement


def tables(model: ScoringModel, scenarios: Sequence[Scenario]) -> Tables:
    return Tables(section_table(model, "profile", scenarios), section_table(model, "engagement", scenarios))
