"""The store's readable history: checkpoints, folded quick edits, notes by checkpoint, templates.

:class:`ReadableHistory` adds to :class:`~workbook.store.revisions.Revisions`:

- naming a moment (:meth:`~ReadableHistory.name_checkpoint`) and listing them;
- the history grouped by checkpoint and by person, quick edits folded
  (:mod:`workbook.store.timeline` holds the folding rule);
- change notes from checkpoint to checkpoint for the steering committee
  (:mod:`workbook.store.notes`);
- value templates shared by every workbook of the database (:mod:`workbook.templates`).

The tables are :mod:`workbook.store.checkpoints`'.
"""

from __future__ import annotations

import builtins
import sqlite3

from workbook.store.checkpoints import (
    Checkpoint,
    checkpoint_name,
    checkpoint_rows,
    edit_fields,
    name_in_use,
    pinned_revisions,
    record_rename,
)
from workbook.store.database import StoreError
from workbook.store.notes import CheckpointNote, note_between, note_title, stages
from workbook.store.records import RevisionInfo, author_name, stamp, utc_now
from workbook.store.revisions import Revisions
from workbook.store.timeline import HistoryEntry, HistorySection, fold_history, history_sections
from workbook.templates import TemplateError, ValueTemplate, template_from_json, template_to_json


def notes_by_checkpoint(
    revisions: Revisions, conn: sqlite3.Connection, workbook_id: str, number: int
) -> builtins.list[CheckpointNote]:
    """The change notes by checkpoint up to revision ``number``, read on the caller's connection.

    The one place they are made: the Review tab shows them and the exported model file
    carries them (:meth:`~workbook.store.reviews.Reviews.final_export_model`).
    """
    revisions._revision_row(conn, workbook_id, number)
    moments = stages([(c.name, c.revision) for c in checkpoint_rows(conn, workbook_id)], number)
    models = {s.revision: revisions._model_at(conn, workbook_id, s.revision) for s in moments}
    return [
        note_between(note_title(a, b), a.revision, b.revision, models[a.revision], models[b.revision])
        for a, b in zip(moments, moments[1:], strict=False)
    ]


class ReadableHistory(Revisions):
    """Checkpoints, the readable history, change notes by checkpoint and value templates."""

    # -- checkpoints ------------------------------------------------------------------------------
    def name_checkpoint(
        self, workbook_id: str, name: str, revision: int | None = None, author: str | None = None
    ) -> Checkpoint:
        """Name a moment of the workbook (default: its current revision), e.g. "after workshop 1".

        A name is used once per workbook: naming another revision the same is refused.
        """
        try:
            text = checkpoint_name(name)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        with self._write() as conn:
            number = self._head_number(conn, workbook_id) if revision is None else revision
            self._revision_row(conn, workbook_id, number)
            taken = name_in_use(conn, workbook_id, text)
            if taken:
                raise StoreError(taken)
            at = utc_now()
            conn.execute(
                "INSERT INTO checkpoints (workbook_id, revision, name, at, author) VALUES (?, ?, ?, ?, ?)",
                (workbook_id, number, text, stamp(at), author_name(author)),
            )
        return Checkpoint(text, number, at, author_name(author))

    def rename_checkpoint(self, workbook_id: str, name: str, new_name: str, author: str | None = None) -> Checkpoint:
        """Give the checkpoint now called ``name`` the name ``new_name``; who and when are kept.

        The new name follows the rules of a new one (one line, not empty, not too long, used
        once per workbook). The revision it names does not change, nor does any revision.
        """
        try:
            text = checkpoint_name(new_name)
        except ValueError as exc:
            raise StoreError(str(exc)) from None
        with self._write() as conn:
            self._info(conn, workbook_id)
            marks = {c.name: c for c in checkpoint_rows(conn, workbook_id)}
            mark = marks.get(" ".join((name or "").split()))
            if mark is None:
                raise StoreError(f"there is no checkpoint named '{name}' in this workbook")
            if text == mark.name:
                raise StoreError(f"the checkpoint is already named '{text}'")
            taken = None if text == mark.first_name else name_in_use(conn, workbook_id, text)
            if taken:
                raise StoreError(taken)
            at = utc_now()
            record_rename(conn, workbook_id, mark, text, stamp(at), author_name(author))
            return next(c for c in checkpoint_rows(conn, workbook_id) if c.first_name == mark.first_name)

    def checkpoints(self, workbook_id: str) -> builtins.list[Checkpoint]:
        """The workbook's checkpoints, oldest first."""
        with self._read() as conn:
            self._info(conn, workbook_id)
            return checkpoint_rows(conn, workbook_id)

    # -- the readable history ---------------------------------------------------------------------
    def readable_history(
        self, workbook_id: str, revisions: builtins.list[RevisionInfo] | None = None
    ) -> builtins.list[HistorySection]:
        """The history grouped by checkpoint (newest first), quick edits folded into one line each.

        ``revisions``: the workbook's :meth:`history` when the caller has it already.
        """
        infos = self.history(workbook_id) if revisions is None else revisions
        with self._read() as conn:
            fields = edit_fields(conn, workbook_id)
            pinned = pinned_revisions(conn, workbook_id)
            marks = checkpoint_rows(conn, workbook_id)
        return history_sections(fold_history(infos, fields, pinned), marks)

    def folded_entries(self, workbook_id: str) -> builtins.list[HistoryEntry]:
        """Every line of the readable history, newest first, without the sections."""
        infos = self.history(workbook_id)
        with self._read() as conn:
            return fold_history(infos, edit_fields(conn, workbook_id), pinned_revisions(conn, workbook_id))

    def checkpoint_notes(self, workbook_id: str, upto: int | None = None) -> builtins.list[CheckpointNote]:
        """What changed from the start to each checkpoint, checkpoint to checkpoint, and since, up to
        ``upto`` (default: the current revision), oldest first, in a steering committee's words."""
        with self._read() as conn:
            number = self._head_number(conn, workbook_id) if upto is None else upto
            return notes_by_checkpoint(self, conn, workbook_id, number)

    # -- value templates --------------------------------------------------------------------------
    def save_template(self, template: ValueTemplate, author: str | None = None, *, replace: bool = False) -> None:
        """Keep a value template for every workbook of this database (``replace``: overwrite one of that name)."""
        if not template.values:
            raise StoreError(f"the template '{template.name}' has no values")
        with self._write() as conn:
            if not replace and _template_exists(conn, template.name):
                raise StoreError(f"there is already a template named '{template.name}'")
            conn.execute(
                "INSERT OR REPLACE INTO value_templates (name, description, items, at, author) VALUES (?, ?, ?, ?, ?)",
                (template.name, template.description, template_to_json(template), stamp(utc_now()),
                 author_name(author)),
            )

    def templates(self) -> builtins.list[ValueTemplate]:
        """The saved value templates, by name (a damaged one is left out, not fatal)."""
        with self._read() as conn:
            rows = conn.execute("SELECT name, description, items FROM value_templates ORDER BY name").fetchall()
        out = []
        for name, description, items in rows:
            try:
                out.append(template_from_json(name, items, description))
            except TemplateError:
                continue
        return out


def _template_exists(conn: sqlite3.Connection, name: str) -> bool:
    return conn.execute("SELECT 1 FROM value_templates WHERE name = ?", (name,)).fetchone() is not None

