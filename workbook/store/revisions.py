"""Durable workbooks: every edit a revision in an embedded SQLite database.

Workshops never lose work. The store keeps every workbook's whole history: each edit,
rename, undo or restore is a new *revision* holding the complete model (compact JSON)
with when, who and what changed in words. Nothing is ever deleted: workbooks are
archived, revisions are immutable (triggers refuse updates and deletes), reviews are an
append-only log where a member's latest word counts.

Durability: WAL journal with ``synchronous=FULL``, so an edit is on disk when
:meth:`Store.commit` returns — a server killed with ``kill -9`` comes back with every
acknowledged edit. Each write is one ``BEGIN IMMEDIATE`` transaction: writers (threads or
processes) serialise, and a failed write rolls back whole.

Concurrent participants: a session commits with the revision it last saw
(``base_revision``). If others saved meanwhile, the session's changes are merged onto
the current head field by field (:mod:`workbook.store.merge`); a field that someone else set
to a different value is refused with :class:`ConflictError`, which shows both values.

The file: ``$WORKBOOK_DB``, else ``data/workbooks.db`` beside the ``workbook`` package
(:mod:`workbook.store.database`: settings, schema, transactions, error messages). One
:class:`Store` is shared by every session of a server: it holds one connection behind a
lock (SQLite serialises writers anyway; reads take milliseconds).

This module is the revision half of the store (:class:`Revisions`: workbooks, revisions,
history, commit, undo, restore); the review half is :mod:`workbook.store.reviews`, records
and errors :mod:`workbook.store.records`, review rules :mod:`workbook.store.review`, merge
rules :mod:`workbook.store.merge`, sentences :mod:`workbook.store.diff`. It runs a little
over 450 lines on purpose: every operation here reads and appends through the same private
row helpers and tree cache, and splitting them apart would spread one transaction's steps
over two files.
"""

from __future__ import annotations

import builtins
import json
import os
import secrets
import sqlite3
from collections import OrderedDict
from typing import Any, Self

from pydantic import ValidationError

from workbook.model import ScoringModel
from workbook.store.addressing import get, to_tree
from workbook.store.checkpoints import fold_start, record_edit_field
from workbook.store.database import DEFAULT_BUSY_TIMEOUT, Database, StoreError
from workbook.store.diff import describe_changes, tree_changes
from workbook.store.merge import Clash, MergeConflict, clash_message, merge_model_trees
from workbook.store.records import (
    CommitResult,
    ConflictError,
    FieldConflict,
    Revision,
    RevisionInfo,
    WorkbookInfo,
    author_name,
    checked_model,
    from_stamp,
    model_json,
    stamp,
    utc_now,
    workbook_info,
)
from workbook.store.wording import label, plain

CONFLICT_LOOKBACK = 200  # revisions searched for who made a conflicting change
TREE_CACHE_SIZE = 64  # revision trees kept in memory (about 100 kB each for a workshop-sized model)


