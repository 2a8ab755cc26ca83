"""Funnel outcomes: how far each cell's and each state's leads went, and the wins the model let go.

A lead list may say how far each lead went through the funnel in one of two shapes:

* **one ordered column** (``stage_column``) naming the furthest stage reached, e.g. ``MQL``,
  ``Sales accepted``, ``Opportunity``, ``Won`` — reaching a stage implies every earlier one.
  Cells are compared with the stage names case-insensitively, surrounding spaces ignored; an
  empty cell reached no stage; any other text (e.g. ``Closed lost``) also counts as no stage
  and is listed in :attr:`Funnel.unrecognised` so that the room sees it;
* **one 0/1 column per stage** (``stage_columns``, in funnel order), read like an outcome
  column (1/0, yes/no, true/false); an unreadable cell counts as not reached.

The last stage is the win. An optional ``amount_column`` (a number per lead) gives the
**pipeline value** (the amount of the leads that reached ``pipeline_stage``, by default the
stage before the win) and the **won value** (the amount of the won leads).

**Missed wins** are the wins the model sent to a state where no one calls: by default the
model's last two states (Nurture and Ignore in the usual four), or the states given.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.leads.reports import parse_outcome
from workbook.match import WHITESPACE, cell_text, parse_number
from workbook.model import ScoringModel


class FunnelError(ValueError):
    """The funnel columns cannot be read as described."""


@dataclass(frozen=True)
class FunnelGroup:
    """One cell, state or the whole list: leads, how many reached each stage, win rate and values."""

    name: str | None
    leads: int
    reached: list[int]  # per stage, in funnel order
    pipeline_value: float | None = None
    won_value: float | None = None

    @property
    def wins(self) -> int:
        return self.reached[-1] if self.reached else 0

    @property
    def win_rate(self) -> float | None:
        return self.wins / self.leads if self.leads else None

    def conversion(self) -> list[float | None]:
        """Per stage, the share of the group's leads that reached it."""
        return [r / self.leads if self.leads else None for r in self.reached]

    def step_rates(self) -> list[float | None]:
        """Per stage, the share of the leads that reached the stage before it (the first: of all)."""
        before = [self.leads, *self.reached[:-1]]
        return [r / b if b else None for r, b in zip(self.reached, before, strict=True)]

    def as_dict(self, key: str, stages: Sequence[str]) -> dict[str, object]:
        return {
            key: self.name,
            "leads": self.leads,
            "reached": dict(zip(stages, self.reached, strict=True)),
            "conversion": dict(zip(stages, self.conversion(), strict=True)),
            "step_rate": dict(zip(stages, self.step_rates(), strict=True)),
            "wins": self.wins,
            "win_rate": self.win_rate,
            "pipeline_value": self.pipeline_value,
            "won_value": self.won_value,
        }


@dataclass(frozen=True)
class Funnel:
    """The funnel per cell and per state, the whole list, and the wins the model would have missed."""

    stages: list[str]
    total: FunnelGroup
    cells: list[FunnelGroup]
    states: list[FunnelGroup]
    missed_states: list[str]
    missed_wins: int
    missed_value: float | None
    unrecognised: list[tuple[str, int]] = field(default_factory=list)

    @property
    def missed_share(self) -> float | None:
        """Missed wins as a share of all wins."""
        return self.missed_wins / self.total.wins if self.total.wins else None

    def sentence(self) -> str:
        states = " or ".join(self.missed_states)
        share = f" ({self.missed_share:.0%} of all wins)" if self.missed_share is not None else ""
        return f"The model would have sent {self.missed_wins:,} of the wins to {states}{share}."

    def as_dict(self) -> dict[str, object]:
        return {
            "stages": self.stages,
            "total": self.total.as_dict("list", self.stages),
            "cells": [g.as_dict("cell", self.stages) for g in self.cells],
            "states": [g.as_dict("state", self.stages) for g in self.states],
            "missed_states": self.missed_states,
            "missed_wins": self.missed_wins,
            "missed_share": self.missed_share,
            "missed_value": self.missed_value,
            "unrecognised": [{"value": v, "count": c} for v, c in self.unrecognised],
        }


