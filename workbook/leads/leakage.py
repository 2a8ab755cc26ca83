"""Leakage guard: attributes whose values nearly determine the outcome.

A column filled in *after* the lead was contacted (a counsellor's tag, a lead-quality verdict,
the last activity a salesperson logged) makes any backtest look better than the model will do
on new leads: it scores sales' own verdict. Such columns cannot be recognised by name, but
they leave a trace in the data, and this module looks for two:

* **one column ranks the leads almost alone**: the in-sample AUC of the attribute's column by
  itself (each distinct raw value ranked by its own conversion rate; values with fewer than
  ``min_leads`` leads pooled, so that an id column or a free number does not rank by chance)
  or of the model's values of it is at least ``auc_bound`` (default 0.85 — a whole scoring
  model rarely does better);
* **one value is nearly certain**: a raw value or a model value held by at least
  ``min_share`` of the leads (and ``min_leads`` leads) converts at ``1 - near`` or more, or at
  ``near`` or less (default 3 %).

The team may also *declare* columns it knows are filled after contact (``declared``); those are
flagged whatever the data say. A flagged attribute is left out of data-suggested weights
(:mod:`workbook.leads.fit`) unless the team keeps it on purpose (``keep``). The test is a
warning light, not a proof: a genuinely decisive attribute is flagged too, and the words say
why so that the room can decide.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Collection
from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from workbook.leads.evidence import FactorValues, auc, factor_values, value_rates
from workbook.leads.reports import parse_outcome
from workbook.match import WHITESPACE, cell_text
from workbook.model import ScoringModel

AUC_BOUND = 0.85
NEAR = 0.03
MIN_SHARE = 0.02
MIN_LEADS = 30


@dataclass(frozen=True)
class NearlyCertain:
    """A value whose leads nearly all converted, or nearly none did."""

    value: str  # the raw cell (or the model's label, marked by ``of_model``)
    leads: int
    rate: float
    of_model: bool = False

    def as_dict(self) -> dict[str, object]:
        return {"value": self.value, "leads": self.leads, "rate": self.rate, "model_value": self.of_model}


@dataclass(frozen=True)
class LeakCheck:
    """The leakage test of one attribute or activity."""

    section: str
    attribute: str
    column: str
    column_auc: float | None  # the raw column alone, in-sample
    value_auc: float | None  # the model's values alone, in-sample
    nearly_certain: list[NearlyCertain] = field(default_factory=list)
    declared: bool = False
    kept: bool = False
    auc_bound: float = AUC_BOUND

    @property
    def flagged(self) -> bool:
        return self.declared or bool(self.nearly_certain) or self.best_auc >= self.auc_bound

    @property
    def left_out(self) -> bool:
        """Left out of suggestions: flagged and not kept on purpose."""
        return self.flagged and not self.kept

    @property
    def best_auc(self) -> float:
        return max((a for a in (self.column_auc, self.value_auc) if a is not None), default=0.5)

    def reasons(self) -> list[str]:
        """Why the attribute is flagged, in plain words (empty when it is not)."""
        out = []
        if self.declared:
            out.append(f"the team marked the column '{self.column}' as filled after the lead is contacted")
        if self.best_auc >= self.auc_bound:
            out.append(
                f"on its own, '{self.column}' ranks converted leads above the others with an AUC of "
                f"{self.best_auc:.2f} (bound {self.auc_bound:.2f}): a column that good is usually written "
                "after sales spoke to the lead"
            )
        for v in self.nearly_certain[:3]:
            what = "the model's value" if v.of_model else "the value"
            out.append(f"{what} '{v.value}' ({v.leads:,} leads) converted {v.rate:.1%}: it nearly decides the outcome")
        return out

    def as_dict(self) -> dict[str, object]:
        return {
            "section": self.section,
            "attribute": self.attribute,
            "column": self.column,
            "column_auc": self.column_auc,
            "value_auc": self.value_auc,
            "nearly_certain": [v.as_dict() for v in self.nearly_certain],
            "declared": self.declared,
            "flagged": self.flagged,
            "kept": self.kept,
            "left_out": self.left_out,
            "reasons": self.reasons(),
        }


def find_leaks(
    model: ScoringModel,
    frame: pd.DataFrame,
    outcome_column: str,
    *,
    as_of: dt.date | None = None,
    declared: Collection[str] = (),
    keep: Collection[str] = (),
    auc_bound: float = AUC_BOUND,
    near: float = NEAR,
    min_share: float = MIN_SHARE,
    min_leads: int = MIN_LEADS,
    values: list[FactorValues] | None = None,
) -> list[LeakCheck]:
    """The leakage test of every attribute and activity of ``model`` on a list with an outcome.

    ``declared`` names columns (or attribute names) the team knows are filled after contact;
    ``keep`` names attributes (or columns) the team keeps on purpose even when flagged.
    ``values`` may pass :func:`workbook.leads.evidence.factor_values` already computed.
    """
    outcome = parse_outcome(frame[outcome_column])
    known = ~np.isnan(outcome)
    n_known = int(known.sum())
    floor = max(min_leads, int(np.ceil(min_share * n_known)))
    values = values if values is not None else factor_values(model, frame, as_of)
    raw_cache: dict[str, tuple[float | None, list[NearlyCertain]]] = {}
    out = []
    for fv in values:
        if fv.column not in raw_cache:
            raw_cache[fv.column] = _raw_column(frame[fv.column], outcome, floor, min_leads, near)
        column_auc, certain = raw_cache[fv.column]
        rates = value_rates(fv.codes, fv.labels, outcome)
        value_auc = auc(outcome, _rate_score(fv.codes, [r.rate for r in rates], outcome))
        mapped = [
            NearlyCertain(r.label, r.leads, r.rate, of_model=True)
            for r in rates
            if r.label is not None and r.rate is not None and r.leads >= floor and _near(r.rate, near)
        ]
        seen = {v.value.lower() for v in certain}
        mapped = [v for v in mapped if v.value.lower() not in seen]
        names = {fv.name, fv.column}
        out.append(
            LeakCheck(
                fv.section, fv.name, fv.column, column_auc, value_auc, [*certain, *mapped],
                declared=bool(names & set(declared)), kept=bool(names & set(keep)), auc_bound=auc_bound,
            )
        )
    return out


def _near(rate: float, near: float) -> bool:
    return rate >= 1 - near or rate <= near


def _rate_score(codes: np.ndarray, rates: list[float | None], outcome: np.ndarray) -> np.ndarray:
    table = np.array([np.nan if r is None else r for r in rates], dtype=float)
    base = float(np.nanmean(outcome)) if np.any(~np.isnan(outcome)) else 0.0
    return np.nan_to_num(table, nan=base)[codes]


def _raw_column(
    column: pd.Series, outcome: np.ndarray, floor: int, min_leads: int, near: float
) -> tuple[float | None, list[NearlyCertain]]:
    """In-sample AUC of the raw column alone (rare values pooled) and its nearly-certain values."""
    known = ~np.isnan(outcome)
    codes, uniques = pd.factorize(column, use_na_sentinel=True)
    keys = [_key(u) for u in uniques] + [""]
    # one group per distinct stripped, case-folded text; NA and blank together
    group_codes, group_names = pd.factorize(pd.Series(keys, dtype=object))
    rows = group_codes[codes]  # NA rows (code -1) take the last slot, the blank group
    size = len(group_names)
    leads = np.bincount(rows[known], minlength=size)
    conv = np.bincount(rows[known], weights=outcome[known], minlength=size)
    common = leads >= min_leads
    pooled_leads = leads[~common].sum()
    pooled_rate = conv[~common].sum() / pooled_leads if pooled_leads else 0.0
    rate = np.where(common, conv / np.maximum(leads, 1), pooled_rate)
    column_auc = auc(outcome, rate[rows])
    certain = []
    for i in np.flatnonzero(leads >= floor):
        r = float(conv[i] / leads[i])
        if _near(r, near):
            label = _display(uniques, keys, group_names[i])
            certain.append(NearlyCertain(label, int(leads[i]), r))
    certain.sort(key=lambda v: -v.leads)
    return column_auc, certain


def _key(cell: object) -> str:
    text = cell_text(cell)
    return text.strip(WHITESPACE).casefold() if text is not None else ""


def _display(uniques: object, keys: list[str], key: str) -> str:
    if key == "":
        return "(empty)"
    for u, k in zip(uniques, keys, strict=False):
        if k == key:
            return str(cell_text(u)).strip(WHITESPACE)
    return key  # pragma: no cover
