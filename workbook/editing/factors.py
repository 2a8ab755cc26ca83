"""ICP weights and Activity weights tabs: attributes and activities, their values, weights and match rules."""

from __future__ import annotations

import copy
from collections.abc import Sequence
from typing import Any

from workbook.editing.common import (
    EditError,
    Row,
    _check_unique,
    _copy,
    _first_error,
    _number,
    _opt_text,
    _orig,
    _renames,
    _text,
)
from workbook.editing.match_rows import row_to_match
from workbook.model import Activity, Match, ProfileAttribute, ScoringModel, Section, Value


def _factor_class(section: Section) -> type[ProfileAttribute] | type[Activity]:
    return ProfileAttribute if section == "profile" else Activity


def set_factors(model: ScoringModel, section: Section, rows: Sequence[Row]) -> ScoringModel:
    """Replace a section's attributes/activities (name, weight, column) in the rows' order.

    Values stay with their attribute through renames and moves; a new row starts with no values.
    Scenario selections follow renames and are dropped for deleted attributes.
    """
    rows = [r for r in rows if _text(r.get("name")) or _orig(r) is not None]
    names = [_text(r.get("name")) for r in rows]
    _check_unique(names, "attribute" if section == "profile" else "activity")
    old = model.section(section)
    renames = _renames([f.name for f in old], rows, "name")
    cls = _factor_class(section)
    factors = []
    for name, row in zip(names, rows, strict=True):
        o = _orig(row)
        values = copy.deepcopy(old[o].values) if o is not None and 0 <= o < len(old) else []
        factors.append(
            cls(name=name, weight=_number(row.get("weight")), column=_opt_text(row.get("column")), values=values)
        )
    new = _copy(model)
    setattr(new, section, factors)
    kept = set(names)
    for scenario in new.scenarios:
        chosen = getattr(scenario, section)
        setattr(
            scenario,
            section,
            {renames.get(k, k): v for k, v in chosen.items() if renames.get(k, k) in kept},
        )
    return new


def set_values(model: ScoringModel, section: Section, index: int, rows: Sequence[Row]) -> ScoringModel:
    """Replace the values of one attribute/activity (label, score, knockout, match) in the rows' order.

    ``match`` in a row is a mapping (or None); it is checked for shape here. Scenario
    selections follow renamed labels and are dropped for deleted values.
    """
    factor = model.section(section)[index]
    rows = [r for r in rows if _text(r.get("label")) or _orig(r) is not None]
    labels = [_text(r.get("label")) for r in rows]
    _check_unique(labels, "value")
    renames = _renames([v.label for v in factor.values], rows, "label")
    values = []
    for label, row in zip(labels, rows, strict=True):
        raw_match = row.get("match")
        try:
            match = Match.model_validate(raw_match) if raw_match else None
        except Exception as exc:  # pydantic ValidationError: report in words
            raise EditError(f"value '{label}': the match rule is not well-formed ({_first_error(exc)})") from None
        values.append(
            Value(label=label, score=_number(row.get("score")), knockout=bool(row.get("knockout") or False),
                  match=match)
        )
    new = _copy(model)
    new.section(section)[index].values = values
    kept = set(labels)
    for scenario in new.scenarios:
        chosen = getattr(scenario, section)
        if factor.name in chosen:
            label = renames.get(chosen[factor.name], chosen[factor.name])
            if label in kept:
                chosen[factor.name] = label
            else:
                del chosen[factor.name]
    return new


def move_factor(model: ScoringModel, section: Section, index: int, delta: int) -> ScoringModel:
    """Move an attribute/activity up (delta < 0) or down in its list."""
    factors = model.section(section)
    target = index + delta
    if not 0 <= index < len(factors) or not 0 <= target < len(factors):
        return model
    new = _copy(model)
    items = new.section(section)
    items[index], items[target] = items[target], items[index]
    return new


def set_factors_keep_columns(model: ScoringModel, section: Section, rows: Sequence[Row]) -> ScoringModel:
    """:func:`set_factors` for rows without a ``column`` key: each factor keeps its lead-list column.

    A weight outside 0..100 is refused (the table editor limits it too).
    """
    old = model.section(section)
    full = []
    for row in rows:
        weight = _number(row.get("weight"))
        if not 0 <= weight <= 100:
            raise EditError(f"'{_text(row.get('name'))}': a weight must be between 0 and 100 (not {weight:g})")
        o = _orig(row)
        column = old[o].column if o is not None and 0 <= o < len(old) else None
        full.append({"column": column, **row})
    return set_factors(model, section, full)


