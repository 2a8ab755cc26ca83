"""Numbers formatted for people: 75 %, not 75.00000001."""

from __future__ import annotations


def number(value: float | None, decimals: int = 1) -> str:
    """``75.0`` → ``75``; ``66.6666667`` → ``66.7``; ``None`` → ``–``."""
    if value is None:
        return "–"
    text = f"{value:.{decimals}f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def pct(value: float | None, decimals: int = 1) -> str:
    """``75.0`` → ``75 %``."""
    return "–" if value is None else f"{number(value, decimals)} %"


def points(value: float | None, decimals: int = 1) -> str:
    """Signed percentage points: ``+12.5 pts``, ``-3 pts``."""
    if value is None:
        return "–"
    text = number(value, decimals)
    return f"{'+' if value > 0 and text != '0' else ''}{text} pts"


def count(n: int, noun: str, plural: str | None = None) -> str:
    """``1 error``, ``2 errors``, ``1,200 leads``: a number with its noun, never ``error(s)``."""
    word = noun if n == 1 else (plural or f"{noun}s")
    return f"{n:,} {word}"
