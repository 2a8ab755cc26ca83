"""Invariants of the readable history (hypothesis): folding never loses or reorders a revision,
folds only what the rule allows, and sections by checkpoint cover every line once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.store.checkpoints import Checkpoint
from workbook.store.records import RevisionInfo
from workbook.store.timeline import FOLD_WINDOW, FieldEdit, fold_history, history_sections

T0 = datetime(2026, 3, 1, 9, 0, tzinfo=UTC)
PATHS = [("profile", ("Job role", 0), "weight"), ("matrix", "B2"), ("engagement", ("Demo", 0), "weight")]

revision = st.fixed_dictionaries(
    {
        "gap": st.integers(min_value=0, max_value=90),  # seconds after the previous revision
        "author": st.sampled_from([None, "Dana", "Sam"]),
        "kind": st.sampled_from(["edit", "edit", "edit", "merge", "undo"]),
        "field": st.sampled_from([None, 0, 1, 2]),  # which single field it changed (None: several)
    }
)


def build(specs):
    infos, fields, at = [RevisionInfo(1, T0, "Dana", ["Created"], "create")], {}, T0
    for n, spec in enumerate(specs, start=2):
        at += timedelta(seconds=spec["gap"])
        infos.append(RevisionInfo(n, at, spec["author"], [f"change {n}"], spec["kind"]))
        if spec["field"] is not None and spec["kind"] == "edit":
            fields[n] = FieldEdit(n, PATHS[spec["field"]], n, n + 1)
    return infos, fields


@settings(max_examples=200, deadline=None)
@given(specs=st.lists(revision, max_size=40), pins=st.sets(st.integers(min_value=1, max_value=41), max_size=5))
def test_folding_covers_every_revision_once_and_only_folds_what_the_rule_allows(specs, pins):
    infos, fields = build(specs)
    entries = fold_history(list(reversed(infos)), fields, pins)
    covered = [n for e in reversed(entries) for n in range(e.first, e.last + 1)]
    assert covered == [r.number for r in infos], "every revision once, in order"
    by_number = {r.number: r for r in infos}
    for e in entries:
        assert e.author == by_number[e.last].author and e.at == by_number[e.last].at
        if e.folded == 1:
            assert e.sentences == by_number[e.first].summary
            continue
        for n in range(e.first + 1, e.last + 1):
            prev, cur = by_number[n - 1], by_number[n]
            assert prev.kind == cur.kind == "edit"
            assert cur.author and cur.author == prev.author
            assert fields[n].path == fields[n - 1].path
            assert timedelta(0) <= cur.at - prev.at <= FOLD_WINDOW
            assert n - 1 not in pins
        assert len(e.sentences) == 1 and f"({e.folded} quick edits" in e.sentences[0]


@settings(max_examples=100, deadline=None)
@given(specs=st.lists(revision, max_size=30), marks=st.lists(st.integers(min_value=1, max_value=31), max_size=4))
def test_sections_cover_every_line_once_newest_first(specs, marks):
    infos, fields = build(specs)
    head = infos[-1].number
    checkpoints = [Checkpoint(f"moment {i}", r, T0, None) for i, r in enumerate(marks) if r <= head]
    entries = fold_history(infos, fields, {c.revision for c in checkpoints})
    sections = history_sections(entries, checkpoints)
    lines = [(e.first, e.last) for s in sections for e in s.entries]
    assert lines == [(e.first, e.last) for e in entries], "every line once, newest first"
    for s in sections:
        assert all(s.first <= e.first and e.last <= s.last for e in s.entries)
        if s.checkpoint is not None:
            assert s.last == s.checkpoint.revision
