"""Counts per cell and per state (and conversions, given an outcome column), batch by batch.

The same figures as :func:`workbook.leads.distribution` and :func:`workbook.leads.outcome_report`
on the whole scored list, without holding it: each batch adds its counts.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

import numpy as np
import pandas as pd

from workbook.leads.reports import Distribution, Group, Outcome, parse_outcome
from workbook.model import ScoringModel

_UNKNOWN_KEPT = 10_000  # distinct unreadable outcome cells remembered (only the top 5 are reported)


class Tally:
    """Running counts of a scored list."""

    def __init__(self, model: ScoringModel, outcome: str | None = None):
        self.model = model
        self.outcome = outcome
        self.rows = 0
        self.knocked_out = 0
        self.counts = {"cell": Counter(), "state": Counter()}
        self.known = {"cell": Counter(), "state": Counter()}
        self.converted = {"cell": Counter(), "state": Counter()}
        self.unknown_values: Counter = Counter()

    def add(self, batch: pd.DataFrame) -> None:
        self.rows += len(batch)
        self.knocked_out += int(batch["knocked_out"].astype(bool).sum())
        result = parse_outcome(batch[self.outcome]) if self.outcome is not None else None
        for key in ("cell", "state"):
            names = batch[key].astype(object).where(batch[key].notna(), None)
            for name, count in names.value_counts(dropna=False).items():
                self.counts[key][_name(name)] += int(count)
            if result is not None:
                known = ~np.isnan(result)
                frame = pd.DataFrame({"g": names, "k": known, "c": np.where(known, result, 0.0)})
                sums = frame.groupby("g", dropna=False).sum()
                for name, row in sums.iterrows():
                    self.known[key][_name(name)] += int(row["k"])
                    self.converted[key][_name(name)] += int(row["c"])
        if result is not None:
            unknown = batch.loc[np.isnan(result), self.outcome]
            for value, count in unknown.value_counts(dropna=False).items():
                value = None if pd.isna(value) else value
                if value in self.unknown_values or len(self.unknown_values) < _UNKNOWN_KEPT:
                    self.unknown_values[value] += int(count)

    def _order(self, key: str, known_names: Sequence[str]) -> list[str | None]:
        names: list[str | None] = list(dict.fromkeys(known_names))
        present = {n for n, c in self.counts[key].items() if c and n is not None}
        names += sorted(present - set(names))
        if self.counts[key].get(None):
            names.append(None)
        return names

    def _groups(self, key: str, names: Sequence[str | None], base: float | None) -> list[Group]:
        out = []
        for name in names:
            count = self.counts[key].get(name, 0)
            share = count / self.rows if self.rows else 0.0
            if self.outcome is None:
                out.append(Group(name, count, share))
                continue
            k, c = self.known[key].get(name, 0), self.converted[key].get(name, 0)
            rate = c / k if k else None
            lift = rate / base if rate is not None and base else None
            out.append(Group(name, count, share, k, c, rate, lift))
        return out

    def distribution(self) -> Distribution:
        """Count and share per cell and per state, as :func:`workbook.leads.distribution`."""
        return Distribution(self.rows, self._groups("cell", self._order("cell", self.model.cells), None),
                            self._groups("state", self._order("state", self.model.state_names), None))

    def outcome_report(self, top: int = 5) -> Outcome | None:
        """Conversion per cell and state, as :func:`workbook.leads.outcome_report`; None without an outcome."""
        if self.outcome is None:
            return None
        known = sum(self.known["state"].values())
        converted = sum(self.converted["state"].values())
        base = converted / known if known else None
        return Outcome(
            column=self.outcome, rows=self.rows, known=known, converted=converted, base_rate=base,
            unknown_values=self.unknown_values.most_common(top),
            cells=self._groups("cell", self._order("cell", self.model.cells), base),
            states=self._groups("state", self._order("state", self.model.state_names), base),
        )


def _name(value: object) -> str | None:
    return None if value is None or (isinstance(value, float) and np.isnan(value)) else str(value)
