"""A match rule as one row of the table editor (ICP and Activity weights pages), and back.

Each key of :data:`workbook.match.rules.RULE_KEYS` is one cell of the row, typed as its
``row`` form says (:mod:`workbook.match.row_cells`).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from workbook.match.row_cells import EditError
from workbook.match.rules import RULE_KEYS
from workbook.model import Match

MATCH_TEXT_KEYS = tuple(name for name, key in RULE_KEYS.items() if key.row.kind == "text")
MATCH_NUMBER_KEYS = tuple(name for name, key in RULE_KEYS.items() if key.row.kind == "number")

__all__ = ["MATCH_NUMBER_KEYS", "MATCH_TEXT_KEYS", "EditError", "match_to_row", "row_to_match"]


def match_to_row(match: Match | None) -> dict[str, Any]:
    """A match rule as table cells: equals/contains as comma-separated text, numbers, empty as a tick."""
    row = {name: key.row.blank for name, key in RULE_KEYS.items()}
    if match is None:
        return row
    for name, key in RULE_KEYS.items():
        value = getattr(match, name)
        if value is not None:
            row[name] = key.row.to_cell(value)
    return row


def row_to_match(row: Mapping[str, Any]) -> dict[str, Any] | None:
    """Table cells back to a match mapping (SPEC §4); ``None`` when no cell is filled in.

    Raises :class:`EditError` for a number that is not one, or a fractional number of days.
    """
    match: dict[str, Any] = {}
    for name, key in RULE_KEYS.items():
        value = key.row.from_cell(row.get(name))
        if value is not None:
            match[name] = value
    return match or None
