"""How a person types one match key into a cell of the table editor, and back (SPEC §4).

Four kinds of cell: a list of texts as comma-separated text (``equals``, ``contains``), a
number (``min``, ``max``), a whole number of days (``within_days``) and a tick (``empty``).
"""

from __future__ import annotations

import math
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from workbook.files.quoted import split_quoted


class EditError(ValueError):
    """An edit that cannot be applied; the message says why in the workshop's words."""


@dataclass(frozen=True)
class RowCell:
    """One match key as a table cell: its kind, its blank, and the two conversions."""

    kind: Literal["text", "number", "tick"]
    blank: Any
    to_cell: Callable[[Any], Any]  # the key's value in the model (not None) → the cell
    from_cell: Callable[[Any], Any]  # the cell → the key's value, or None when blank; raises EditError


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _is_blank(raw: Any) -> bool:
    return raw is None or raw == "" or (isinstance(raw, float) and math.isnan(raw))


def _number(value: Any) -> float:
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EditError(f"'{value}' is not a number") from None
    if math.isnan(number):  # the text "nan": read as no number, i.e. 0, as every number cell of the editor
        return 0.0
    if math.isinf(number):
        raise EditError("a number must be finite")
    return number


def join_texts(items: Sequence[str]) -> str:
    """``["a", "b, c"]`` → ``a, "b, c"``: comma-separated, quoting items that hold a comma or quote."""
    out = []
    for item in items:
        if "," in item or '"' in item or item != item.strip():
            item = '"' + item.replace('"', '""') + '"'
        out.append(item)
    return ", ".join(out)


def split_texts(text: str) -> list[str]:
    """The inverse of :func:`join_texts`: spaces around an unquoted item go; blank items are dropped."""
    lines = split_quoted(text, ",")
    return [item for item in (lines[0] if lines else []) if item.strip()]


def _texts_from_cell(raw: Any) -> list[str] | None:
    return split_texts(_text(raw)) or None


def _number_from_cell(raw: Any) -> float | None:
    return None if _is_blank(raw) else _number(raw)


def _days_from_cell(raw: Any) -> int | None:
    if _is_blank(raw):
        return None
    number = _number(raw)
    if number != int(number) or number < 0:
        raise EditError(f"within days must be a whole number of days, 0 or more (not {raw})")
    return int(number)


def _tick_from_cell(raw: Any) -> bool | None:
    if raw is None or (isinstance(raw, float) and math.isnan(raw)) or not bool(raw):
        return None
    return True


TEXTS = RowCell("text", "", join_texts, _texts_from_cell)
NUMBER = RowCell("number", None, lambda value: value, _number_from_cell)
DAYS = RowCell("number", None, lambda value: value, _days_from_cell)
TICK = RowCell("tick", False, bool, _tick_from_cell)
