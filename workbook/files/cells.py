"""Cells made safe for the spreadsheet that opens an exported file.

Excel, LibreOffice and Google Sheets run a cell that starts with ``=``, ``+``, ``-`` or ``@``
(and, in some versions, a tab or carriage return first) as a formula, so a lead list holding
``=HYPERLINK(…)`` or ``=cmd|' /C calc'!A0`` would act when sales opens the scored file. OWASP's
rule for CSV injection: put a single quote before such a cell, so that it shows as the text it
is. Plain numbers (``-5``, ``+1.5e3``) are numbers, not formulas, and stay as they are.
"""

from __future__ import annotations

import csv
import re

import pandas as pd

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$")


def is_formula_like(text: str) -> bool:
    """True when a spreadsheet would read ``text`` as a formula (and it is not a plain number)."""
    return text.startswith(FORMULA_STARTS) and not _PLAIN_NUMBER.match(text)


def neutralise(text: str) -> str:
    """``text`` as a spreadsheet shows it literally: a formula-like cell gets a leading ``'``."""
    return "'" + text if is_formula_like(text) else text


def _text_columns(frame: pd.DataFrame) -> list[str]:
    return [c for c in frame.columns if not (pd.api.types.is_numeric_dtype(frame[c]) or
                                             pd.api.types.is_bool_dtype(frame[c]) or
                                             pd.api.types.is_datetime64_any_dtype(frame[c]))]


def safe_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """A copy of ``frame`` whose header and text cells are neutralised (numbers keep their type)."""
    out = frame.copy(deep=False)
    for column in _text_columns(out):
        cells = out[column]
        text = cells.astype("string")
        risky = text.str.startswith(FORMULA_STARTS, na=False) & ~text.str.fullmatch(_PLAIN_NUMBER.pattern, na=False)
        if risky.any():
            out[column] = cells.astype(object).where(~risky, "'" + text.astype(object))
    out.columns = [neutralise(str(c)) for c in out.columns]
    return out


def csv_text(frame: pd.DataFrame) -> str:
    """``frame`` as CSV for a spreadsheet: formula-like cells neutralised, every line break quoted.

    Python's CSV writer quotes a cell holding ``\\n`` but not one holding a lone ``\\r`` when
    lines end in ``\\n``; a reader then splits the lead in two. When any cell holds a carriage
    return, every cell is quoted.
    """
    safe = safe_frame(frame)
    texts = [safe[c].astype("string") for c in _text_columns(safe)]
    has_cr = any(t.str.contains("\r", regex=False, na=False).any() for t in texts)
    quoting = csv.QUOTE_ALL if has_cr else csv.QUOTE_MINIMAL
    return safe.to_csv(index=False, lineterminator="\n", quoting=quoting)