class Revisions:
    """Workbooks and their revisions in one SQLite file; safe to share between threads."""

    def __init__(self, path: str | os.PathLike[str] | None = None, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
                 read_only: bool = False):
        self._db = Database(path, busy_timeout=busy_timeout, read_only=read_only)
        self.read_only = read_only
        self.path = self._db.path
        self._lock = self._db.lock
        self._trees: OrderedDict[tuple[str, int], dict] = OrderedDict()
        self._write = self._db.write
        self._read = self._db.read

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def close(self) -> None:
        self._db.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- rows -----------------------------------------------------------------------------------
    def _info(self, conn: sqlite3.Connection, workbook_id: str) -> WorkbookInfo:
        row = conn.execute(
            "SELECT id, name, created_at, updated_at, head_revision, archived, source FROM workbooks WHERE id = ?",
            (workbook_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"no workbook with id '{workbook_id}' (it may be in another database file)")
        return workbook_info(row)

    def _head_number(self, conn: sqlite3.Connection, workbook_id: str) -> int:
        return self._info(conn, workbook_id).head_revision

    def _revision_row(self, conn: sqlite3.Connection, workbook_id: str, number: int) -> tuple[Any, ...]:
        row = conn.execute(
            "SELECT number, at, author, kind, summary, model, source_revision FROM revisions "
            "WHERE workbook_id = ? AND number = ?",
            (workbook_id, number),
        ).fetchone()
        if row is None:
            head = self._head_number(conn, workbook_id)
            raise StoreError(f"workbook '{workbook_id}' has no revision {number} (revisions 1 to {head})")
        return row

    def _model(self, workbook_id: str, number: int, text: str) -> ScoringModel:
        try:
            return ScoringModel.model_validate_json(text)
        except ValidationError as exc:
            raise StoreError(
                f"revision {number} of workbook '{workbook_id}' in {self.path} cannot be read "
                f"({exc.error_count()} problem(s)); was the file edited by hand?"
            ) from None

    def _model_at(self, conn: sqlite3.Connection, workbook_id: str, number: int) -> ScoringModel:
        return self._model(workbook_id, number, self._revision_row(conn, workbook_id, number)[5])

    def _tree_at(self, conn: sqlite3.Connection, workbook_id: str, number: int, text: str | None = None) -> dict:
        """The tree of a revision (see workbook.store.addressing), cached: revisions never change.

        Cached trees stay inside the store; callers only ever get fresh models.
        """
        tree = self._trees.get((workbook_id, number))
        if tree is None:
            if text is None:
                text = self._revision_row(conn, workbook_id, number)[5]
            tree = to_tree(self._model(workbook_id, number, text))
            self._remember(workbook_id, number, tree)
        else:
            self._trees.move_to_end((workbook_id, number))
        return tree

    def _remember(self, workbook_id: str, number: int, tree: dict) -> None:
        with self._lock:
            self._trees[(workbook_id, number)] = tree
            while len(self._trees) > TREE_CACHE_SIZE:
                self._trees.popitem(last=False)

    def _append(
        self,
        conn: sqlite3.Connection,
        workbook_id: str,
        number: int,
        model: ScoringModel,
        text: str,
        kind: str,
        summary: builtins.list[str],
        author: str | None,
        *,
        base_revision: int | None = None,
        source_revision: int | None = None,
    ) -> None:
        at = stamp(utc_now())
        conn.execute(
            "INSERT INTO revisions (workbook_id, number, at, author, kind, summary, model, base_revision, "
            "source_revision) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                workbook_id,
                number,
                at,
                author,
                kind,
                json.dumps(summary, ensure_ascii=False),
                text,
                base_revision,
                source_revision,
            ),
        )
        conn.execute(
            "UPDATE workbooks SET head_revision = ?, updated_at = ?, name = ? WHERE id = ?",
            (number, at, model.name, workbook_id),
        )

    def _new_id(self, conn: sqlite3.Connection) -> str:
        while True:
            candidate = secrets.token_urlsafe(6)
            if conn.execute("SELECT 1 FROM workbooks WHERE id = ?", (candidate,)).fetchone() is None:
                return candidate

    # -- workbooks ------------------------------------------------------------------------------
    def create(
        self, model: ScoringModel | dict[str, Any], *, author: str | None = None, source: str = "blank"
    ) -> WorkbookInfo:
        """A new workbook whose revision 1 is ``model``.

        ``source``: "blank", "example:<file>" or "upload". An invalid model (e.g. an upload
        of the wrong shape) raises :class:`InvalidModelError` and nothing is stored.
        """
        if not (source in ("blank", "upload") or source.startswith("example:")):
            raise StoreError(f"unknown workbook source '{source}': blank, upload or example:<file>")
        fresh, text = checked_model(model)
        how = {"blank": "", "upload": " from an uploaded file"}.get(source, f" from the example {source[8:]}")
        summary = [f"Created workbook '{fresh.name}'{how}"]
        with self._write() as conn:
            workbook_id = self._create(conn, fresh, text, summary, author_name(author), source, "create")
            return self._info(conn, workbook_id)

    def _create(
        self,
        conn: sqlite3.Connection,
        model: ScoringModel,
        text: str,
        summary: builtins.list[str],
        author: str | None,
        source: str,
        kind: str,
    ) -> str:
        workbook_id = self._new_id(conn)
        now = stamp(utc_now())
        conn.execute(
            "INSERT INTO workbooks (id, name, source, created_at, updated_at, head_revision) VALUES (?, ?, ?, ?, ?, 0)",
            (workbook_id, model.name, source, now, now),
        )
        self._append(conn, workbook_id, 1, model, text, kind, summary, author)
        return workbook_id

    def list(self, include_archived: bool = False) -> builtins.list[WorkbookInfo]:
        """Workbooks, most recently changed first."""
        query = "SELECT id, name, created_at, updated_at, head_revision, archived, source FROM workbooks"
        if not include_archived:
            query += " WHERE archived = 0"
        with self._read() as conn:
            rows = conn.execute(query + " ORDER BY updated_at DESC, name").fetchall()
        return [workbook_info(r) for r in rows]

    def get(self, workbook_id: str) -> WorkbookInfo:
        with self._read() as conn:
            return self._info(conn, workbook_id)

    def rename(self, workbook_id: str, name: str, author: str | None = None) -> CommitResult:
        """Rename the workbook (the model's name) as a new revision."""
        name = (name or "").strip()
        if not name:
            raise StoreError("a workbook needs a name")
        with self._write() as conn:
            head = self._head_number(conn, workbook_id)
            current = self._model_at(conn, workbook_id, head)
            if current.name == name:
                return CommitResult(head, current, [], stored=False)
            renamed = current.model_copy(update={"name": name})
            summary = describe_changes(current, renamed)
            text = model_json(renamed)
            self._append(conn, workbook_id, head + 1, renamed, text, "rename", summary, author_name(author))
        return CommitResult(head + 1, renamed, summary)

    def duplicate(self, workbook_id: str, new_name: str, author: str | None = None) -> WorkbookInfo:
        """A new workbook starting from this one's head model (its history stays with the original)."""
        new_name = (new_name or "").strip()
        if not new_name:
            raise StoreError("a workbook needs a name")
        with self._write() as conn:
            head = self._head_number(conn, workbook_id)
            original = self._model_at(conn, workbook_id, head)
            copy = original.model_copy(update={"name": new_name})
            summary = [f"Duplicated from '{original.name}' (revision {head})"]
            new_id = self._create(
                conn,
                copy,
                model_json(copy),
                summary,
                author_name(author),
                f"duplicate:{workbook_id}@{head}",
                "duplicate",
            )
            return self._info(conn, new_id)

    def archive(self, workbook_id: str) -> WorkbookInfo:
        """Hide the workbook from the list; nothing is deleted."""
        return self._set_archived(workbook_id, True)

    def unarchive(self, workbook_id: str) -> WorkbookInfo:
        return self._set_archived(workbook_id, False)

    def _set_archived(self, workbook_id: str, archived: bool) -> WorkbookInfo:
        with self._write() as conn:
            self._info(conn, workbook_id)
            conn.execute("UPDATE workbooks SET archived = ? WHERE id = ?", (int(archived), workbook_id))
            return self._info(conn, workbook_id)

    # -- revisions ------------------------------------------------------------------------------
    def head(self, workbook_id: str) -> Revision:
        """The current revision with its model."""
        with self._read() as conn:
            row = self._revision_row(conn, workbook_id, self._head_number(conn, workbook_id))
        return self._revision(workbook_id, row)

    def revision(self, workbook_id: str, number: int) -> Revision:
        """Any revision with its model."""
        with self._read() as conn:
            row = self._revision_row(conn, workbook_id, number)
        return self._revision(workbook_id, row)

    def _revision(self, workbook_id: str, row: tuple[Any, ...]) -> Revision:
        number, at, author, kind, summary, text, _ = row
        model = self._model(workbook_id, number, text)
        return Revision(number, model, from_stamp(at), author, json.loads(summary), kind)

    def model_at(self, workbook_id: str, revision: int) -> ScoringModel:
        """The model as it was at ``revision``."""
        return self.revision(workbook_id, revision).model

    def history(self, workbook_id: str, limit: int | None = None) -> builtins.list[RevisionInfo]:
        """Revisions, newest first (``limit``: only the newest few)."""
        with self._read() as conn:
            self._info(conn, workbook_id)
            rows = conn.execute(
                "SELECT r.number, r.at, r.author, r.summary, r.kind, c.revision IS NOT NULL, "
                "r.source_revision "
                "FROM revisions r LEFT JOIN release_candidates c "
                "ON c.workbook_id = r.workbook_id AND c.revision = r.number "
                "WHERE r.workbook_id = ? ORDER BY r.number DESC LIMIT ?",
                (workbook_id, -1 if limit is None else limit),
            ).fetchall()
        return [
            RevisionInfo(n, from_stamp(at), author, json.loads(summary), kind, bool(rc), source)
            for n, at, author, summary, kind, rc, source in rows
        ]

    # -- editing ----------------------------------------------------------------------------------
    def commit(
        self,
        workbook_id: str,
        *,
        base_revision: int,
        new_model: ScoringModel | dict[str, Any],
        author: str | None = None,
    ) -> CommitResult:
        """Save a session's model, made from ``base_revision``, as a new revision.

        Changes saved by others since ``base_revision`` are kept: the session's changes are
        merged onto the head field by field. A field both changed to different values raises
        :class:`ConflictError` and nothing is stored; so does nothing at all when the result
        equals the head (``stored=False``).
        """
        mine, mine_text = checked_model(new_model)
        mine_tree = to_tree(mine)
        author = author_name(author)
        with self._write() as conn:
            head = self._head_number(conn, workbook_id)
            if not 1 <= base_revision <= head:
                raise StoreError(f"workbook '{workbook_id}' has no revision {base_revision} (revisions 1 to {head})")
            head_text = self._revision_row(conn, workbook_id, head)[5]
            if mine_text == head_text:
                return CommitResult(head, self._model(workbook_id, head, head_text), [], stored=False)
            head_tree = self._tree_at(conn, workbook_id, head, head_text)
            merged_in: builtins.list[str] = []
            if base_revision == head:
                result, result_text, result_tree, kind = mine, mine_text, mine_tree, "edit"
            else:
                base_tree = self._tree_at(conn, workbook_id, base_revision)
                try:
                    result = merge_model_trees(base_tree, mine_tree, head_tree)
                except MergeConflict as exc:
                    raise self._conflict_error(conn, workbook_id, base_revision, head, exc.clashes) from None
                result_text = model_json(result)
                if result_text == head_text:
                    return CommitResult(head, self._model(workbook_id, head, head_text), [], stored=False)
                result_tree, kind = to_tree(result), "merge"
                merged_in = _sentences(mine_tree, result_tree)
            found = list(tree_changes(head_tree, result_tree))
            summary = [c.sentence for c in found] or ["Minor change with no visible difference"]
            self._append(
                conn,
                workbook_id,
                head + 1,
                result,
                result_text,
                kind,
                summary,
                author,
                base_revision=base_revision,
            )
            if kind == "edit" and len(found) == 1:  # a quick edit of one field: the history may fold it
                record_edit_field(conn, workbook_id, head + 1, found[0].key, found[0].before, found[0].after)
        self._remember(workbook_id, head + 1, result_tree)
        return CommitResult(head + 1, result, summary, merged_in)

    def _conflict_error(
        self, conn: sqlite3.Connection, workbook_id: str, base: int, head: int, clashes: builtins.list[Clash]
    ) -> ConflictError:
        first = max(base, head - CONFLICT_LOOKBACK)
        rows = conn.execute(
            "SELECT number, author, model FROM revisions WHERE workbook_id = ? AND number BETWEEN ? AND ? "
            "ORDER BY number",
            (workbook_id, first, head),
        ).fetchall()
        trees = {n: self._tree_at(conn, workbook_id, n, text) for n, _, text in rows}
        authors = {n: a for n, a, _ in rows}
        conflicts = []
        for clash in clashes:
            by = None
            for n in range(head, first, -1):
                if get(trees[n], clash.path) != get(trees[n - 1], clash.path):
                    by = authors[n]
                    break
            conflicts.append(
                FieldConflict(
                    path=label(clash.path),
                    base=plain(clash.base),
                    mine=plain(clash.mine),
                    theirs=plain(clash.theirs),
                    by=by,
                    message=clash_message(clash, by),
                    key=clash.path,
                )
            )
        return ConflictError(conflicts, base, head)

    def undo(
        self, workbook_id: str, author: str | None = None, *, expected_head: int | None = None, fold: bool = False
    ) -> CommitResult:
        """Undo the last change still in effect, as a new revision ("Undo: …").

        Undo after undo steps further back: it undoes the change before the one just undone.
        ``fold``: a run of quick edits of one field (:mod:`workbook.store.timeline`), which the
        readable history shows as one change, is taken back as one.
        ``expected_head``: the revision the session shows; if others saved since, nothing is
        undone and :class:`StoreError` says so (their change would be the one undone).
        """
        with self._write() as conn:
            head = self._head_number(conn, workbook_id)
            if expected_head is not None and expected_head != head:
                raise StoreError(
                    f"not undone: the workbook changed since you last looked (revision {expected_head}, now "
                    f"{head}); undo would undo someone else's change — reload and try again"
                )
            # The change to undo is the newest one still in effect: an undo revision points at the
            # change it took back, whose predecessor is the next candidate (undos chain backwards).
            target = head
            row = self._revision_row(conn, workbook_id, target)
            while row[3] == "undo" and target >= 2:
                target = row[6] - 1
                row = self._revision_row(conn, workbook_id, target) if target >= 1 else row
            if target < 2:
                raise StoreError("nothing to undo: the workbook is back at its first revision")
            last = target
            if fold:
                target = max(2, fold_start(conn, workbook_id, target))
            undone = json.loads(self._revision_row(conn, workbook_id, target)[4])
            if last != target:
                before = self._tree_at(conn, workbook_id, target - 1)
                undone = _sentences(before, self._tree_at(conn, workbook_id, last))
                undone = [f"{line} ({last - target + 1} quick edits)" for line in undone]
            text = self._revision_row(conn, workbook_id, target - 1)[5]
            model = self._model(workbook_id, target - 1, text)
            summary = [f"Undo: {line}" for line in undone] or [f"Undo revision {target}"]
            self._append_earlier(conn, workbook_id, head, model, text, "undo", summary, author, source=target)
        return CommitResult(head + 1, model, summary)

    def restore(self, workbook_id: str, revision: int, author: str | None = None) -> CommitResult:
        """Make the model of ``revision`` current again, as a new revision ("Restored revision 12")."""
        with self._write() as conn:
            head = self._head_number(conn, workbook_id)
            text = self._revision_row(conn, workbook_id, revision)[5]
            head_text = self._revision_row(conn, workbook_id, head)[5]
            head_model = self._model(workbook_id, head, head_text)
            if text == head_text:
                return CommitResult(head, head_model, [], stored=False)
            model = self._model(workbook_id, revision, text)
            summary = [f"Restored revision {revision}", *describe_changes(head_model, model)]
            self._append_earlier(conn, workbook_id, head, model, text, "restore", summary, author, source=revision)
        return CommitResult(head + 1, model, summary)

    def _append_earlier(
        self,
        conn: sqlite3.Connection,
        workbook_id: str,
        head: int,
        model: ScoringModel,
        text: str,
        kind: str,
        summary: builtins.list[str],
        author: str | None,
        *,
        source: int,
    ) -> None:
        """Append an earlier revision's model as the new head (undo, restore), naming ``source``:
        the revision undone or restored, which the history links to."""
        self._append(conn, workbook_id, head + 1, model, text, kind, summary, author_name(author),
                     source_revision=source)


def _sentences(old_tree: dict, new_tree: dict) -> builtins.list[str]:
    return [c.sentence for c in tree_changes(old_tree, new_tree)]
