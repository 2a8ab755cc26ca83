"""What the calibration aims at: per scenario, the estimates the model should reproduce.

A scenario's *targets* are the estimates the team wrote down (profile grade, engagement
level, state — whichever are given). A scenario without any team estimate takes the
consensus of its members' estimates (:mod:`workbook.calibrate.alignment`) as its state
target, and every suggestion says which scenarios that was done for.

The calibration objective everywhere is the **number of scenarios whose every target
agrees** with the exact engine — the same "agrees" as SPEC §3.6, extended to the
consensus targets. :func:`payoff_table` turns one scenario's targets into a grade × level
table of 0/1 (would it agree if it landed in that cell?), which is all the threshold
search needs to know about it; a knocked-out lead keeps the knockout state whatever cell
it lands in.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any, Literal

import numpy as np

from workbook.calibrate.alignment import consensus_states
from workbook.calibrate.exactscore import UNIT, Tables, tables
from workbook.engine import LeadResult, band_for, score_lead
from workbook.model import ScoringModel

Source = Literal["estimate", "consensus"]
KEYS = ("profile", "engagement", "state")


@dataclass(frozen=True)
class Target:
    """The estimates one scenario should reproduce."""

    index: int  # position in model.scenarios
    name: str
    given: dict[str, str]  # "profile" / "engagement" / "state" → the estimated grade, level, state
    source: Source  # "estimate": the team's; "consensus": the mode of the members' states

    def checks(self, result: LeadResult) -> dict[str, bool]:
        """Per given target: does the computed result match it?"""
        computed = {"profile": result.profile_grade, "engagement": result.engagement_level, "state": result.state}
        return {k: self.given[k] == computed[k] for k in KEYS if k in self.given}

    def agrees(self, result: LeadResult) -> bool:
        return all(self.checks(result).values())

    def text(self) -> str:
        """``A2 / Send to sales`` — the way the scenarios table writes an estimate."""
        cell = (self.given.get("profile", "") + self.given.get("engagement", "")) or ""
        return " / ".join(x for x in (cell, self.given.get("state", "")) if x) or "–"


def calibration_targets(model: ScoringModel) -> list[Target]:
    """Every scenario that has something to agree with: its estimate, else its members' consensus."""
    consensus = consensus_states(model)
    out = []
    for i, scenario in enumerate(model.scenarios):
        given = scenario.estimate.given() if scenario.estimate is not None else {}
        if given:
            out.append(Target(i, scenario.name, dict(given), "estimate"))
        elif i in consensus:
            out.append(Target(i, scenario.name, {"state": consensus[i]}, "consensus"))
    return out


def payoff_table(model: ScoringModel, target: Target, knocked_out: bool) -> np.ndarray:
    """Grade × level 0/1 table: would the scenario agree if it landed in that cell?"""
    grades, levels = model.grades, model.levels
    table = np.zeros((len(grades), len(levels)), dtype=np.int64)
    want = target.given
    for gi, g in enumerate(grades):
        if "profile" in want and want["profile"] != g:
            continue
        for li, lvl in enumerate(levels):
            if "engagement" in want and want["engagement"] != lvl:
                continue
            if "state" in want:
                state = model.effective_knockout_state if knocked_out else model.matrix.get(g + lvl)
                if state != want["state"]:
                    continue
            table[gi, li] = 1
    return table


# --------------------------------------------------------------------------------------------
# Before and after: what a suggestion changes, checked with the exact engine
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Outcome:
    """Where the exact engine puts one target scenario, and whether it agrees."""

    name: str
    cell: str | None
    state: str | None
    knocked_out: bool
    agrees: bool
    profile_pct: float
    engagement_pct: float

    def text(self) -> str:
        ko = " (knocked out)" if self.knocked_out else ""
        return f"{self.cell or '–'} / {self.state or '–'}{ko}"


@dataclass(frozen=True)
class Scores:
    """The target scenarios' section percentages (units of 10⁻⁹ points) and knockouts."""

    profile: list[int]
    engagement: list[int]
    knocked_out: list[bool]


def target_tables(model: ScoringModel, targets: Sequence[Target]) -> Tables:
    """The integer score tables of the target scenarios (for fast exact re-scoring)."""
    return tables(model, [model.scenarios[t.index] for t in targets])