def stages_reached(
    frame: pd.DataFrame,
    *,
    stage_column: str | None = None,
    stages: Sequence[str] | None = None,
    stage_columns: Sequence[str] | None = None,
) -> tuple[list[str], np.ndarray, list[tuple[str, int]]]:
    """(stage names, a leads × stages 0/1 matrix of stages reached, unrecognised cells and counts)."""
    if (stage_column is None) == (stage_columns is None):
        raise FunnelError("give either one ordered stage column (with its stages) or one column per stage")
    if stage_columns is not None:
        names = list(stage_columns)
        if not names:
            raise FunnelError("no stage columns given")
        _require(frame, names)
        reached = np.column_stack([np.nan_to_num(parse_outcome(frame[c]), nan=0.0) for c in names])
        return names, reached.astype(bool), []
    assert stage_column is not None
    if not stages:
        raise FunnelError(f"the stage column '{stage_column}' needs its stages in funnel order")
    _require(frame, [stage_column])
    names = list(stages)
    order = {s.strip(WHITESPACE).casefold(): i for i, s in enumerate(names)}
    codes, uniques = pd.factorize(frame[stage_column], use_na_sentinel=True)
    level = np.full(len(uniques) + 1, -1)
    unrecognised: list[tuple[str, int]] = []
    counts = np.bincount(codes + 1, minlength=len(uniques) + 1)[1:]
    for i, u in enumerate(uniques):
        text = cell_text(u)
        key = text.strip(WHITESPACE).casefold() if text is not None else ""
        if key in order:
            level[i] = order[key]
        elif key:
            unrecognised.append((text.strip(WHITESPACE), int(counts[i])))  # type: ignore[union-attr]
    furthest = level[codes]
    reached = furthest[:, None] >= np.arange(len(names))[None, :]
    unrecognised.sort(key=lambda vc: -vc[1])
    return names, reached, unrecognised


def _require(frame: pd.DataFrame, columns: Sequence[str]) -> None:
    absent = [c for c in columns if c not in frame.columns]
    if absent:
        raise FunnelError("the lead list has no column " + ", ".join(f"'{c}'" for c in absent))


def funnel_report(
    model: ScoringModel,
    scored: pd.DataFrame,
    *,
    stage_column: str | None = None,
    stages: Sequence[str] | None = None,
    stage_columns: Sequence[str] | None = None,
    amount_column: str | None = None,
    pipeline_stage: str | None = None,
    missed_states: Sequence[str] | None = None,
) -> Funnel:
    """The funnel of a scored lead list (the output of :func:`workbook.leads.score_leads`) per cell and state.

    Describe the funnel with ``stage_column`` + ``stages``, or ``stage_columns`` (see the module
    notes). ``missed_states`` default: the model's last two states.
    """
    names, reached, unrecognised = stages_reached(scored, stage_column=stage_column, stages=stages,
                                                  stage_columns=stage_columns)
    amount = None
    if amount_column is not None:
        _require(scored, [amount_column])
        amount = np.array([parse_number(x) or 0.0 for x in scored[amount_column].tolist()], dtype=float)
    pipe = len(names) - 2 if len(names) >= 2 else 0
    if pipeline_stage is not None:
        if pipeline_stage not in names:
            raise FunnelError(f"the pipeline stage '{pipeline_stage}' is not one of the stages: {', '.join(names)}")
        pipe = names.index(pipeline_stage)
    missed = list(missed_states) if missed_states is not None else model.state_names[-2:]
    unknown = [s for s in missed if s not in model.state_names]
    if unknown:
        raise FunnelError(f"not a state of the model: {', '.join(unknown)}")

    def group(name: str | None, mask: np.ndarray) -> FunnelGroup:
        hits = reached[mask]
        pv = wv = None
        if amount is not None:
            pv = float(amount[mask][hits[:, pipe]].sum())
            wv = float(amount[mask][hits[:, -1]].sum())
        return FunnelGroup(name, int(mask.sum()), [int(x) for x in hits.sum(axis=0)], pv, wv)

    cells = scored["cell"].astype(object).to_numpy()
    state = scored["state"].astype(object).to_numpy()
    cell_names = list(dict.fromkeys([*model.cells, *sorted({c for c in cells if isinstance(c, str)})]))
    state_names = list(dict.fromkeys([*model.state_names, *sorted({s for s in state if isinstance(s, str)})]))
    missed_mask = np.isin(state, missed) & reached[:, -1]
    return Funnel(
        stages=names,
        total=group(None, np.ones(len(scored), dtype=bool)),
        cells=[group(c, cells == c) for c in cell_names],
        states=[group(s, state == s) for s in state_names],
        missed_states=missed,
        missed_wins=int(missed_mask.sum()),
        missed_value=float(amount[missed_mask].sum()) if amount is not None else None,
        unrecognised=unrecognised,
    )
