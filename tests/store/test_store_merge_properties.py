"""Properties of diff and merge over random sets of field edits."""

from __future__ import annotations

from functools import reduce

from hypothesis import given, settings
from hypothesis import strategies as st
from store_models import EDITS, apply, base_model, field

from workbook.model import ScoringModel
from workbook.store.addressing import from_tree, to_tree
from workbook.store.diff import describe_changes
from workbook.store.merge import MergeConflict, merge3

EDIT_SETS = st.lists(EDITS, max_size=5)


def apply_all(model: ScoringModel, edits: list[tuple]) -> ScoringModel:
    return reduce(apply, edits, model)


def _fields(edits: list[tuple]) -> set[tuple]:
    return {(kind, where) for kind, where, _ in edits}


@settings(max_examples=60)
@given(EDIT_SETS)
def test_a_model_survives_the_tree_and_describes_no_change_against_itself(edits):
    model = apply_all(base_model(), edits)
    assert ScoringModel.model_validate(from_tree(to_tree(model))) == model
    assert describe_changes(model, model) == []
    assert bool(describe_changes(base_model(), model)) == (model != base_model())


@settings(max_examples=60)
@given(EDIT_SETS, EDIT_SETS)
def test_one_sided_and_identical_changes_merge_trivially(mine_edits, their_edits):
    base = base_model()
    mine, theirs = apply_all(base, mine_edits), apply_all(base, their_edits)
    assert merge3(base, mine, base) == mine
    assert merge3(base, base, theirs) == theirs
    assert merge3(base, mine, mine) == mine


@settings(max_examples=80)
@given(EDIT_SETS, EDIT_SETS)
def test_edits_of_different_fields_merge_into_both(mine_edits, their_edits):
    their_fields = _fields(their_edits)
    mine_edits = [e for e in mine_edits if (e[0], e[1]) not in their_fields]
    base = base_model()
    mine, theirs = apply_all(base, mine_edits), apply_all(base, their_edits)
    # the session's edits replayed on top of what the others saved
    assert merge3(base, mine, theirs) == apply_all(theirs, mine_edits)


@settings(max_examples=100)
@given(EDIT_SETS, EDIT_SETS)
def test_a_merge_keeps_every_change_or_refuses_exactly_when_a_field_clashes(mine_edits, their_edits):
    base = base_model()
    mine, theirs = apply_all(base, mine_edits), apply_all(base, their_edits)
    touched = {(kind, where): (kind, where, None) for kind, where, _ in mine_edits + their_edits}.values()
    values = {e: (field(base, e), field(mine, e), field(theirs, e)) for e in touched}
    clashing = [e for e, (b, m, t) in values.items() if m != b and t != b and m != t]
    try:
        merged = merge3(base, mine, theirs)
    except MergeConflict as exc:
        assert clashing, "refused although no field clashes"
        assert len(exc.clashes) == len(clashing)
        return
    assert not clashing, "merged although a field clashes"
    for e, (b, m, t) in values.items():
        assert field(merged, e) == (m if m != b else t)
