"""Random sequences of edit / undo / restore / concurrent edit against an in-memory reference.

The reference is written from the rules, not from the store's code: a list of models
(revision n is ``revisions[n - 1]``); an edit from a stale base sets its one field on the
current head unless someone changed that field to another value since the base, in which
case the store must refuse it and store nothing. After every step: revision numbers are
consecutive, the head is the model of the last revision, and the store's revisions equal
the reference's.
"""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from hypothesis import event, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule
from store_models import EDITS, apply, base_model, field

from workbook.model import ScoringModel
from workbook.store import ConflictError, Store, StoreError


class StoreMachine(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        self.folder = Path(tempfile.mkdtemp(prefix="store-machine-"))
        self.store = Store(self.folder / "w.db")
        self.workbook = self.store.create(base_model()).id
        self.revisions = [base_model()]  # the reference: revision n is revisions[n - 1]
        self.kinds: list[tuple[str, int | None]] = [("create", None)]

    def teardown(self):
        for n, model in enumerate(self.revisions, start=1):
            assert self.store.model_at(self.workbook, n) == model
        self.store.close()
        shutil.rmtree(self.folder, ignore_errors=True)

    @property
    def head(self) -> int:
        return len(self.revisions)

    def _expect_commit(self, base: int, edit: tuple) -> ScoringModel | None | type[ConflictError]:
        """The reference's answer: the new head model, None (nothing stored) or ConflictError."""
        base_model_, head_model = self.revisions[base - 1], self.revisions[-1]
        mine = apply(base_model_, edit)
        if field(mine, edit) == field(base_model_, edit):
            return None
        theirs = field(head_model, edit)
        if theirs not in (field(base_model_, edit), field(mine, edit)):
            return ConflictError
        result = apply(head_model, edit)
        return None if result == head_model else result

    def _commit(self, base: int, edit: tuple, author: str) -> None:
        expected = self._expect_commit(base, edit)
        new_model = apply(self.store.model_at(self.workbook, base), edit)
        if expected is ConflictError:
            before = self.store.get(self.workbook).head_revision
            try:
                self.store.commit(self.workbook, base_revision=base, new_model=new_model, author=author)
            except ConflictError as exc:
                event("conflict refused")
                assert len(exc.conflicts) == 1 and exc.conflicts[0].mine == field(new_model, edit)
            else:
                raise AssertionError(f"expected a conflict for {edit} from revision {base}")
            assert self.store.get(self.workbook).head_revision == before
            return
        result = self.store.commit(self.workbook, base_revision=base, new_model=new_model, author=author)
        event("stale base merged" if base < self.head and expected is not None else "commit")
        if expected is None:
            assert not result.stored and result.revision == self.head
        else:
            assert result.stored and result.revision == self.head + 1 and result.summary
            assert result.model == expected
            self.kinds.append(("merge" if base < self.head else "edit", None))
            self.revisions.append(expected)

    @rule(edit=EDITS)
    def edit(self, edit):
        self._commit(self.head, edit, "A")

    @rule(edit=EDITS, pick=st.integers(min_value=0, max_value=10**6))
    def concurrent_edit(self, edit, pick):
        """A second session, which last looked at an older revision, saves its edit."""
        self._commit(1 + pick % self.head, edit, "B")

    @rule()
    def undo(self):
        kind = self.kinds[-1][0]
        # The newest change still in effect: follow undos back through what they took back.
        target = self.head
        while target >= 2 and self.kinds[target - 1][0] == "undo":
            target = self.kinds[target - 1][1] - 1
        if target < 2:
            try:
                self.store.undo(self.workbook)
            except StoreError as exc:
                assert "nothing to undo" in str(exc)
                return
            raise AssertionError("expected nothing to undo")
        result = self.store.undo(self.workbook, author="A")
        event("undo after undo" if kind == "undo" else "undo")
        assert result.revision == self.head + 1
        self.revisions.append(self.revisions[target - 2])
        self.kinds.append(("undo", target))

    @rule(pick=st.integers(min_value=0, max_value=10**6))
    def restore(self, pick):
        number = 1 + pick % self.head
        result = self.store.restore(self.workbook, number)
        if self.revisions[number - 1] == self.revisions[-1]:
            assert not result.stored
        else:
            assert result.stored and result.summary[0] == f"Restored revision {number}"
            self.revisions.append(self.revisions[number - 1])
            self.kinds.append(("restore", number))

    @invariant()
    def history_is_consistent(self):
        history = self.store.history(self.workbook)
        assert [r.number for r in history] == list(range(self.head, 0, -1))
        assert [r.kind for r in reversed(history)] == [k for k, _ in self.kinds]
        head = self.store.head(self.workbook)
        assert head.number == self.head == self.store.get(self.workbook).head_revision
        assert head.model == self.store.model_at(self.workbook, head.number)
        assert head.model == self.revisions[-1]  # the replay of the accepted operations


TestStoreMachine = StoreMachine.TestCase
TestStoreMachine.settings = settings(max_examples=30, stateful_step_count=25, deadline=None)
