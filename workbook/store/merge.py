"""Three-way merge of models: a session's edit applied onto what others saved meanwhile.

``merge3(base, mine, theirs)``: *base* is the revision the session last saw, *mine* the
session's model, *theirs* the current head. Fields are addressed by stable keys (see
:mod:`workbook.store.addressing`): an attribute's weight, a value's score, a grid cell, a band's
threshold, one scenario value… Per field:

* changed on one side only → that side's value;
* changed on both sides to the same value → that value;
* changed on both sides to different values → a :class:`Clash`; nothing is merged.

Items of named lists are added and removed as wholes: both sides adding different
scenarios keeps both; both adding an item of the same name with different content, or
one side removing (or renaming) an item the other changed, is a clash. A rename is a
removal of the old name plus an addition of the new one, so renaming an item someone
else edited meanwhile is a clash, while renaming an item nobody else touched merges.

Order of a named list: if only one side reordered it, that side's order wins; if both
reordered it differently, that is a clash. Items the other side added go where they were
there: at the end if they were added at the end, else after the item they followed.

The result is always a structurally valid model; it may be semantically invalid (two
merged weight edits no longer adding up to 100) — drafts may be, validation says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from workbook import fmt
from workbook.model import ScoringModel
from workbook.store.addressing import MISSING, ORDER, Keyed, Path, empty_form, from_tree, is_atomic, to_tree
from workbook.store.wording import key_name, label, say


@dataclass(frozen=True)
class Clash:
    """One field changed on both sides to different values (tree values; MISSING = not there)."""

    path: Path
    base: Any
    mine: Any
    theirs: Any


class MergeConflict(Exception):
    def __init__(self, clashes: list[Clash]):
        self.clashes = clashes
        super().__init__(fmt.count(len(clashes), "conflicting change"))


def merge3(base: ScoringModel, mine: ScoringModel, theirs: ScoringModel) -> ScoringModel:
    """Apply the changes base → mine onto theirs; raise :class:`MergeConflict` on any clash."""
    return merge_model_trees(to_tree(base), to_tree(mine), to_tree(theirs))


def merge_model_trees(base: dict[str, Any], mine: dict[str, Any], theirs: dict[str, Any]) -> ScoringModel:
    """:func:`merge3` on trees (see :func:`workbook.store.addressing.to_tree`); the trees are not changed."""
    clashes: list[Clash] = []
    merged = merge_trees(base, mine, theirs, (), clashes)
    if clashes:
        raise MergeConflict(clashes)
    return ScoringModel.model_validate(from_tree(merged))


def merge_trees(b: Any, m: Any, t: Any, path: Path, clashes: list[Clash]) -> Any:
    """Merge one node; clashes are appended to ``clashes`` (the returned node is then partial)."""
    if m == t:
        return m
    if m == b:
        return t
    if t == b:
        return m
    if not is_atomic(path):
        if b in (None, MISSING) and isinstance(m, dict) and isinstance(t, dict) and empty_form(path):
            b = empty_form(path)
        if isinstance(b, Keyed) and isinstance(m, Keyed) and isinstance(t, Keyed):
            return _merge_keyed(b, m, t, path, clashes)
        if isinstance(b, dict) and isinstance(m, dict) and isinstance(t, dict):
            return _merge_dicts(b, m, t, path, clashes)
    clashes.append(Clash(path, b, m, t))
    return t


def _merge_dicts(b: dict, m: dict, t: dict, path: Path, clashes: list[Clash]) -> dict:
    out = {}
    for k in [*t, *(k for k in m if k not in t), *(k for k in b if k not in t and k not in m)]:
        v = merge_trees(b.get(k, MISSING), m.get(k, MISSING), t.get(k, MISSING), (*path, k), clashes)
        if v is not MISSING:
            out[k] = v
    return out


def _merge_keyed(b: Keyed, m: Keyed, t: Keyed, path: Path, clashes: list[Clash]) -> Keyed:
    items = {}
    done = set()  # a key can be in all three orders; merge it once (one clash, not three)
    for k in [*t.order, *(k for k in m.order if k not in t.items), *(k for k in b.order)]:
        if k in done:
            continue
        done.add(k)
        v = merge_trees(b.items.get(k, MISSING), m.items.get(k, MISSING), t.items.get(k, MISSING), (*path, k), clashes)
        if v is not MISSING:
            items[k] = v
    order = _merge_order(b.order, m.order, t.order, items, path, clashes)
    return Keyed(t.key_field, order, {k: items[k] for k in order})


def _reordered(side: tuple, base: tuple) -> bool:
    common = set(side) & set(base)
    return [k for k in side if k in common] != [k for k in base if k in common]


def _merge_order(b: tuple, m: tuple, t: tuple, items: dict, path: Path, clashes: list[Clash]) -> tuple:
    mine_moved, theirs_moved = _reordered(m, b), _reordered(t, b)
    if mine_moved and theirs_moved and _reordered(m, t):
        clashes.append(Clash((*path, ORDER), *([key_name(k) for k in side] for side in (b, m, t))))
    skeleton, other = (m, t) if mine_moved else (t, m)
    result = [k for k in skeleton if k in items]
    placed = set(result)
    base_keys = set(b)
    for i, k in enumerate(other):
        if k not in items or k in placed:
            continue
        if all(later not in base_keys for later in other[i:]):
            at = len(result)  # added at the end there: at the end here too
        else:
            at = 0
            for prev in reversed(other[:i]):
                if prev in placed:
                    at = result.index(prev) + 1
                    break
            # after what the skeleton side itself added there: it was saved first
            while at < len(result) and result[at] not in base_keys and result[at] not in other:
                at += 1
        result.insert(at, k)
        placed.add(k)
    return tuple(result)


def clash_message(clash: Clash, by: str | None) -> str:
    """ "ICP weight 'Job role': you set 40, Sam set 45 since you last looked"."""
    mine = _side("you", clash.mine, clash)
    theirs = _side(by or "someone else", clash.theirs, clash)
    if mine.endswith(" added it") and theirs.endswith(" added it"):
        theirs = theirs[: -len("it")] + "a different one"
    return f"{label(clash.path)}: {mine}, {theirs} since you last looked"


def _side(who: str, value: Any, clash: Clash) -> str:
    if value is MISSING:
        return f"{who} removed it"
    if clash.path and clash.path[-1] == ORDER:
        return f"{who} ordered them {say(value)}"
    if isinstance(value, dict | Keyed):
        return f"{who} added it" if clash.base is MISSING else f"{who} changed it"
    return f"{who} set {say(value)}"
