"""SPEC §4: recognising raw lead-list cells as value labels — the per-cell reference rules.

Everything else (the vectorized scorer in :mod:`workbook.leads`, the SQL export) implements
these same rules and is tested against this module, cell by cell. Where SPEC §4 is silent
the rules below decide, and the SQL export follows them exactly:

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
  in the data-quality report.
* Several keys on one value must all hold; a match with no keys matches every cell.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

import numpy as np

from workbook.model import Activity, Match, ProfileAttribute, ScoringModel, Value

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

Factor = ProfileAttribute | Activity


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


def window_start(as_of: dt.date, days: int) -> dt.date:
    """The earliest date ``within_days: days`` accepts (clamped to year 1)."""
    try:
        return as_of - dt.timedelta(days=days)
    except OverflowError:
        return dt.date.min if days > 0 else dt.date.max


# --------------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------------
def effective_match(value: Value) -> Match:
    """A value without ``match`` matches a cell equal to its label."""
    return value.match if value.match is not None else Match(equals=[value.label])


def match_value(value: Value, cell: Any, as_of: dt.date | None = None) -> bool:
    """Does this raw cell match this value? (SPEC §4; every key given must hold.)"""
    match = effective_match(value)
    as_of = as_of or dt.date.today()
    text = cell_text(cell)
    if match.equals is not None:
        if text is None or normalize(text) not in {normalize(item) for item in match.equals}:
            return False
    if match.contains is not None:
        if text is None or not any(item.lower() in text.lower() for item in match.contains):
            return False
    if match.min is not None or match.max is not None:
        number = parse_number(cell)
        if number is None:
            return False
        if match.min is not None and not number >= match.min:
            return False
        if match.max is not None and not number < match.max:
            return False
    if match.within_days is not None:
        day = parse_date(cell)
        if day is None or not window_start(as_of, match.within_days) <= day <= as_of:
            return False
    if match.empty is not None:
        if is_empty(cell) != match.empty:
            return False
    return True


def label_for(factor: Factor, cell: Any, as_of: dt.date | None = None) -> str | None:
    """The label of the first value that matches the cell, or None (the lead counts as missing)."""
    as_of = as_of or dt.date.today()
    for value in factor.values:
        if match_value(value, cell, as_of):
            return value.label
    return None


def labels_for_row(
    model: ScoringModel, row: Mapping[str, Any], as_of: dt.date | None = None
) -> tuple[dict[str, str | None], dict[str, str | None]]:
    """Value labels of one lead-list row, per attribute and per activity (for ``engine.score_lead``).

    A column absent from the row reads as NA.
    """
    as_of = as_of or dt.date.today()
    profile = {f.name: label_for(f, row.get(f.source_column), as_of) for f in model.profile}
    engagement = {f.name: label_for(f, row.get(f.source_column), as_of) for f in model.engagement}
    return profile, engagement
