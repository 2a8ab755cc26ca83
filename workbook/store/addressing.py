"""Model fields addressed by stable keys, not list positions: the ground of diff and merge.

A model becomes a *tree*: mappings stay mappings, and every list of named items (team
members, states, bands, attributes, activities, values, scenarios) becomes a
:class:`Keyed` list — its items addressed by name (label, grade, level) plus their order.
So "the weight of 'Job role'" is the path ``("profile", ("Job role", 0), "weight")``
wherever the attribute sits in the list, and two people editing different attributes
touch different paths.

Keys are ``(name, occurrence)``: a draft may hold two attributes with the same name,
and the second is ``(name, 1)``. A rename changes an item's key: to a diff or a merge it
is the old item going and a new one coming (:mod:`workbook.store.diff` pairs them again to
say "Renamed …").

The workshop's words for a path or a value (``label``, ``say``, ``plain``) are in
:mod:`workbook.store.wording`.
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
