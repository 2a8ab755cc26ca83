"""The simulator's plumbing, shared by the five platform packs: leads as matched values, bands, states,
and the fidelity report (:func:`measure`).

Each pack's ``simulate`` turns the value each lead matched (the project's own matching,
:mod:`workbook.match.columns`) into the profile band, the engagement band and the knockout
the platform would give; :func:`measure` compares the resulting state with the engine's, over
the model's scenarios and over a lead list. Split from :mod:`workbook.export.platforms.common`
(which re-exports every name here) to keep each module under ~450 lines.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.engine import evaluate_scenario
from workbook.leads.reading import check_columns
from workbook.leads.scoring import score_leads
from workbook.match.columns import ColumnView, factor_labels
from workbook.model import Activity, ProfileAttribute, ScoringModel, Value

Factor = ProfileAttribute | Activity


# --------------------------------------------------------------------------------------------
# Leads as matched value indexes
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Labels:
    """Per lead, the index of the value each factor matched (``len(values)`` = none matched)."""

    profile: np.ndarray  # (leads, profile factors), int
    engagement: np.ndarray  # (leads, activities), int

    def __len__(self) -> int:
        return self.profile.shape[0]


def _index(factor: Factor, label: str | None) -> int:
    return next((i for i, v in enumerate(factor.values) if v.label == label), len(factor.values))


def scenario_labels(model: ScoringModel) -> Labels:
    """The model's scenarios as value indexes."""
    profile = [[_index(f, s.profile.get(f.name)) for f in model.profile] for s in model.scenarios]
    engagement = [[_index(f, s.engagement.get(f.name)) for f in model.engagement] for s in model.scenarios]
    n = len(model.scenarios)
    return Labels(
        np.array(profile, dtype=np.int64).reshape(n, len(model.profile)),
        np.array(engagement, dtype=np.int64).reshape(n, len(model.engagement)),
    )


def lead_labels(model: ScoringModel, frame: pd.DataFrame, as_of: dt.date) -> Labels:
    """Each lead's matched values, with the project's matching (first matching value wins)."""
    check_columns(model, frame)
    views: dict[str, ColumnView] = {}

    def indexes(factors: Sequence[Factor]) -> np.ndarray:
        out = np.empty((len(frame), len(factors)), dtype=np.int64)
        for j, f in enumerate(factors):
            view = views.setdefault(f.source_column, ColumnView(frame[f.source_column]))
            out[:, j] = factor_labels(list(f.values), view, as_of)[view.codes]
        return out

    return Labels(indexes(model.profile), indexes(model.engagement))


def points_table(factors: Sequence[Factor], points: Callable[[Factor, Value], int | float]) -> list[np.ndarray]:
    """Per factor: points per value index, with 0 for "none matched" in the last slot."""
    return [np.array([points(f, v) for v in f.values] + [0], dtype=float) for f in factors]


def add_up(table: list[np.ndarray], idx: np.ndarray) -> np.ndarray:
    """Each lead's total: the sum over factors of the points of the value it matched."""
    total = np.zeros(idx.shape[0])
    for j, pts in enumerate(table):
        total += pts[idx[:, j]]
    return total


def band_of(scores: np.ndarray, thresholds: Sequence[float]) -> np.ndarray:
    """Band index per lead: the first (best) band whose threshold the score reaches; else the last."""
    out = np.full(len(scores), len(thresholds) - 1, dtype=np.int64)
    for i in range(len(thresholds) - 1, -1, -1):
        out[scores >= thresholds[i]] = i
    return out


def knocked_out(model: ScoringModel, labels: Labels) -> np.ndarray:
    """Leads that matched a knockout value (SPEC §3.5)."""
    out = np.zeros(len(labels), dtype=bool)
    for factors, idx in ((model.profile, labels.profile), (model.engagement, labels.engagement)):
        for j, f in enumerate(factors):
            flags = np.array([v.knockout for v in f.values] + [False])
            out |= flags[idx[:, j]]
    return out


# --------------------------------------------------------------------------------------------
# Simulation and the fidelity report
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Simulated:
    """What a platform makes of each lead: band indexes on both axes and whether it knocks out."""

    grade: np.ndarray
    level: np.ndarray
    knockout: np.ndarray  # True where the platform gives the knockout state whatever the cell


