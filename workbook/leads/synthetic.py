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

from workbook.match import effective_match
from workbook.model import ScoringModel

_JUNK = ["Select", "n/a", "unknown", "-", "TBD", "???", "Other stuff", "12 seats", "1,000", "N.A."]
_PREFIXES = ["", "Senior ", "Global ", "Interim ", "EMEA ", "Deputy "]
_SUFFIXES = ["", " Manager", " (acting)", ", North America", " & Strategy", "s"]


def _vary_case(rng: np.random.Generator, text: str) -> str:
    kind = rng.integers(0, 4)
    if kind == 0:
        return text.upper()
    if kind == 1:
        return text.lower()
    if kind == 2:
        return text.title()
    return text


def _pad(rng: np.random.Generator, text: str) -> str:
    return " " * int(rng.integers(0, 2)) + text + " " * int(rng.integers(0, 3))


def _number_texts(rng: np.random.Generator, lo: float | None, hi: float | None) -> list[str]:
    out = []
    for edge in (lo, hi):
        if edge is None:
            continue
        for delta in (-1, -0.5, -0.001, 0, 0.001, 0.5, 1):
            value = edge + delta
            out.append(repr(value) if not float(value).is_integer() else str(int(value)))
        out += [f"{edge:.1f}", f" {edge:g} ", f"+{edge:g}", f"{edge:.3e}"]
    a = lo if lo is not None else (hi - 1000 if hi is not None else 0)
    b = hi if hi is not None else a + 1000
    out += [str(int(x)) for x in rng.uniform(a, b, 6)] + [f"{x:.2f}" for x in rng.uniform(a, b, 3)]
    return out


def _date_texts(rng: np.random.Generator, as_of: dt.date, days: int) -> list[str]:
    out = []
    for back in (-1, 0, 1, days - 1, days, days + 1, int(rng.integers(0, days + 1))):
        day = as_of - dt.timedelta(days=back)
        form = int(rng.integers(0, 4))
        text = day.isoformat()
        if form == 1:
            text += "T09:30:00"
        elif form == 2:
            text += " 23:59:59.123+05:30"
        elif form == 3:
            text += "T00:00Z"
        out.append(text)
    return out


def column_pools(model: ScoringModel, as_of: dt.date, seed: int = 0) -> dict[str, list[str | None]]:
    """Per column the model reads: the distinct raw cells rows are drawn from."""
    rng = np.random.default_rng(seed)
    pools: dict[str, list[str | None]] = {}
    for factor in [*model.profile, *model.engagement]:
        pool = pools.setdefault(factor.source_column, ["", "   ", None, *(_JUNK[i] for i in rng.permutation(5))])
        for value in factor.values:
            rule = effective_match(value)
            for item in rule.equals or []:
                pool += [_pad(rng, _vary_case(rng, item)) for _ in range(2)]
            for item in rule.contains or []:
                pool += [
                    _vary_case(rng, rng.choice(_PREFIXES) + item + rng.choice(_SUFFIXES)) for _ in range(2)
                ]
            if rule.min is not None or rule.max is not None:
                pool += _number_texts(rng, rule.min, rule.max)
            if rule.within_days is not None:
                pool += _date_texts(rng, as_of, rule.within_days)
        if any(effective_match(v).within_days is not None for v in factor.values):
            pool += ["2026-02-30", "15/01/2026", "2026-13-01", (as_of + dt.timedelta(days=400)).isoformat()]
    return {column: list(dict.fromkeys(pool)) for column, pool in pools.items()}


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
    numeric = {
        f.source_column
        for f in [*model.profile, *model.engagement]
        if any(effective_match(v).min is not None or effective_match(v).max is not None for v in f.values)
    }
    dated = {
        f.source_column
        for f in [*model.profile, *model.engagement]
        if any(effective_match(v).within_days is not None for v in f.values)
    }
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
