"""Synthetic lead lists for a model: realistic, messy raw cells that exercise every match rule.

For each column the model reads, a pool of raw texts is built from the model's own match
rules — the listed texts in mixed case and with stray spaces, substrings inside longer
titles, numbers on and around every band edge (and texts that only look like numbers),
dates on and around every recency window in several ISO forms (and invalid ones), empty
cells, NA — plus text that matches nothing. Rows draw from the pools at random. Used by the
tests, the benchmarks and for demos; deterministic for a given seed.
"""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd

from workbook.match import RULE_KEYS, effective_match
from workbook.model import ScoringModel

_JUNK = ["Select", "n/a", "unknown", "-", "TBD", "???", "Other stuff", "12 seats", "1,000", "N.A."]


def column_pools(model: ScoringModel, as_of: dt.date, seed: int = 0) -> dict[str, list[str | None]]:
    """Per column the model reads: the distinct raw cells rows are drawn from.

    Each match key adds its own ``samples`` around each rule (``RULE_KEYS``), and its ``misses``
    once per column whose values use it.
    """
    rng = np.random.default_rng(seed)
    pools: dict[str, list[str | None]] = {}
    for factor in [*model.profile, *model.engagement]:
        pool = pools.setdefault(factor.source_column, ["", "   ", None, *(_JUNK[i] for i in rng.permutation(5))])
        rules = [effective_match(value) for value in factor.values]
        for rule in rules:
            for key in rule.keys():
                pool += RULE_KEYS[key].samples(rng, rule, as_of)
        for name, key in RULE_KEYS.items():
            if any(getattr(rule, name) is not None for rule in rules):
                pool += key.misses(as_of)
    return {column: list(dict.fromkeys(pool)) for column, pool in pools.items()}


def _columns_reading(model: ScoringModel, form: str) -> set[str]:
    """The columns with a value whose rule reads this form of the cell (``number``, ``date``)."""
    return {
        f.source_column
        for f in [*model.profile, *model.engagement]
        if any(RULE_KEYS[key].reads == form for v in f.values for key in effective_match(v).keys())
    }


def generate_leads(
    model: ScoringModel,
    rows: int,
    *,
    as_of: dt.date | None = None,
    seed: int = 0,
    wide_numbers: bool = False,
    extra_columns: bool = True,
) -> pd.DataFrame:
    """``rows`` synthetic leads for ``model``: one text column per column the model reads.

    ``wide_numbers`` mixes in many distinct numbers and dates (as real lists have) instead of
    only the band-edge pools. ``extra_columns`` adds a lead id and an outcome column
    ``Converted`` (0/1).
    """
    as_of = as_of or dt.date.today()
    rng = np.random.default_rng(seed)
    data: dict[str, object] = {}
    if extra_columns:
        data["Lead ID"] = pd.array([f"L{i:07d}" for i in range(rows)], dtype="str")
    numeric = _columns_reading(model, "number")
    dated = _columns_reading(model, "date")
    for column, pool in column_pools(model, as_of, seed).items():
        choices = np.array(pool, dtype=object)
        cells = choices[rng.integers(0, len(choices), rows)]
        if wide_numbers and column in numeric:
            wide = rng.random(rows) < 0.6
            cells[wide] = rng.integers(0, 20_000, int(wide.sum())).astype(str).astype(object)
        if wide_numbers and column in dated:
            wide = rng.random(rows) < 0.6
            days = rng.integers(0, 500, int(wide.sum()))
            base = np.datetime64(as_of.isoformat())
            cells[wide] = np.datetime_as_string(base - days.astype("timedelta64[D]")).astype(object)
        data[column] = pd.array(cells, dtype="str")
    if extra_columns and "Converted" not in data:
        data["Converted"] = pd.array(rng.integers(0, 2, rows).astype(str), dtype="str")
    return pd.DataFrame(data)
