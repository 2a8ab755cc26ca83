"""A history people can read: quick edits folded, revisions grouped by checkpoint and by person.

Pure functions over revision records; the store feeds them (:mod:`workbook.store.readable`).

**Folding rule.** Revision *n* folds onto revision *n − 1* when all of these hold:

- both are plain edits (not a merge, undo, restore, rename, create) — so *n* was made from
  *n − 1* itself: nobody else's save came between, the person saw their own last click;
- both changed exactly one field, the same one (one weight, one score, one grid cell),
  with plain values (recorded at commit time in ``edit_fields``);
- the same person made both (a name was given: anonymous edits never fold — two
  anonymous laptops are not one person);
- *n* was saved at most :data:`FOLD_WINDOW` after *n − 1*;
- *n − 1* is not a named moment (a checkpoint or a release candidate): what the team
  named stays visible on its own.

A run of such revisions reads as one line: the value before the first click → after the
last ("ICP weight 'Job role' 30 → 35 (5 quick edits)"). Revisions themselves are never
changed — the stored history keeps every click, which is what a restore or a conflict
message needs; folding happens only when the history is read, and undo takes a folded
run back as one step (what the history shows as one change, undo takes back as one).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from workbook.store.addressing import Path
from workbook.store.diff import field_sentence
from workbook.store.wording import label

if TYPE_CHECKING:
    from workbook.store.checkpoints import Checkpoint
    from workbook.store.records import RevisionInfo

FOLD_WINDOW = timedelta(seconds=60)


@dataclass(frozen=True)
class FieldEdit:
    """The one field an edit revision changed, with its value before and after (plain data)."""

    number: int
    path: Path
    before: Any
    after: Any


@dataclass(frozen=True)
class RunInfo:
    """What folding needs to know of a revision."""

    number: int
    kind: str
    author: str | None
    at: datetime


def folds_onto(
    prev: RunInfo | None, cur: RunInfo | None, fields: Mapping[int, FieldEdit], pinned: set[int]
) -> bool:
    """Whether revision ``cur`` folds onto ``prev`` (the revision just before it): see the module."""
    if prev is None or cur is None or cur.number != prev.number + 1:
        return False
    if prev.kind != "edit" or cur.kind != "edit" or prev.number in pinned:
        return False
    if not cur.author or (cur.author or "").strip() != (prev.author or "").strip():
        return False
    a, b = fields.get(prev.number), fields.get(cur.number)
    if a is None or b is None or a.path != b.path:
        return False
    return timedelta(0) <= cur.at - prev.at <= FOLD_WINDOW


def fold_run_start(
    number: int, infos: Mapping[int, RunInfo], fields: Mapping[int, FieldEdit], pinned: set[int]
) -> int:
    """The first revision of the run of quick edits ending at ``number``."""
    start = number
    while folds_onto(infos.get(start - 1), infos.get(start), fields, pinned):
        start -= 1
    return start


@dataclass(frozen=True)
class HistoryEntry:
    """One line of the readable history: a revision, or a run of quick edits folded into one."""

    first: int  # revision numbers first … last (equal when nothing folded)
    last: int
    at: datetime  # when the last of them was saved
    author: str | None
    kind: str
    sentences: list[str]

    @property
    def folded(self) -> int:
        """How many revisions this line stands for."""
        return self.last - self.first + 1

    @property
    def revisions_text(self) -> str:
        return str(self.first) if self.first == self.last else f"{self.first}–{self.last}"


def folded_sentence(first: FieldEdit, last: FieldEdit, count: int) -> str:
    """A run of quick edits of one field in words: before the first → after the last."""
    if first.before == last.after:
        return f"{label(first.path)} changed and changed back ({count} quick edits, no net change)"
    return f"{field_sentence(first.path, first.before, last.after)} ({count} quick edits)"


def fold_history(
    revisions: Sequence[RevisionInfo], fields: Mapping[int, FieldEdit], pinned: set[int]
) -> list[HistoryEntry]:
    """The revisions (any order) as readable lines, newest first, quick edits folded."""
    ordered = sorted(revisions, key=lambda r: r.number)
    infos = {r.number: RunInfo(r.number, r.kind, r.author, r.at) for r in ordered}
    entries: list[HistoryEntry] = []
    run: list[RevisionInfo] = []

    def close() -> None:
        if not run:
            return
        head, tail = run[0], run[-1]
        if len(run) == 1:
            sentences = list(head.summary)
        else:
            sentences = [folded_sentence(fields[head.number], fields[tail.number], len(run))]
        entries.append(HistoryEntry(head.number, tail.number, tail.at, tail.author, tail.kind, sentences))
        run.clear()

    for r in ordered:
        if run and folds_onto(infos[run[-1].number], infos[r.number], fields, pinned):
            run.append(r)
        else:
            close()
            run.append(r)
    close()
    entries.reverse()
    return entries


# --------------------------------------------------------------------------------------------
# Sections: between checkpoints
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class HistorySection:
    """The revisions up to one checkpoint (after the one before), or since the last checkpoint."""

    title: str  # "Up to 'after workshop 1' (revision 40)" / "Since 'after workshop 1'"
    checkpoint: Checkpoint | None  # the checkpoint that closes the section (None: still open)
    first: int  # revisions first … last in this section
    last: int
    entries: list[HistoryEntry] = field(default_factory=list)  # newest first

    @property
    def by_person(self) -> list[tuple[str, int]]:
        """Who changed how much in this section, most first (lines, not raw clicks)."""
        counts = Counter((e.author or "").strip() for e in self.entries)  # "": nobody gave a name
        return sorted(counts.items(), key=lambda kv: (not kv[0], -kv[1], kv[0]))

    def people_text(self) -> str:
        """Who made the changes: "Dana Ortiz" alone, or "Dana Ortiz 12, Sam 3, without a name 1"."""
        people = self.by_person
        if len(people) == 1:
            return people[0][0] or "someone without a name"
        return ", ".join(f"{who or 'without a name'} {n}" for who, n in people) or "nobody"


def history_sections(entries: Sequence[HistoryEntry], checkpoints: Sequence[Checkpoint]) -> list[HistorySection]:
    """The entries grouped by checkpoint, newest section first.

    A checkpoint at revision *r* closes the section holding revisions up to *r*; the
    revisions after the last checkpoint form an open section ("since …"). Several
    checkpoints on one revision close one section, named together.
    """
    by_revision: dict[int, list[Checkpoint]] = {}
    for c in sorted(checkpoints, key=lambda c: c.revision):
        by_revision.setdefault(c.revision, []).append(c)
    bounds = sorted(by_revision)
    newest = max((e.last for e in entries), default=0)
    sections: list[HistorySection] = []
    low = 1
    for r in bounds:
        names = " / ".join(f"'{c.name}'" for c in by_revision[r])
        part = [e for e in entries if low <= e.last <= r]
        sections.append(HistorySection(f"Up to {names} (revision {r})", by_revision[r][0], low, r, part))
        low = r + 1
    if low <= newest or not bounds:
        part = [e for e in entries if e.last >= low]
        title = "Since " + " / ".join(f"'{c.name}'" for c in by_revision[bounds[-1]]) if bounds else "All changes"
        sections.append(HistorySection(title, None, low, max(newest, low), part))
    sections.reverse()
    return sections
