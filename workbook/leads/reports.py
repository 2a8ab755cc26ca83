"""Reports on a scored lead list: how many leads land in each cell and state, and — given an
outcome column such as ``Converted`` — how often each cell and state converted.

An outcome cell reads as converted for ``1``, ``yes``, ``y``, ``true`` and as not converted for
``0``, ``no``, ``n``, ``false`` (case-insensitive, surrounding spaces ignored, ``1.0``/``0.0``
too). Anything else, empty included, is an unknown outcome: such leads are counted but left out
of every rate. A state's lift is its conversion rate divided by the base rate of the whole list.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.match import WHITESPACE, cell_text
from workbook.model import ScoringModel

_TRUE = {"1", "1.0", "yes", "y", "true"}
_FALSE = {"0", "0.0", "no", "n", "false"}


@dataclass(frozen=True)
class Group:
    """One cell or state of the grid: its leads and, with an outcome, its conversion."""

    name: str | None  # None: leads without a cell (only with an invalid model)
    count: int
    share: float  # of all leads in the list
    known: int | None = None  # leads with a known outcome
    converted: int | None = None
    rate: float | None = None  # converted / known
    lift: float | None = None  # rate / base rate

    def as_dict(self, key: str) -> dict[str, object]:
        out: dict[str, object] = {key: self.name, "count": self.count, "share": self.share}
        if self.known is not None:
            out |= {"known": self.known, "converted": self.converted, "rate": self.rate, "lift": self.lift}
        return out


@dataclass(frozen=True)
class Distribution:
    rows: int
    cells: list[Group]  # every cell of the grid, best first, then leads without a cell if any
    states: list[Group]  # every state in the model's order, then any other state met

    def as_dict(self) -> dict[str, object]:
        return {
            "count": self.rows,
            "cells": [g.as_dict("cell") for g in self.cells],
            "states": [g.as_dict("state") for g in self.states],
        }


@dataclass(frozen=True)
class Outcome:
    column: str
    rows: int
    known: int
    converted: int
    base_rate: float | None
    unknown_values: list[tuple[object, int]]  # the most common unreadable outcome cells
    cells: list[Group]
    states: list[Group]

    def as_dict(self) -> dict[str, object]:
        return {
            "column": self.column,
            "known": self.known,
            "unknown": self.rows - self.known,
            "unknown_values": [{"value": v, "count": c} for v, c in self.unknown_values],
            "converted": self.converted,
            "base_rate": self.base_rate,
            "cells": [g.as_dict("cell") for g in self.cells],
            "states": [g.as_dict("state") for g in self.states],
        }


def parse_outcome(column: pd.Series) -> np.ndarray:
    """1.0 converted, 0.0 not converted, NaN unknown — per row."""
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    table = np.full(len(uniques) + 1, np.nan)
    for i, u in enumerate(uniques):
        text = cell_text(u)
        key = text.strip(WHITESPACE).lower() if text is not None else ""
        table[i] = 1.0 if key in _TRUE else 0.0 if key in _FALSE else np.nan
    return table[codes]


def _order(model: ScoringModel, values: pd.Series, known_names: Sequence[str]) -> list[str | None]:
    names: list[str | None] = list(dict.fromkeys(known_names))
    present = set(values.dropna().astype(str).unique())
    names += sorted(present - set(names))
    if values.isna().any():
        names.append(None)
    return names


def _groups(values: pd.Series, names: Sequence[str | None], outcome: np.ndarray | None, base: float | None
            ) -> list[Group]:
    rows = len(values)
    keys = values.astype(object).where(values.notna(), None).to_numpy()
    codes, uniques = pd.factorize(pd.Series(keys, dtype=object), use_na_sentinel=True)
    index = {u: i for i, u in enumerate(uniques)}
    counts = np.bincount(codes + 1, minlength=len(uniques) + 1)
    if outcome is not None:
        known_mask = ~np.isnan(outcome)
        known = np.bincount(codes + 1, weights=known_mask, minlength=len(uniques) + 1)
        converted = np.bincount(codes + 1, weights=np.where(known_mask, outcome, 0), minlength=len(uniques) + 1)
    out = []
    for name in names:
        slot = 0 if name is None else index.get(name, -2) + 1
        count = int(counts[slot]) if slot >= 0 else 0
        group = Group(name, count, count / rows if rows else 0.0)
        if outcome is not None:
            k = int(known[slot]) if slot >= 0 else 0
            c = int(converted[slot]) if slot >= 0 else 0
            rate = c / k if k else None
            lift = rate / base if rate is not None and base else None
            group = Group(name, count, group.share, k, c, rate, lift)
        out.append(group)
    return out


def distribution(model: ScoringModel, scored: pd.DataFrame) -> Distribution:
    """Count and share of leads per cell and per state."""
    cells = _order(model, scored["cell"], model.cells)
    states = _order(model, scored["state"], model.state_names)
    return Distribution(
        len(scored), _groups(scored["cell"], cells, None, None), _groups(scored["state"], states, None, None)
    )


def outcome_report(model: ScoringModel, scored: pd.DataFrame, column: str, top: int = 5) -> Outcome:
    """Conversion rate per cell and per state, the base rate and each group's lift."""
    outcome = parse_outcome(scored[column])
    known_mask = ~np.isnan(outcome)
    known = int(known_mask.sum())
    converted = int(outcome[known_mask].sum())
    base = converted / known if known else None
    unknown = scored.loc[~known_mask, column]
    unknown_values = [
        (None if pd.isna(v) else v, int(c)) for v, c in unknown.value_counts(dropna=False, sort=True).head(top).items()
    ]
    cells = _order(model, scored["cell"], model.cells)
    states = _order(model, scored["state"], model.state_names)
    return Outcome(
        column=column,
        rows=len(scored),
        known=known,
        converted=converted,
        base_rate=base,
        unknown_values=unknown_values,
        cells=_groups(scored["cell"], cells, outcome, base),
        states=_groups(scored["state"], states, outcome, base),
    )
