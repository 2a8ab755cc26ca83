"""Stakeholder alignment: how far the room agrees *before* the model is asked.

Input is each scenario's ``estimates_by_member`` (member → the state that member wrote on
their card). Output: agreement between every pair of members (percent agreement and
Cohen's kappa over the scenarios both estimated), agreement of the whole room (Fleiss'
kappa), the scenarios the room splits on most, a member × scenario matrix for a heatmap,
and the consensus state per scenario that the calibration suggestions use where the team
wrote down no estimate.

Decisions (documented here because the UI and the CLI both rely on them):

* **Fleiss' kappa with members who skipped scenarios.** Kappa is computed over every
  scenario that at least two members estimated, with the standard extension to varying
  numbers of raters: each scenario's agreement is ``P_i = Σ_j n_ij(n_ij − 1) / (n_i(n_i − 1))``
  (the share of agreeing ordered rater pairs among its ``n_i`` raters), ``P̄`` is their
  plain mean, and the chance agreement ``P_e = Σ_j p_j²`` uses the category shares over
  all ratings. With the same number of raters everywhere this is exactly Fleiss (1971).
* **Consensus = the mode; a tie goes to the more cautious state** — the *less* sales-ready
  one (later in the model's state order). A lead half the room would nurture should not be
  sent to sales on a coin flip. One member's estimate is a consensus of one; it is used,
  and reported as such.
* Kappa is ``None`` where it is undefined (chance agreement 1: every rating is the same
  state), never a division by zero.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import combinations
from typing import Any

from workbook.model import ScoringModel


@dataclass(frozen=True)
class PairAgreement:
    """Two members compared over the scenarios both of them estimated."""

    member_a: str
    member_b: str
    scenarios: int  # how many scenarios both estimated
    agreeing: int
    percent: float | None  # 0..100; None when they share no scenario
    kappa: float | None  # Cohen's kappa; None when undefined

    def as_dict(self) -> dict[str, Any]:
        return {
            "member_a": self.member_a,
            "member_b": self.member_b,
            "scenarios": self.scenarios,
            "agreeing": self.agreeing,
            "percent": self.percent,
            "kappa": self.kappa,
        }


@dataclass(frozen=True)
class ScenarioSpread:
    """How one scenario's member estimates are spread over the states."""

    scenario: str
    index: int  # position in model.scenarios
    counts: dict[str, int]  # state → how many members chose it (states in model order, only chosen ones)
    raters: int
    consensus: str | None  # the mode; ties → the less sales-ready state
    modal_share: float | None  # share of the modal answer, 0..1
    entropy: float  # bits; 0 = unanimous

    def as_dict(self) -> dict[str, Any]:
        return {
            "scenario": self.scenario,
            "counts": self.counts,
            "raters": self.raters,
            "consensus": self.consensus,
            "modal_share": self.modal_share,
            "entropy": self.entropy,
        }


@dataclass(frozen=True)
class MemberMatrix:
    """Member rows × scenario columns; each value the index of the state chosen (0 = most
    sales-ready) or ``None`` where the member did not estimate. Ready for a heatmap."""

    members: list[str]
    scenarios: list[str]
    states: list[str]
    values: list[list[int | None]]

    def as_dict(self) -> dict[str, Any]:
        return {"members": self.members, "scenarios": self.scenarios, "states": self.states, "values": self.values}


