"""SPEC §4, per cell: which value of an attribute or activity a raw lead-list cell is.

The per-cell reference path. The vectorized scorer and the SQL export implement the same
rules (through the same :data:`workbook.match.rules.RULE_KEYS`) and are tested against it.
Several keys on one value must all hold; a match with no keys matches every cell; the first
value that matches wins.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from workbook.match.rules import effective_match, match_rule
from workbook.model import Activity, ProfileAttribute, ScoringModel, Value

Factor = ProfileAttribute | Activity


def match_value(value: Value, cell: Any, as_of: dt.date | None = None) -> bool:
    """Does this raw cell match this value? (SPEC §4; every key given must hold.)"""
    return match_rule(effective_match(value), cell, as_of or dt.date.today())


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
