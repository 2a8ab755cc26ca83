"""Model fields in the workshop's words: where a change is, and what a value reads as.

:func:`label` turns a tree path (:mod:`workbook.store.addressing`) into the workshop's
words ("ICP weight 'Job role'", "Grid cell B2") for change sentences and conflict
messages; :func:`say` formats a value; :func:`plain` gives a tree value back as plain data.
"""

from __future__ import annotations

from typing import Any

from workbook.store.addressing import MISSING, ORDER, Keyed, Path, from_tree

NOUN = {  # one item of a keyed list, as said in a sentence
    "team": "team member",
    "states": "state",
    "profile_grades": "profile grade",
    "engagement_levels": "engagement level",
    "profile": "ICP attribute",
    "engagement": "activity",
    "scenarios": "scenario",
}
_PLURAL = {
    "team": "team members",
    "states": "states",
    "profile_grades": "profile grades",
    "engagement_levels": "engagement levels",
    "profile": "ICP attributes",
    "engagement": "activities",
    "scenarios": "scenarios",
}
_TOP = {
    "schema_version": "Schema version",
    "name": "Workbook name",
    "description": "Description",
    "missing": "Missing values",
    "knockout_state": "Knockout state",
    "matrix": "Grid",
    "metadata": "Metadata",
}
_ESTIMATE = {
    "profile": "estimated profile grade",
    "engagement": "estimated engagement level",
    "state": "estimated state",
}
_METADATA = {"column_map": "column mapping", "approved_at": "approval date", "exported_at": "export date"}


def key_name(part: Any) -> str:
    """A path element as people read it: ``("Job role", 0)`` → ``Job role``."""
    if isinstance(part, tuple):
        name, n = part
        return name if n == 0 else f"{name} (#{n + 1})"
    return str(part)


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def item_label(path: Path) -> str:
    """One item of a keyed list: "ICP attribute 'Job role'", "profile grade B", "scenario 'X'"."""
    noun = NOUN[path[0]]
    if len(path) >= 4 and path[2] == "values":
        return f"{_section_item(path)} value '{key_name(path[3])}'"
    name = key_name(path[1])
    if path[0] in ("profile_grades", "engagement_levels"):
        return f"{noun} {name}"
    return f"{noun} '{name}'"


def _section_item(path: Path) -> str:
    return f"{'ICP attribute' if path[0] == 'profile' else 'Activity'} '{key_name(path[1])}'"


def label(path: Path) -> str:
    """Where a change or a conflict is, in the workshop's words."""
    if not path:
        return "The model"
    top = path[0]
    if len(path) == 1:
        return _TOP.get(top) or capitalise(_PLURAL.get(top, top))
    if top in NOUN and path[1] == ORDER:
        return f"Order of {_PLURAL[top]}"
    if top in ("profile", "engagement"):
        return _factor_label(path)
    if top in ("profile_grades", "engagement_levels"):
        band = capitalise(item_label(path))
        if len(path) == 2:
            return band
        return f"{band} threshold" if path[2] == "min" else f"{band} {path[2]}"
    if top == "matrix":
        return f"Grid cell {key_name(path[1])}"
    if top == "states":
        return f"State '{key_name(path[1])}'" + "".join(f" {key_name(p)}" for p in path[2:])
    if top == "team":
        rest = {"steering_committee": "steering committee"}.get(path[2], path[2]) if len(path) > 2 else ""
        return f"Team member '{key_name(path[1])}'" + (f" {rest}" if rest else "")
    if top == "scenarios":
        return _scenario_label(path)
    if top == "metadata":
        rest = [(_METADATA.get(p, p) if i == 0 else f"'{key_name(p)}'") for i, p in enumerate(path[1:])]
        return "Metadata " + " ".join(str(r).replace("_", " ") for r in rest)
    return " ".join(key_name(p) for p in path)


def _factor_label(path: Path) -> str:
    item = _section_item(path)
    if len(path) == 2:
        return item
    field = path[2]
    if field == "weight":
        return f"{'ICP' if path[0] == 'profile' else 'Activity'} weight '{key_name(path[1])}'"
    if field != "values":
        return f"{item} {field}"
    if len(path) == 3:
        return f"{item} values"
    if path[3] == ORDER:
        return f"{item}: order of values"
    value = f"{item} value '{key_name(path[3])}'"
    if len(path) == 4:
        return value
    return value + " " + {"match": "match rule"}.get(path[4], str(path[4]))


def _scenario_label(path: Path) -> str:
    item = f"Scenario '{key_name(path[1])}'"
    if len(path) == 2:
        return item
    field = path[2]
    if field in ("profile", "engagement"):
        return item + (f" {key_name(path[3])}" if len(path) > 3 else f" {field} values")
    if field == "estimate":
        return item + (f" {_ESTIMATE.get(path[3], path[3])}" if len(path) > 3 else " estimate")
    if field == "estimates_by_member":
        return item + (f" estimate by {key_name(path[3])}" if len(path) > 3 else " estimates by member")
    return f"{item} {field}"


LONG_TEXT = 60


def say(value: Any, *, limit: int = LONG_TEXT) -> str:
    """A value as a person reads it: 35.0 → 35, None → (none), True → yes, a list joined."""
    if value is MISSING or value is None:
        return "(none)"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float):
        return format(value, ".10g")
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Keyed):
        return ", ".join(key_name(k) for k in value.order) or "(none)"
    if isinstance(value, list):
        return ", ".join(say(v, limit=limit) for v in value) or "(none)"
    if isinstance(value, dict):
        parts = [f"{k}: {say(v, limit=limit)}" for k, v in value.items() if v is not None and v != []]
        return "; ".join(parts) or "(none)"
    text = str(value)
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def plain(value: Any) -> Any:
    """A tree value as plain data for callers (MISSING → None)."""
    return None if value is MISSING else from_tree(value)
