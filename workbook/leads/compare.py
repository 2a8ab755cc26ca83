"""Champion vs challenger: one lead list scored by two models, side by side.

The two models may be two workbooks, two revisions or checkpoints of one, or the current model
and a data suggestion (:mod:`workbook.leads.fit`). The comparison gives:

* the **movement table**: how many leads go from each of the champion's states to each of the
  challenger's (rows: champion, columns: challenger; a lead without a state is counted under
  "no state");
* each model's **conversion per state**, when the list has an outcome column;
* the **workload** each sends to sales — the leads in its sales states, by default every state
  except the last two (Send to sales and Qualify of the usual four; the last two are the ones
  no one calls) — against the SDR capacity, the number of leads the team can work in the
  period the list covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from workbook.leads.reports import Group, outcome_report
from workbook.leads.scoring import score_leads
from workbook.model import ScoringModel

NO_STATE = "no state"


@dataclass(frozen=True)
class Workload:
    """The leads one model sends to sales, against the capacity."""

    sales_states: list[str]
    per_state: list[tuple[str, int]]
    leads: int
    capacity: int | None

    @property
    def utilisation(self) -> float | None:
        """Workload as a share of capacity (above 1: more than the team can work)."""
        return self.leads / self.capacity if self.capacity else None

    @property
    def over_capacity(self) -> int | None:
        return max(0, self.leads - self.capacity) if self.capacity is not None else None

    def as_dict(self) -> dict[str, object]:
        return {"sales_states": self.sales_states, "per_state": dict(self.per_state), "leads": self.leads,
                "capacity": self.capacity, "utilisation": self.utilisation, "over_capacity": self.over_capacity}


@dataclass(frozen=True)
class Comparison:
    """Champion vs challenger on one lead list."""

    champion: str
    challenger: str
    rows: int
    champion_states: list[str]  # the movement table's row names
    challenger_states: list[str]  # its column names
    movement: list[list[int]]  # movement[i][j]: leads from champion state i to challenger state j
    champion_workload: Workload
    challenger_workload: Workload
    champion_conversion: list[Group] | None = None
    challenger_conversion: list[Group] | None = None

    @property
    def moved(self) -> int:
        """Leads whose state has a different name under the challenger."""
        return sum(n for i, row in enumerate(self.movement) for j, n in enumerate(row)
                   if self.champion_states[i] != self.challenger_states[j])

    def movement_frame(self) -> pd.DataFrame:
        """The movement table as a DataFrame (index: champion states, columns: challenger states)."""
        return pd.DataFrame(self.movement, index=self.champion_states, columns=self.challenger_states)

    def as_dict(self) -> dict[str, object]:
        out: dict[str, object] = {
            "champion": self.champion, "challenger": self.challenger, "rows": self.rows, "moved": self.moved,
            "movement": [{"from": a, "to": b, "leads": n} for a, row in zip(self.champion_states, self.movement,
                                                                           strict=True)
                         for b, n in zip(self.challenger_states, row, strict=True)],
            "champion_workload": self.champion_workload.as_dict(),
            "challenger_workload": self.challenger_workload.as_dict(),
        }
        if self.champion_conversion is not None and self.challenger_conversion is not None:
            out["champion_conversion"] = [g.as_dict("state") for g in self.champion_conversion]
            out["challenger_conversion"] = [g.as_dict("state") for g in self.challenger_conversion]
        return out


def default_sales_states(model: ScoringModel) -> list[str]:
    """Every state but the last two (at least the first)."""
    names = model.state_names
    return names[: max(1, len(names) - 2)]


def compare_models(
    champion: ScoringModel,
    challenger: ScoringModel,
    frame: pd.DataFrame,
    *,
    as_of: dt.date | None = None,
    outcome_column: str | None = None,
    capacity: int | None = None,
    champion_sales_states: Sequence[str] | None = None,
    challenger_sales_states: Sequence[str] | None = None,
) -> Comparison:
    """Score ``frame`` with both models and compare states, conversion and workload (see the module notes).

    Raises :class:`workbook.leads.reading.MissingColumns` when a column either model reads is absent,
    and ValueError for an outcome column the list does not have or a negative capacity.
    """
    if outcome_column is not None and outcome_column not in frame.columns:
        raise ValueError(f"the lead list has no column '{outcome_column}'")
    if capacity is not None and capacity < 0:
        raise ValueError("the capacity must be a number of leads, 0 or more")
    a = score_leads(champion, frame, as_of, quality=False).frame
    b = score_leads(challenger, frame, as_of, quality=False).frame
    rows_a = _names(champion, a["state"])
    rows_b = _names(challenger, b["state"])
    index_a = {n: i for i, n in enumerate(rows_a)}
    index_b = {n: i for i, n in enumerate(rows_b)}
    sa = [index_a[s if isinstance(s, str) else NO_STATE] for s in a["state"].astype(object)]
    sb = [index_b[s if isinstance(s, str) else NO_STATE] for s in b["state"].astype(object)]
    movement = np.zeros((len(rows_a), len(rows_b)), dtype=int)
    np.add.at(movement, (np.array(sa, dtype=int), np.array(sb, dtype=int)), 1)
    conv_a = conv_b = None
    if outcome_column is not None:
        conv_a = outcome_report(champion, a, outcome_column).states
        conv_b = outcome_report(challenger, b, outcome_column).states
    return Comparison(
        champion=champion.name,
        challenger=challenger.name,
        rows=len(frame),
        champion_states=rows_a,
        challenger_states=rows_b,
        movement=movement.tolist(),
        champion_workload=_workload(champion, a, champion_sales_states, capacity),
        challenger_workload=_workload(challenger, b, challenger_sales_states, capacity),
        champion_conversion=conv_a,
        challenger_conversion=conv_b,
    )


def _names(model: ScoringModel, states: pd.Series) -> list[str]:
    present = {s for s in states.astype(object) if isinstance(s, str)}
    names = [*model.state_names, *sorted(present - set(model.state_names))]
    if states.isna().any():
        names.append(NO_STATE)
    return names


def _workload(model: ScoringModel, scored: pd.DataFrame, sales_states: Sequence[str] | None,
              capacity: int | None) -> Workload:
    chosen = list(sales_states) if sales_states is not None else default_sales_states(model)
    unknown = [s for s in chosen if s not in model.state_names]
    if unknown:
        raise ValueError(f"not a state of '{model.name}': {', '.join(unknown)}")
    counts = scored["state"].astype(object).value_counts()
    per_state = [(s, int(counts.get(s, 0))) for s in chosen]
    return Workload(chosen, per_state, sum(n for _, n in per_state), capacity)
