"""Model fields addressed by stable keys, not list positions: the ground of diff and merge.

A model becomes a *tree*: mappings stay mappings, and every list of named items (team
members, states, bands, attributes, activities, values, scenarios) becomes a
:class:`Keyed` list — its items addressed by name (label, grade, level) plus their order.
So "the weight of 'Job role'" is the path ``("profile", ("Job role", 0), "weight")``
wherever the attribute sits in the list, and two people editing different attributes
touch different paths.

Keys are ``(name, occurrence)``: a draft may hold two attributes with the same name,
and the second is ``(name, 1)``. A rename changes an item's key: to a diff or a merge it
is the old item going and a new one coming (:mod:`workbook.diff` pairs them again to
say "Renamed …").

:func:`label` turns a path into the workshop's words ("ICP weight 'Job role'", "Grid
cell B2") for sentences and conflict messages; :func:`say` formats a value.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbook.model import Estimate, Metadata, ScoringModel

Key = tuple[str, int]
Path = tuple[Any, ...]

ORDER = "#order"  # path element: the order of a keyed list (never a model key)
_ANY = "*"


class _Missing:
    """The value of a path that does not exist (an item not there, a mapping key not set)."""

    _instance: _Missing | None = None

    def __new__(cls) -> _Missing:
        if cls._instance is None:
            cls._instance = super().__new__(cls)
        return cls._instance

    def __repr__(self) -> str:
        return "MISSING"

    def __bool__(self) -> bool:
        return False


MISSING: Any = _Missing()


@dataclass
class Keyed:
    """A list of named items: the items by key, and their order."""

    key_field: str
    order: tuple[Key, ...]
    items: dict[Key, Any]


# Lists of named items and the field that names them; "*" stands for any key.
KEYED: dict[Path, str] = {
    ("team",): "name",
    ("states",): "name",
    ("profile_grades",): "grade",
    ("engagement_levels",): "level",
    ("profile",): "name",
    ("profile", _ANY, "values"): "label",
    ("engagement",): "name",
    ("engagement", _ANY, "values"): "label",
    ("scenarios",): "name",
}
# Mappings that are one field as a whole: a match rule, the review trail of an export.
ATOMIC: tuple[Path, ...] = (
    ("profile", _ANY, "values", _ANY, "match"),
    ("engagement", _ANY, "values", _ANY, "match"),
    ("metadata", "approvals"),
    ("metadata", "changes"),
)
# Optional parts whose absence (None) merges like their empty form.
EMPTY: dict[Path, dict[str, Any]] = {
    ("scenarios", _ANY, "estimate"): Estimate().model_dump(mode="json"),
    ("metadata",): Metadata().model_dump(mode="json"),
}


def matches(path: Path, pattern: Path) -> bool:
    return len(path) == len(pattern) and all(p == _ANY or p == e for e, p in zip(path, pattern, strict=True))


def _lookup(table: dict[Path, Any] | tuple[Path, ...], path: Path) -> Any:
    for pattern in table:
        if matches(path, pattern):
            return table[pattern] if isinstance(table, dict) else True
    return None


def is_atomic(path: Path) -> bool:
    return bool(_lookup(ATOMIC, path))


def empty_form(path: Path) -> dict[str, Any] | None:
    return _lookup(EMPTY, path)


# --------------------------------------------------------------------------------------------
# Model ⇄ tree
# --------------------------------------------------------------------------------------------
def to_tree(model: ScoringModel) -> dict[str, Any]:
    """The model as a tree of mappings and :class:`Keyed` lists (plain JSON values at the leaves)."""
    tree = model.model_dump(mode="json")
    for pattern, key_field in KEYED.items():  # shorter patterns first: parents are keyed already
        _key_lists(tree, pattern, key_field)
    return tree


def _key_lists(node: Any, pattern: Path, key_field: str) -> None:
    """Turn the list at ``pattern`` below ``node`` into a Keyed list; "*" steps into every item."""
    first, rest = pattern[0], pattern[1:]
    if first == _ANY:
        if isinstance(node, Keyed):
            for item in node.items.values():
                _key_lists(item, rest, key_field)
        return
    if not isinstance(node, dict):
        return
    child = node.get(first)
    if rest:
        _key_lists(child, rest, key_field)
    elif isinstance(child, list):
        node[first] = _keyed(child, key_field)


def _keyed(items: list[dict[str, Any]], key_field: str) -> Keyed:
    seen: dict[str, int] = {}
    order = []
    by_key = {}
    for item in items:
        name = str(item.get(key_field))
        key = (name, seen.get(name, 0))
        seen[name] = key[1] + 1
        order.append(key)
        by_key[key] = item
    return Keyed(key_field, tuple(order), by_key)


def from_tree(node: Any) -> Any:
    """Plain data again (lists in their order), ready for ``ScoringModel.model_validate``."""
    if isinstance(node, Keyed):
        return [from_tree(node.items[k]) for k in node.order]
    if isinstance(node, dict):
        return {k: from_tree(v) for k, v in node.items()}
    if isinstance(node, list):
        return [from_tree(v) for v in node]
    return node


def get(tree: Any, path: Path) -> Any:
    """The value at ``path`` (an order path gives the item names in order), or MISSING."""
    node = tree
    for part in path:
        if isinstance(node, Keyed):
            if part == ORDER:
                return [k[0] for k in node.order]
            node = node.items.get(part, MISSING)
        elif isinstance(node, dict):
            node = node.get(part, MISSING)
        else:
            return MISSING
        if node is MISSING:
            return MISSING
    return node


# --------------------------------------------------------------------------------------------
# Words
# --------------------------------------------------------------------------------------------
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