def target_scores(model: ScoringModel, targets: Sequence[Target]) -> Scores:
    """Exact section percentages of the target scenarios (:mod:`workbook.calibrate.exactscore`)."""
    tab = target_tables(model, targets)
    return Scores(tab.profile.units(), tab.engagement.units(), tab.knocked_out)


def outcomes(model: ScoringModel, targets: Sequence[Target], scores: Scores | None = None) -> list[Outcome]:
    """Where the model puts every target scenario, and whether it agrees.

    Without ``scores`` each scenario is scored by the engine itself (:func:`score_lead`).
    With ``scores`` (exact percentages that the thresholds do not change) the engine's
    :func:`band_for` grades them — the same rule, without re-adding the contributions.
    """
    if scores is None:
        out = []
        for t in targets:
            scenario = model.scenarios[t.index]
            r = score_lead(model, scenario.profile, scenario.engagement)
            out.append(Outcome(t.name, r.cell, r.state, r.knocked_out, t.agrees(r), r.profile_pct, r.engagement_pct))
        return out
    grades = [(b.grade, b.min) for b in model.profile_grades]
    levels = [(b.level, b.min) for b in model.engagement_levels]
    out = []
    for i, t in enumerate(targets):
        p, e = Fraction(scores.profile[i], UNIT), Fraction(scores.engagement[i], UNIT)
        grade, level = band_for(p, grades), band_for(e, levels)
        cell = grade + level if grade is not None and level is not None else None
        ko = scores.knocked_out[i]
        state = model.effective_knockout_state if ko else (model.matrix.get(cell) if cell else None)
        computed = {"profile": grade, "engagement": level, "state": state}
        agrees = all(computed[k] == v for k, v in t.given.items())
        out.append(Outcome(t.name, cell, state, ko, agrees, float(p), float(e)))
    return out


@dataclass(frozen=True)
class ScenarioChange:
    """One scenario whose cell, state or agreement a suggestion changes."""

    scenario: str
    target: str  # the estimate it is compared with, e.g. "A2 / Send to sales"
    source: Source
    before: str  # "B2 / Qualify"
    after: str
    agrees_before: bool
    agrees_after: bool

    @property
    def status(self) -> str:
        """fixed, broken, still agrees or still disagrees."""
        if self.agrees_after != self.agrees_before:
            return "fixed" if self.agrees_after else "broken"
        return "still agrees" if self.agrees_after else "still disagrees"

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "estimate": self.target,
            "source": self.source,
            "before": self.before,
            "after": self.after,
            "agrees_before": self.agrees_before,
            "agrees_after": self.agrees_after,
            "status": self.status,
        }


@dataclass(frozen=True)
class Comparison:
    """Agreement before and after a suggestion, confirmed by the exact engine."""

    total: int  # scenarios with a target
    agreeing_before: int
    agreeing_after: int
    changes: list[ScenarioChange] = field(default_factory=list)  # scenarios whose result changes
    consensus_used: list[str] = field(default_factory=list)  # scenarios whose target is the members' consensus

    @property
    def fixed(self) -> list[str]:
        return [c.scenario for c in self.changes if c.status == "fixed"]

    @property
    def broken(self) -> list[str]:
        return [c.scenario for c in self.changes if c.status == "broken"]

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenarios_with_estimate": self.total,
            "agreeing_before": self.agreeing_before,
            "agreeing_after": self.agreeing_after,
            "fixed": self.fixed,
            "broken": self.broken,
            "changes": [c.as_dict() for c in self.changes],
            "consensus_used": self.consensus_used,
        }


def compare(
    before: ScoringModel,
    after: ScoringModel,
    targets: Sequence[Target],
    *,
    scores_before: Scores | None = None,
    scores_after: Scores | None = None,
) -> Comparison:
    """The targets under both models, exactly (see :func:`outcomes`); list what changes."""
    old, new = outcomes(before, targets, scores_before), outcomes(after, targets, scores_after)
    changes = [
        ScenarioChange(t.name, t.text(), t.source, o.text(), n.text(), o.agrees, n.agrees)
        for t, o, n in zip(targets, old, new, strict=True)
        if (o.cell, o.state, o.agrees) != (n.cell, n.state, n.agrees)
    ]
    return Comparison(
        total=len(targets),
        agreeing_before=sum(o.agrees for o in old),
        agreeing_after=sum(n.agrees for n in new),
        changes=changes,
        consensus_used=[t.name for t in targets if t.source == "consensus"],
    )
