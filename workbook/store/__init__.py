"""Durable workbooks: the store, its database, revisions, reviews, merge, diff and field addressing.

:class:`Store` is the one object callers use; it is :class:`~workbook.store.revisions.Revisions`
(workbooks, revisions, history, commit, undo, restore) with
:class:`~workbook.store.reviews.Reviews` (release candidates, approvals, the final export) on
top. The modules:

| module | holds |
|---|---|
| :mod:`~workbook.store.database` | the SQLite file: settings, schema, transactions, error messages |
| :mod:`~workbook.store.records` | records handed out, errors raised, a model's stored form |
| :mod:`~workbook.store.revisions` | workbooks and their revisions |
| :mod:`~workbook.store.reviews` | release candidates and steering-committee approvals |
| :mod:`~workbook.store.review` | the review rules (pure functions) |
| :mod:`~workbook.store.addressing` | model fields addressed by stable keys (paths, trees, keyed lists) |
| :mod:`~workbook.store.wording` | those fields and values in the workshop's words |
| :mod:`~workbook.store.merge` | three-way merge of model trees |
| :mod:`~workbook.store.diff` | what changed between two models, in sentences |
| :mod:`~workbook.store.checkpoints` | the side tables: checkpoints, one-field edits, value templates |
| :mod:`~workbook.store.timeline` | the readable history: quick edits folded, sections by checkpoint |
| :mod:`~workbook.store.notes` | change notes from checkpoint to checkpoint, for the steering committee |
| :mod:`~workbook.store.readable` | the store's methods for all three |
"""

from __future__ import annotations

from workbook.store.database import DB_ENV, STORE_SCHEMA, StoreError, default_db_path
from workbook.store.readable import ReadableHistory
from workbook.store.records import (
    CommitResult,
    ConflictError,
    FieldConflict,
    InvalidModelError,
    Revision,
    RevisionInfo,
    RevisionKind,
    WorkbookInfo,
    checked_model,
    model_json,
)
from workbook.store.review import ApprovalStatus, Decision, MemberReview
from workbook.store.reviews import Reviews

__all__ = [
    "DB_ENV",
    "STORE_SCHEMA",
    "ApprovalStatus",
    "CommitResult",
    "ConflictError",
    "Decision",
    "FieldConflict",
    "InvalidModelError",
    "MemberReview",
    "Revision",
    "RevisionInfo",
    "RevisionKind",
    "Store",
    "StoreError",
    "WorkbookInfo",
    "checked_model",
    "default_db_path",
    "model_json",
]


class Store(Reviews, ReadableHistory):
    """Workbooks, their revisions, reviews, checkpoints and value templates in one SQLite file; thread-safe."""
