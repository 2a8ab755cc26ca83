"""What changed between two models, in the workshop's own words.

``describe_changes(old, new)`` gives the sentences of the revision list ("ICP weight
'Job role' 35 → 40", "Grid cell B2: Nurture → Qualify", "Added scenario 'CFO,
webinar'"); ``diff_models(old, new)`` gives the same changes as structured records
for the side-by-side view, plus the scenarios whose computed state or cell moves.

Items are matched by name (see :mod:`workbook.store.addressing`), so moving an attribute is a
reorder, not a change of every weight. An item that disappears while another appears
is read as a rename when the two are equal apart from the name, or sit at the same
place in their lists.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Literal

from workbook.engine import ScenarioResult, evaluate_scenarios
from workbook.model import ScoringModel
from workbook.store.addressing import MISSING, ORDER, Keyed, Path, empty_form, is_atomic, to_tree
from workbook.store.wording import LONG_TEXT, NOUN, capitalise, item_label, key_name, label, plain, say

ChangeKind = Literal["weight", "value", "threshold", "cell", "state", "team", "scenario", "other"]


@dataclass(frozen=True)
class Change:
    """One change between two models."""

    kind: ChangeKind
    path: str  # where, in words: "ICP weight 'Job role'", "Grid cell B2"
    before: Any  # plain data; None when the thing was not there
    after: Any
    sentence: str  # "ICP weight 'Job role' 35 → 40"
    key: Path = ()  # the same place as stable keys, for programs (see workbook.store.addressing)


@dataclass(frozen=True)
class ScenarioStateChange:
    """A scenario (present in both models, by name) whose computed cell or state moves."""

    name: str
    before_cell: str | None
    before_state: str | None
    after_cell: str | None
    after_state: str | None
    scenario_changed: bool  # the scenario's own values or estimates were edited as well

    @property
    def sentence(self) -> str:
        def where(state: str | None, cell: str | None) -> str:
            return f"{say(state)} ({say(cell)})"

        return (
            f"Scenario '{self.name}': {where(self.before_state, self.before_cell)} → "
            f"{where(self.after_state, self.after_cell)}"
        )


@dataclass(frozen=True)
class ModelDiff:
    changes: list[Change] = field(default_factory=list)
    scenario_state_changes: list[ScenarioStateChange] = field(default_factory=list)

    @property
    def sentences(self) -> list[str]:
        return [c.sentence for c in self.changes]

    def of_kind(self, kind: ChangeKind) -> list[Change]:
        return [c for c in self.changes if c.kind == kind]

    def __bool__(self) -> bool:
        return bool(self.changes)


def describe_changes(old: ScoringModel, new: ScoringModel) -> list[str]:
    """What changed from ``old`` to ``new``, one sentence per change, in model order."""
    return [c.sentence for c in changes(old, new)]


def diff_models(old: ScoringModel, new: ScoringModel) -> ModelDiff:
    """Structured changes plus the scenarios whose computed cell or state changes."""
    return ModelDiff(changes(old, new), scenario_state_changes(old, new))


def changes(old: ScoringModel, new: ScoringModel) -> list[Change]:
    """Every change from ``old`` to ``new`` as a :class:`Change`."""
    return list(tree_changes(to_tree(old), to_tree(new)))


def scenario_state_changes(old: ScoringModel, new: ScoringModel) -> list[ScenarioStateChange]:
    """Scenarios in both models (by name) whose computed cell or state differs."""
    before = _first_by_name(evaluate_scenarios(old))
    after = _first_by_name(evaluate_scenarios(new))
    out = []
    for name, a in after.items():
        b = before.get(name)
        if b is None:
            continue
        if (b.result.cell, b.result.state) != (a.result.cell, a.result.state):
            out.append(
                ScenarioStateChange(
                    name,
                    b.result.cell,
                    b.result.state,
                    a.result.cell,
                    a.result.state,
                    scenario_changed=b.scenario != a.scenario,
                )
            )
    return out


def _first_by_name(results: list[ScenarioResult]) -> dict[str, ScenarioResult]:
    out: dict[str, ScenarioResult] = {}
    for r in results:
        out.setdefault(r.name, r)
    return out


# --------------------------------------------------------------------------------------------
# Walking two trees
# --------------------------------------------------------------------------------------------
def tree_changes(a: Any, b: Any, path: Path = ()) -> Iterator[Change]:
    """The changes between two trees (see :func:`workbook.store.addressing.to_tree`)."""
    if a == b:
        return
    if isinstance(a, Keyed) and isinstance(b, Keyed):
        yield from _keyed_changes(a, b, path)
    elif isinstance(a, dict) and isinstance(b, dict) and not is_atomic(path):
        for k, v in a.items():
            yield from tree_changes(v, b.get(k, MISSING), (*path, k))
        for k, v in b.items():
            if k not in a:
                yield from tree_changes(MISSING, v, (*path, k))
    elif a in (None, MISSING) and isinstance(b, dict) and empty_form(path) is not None:
        yield from tree_changes(empty_form(path), b, path)
    elif b in (None, MISSING) and isinstance(a, dict) and empty_form(path) is not None:
        yield from tree_changes(a, empty_form(path), path)
    else:
        yield _changed(path, a, b)


def _keyed_changes(a: Keyed, b: Keyed, path: Path) -> Iterator[Change]:
    removed = [k for k in a.order if k not in b.items]
    added = [k for k in b.order if k not in a.items]
    renamed = _pair_renames(a, b, removed, added)  # new key → old key
    for k in b.order:
        if k in a.items:
            yield from tree_changes(a.items[k], b.items[k], (*path, k))
        elif k in renamed:
            old_key = renamed[k]
            yield _event("renamed", (*path, k), key_name(old_key), key_name(k))
            before = {**a.items[old_key], a.key_field: b.items[k][a.key_field]}
            yield from tree_changes(before, b.items[k], (*path, k))
        else:
            yield _event("added", (*path, k), None, b.items[k])
    gone = set(renamed.values())
    for k in removed:
        if k not in gone:
            yield _event("removed", (*path, k), a.items[k], None)
    old_to_new = {v: k for k, v in renamed.items()}
    kept = [old_to_new.get(k, k) for k in a.order if old_to_new.get(k, k) in b.items]
    kept_set = set(kept)
    if kept != [k for k in b.order if k in kept_set]:
        yield _event(
            "reordered", (*path, ORDER), [key_name(k) for k in a.order], [key_name(k) for k in b.order]
        )


def _pair_renames(a: Keyed, b: Keyed, removed: list[Any], added: list[Any]) -> dict[Any, Any]:
    """Pair a vanished item with a new one: equal apart from the name, else at the same place and
    alike (at least half of the fields either side sets are equal)."""
    pairs: dict[Any, Any] = {}
    free = list(added)
    for r in removed:
        for k in free:
            if _body(a.items[r], a.key_field) == _body(b.items[k], b.key_field):
                pairs[k] = r
                free.remove(k)
                break
    for r in removed:
        if r in pairs.values():
            continue
        for k in free:
            if a.order.index(r) == b.order.index(k) and _alike(a.items[r], b.items[k], a.key_field):
                pairs[k] = r
                free.remove(k)
                break
    return pairs


def _body(item: Any, key_field: str) -> Any:
    return {k: v for k, v in item.items() if k != key_field} if isinstance(item, dict) else item


def _alike(old: Any, new: Any, key_field: str) -> bool:
    if not (isinstance(old, dict) and isinstance(new, dict)):
        return False
    def unset(v: Any) -> bool:
        return v is None or v is False or (isinstance(v, str | list | dict) and not v)

    fields = [k for k in {*old, *new} if k != key_field and not (unset(old.get(k)) and unset(new.get(k)))]
    same = sum(1 for k in fields if old.get(k) == new.get(k))
    return same > 0 and 2 * same >= len(fields)


# --------------------------------------------------------------------------------------------
# Sentences
# --------------------------------------------------------------------------------------------
def kind_of(path: Path) -> ChangeKind:
    top = path[0] if path else ""
    if top in ("profile", "engagement"):
        if len(path) >= 3 and path[2] == "values":
            return "value"
        if len(path) >= 3 and path[2] == "column":
            return "other"
        return "weight"
    return {
        "profile_grades": "threshold",
        "engagement_levels": "threshold",
        "matrix": "cell",
        "states": "state",
        "knockout_state": "state",
        "team": "team",
        "scenarios": "scenario",
    }.get(top, "other")


def _is_long(value: Any) -> bool:
    return isinstance(value, str) and ("\n" in value or len(value) > LONG_TEXT)


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _changed(path: Path, before: Any, after: Any) -> Change:
    where = label(path)
    last = path[-1] if path else None
    if path == ("name",):
        sentence = f"Renamed workbook '{say(before)}' → '{say(after)}'"
    elif last == "knockout" and len(path) == 5:
        sentence = f"{capitalise(item_label(path))} is {'now' if after else 'no longer'} a knockout"
    elif path[:1] == ("team",) and last == "steering_committee":
        verb = "joined" if after else "left"
        sentence = f"Team: {key_name(path[1])} {verb} the steering committee"
    elif _is_long(before) or _is_long(after):
        sentence = f"{where} changed"
    elif before in (None, MISSING, []):
        sentence = f"{where} set to {say(after)}"
    elif after in (None, MISSING, []):
        sentence = f"{where} cleared"
    elif _is_number(before) and _is_number(after):
        sentence = f"{where} {say(before)} → {say(after)}"
    else:
        sentence = f"{where}: {say(before)} → {say(after)}"
    return Change(kind_of(path), where, plain(before), plain(after), sentence, path)


def _event(what: str, path: Path, before: Any, after: Any) -> Change:
    top = path[0]
    name = key_name(path[-1])
    in_values = len(path) >= 4 and path[2] == "values"
    owner = capitalise(_owner(path)) if in_values else ""
    item = item_label(path) if path[-1] != ORDER else ""
    if what == "reordered":
        sentence = (
            f"{owner}: reordered values" if in_values else f"Reordered {label(path)[len('Order of ') :]}"
        )
    elif what == "renamed":
        if top == "team":
            sentence = f"Team: renamed {before} → {after}"
        elif in_values:
            sentence = f"{owner}: renamed value '{before}' → '{after}'"
        else:
            noun = NOUN[top]
            quote = "" if top in ("profile_grades", "engagement_levels") else "'"
            sentence = f"Renamed {noun} {quote}{before}{quote} → {quote}{after}{quote}"
    elif top == "team":
        sentence = f"Team: added {name}{_member_note(after)}" if what == "added" else f"Team: removed {name}"
    elif in_values:
        verb = "added" if what == "added" else "removed"
        detail = f" (score {say(after.get('score'))})" if what == "added" else ""
        sentence = f"{owner}: {verb} value '{name}'{detail}"
    else:
        verb = "Added" if what == "added" else "Removed"
        sentence = f"{verb} {item}{_item_note(top, after) if what == 'added' else ''}"
    return Change(kind_of(path), label(path), plain(before), plain(after), sentence, path)


def _owner(path: Path) -> str:
    return item_label(path[:2])


def _member_note(member: dict[str, Any]) -> str:
    notes = [member.get("function")] if member.get("function") else []
    if member.get("steering_committee"):
        notes.append("steering committee")
    return f" ({', '.join(notes)})" if notes else ""


def _item_note(top: str, item: dict[str, Any]) -> str:
    if top in ("profile", "engagement"):
        return f" (weight {say(item.get('weight'))})"
    if top in ("profile_grades", "engagement_levels"):
        return f" (min {say(item.get('min'))})"
    return ""


def field_sentence(path: Path, before: Any, after: Any) -> str:
    """One field's change in words, from plain values: "ICP weight 'Job role' 30 → 35"."""
    return _changed(path, MISSING if before is None else before, MISSING if after is None else after).sentence
