"""Raw cells that exercise a match key: what a messy lead list holds around each rule.

Used through each key's ``samples`` and ``misses`` in :data:`workbook.match.rules.RULE_KEYS`
by :mod:`workbook.leads.synthetic` (generated lead lists for tests, benchmarks and demos).
Deterministic for a given random generator.
"""

from __future__ import annotations

import datetime as dt

import numpy as np

PREFIXES = ["", "Senior ", "Global ", "Interim ", "EMEA ", "Deputy "]
SUFFIXES = ["", " Manager", " (acting)", ", North America", " & Strategy", "s"]


def vary_case(rng: np.random.Generator, text: str) -> str:
    kind = rng.integers(0, 4)
    if kind == 0:
        return text.upper()
    if kind == 1:
        return text.lower()
    if kind == 2:
        return text.title()
    return text


def pad(rng: np.random.Generator, text: str) -> str:
    return " " * int(rng.integers(0, 2)) + text + " " * int(rng.integers(0, 3))


def equal_texts(rng: np.random.Generator, items: list[str]) -> list[str]:
    """Each listed text twice, in mixed case and with stray spaces."""
    return [pad(rng, vary_case(rng, item)) for item in items for _ in range(2)]


def containing_texts(rng: np.random.Generator, items: list[str]) -> list[str]:
    """Each substring twice, inside a longer title."""
    return [vary_case(rng, rng.choice(PREFIXES) + item + rng.choice(SUFFIXES)) for item in items for _ in range(2)]


def number_texts(rng: np.random.Generator, lo: float | None, hi: float | None) -> list[str]:
    """Numbers on and around both band edges, written several ways, and a few inside the band."""
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


def date_texts(rng: np.random.Generator, as_of: dt.date, days: int) -> list[str]:
    """Dates on and around the recency window, in several ISO forms."""
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


def not_dates(as_of: dt.date) -> list[str]:
    """Texts that look like dates but are not (or are in the future)."""
    return ["2026-02-30", "15/01/2026", "2026-13-01", (as_of + dt.timedelta(days=400)).isoformat()]
