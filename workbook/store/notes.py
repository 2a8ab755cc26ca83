"""Change notes a steering committee reads: what changed from one checkpoint to the next.

Not every click but the difference between two named moments, in a few words:
"Job role weight 30 → 35; Grid cell B2: Nurture → Qualify; two scenarios now agree".
Pure: the store hands in the models of the checkpoints (:mod:`workbook.store.readable`).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbook.engine import evaluate_scenarios
from workbook.model import ScoringModel
from workbook.store.diff import Change, changes
from workbook.store.wording import key_name, say

NOTE_CHANGES = 4  # changes named in a note's summary; the rest are counted
_ORDER = ["weight", "threshold", "cell", "state", "value", "scenario", "team", "other"]
_WORDS = ["no", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten"]


def count_words(n: int) -> str:
    """A small count in words (a committee reads "two scenarios", not "2 scenarios")."""
    return _WORDS[n] if 0 <= n < len(_WORDS) else f"{n:,}"


@dataclass(frozen=True)
class Stage:
    """A moment the notes run between: a revision and what people call it."""

    revision: int
    name: str  # "the start", "'after workshop 1'", "revision 57"


@dataclass(frozen=True)
class CheckpointNote:
    """What changed between two moments, for the steering committee."""

    title: str  # "From 'after workshop 1' to 'after workshop 2'"
    first: int  # revision of the earlier moment
    last: int  # revision of the later moment
    sentences: list[str]  # every change, in words
    summary: str  # the note: a few changes and what they did to the scenarios


def short_sentence(change: Change) -> str:
    """A change in a committee's words: a weight reads "Job role weight 30 → 35"."""
    key = change.key
    if len(key) == 3 and key[0] in ("profile", "engagement") and key[2] == "weight":
        if change.before is not None and change.after is not None:
            return f"{key_name(key[1])} weight {say(change.before)} → {say(change.after)}"
    return change.sentence


def agreement_words(before: ScoringModel, after: ScoringModel) -> list[str]:
    """ "two scenarios now agree", "one scenario no longer agrees" (by scenario name)."""
    was = {r.name: r.agrees for r in evaluate_scenarios(before)}
    now = {r.name: r.agrees for r in evaluate_scenarios(after)}
    gained = sum(1 for name, agrees in now.items() if agrees is True and was.get(name) is not True)
    lost = sum(1 for name, agrees in was.items() if agrees is True and now.get(name) is not True)
    words = []
    if gained:
        words.append(f"{_scenarios(gained)} now agree{'s' if gained == 1 else ''}")
    if lost:
        words.append(f"{_scenarios(lost)} no longer agree{'s' if lost == 1 else ''}")
    return words


def _scenarios(n: int) -> str:
    return f"{count_words(n)} scenario{'' if n == 1 else 's'}"


def note_between(title: str, first: int, last: int, before: ScoringModel, after: ScoringModel) -> CheckpointNote:
    """The note for the change from ``before`` (revision ``first``) to ``after`` (``last``)."""
    found = changes(before, after)
    ranked = sorted(found, key=lambda c: _ORDER.index(c.kind) if c.kind in _ORDER else len(_ORDER))
    named = [short_sentence(c) for c in ranked[:NOTE_CHANGES]]
    if len(ranked) > NOTE_CHANGES:
        rest = len(ranked) - NOTE_CHANGES
        named.append(f"and {count_words(rest)} more change{'s' if rest != 1 else ''}")
    parts = [*named, *agreement_words(before, after)]
    summary = "; ".join(parts) if parts else "No change to the model"
    return CheckpointNote(title, first, last, [c.sentence for c in found], summary)


def stages(checkpoints: Sequence[tuple[str, int]], upto: int) -> list[Stage]:
    """The moments from the start (revision 1) through every checkpoint up to ``upto``, then ``upto``."""
    named: dict[int, list[str]] = {}
    for name, revision in checkpoints:
        if 1 <= revision <= upto:
            named.setdefault(revision, []).append(f"'{name}'")
    out = [Stage(1, " / ".join(named.pop(1, [])) or "the start")]
    for revision in sorted(named):
        out.append(Stage(revision, " / ".join(named[revision])))
    if out[-1].revision != upto:
        out.append(Stage(upto, f"revision {upto}"))
    return out


def note_title(a: Stage, b: Stage) -> str:
    return f"From {a.name} to {b.name}"