def states(model: ScoringModel, sim: Simulated) -> np.ndarray:
    """The state the platform's rules give each lead (cell → matrix, knockout → knockout state)."""
    cells = np.array([model.matrix.get(c) for c in model.cells] + [None], dtype=object)
    cell = sim.grade * len(model.levels) + sim.level
    out = cells[cell]
    out[sim.knockout] = model.effective_knockout_state
    return out


@dataclass(frozen=True)
class ScenarioChange:
    """A scenario whose state on the platform differs from the model's."""

    name: str
    model_cell: str | None
    model_state: str | None
    platform_cell: str
    platform_state: str | None

    def sentence(self) -> str:
        return (
            f"“{self.name}”: the model says {self.model_state} ({self.model_cell}), "
            f"the platform {self.platform_state} ({self.platform_cell})"
        )


@dataclass(frozen=True)
class FidelityReport:
    """How much of the model a platform keeps: approximations in words, and measured figures."""

    platform: str
    approximations: tuple[str, ...]
    scenarios: int
    scenario_changes: tuple[ScenarioChange, ...]
    leads: int | None = None
    leads_preserved: int | None = None
    moves: dict[tuple[str, str], int] = field(default_factory=dict)  # (model state, platform state) → leads

    @property
    def share(self) -> float | None:
        """Share of leads whose state the platform preserves (None without a lead list)."""
        if not self.leads:
            return None
        return (self.leads_preserved or 0) / self.leads

    def text(self) -> str:
        """The report in words, as the guide, the app and the CLI show it."""
        lines = [f"# How faithfully {self.platform} reproduces the model", ""]
        if self.share is not None:
            lines.append(
                f"On the lead list, {self.leads_preserved:,} of {self.leads:,} leads "
                f"({self.share:.1%}) keep their state."
            )
            for (was, now), count in sorted(self.moves.items(), key=lambda kv: -kv[1])[:8]:
                lines.append(f"- {count:,} leads move from {was} to {now}")
            lines.append("")
        kept = self.scenarios - len(self.scenario_changes)
        lines.append(f"{kept} of {self.scenarios} scenarios keep their state.")
        lines += [f"- {c.sentence()}" for c in self.scenario_changes]
        lines += ["", "## What is approximated, and how", ""]
        lines += [f"- {a}" for a in self.approximations] or ["- Nothing: the platform expresses the whole model."]
        return "\n".join(lines) + "\n"


Simulator = Callable[[Labels], Simulated]


def measure(
    model: ScoringModel,
    platform: str,
    simulate: Simulator,
    approximations: Sequence[str],
    leads_frame: pd.DataFrame | None = None,
    as_of: dt.date | None = None,
) -> FidelityReport:
    """Run a platform's simulator over the scenarios (and a lead list) and compare states."""
    as_of = as_of or dt.date.today()
    if not model.grades or not model.levels or not model.states:
        note = "The model has no grades, levels or states yet: there is nothing to simulate."
        return FidelityReport(platform, (*approximations, note), len(model.scenarios), ())
    changes = []
    if model.scenarios:
        sim = simulate(scenario_labels(model))
        got = states(model, sim)
        for i, scenario in enumerate(model.scenarios):
            result = evaluate_scenario(model, scenario).result
            if got[i] != result.state:
                cell = model.grades[sim.grade[i]] + model.levels[sim.level[i]]
                changes.append(ScenarioChange(scenario.name, result.cell, result.state, cell, got[i]))
    leads = preserved = None
    moves: dict[tuple[str, str], int] = {}
    if leads_frame is not None:
        truth = score_leads(model, leads_frame, as_of, quality=False).frame["state"].astype(object).to_numpy()
        got = states(model, simulate(lead_labels(model, leads_frame, as_of)))
        same = got == truth
        leads, preserved = len(truth), int(same.sum())
        pairs = pd.Series(list(zip(truth[~same], got[~same], strict=True)), dtype=object).value_counts()
        moves = {(str(a), str(b)): int(n) for (a, b), n in pairs.items()}
    n = len(model.scenarios)
    return FidelityReport(platform, tuple(approximations), n, tuple(changes), leads, preserved, moves)