def set_factor_weight(model: ScoringModel, section: Section, name: str, weight: Any) -> ScoringModel:
    """Set the weight (0..100) of the attribute/activity called ``name``.

    By name, not position: an input drawn before someone else reordered the list still
    weighs the attribute it showed.
    """
    factors = model.section(section)
    index = next((i for i, f in enumerate(factors) if f.name == name), None)
    if index is None:
        raise EditError(f"'{name}' is no longer in the list (someone may have renamed or deleted it): "
                        "its weight was not changed")
    number = _number(weight)
    if not 0 <= number <= 100:
        raise EditError(f"'{name}': a weight must be between 0 and 100 (not {number:g})")
    new = _copy(model)
    new.section(section)[index].weight = number
    return new


def set_factor_column(model: ScoringModel, section: Section, index: int, column: str | None) -> ScoringModel:
    """Set the lead-list column an attribute/activity reads (empty: the column named like it)."""
    new = _copy(model)
    new.section(section)[index].column = _opt_text(column)
    return new


def set_values_keep_match(
    model: ScoringModel, section: Section, index: int, rows: Sequence[Row]
) -> ScoringModel:
    """:func:`set_values` for rows without ``match``: values keep their match rule; new ones have none.

    A score outside -100..100 is refused (the table editor limits it too).
    """
    old = model.section(section)[index].values
    full = []
    for row in rows:
        score = _number(row.get("score"))
        if not -100 <= score <= 100:
            raise EditError(f"value '{_text(row.get('label'))}': a score must be between -100 and 100 (not {score:g})")
        o = _orig(row)
        match = old[o].match if o is not None and 0 <= o < len(old) else None
        full.append({"match": match.model_dump(exclude_none=True) if match else None, **row})
    return set_values(model, section, index, full)


def set_match_rules(model: ScoringModel, section: Section, index: int, rows: Sequence[Row]) -> ScoringModel:
    """Set the match rules of one attribute's values from table rows (``orig`` = value position).

    Each row carries the cells of :func:`match_to_row`; labels, scores and knockouts are unchanged.
    """
    factor = model.section(section)[index]
    matches: dict[int, dict[str, Any] | None] = {}
    for row in rows:
        o = _orig(row)
        if o is None or not 0 <= o < len(factor.values):
            continue
        label = factor.values[o].label
        try:
            matches[o] = row_to_match(row)
        except EditError as exc:
            raise EditError(f"value '{label}': {exc}") from None
    new = _copy(model)
    for o, raw in matches.items():
        value = new.section(section)[index].values[o]
        try:
            value.match = Match.model_validate(raw) if raw else None
        except Exception as exc:  # pydantic ValidationError: report in words
            raise EditError(
                f"value '{value.label}': the match rule is not well-formed ({_first_error(exc)})"
            ) from None
    return new


def value_usage(model: ScoringModel, section: Section) -> dict[str, dict[str, int]]:
    """How many scenarios select each value: attribute name → value label → count (no scoring)."""
    usage = {f.name: {v.label: 0 for v in f.values} for f in model.section(section)}
    for scenario in model.scenarios:
        for name, label in getattr(scenario, section).items():
            if name in usage and label in usage[name]:
                usage[name][label] += 1
    return usage


def missing_parts(model: ScoringModel, section: Section) -> list[str]:
    """What each attribute/activity still lacks, in words (``"Job role: weight 0, no values yet"``).

    A row is saved as soon as it has a name; the rest starts at its default (weight 0, no
    values). This names what is still to fill in, so a half-filled row does not look done.
    """
    out = []
    for factor in model.section(section):
        gaps = []
        if factor.weight == 0:
            gaps.append("weight 0")
        if not factor.values:
            gaps.append("no values yet")
        elif all(v.score == 0 for v in factor.values):
            gaps.append("every value scores 0")
        if gaps:
            out.append(f"{factor.name}: {', '.join(gaps)}")
    return out