@dataclass(frozen=True)
class Alignment:
    """Everything the alignment view shows."""

    members: list[str]
    pairs: list[PairAgreement]
    fleiss_kappa: float | None
    fleiss_scenarios: int  # scenarios with ≥ 2 raters that the kappa is computed over
    spreads: list[ScenarioSpread]  # every scenario with at least one member estimate, in model order
    matrix: MemberMatrix

    @property
    def most_disputed(self) -> list[ScenarioSpread]:
        """Scenarios with ≥ 2 raters, most split first (highest entropy, then lowest modal share)."""
        rated = [s for s in self.spreads if s.raters >= 2 and s.entropy > 0]
        return sorted(rated, key=lambda s: (-s.entropy, s.modal_share or 0.0, s.index))

    @property
    def consensus(self) -> dict[str, str]:
        """Scenario name → consensus state (scenarios with at least one member estimate)."""
        return {s.scenario: s.consensus for s in self.spreads if s.consensus is not None}

    def as_dict(self) -> dict[str, Any]:
        return {
            "members": self.members,
            "pairs": [p.as_dict() for p in self.pairs],
            "fleiss_kappa": self.fleiss_kappa,
            "fleiss_scenarios": self.fleiss_scenarios,
            "most_disputed": [s.as_dict() for s in self.most_disputed],
            "consensus": self.consensus,
            "matrix": self.matrix.as_dict(),
        }


# --------------------------------------------------------------------------------------------
# Statistics on plain lists, usable (and tested) without a model
# --------------------------------------------------------------------------------------------
def cohen_kappa(a: Sequence[str], b: Sequence[str]) -> float | None:
    """Cohen's kappa of two raters over the same items; ``None`` if undefined (or no items)."""
    if len(a) != len(b):
        raise ValueError("both raters must rate the same items")
    n = len(a)
    if n == 0:
        return None
    observed = sum(1 for x, y in zip(a, b, strict=True) if x == y) / n
    ca, cb = Counter(a), Counter(b)
    expected = sum(ca[k] * cb[k] for k in ca) / (n * n)
    if math.isclose(expected, 1.0):
        return None
    return (observed - expected) / (1 - expected)


def fleiss_kappa(table: Sequence[Sequence[int]]) -> float | None:
    """Fleiss' kappa from a subjects × categories table of rating counts.

    Rows may have different totals (raters who skipped a subject); rows with fewer than two
    ratings are left out. ``None`` when fewer than one such row remains or chance agreement is 1.
    """
    rows = [list(r) for r in table if sum(r) >= 2]
    if not rows:
        return None
    per_subject = []
    for row in rows:
        n = sum(row)
        per_subject.append(sum(c * (c - 1) for c in row) / (n * (n - 1)))
    p_bar = sum(per_subject) / len(per_subject)
    total = sum(sum(r) for r in rows)
    shares = [sum(r[j] for r in rows) / total for j in range(len(rows[0]))]
    p_e = sum(p * p for p in shares)
    if math.isclose(p_e, 1.0):
        return None
    return (p_bar - p_e) / (1 - p_e)


def entropy_bits(counts: Sequence[int]) -> float:
    """Shannon entropy (bits) of a distribution given as counts; 0 for a unanimous room."""
    total = sum(counts)
    if total == 0:
        return 0.0
    h = -sum((c / total) * math.log2(c / total) for c in counts if c)
    return h + 0.0  # no "-0.0"


def consensus_of(chosen: Sequence[str], state_order: Sequence[str]) -> str | None:
    """The mode of the chosen states; a tie goes to the less sales-ready state (later in order)."""
    if not chosen:
        return None
    counts = Counter(chosen)
    top = max(counts.values())
    tied = [s for s, c in counts.items() if c == top]
    rank = {s: i for i, s in enumerate(state_order)}
    # Unknown states (a draft) rank after every known one: the most cautious reading.
    return max(tied, key=lambda s: (rank.get(s, len(rank)), s))


# --------------------------------------------------------------------------------------------
# On a model
# --------------------------------------------------------------------------------------------
def member_names(model: ScoringModel) -> list[str]:
    """Team order first, then anyone else who estimated (a draft may name a former member)."""
    names = [m.name for m in model.team]
    seen = set(names)
    used = set()
    for scenario in model.scenarios:
        used.update(scenario.estimates_by_member)
    extra = []
    for scenario in model.scenarios:
        for name in scenario.estimates_by_member:
            if name not in seen:
                seen.add(name)
                extra.append(name)
    return [n for n in names if n in used] + extra


