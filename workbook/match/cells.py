"""SPEC §4, one raw cell: the forms the match keys read (text, number, date, emptiness).

This is the per-cell reference; the vectorized forms (:mod:`workbook.match.columns`) and the
SQL forms (:mod:`workbook.match.sql`) implement the same readings and are tested against it,
cell by cell. Where SPEC §4 is silent the rules below decide, and the SQL export follows them
exactly:

* **Text.** A cell's text is compared after trimming spaces (U+0020 only, as SPEC §4 says
  and as SQL ``TRIM`` does; a tab or line break is part of the text) at both ends and
  lower-casing with :py:meth:`str.lower` (as SQL ``LOWER`` does; not
  ``casefold``). ``equals`` trims and lower-cases both sides; ``contains`` lower-cases both
  sides and does not trim (a substring with spaces keeps them).
* **Empty.** NA (None, NaN, NaT, ``pd.NA``) or a text that is empty after trimming spaces.
* **Numbers** (``min``/``max``, ``min ≤ n < max``). Plain decimal text after trimming:
  optional sign, digits with an optional decimal point, an optional exponent of at most two
  digits (``12``, ``-3.5``, ``.5``, ``1e3``), at most 40 characters. No thousands
  separators (``1,000`` is not a number: is it one thousand or one point zero?), no
  currency signs, no ``%``, no ``inf``/``nan``, and booleans are not numbers. The text is
  read as a binary64 float (correctly rounded, as every SQL engine reads ``DOUBLE``) and
  compared with the bounds as floats.
* **Dates** (``within_days: n``). ISO 8601 text ``YYYY-MM-DD``, optionally followed by a
  time ``[T ]HH:MM[:SS[.fff…]]`` and a zone (``Z``, ``+HH``, ``+HH:MM``, ``+HHMM``), or a
  date/datetime/Timestamp object. The calendar date as written is used (no time-zone
  conversion). It matches when ``as_of - n ≤ date ≤ as_of``; ``as_of`` defaults to today.
  Other date formats (``15/01/2026``: day first or month first?) match nothing and show up
  in the data-quality report. A time-zone-aware value (a typed cell) counts by its date in UTC.
* **Typed cells** (SPEC §4.1; the full rules are in ``docs/typed-cells.md``). A boolean's text
  is ``true``/``false``; ``equals`` also pairs ``yes`` with ``true`` and ``no`` with
  ``false``, and compares a number cell with the items that are numbers as numbers.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import Decimal
from functools import cached_property
from typing import Any

import numpy as np

WHITESPACE = " "  # SPEC §4: "surrounding spaces"; TRIM's default set in SQL
MAX_NUMBER_CHARS = 40

# Backslash-free on purpose: the same patterns go into SQL string literals of five dialects.
NUMBER_PATTERN = r"^[+-]?([0-9]+([.][0-9]*)?|[.][0-9]+)([eE][+-]?[0-9]{1,2})?$"
DATE_PATTERN = (
    r"^[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"([T ]([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9]([.][0-9]+)?)?(Z|[+-][0-9]{2}(:?[0-9]{2})?)?)?$"
)
_NUMBER = re.compile(NUMBER_PATTERN)
_DATE = re.compile(DATE_PATTERN)
_EPOCH = dt.date(1970, 1, 1)
NOT_A_DAY = np.iinfo(np.int64).min  # the day number of a cell that is not a date


def day_number(day: dt.date) -> int:
    """Days since 1970-01-01 (the unit of the vectorized date form)."""
    return (day - _EPOCH).days


# --------------------------------------------------------------------------------------------
# Reading one cell
# --------------------------------------------------------------------------------------------
def is_na(cell: Any) -> bool:
    """None, NaN, NaT and ``pd.NA`` are NA; everything else (including ``""``) is not."""
    if cell is None:
        return True
    if isinstance(cell, float):
        return math.isnan(cell)
    if isinstance(cell, str | bool | int):
        return False
    try:
        import pandas as pd

        result = pd.isna(cell)
    except (TypeError, ValueError):
        return False
    return result is True or (isinstance(result, bool) and result)


def cell_text(cell: Any) -> str | None:
    """The text of a cell as the rules read it; ``None`` for NA.

    Numbers read as people write them (``12.0`` → ``"12"``), dates and times in ISO form.
    """
    if is_na(cell):
        return None
    if isinstance(cell, str):
        return cell
    if isinstance(cell, np.datetime64):
        import pandas as pd

        cell = pd.Timestamp(cell)
    elif isinstance(cell, np.generic):
        cell = cell.item()
    if isinstance(cell, bool):
        return "true" if cell else "false"
    if isinstance(cell, float):
        return str(int(cell)) if cell.is_integer() and abs(cell) < 1e16 else repr(cell)
    if isinstance(cell, int | Decimal):
        return str(cell)
    if isinstance(cell, dt.datetime):
        return cell.isoformat(sep=" ")
    if isinstance(cell, dt.date):
        return cell.isoformat()
    return str(cell)


def normalize(text: str) -> str:
    """Trimmed and lower-cased: the form ``equals`` compares."""
    return text.strip(WHITESPACE).lower()


def is_empty(cell: Any) -> bool:
    """NA, or a text that is empty after trimming."""
    text = cell_text(cell)
    return text is None or not text.strip(WHITESPACE)


def parse_number(cell: Any) -> float | None:
    """The number a cell holds (see the module notes), or None."""
    if is_na(cell):
        return None
    if not isinstance(cell, str) and isinstance(cell, np.generic):
        cell = cell.item()
    if isinstance(cell, bool):
        return None
    if isinstance(cell, int | float | Decimal):
        try:
            number = float(cell)
        except OverflowError:
            return None
        return number if math.isfinite(number) else None
    text = cell_text(cell)
    if text is None:
        return None
    text = text.strip(WHITESPACE)
    if len(text) > MAX_NUMBER_CHARS or not _NUMBER.match(text):
        return None
    return float(text)


def parse_date(cell: Any) -> dt.date | None:
    """The calendar date a cell holds (see the module notes), or None."""
    if is_na(cell):
        return None
    if isinstance(cell, dt.datetime):  # pd.Timestamp is a datetime
        if cell.tzinfo is not None:  # SPEC §4.1: a time-zone-aware value's date in UTC
            cell = cell.astimezone(dt.UTC)
        return cell.date()
    if isinstance(cell, dt.date):
        return cell
    if isinstance(cell, np.datetime64):
        import pandas as pd

        return pd.Timestamp(cell).date()
    text = cell_text(cell)
    if text is None:
        return None
    text = text.strip(WHITESPACE)
    if not _DATE.match(text):
        return None
    try:
        return dt.date(int(text[0:4]), int(text[5:7]), int(text[8:10]))
    except ValueError:  # 2026-02-30, year 0
        return None


TRUTH_WORDS: dict[str, tuple[str, ...]] = {"true": ("true", "yes"), "yes": ("true", "yes"),
                                          "false": ("false", "no"), "no": ("false", "no")}


def equals_keys(items: list[str]) -> set[str]:
    """What ``equals`` compares a cell's key with: the items trimmed and lower-cased, and a
    truth word's pair too (SPEC §4.1: ``Yes`` equals ``TRUE`` and a BOOLEAN true)."""
    keys = {normalize(item) for item in items}
    return keys | {word for key in keys for word in TRUTH_WORDS.get(key, ())}


def equals_numbers(items: list[str]) -> set[float]:
    """The items that are numbers (SPEC §4.1: a number cell equals a number written any way)."""
    return {n for item in items if (n := parse_number(item)) is not None}


def window_start(as_of: dt.date, days: int) -> dt.date:
    """The earliest date ``within_days: days`` accepts (clamped to year 1)."""
    try:
        return as_of - dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days > 0 else dt.date.max


class Cell:
    """One raw cell and the forms the match keys read, each computed on first use."""

    def __init__(self, raw: Any):
        self.raw = raw

    @cached_property
    def text(self) -> str | None:
        return cell_text(self.raw)

    @cached_property
    def key(self) -> str | None:
        """Trimmed and lower-cased (``equals``); None for NA."""
        return None if self.text is None else normalize(self.text)

    @cached_property
    def lower(self) -> str | None:
        """Lower-cased, not trimmed (``contains``); None for NA."""
        return None if self.text is None else self.text.lower()

    @cached_property
    def number(self) -> float | None:
        return parse_number(self.raw)

    @cached_property
    def date(self) -> dt.date | None:
        return parse_date(self.raw)

    @cached_property
    def empty(self) -> bool:
        return is_empty(self.raw)
