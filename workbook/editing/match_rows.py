"""A match rule (SPEC §4) as the cells of one table row, and back.

Kept apart from the factor edits that use it: the match rules are getting one table of
rule keys, and these helpers will follow the keys there.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from workbook.editing.common import EditError, Row, _number, _text
from workbook.model import Match

MATCH_TEXT_KEYS = ("equals", "contains")


MATCH_NUMBER_KEYS = ("min", "max", "within_days")


def _join_texts(items: Sequence[str]) -> str:
    """``["a", "b, c"]`` → ``a, "b, c"``: comma-separated, quoting items that hold a comma or quote."""
    out = []
    for item in items:
        if "," in item or '"' in item or item != item.strip():
            item = '"' + item.replace('"', '""') + '"'
        out.append(item)
    return ", ".join(out)


def _split_texts(text: str) -> list[str]:
    """The inverse of :func:`_join_texts`: spaces around an unquoted item go; blank items are dropped."""
    items: list[str] = []
    buf: list[str] = []
    quoted = in_quotes = False
    i = 0
    while i < len(text):
        c = text[i]
        if in_quotes:
            if c == '"' and text[i + 1 : i + 2] == '"':
                buf.append('"')
                i += 1
            elif c == '"':
                in_quotes = False
            else:
                buf.append(c)
        elif c == '"' and not quoted and not "".join(buf).strip():
            buf, quoted, in_quotes = [], True, True
        elif c == ",":
            items.append("".join(buf) if quoted else "".join(buf).strip())
            buf, quoted = [], False
        elif not (quoted and c.isspace()):  # spaces after a closing quote are not part of the item
            buf.append(c)
        i += 1
    items.append("".join(buf) if quoted else "".join(buf).strip())
    return [item for item in items if item.strip()]


def match_to_row(match: Match | None) -> dict[str, Any]:
    """A match rule as table cells: equals/contains as comma-separated text, numbers, empty as a tick."""
    row: dict[str, Any] = {
        "equals": "", "contains": "", "min": None, "max": None, "within_days": None, "empty": False,
    }
    if match is None:
        return row
    for key in MATCH_TEXT_KEYS:
        items = getattr(match, key)
        if items is not None:
            row[key] = _join_texts(items)
    for key in MATCH_NUMBER_KEYS:
        row[key] = getattr(match, key)
    row["empty"] = bool(match.empty)
    return row


def row_to_match(row: Row) -> dict[str, Any] | None:
    """Table cells back to a match mapping (SPEC §4); ``None`` when no cell is filled in.

    Raises :class:`EditError` for a number that is not one, or a fractional number of days.
    """
    match: dict[str, Any] = {}
    for key in MATCH_TEXT_KEYS:
        items = _split_texts(_text(row.get(key)))
        if items:
            match[key] = items
    for key in MATCH_NUMBER_KEYS:
        raw = row.get(key)
        if raw is None or raw == "" or (isinstance(raw, float) and math.isnan(raw)):
            continue
        number = _number(raw)
        if key == "within_days":
            if number != int(number) or number < 0:
                raise EditError(f"within days must be a whole number of days, 0 or more (not {raw})")
            number = int(number)
        match[key] = number
    empty = row.get("empty")
    if empty is not None and not (isinstance(empty, float) and math.isnan(empty)) and bool(empty):
        match["empty"] = True
    return match or None