def scenario_spreads(model: ScoringModel) -> list[ScenarioSpread]:
    """Per scenario with member estimates: the counts per state, the consensus and the spread."""
    order = model.state_names
    out = []
    for i, scenario in enumerate(model.scenarios):
        chosen = list(scenario.estimates_by_member.values())
        if not chosen:
            continue
        counts = Counter(chosen)
        ordered = {s: counts[s] for s in order if s in counts}
        ordered.update({s: c for s, c in counts.items() if s not in ordered})
        out.append(
            ScenarioSpread(
                scenario=scenario.name,
                index=i,
                counts=ordered,
                raters=len(chosen),
                consensus=consensus_of(chosen, order),
                modal_share=max(counts.values()) / len(chosen),
                entropy=entropy_bits(list(counts.values())),
            )
        )
    return out


def consensus_states(model: ScoringModel) -> dict[int, str]:
    """Scenario index → the consensus of its member estimates (scenarios with any)."""
    return {s.index: s.consensus for s in scenario_spreads(model) if s.consensus is not None}


def member_matrix(model: ScoringModel) -> MemberMatrix:
    """Member rows × scenario columns of state indexes (None = not estimated)."""
    members = member_names(model)
    rank = {s: i for i, s in enumerate(model.state_names)}
    values = [
        [rank.get(sc.estimates_by_member[m]) if m in sc.estimates_by_member else None for sc in model.scenarios]
        for m in members
    ]
    return MemberMatrix(members, [s.name for s in model.scenarios], model.state_names, values)


def pairwise_agreement(model: ScoringModel) -> list[PairAgreement]:
    """Every pair of members who estimated: percent agreement and Cohen's kappa on shared scenarios."""
    members = member_names(model)
    out = []
    for a, b in combinations(members, 2):
        shared = [
            (s.estimates_by_member[a], s.estimates_by_member[b])
            for s in model.scenarios
            if a in s.estimates_by_member and b in s.estimates_by_member
        ]
        agreeing = sum(1 for x, y in shared if x == y)
        percent = 100 * agreeing / len(shared) if shared else None
        kappa = cohen_kappa([x for x, _ in shared], [y for _, y in shared]) if shared else None
        out.append(PairAgreement(a, b, len(shared), agreeing, percent, kappa))
    return out


def room_fleiss_kappa(model: ScoringModel) -> tuple[float | None, int]:
    """Fleiss' kappa over scenarios with ≥ 2 member estimates, and how many scenarios that is."""
    states = list(model.state_names)
    for scenario in model.scenarios:  # a draft may name a state the model lacks: still a category
        for s in scenario.estimates_by_member.values():
            if s not in states:
                states.append(s)
    table = []
    for scenario in model.scenarios:
        chosen = Counter(scenario.estimates_by_member.values())
        if sum(chosen.values()) >= 2:
            table.append([chosen.get(s, 0) for s in states])
    return fleiss_kappa(table), len(table)


def alignment(model: ScoringModel) -> Alignment:
    """The whole alignment picture of the room (see the module docstring for the decisions)."""
    kappa, rated = room_fleiss_kappa(model)
    return Alignment(
        members=member_names(model),
        pairs=pairwise_agreement(model),
        fleiss_kappa=kappa,
        fleiss_scenarios=rated,
        spreads=scenario_spreads(model),
        matrix=member_matrix(model),
    )


def kappa_reading(kappa: float | None) -> str:
    """A kappa in words, by the bands of Landis & Koch (1977): ``moderate agreement``."""
    if kappa is None:
        return "not defined (every estimate is the same state, or too few estimates)"
    if kappa < 0:
        return "poor: less than chance"
    for top, word in ((0.20, "slight"), (0.40, "fair"), (0.60, "moderate"), (0.80, "substantial")):
        if kappa <= top:
            return f"{word} agreement"
    return "almost perfect agreement"
