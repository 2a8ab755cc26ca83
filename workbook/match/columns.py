"""SPEC §4 matching, vectorized: a lead-list column is factorized once and every match rule is
evaluated on its distinct values only, so matching costs O(distinct values), not O(rows).

The forms here (text, number, date, emptiness per distinct value) are those of
:mod:`workbook.match.cells` (the per-cell reference); each key's vectorized form in
:data:`workbook.match.rules.RULE_KEYS` reads them, and the tests check the two against each
other cell by cell. Each per-unique array here has one extra last slot for NA, so
``array[codes]`` maps rows to results directly (NA rows carry code -1, numpy's last element).
"""

from __future__ import annotations

import datetime as dt
from functools import cached_property

import numpy as np
import pandas as pd

from workbook.match import cells as m
from workbook.match.cells import NOT_A_DAY, day_number
from workbook.match.rules import RULE_KEYS, effective_match
from workbook.model import Value

_NUMBER_BODY = m.NUMBER_PATTERN[1:-1]  # pandas' fullmatch anchors by itself
_DATE_BODY = m.DATE_PATTERN[1:-1]


def _days_from_civil(y: np.ndarray, mo: np.ndarray, d: np.ndarray) -> np.ndarray:
    """Days since 1970-01-01 of proleptic Gregorian dates (H. Hinnant's algorithm), vectorized."""
    y = y - (mo <= 2)
    era = np.floor_divide(y, 400)
    yoe = y - era * 400
    doy = (153 * (mo + np.where(mo > 2, -3, 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _days_in_month(y: np.ndarray, mo: np.ndarray) -> np.ndarray:
    leap = ((y % 4 == 0) & (y % 100 != 0)) | (y % 400 == 0)
    base = np.array([0, 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31], dtype=np.int64)
    return base[np.clip(mo, 0, 12)] + ((mo == 2) & leap)


class ColumnView:
    """One lead-list column, factorized, with the derived forms the match keys need (computed lazily)."""

    def __init__(self, series: pd.Series):
        codes, uniques = pd.factorize(series, use_na_sentinel=True)
        self.codes: np.ndarray = codes
        self.size = len(uniques)
        self._uniques = uniques
        self._is_text = isinstance(series.dtype, pd.StringDtype) or (
            series.dtype == object and all(isinstance(u, str) for u in uniques)
        )

    def raw(self, i: int) -> object:
        """The i-th distinct raw cell as a Python object; the NA slot (``size``) is None."""
        return None if i == self.size else self._uniques[i]

    # -- derived per-unique forms (length = distinct values, without the NA slot) ------------

    @cached_property
    def texts(self) -> pd.Series:
        """Each distinct cell's text (``match.cell_text``) as a string Series."""
        if self._is_text:
            return pd.Series(np.asarray(self._uniques, dtype=object), dtype="str")
        return pd.Series([m.cell_text(u) for u in self._uniques], dtype="str")

    @cached_property
    def stripped(self) -> pd.Series:
        return self.texts.str.strip(m.WHITESPACE)

    @cached_property
    def lowered(self) -> pd.Series:
        """Lower-cased like :py:meth:`str.lower` (Arrow's lower-casing differs on rare letters)."""
        texts = self.texts
        if texts.str.isascii().all():
            return texts.str.lower()
        return pd.Series([t.lower() for t in texts], dtype="str")

    @cached_property
    def keys(self) -> pd.Series:
        """Trimmed and lower-cased: what ``equals`` compares."""
        stripped = self.stripped
        if stripped.str.isascii().all():
            return stripped.str.lower()
        return pd.Series([t.lower() for t in stripped], dtype="str")

    @cached_property
    def numbers(self) -> np.ndarray:
        """float64 per distinct value; NaN where the cell is not a number."""
        if not self._is_text:
            return np.array([np.nan if (n := m.parse_number(u)) is None else n for u in self._uniques], dtype=float)
        text = self.stripped
        ok = (text.str.fullmatch(_NUMBER_BODY) & (text.str.len() <= m.MAX_NUMBER_CHARS)).to_numpy(dtype=bool)
        out = np.full(self.size, np.nan)
        if ok.any():
            # object → float goes through Python's float(): correctly rounded, like the reference.
            out[ok] = np.asarray(text[ok].to_numpy(dtype=object), dtype=object).astype(np.float64)
        out[~np.isfinite(out)] = np.nan
        return out

    @cached_property
    def days(self) -> np.ndarray:
        """Days since 1970-01-01 per distinct value; ``NOT_A_DAY`` where the cell is not a date."""
        out = np.full(self.size, NOT_A_DAY, dtype=np.int64)
        if not self._is_text:
            for i, u in enumerate(self._uniques):
                day = m.parse_date(u)
                if day is not None:
                    out[i] = day_number(day)
            return out
        text = self.stripped
        ok = text.str.fullmatch(_DATE_BODY).to_numpy(dtype=bool)
        if ok.any():
            dates = text[ok]
            y = dates.str.slice(0, 4).astype(np.int64).to_numpy()
            mo = dates.str.slice(5, 7).astype(np.int64).to_numpy()
            d = dates.str.slice(8, 10).astype(np.int64).to_numpy()
            valid = (y >= 1) & (mo >= 1) & (mo <= 12) & (d >= 1) & (d <= _days_in_month(y, mo))
            idx = np.flatnonzero(ok)[valid]
            out[idx] = _days_from_civil(y[valid], mo[valid], d[valid])
        return out

    @cached_property
    def empty(self) -> np.ndarray:
        """Per distinct value: is the cell empty after trimming (NA has its own slot)."""
        return (self.stripped.str.len() == 0).to_numpy(dtype=bool)

    @cached_property
    def counts(self) -> np.ndarray:
        """Rows per distinct value, with the NA rows in the last slot."""
        counts = np.bincount(self.codes + 1, minlength=self.size + 1)
        return np.roll(counts, -1)

    # -- matching --------------------------------------------------------------------------
    def value_mask(self, value: Value, as_of: dt.date) -> np.ndarray:
        """Which distinct values (and, in the last slot, NA) match this value (SPEC §4)."""
        rule = effective_match(value)
        mask = np.ones(self.size, dtype=bool)
        na = m.Cell(None)
        na_matches = True
        for key in rule.keys():
            form = RULE_KEYS[key]
            # The NA slot is read by the per-cell reference itself: one rule for NA everywhere.
            na_matches = na_matches and form.cell(rule, na, as_of)
            if mask.any():
                mask &= form.vector(rule, self, as_of)
        return np.append(mask, na_matches)


def factor_labels(values: list[Value], view: ColumnView, as_of: dt.date) -> np.ndarray:
    """Per distinct value (+ NA slot): the index of the first value that matches, ``len(values)`` if none."""
    labels = np.full(view.size + 1, len(values), dtype=np.int32)
    for j in range(len(values) - 1, -1, -1):  # backwards, so the first match is written last
        labels[view.value_mask(values[j], as_of)] = j
    return labels
