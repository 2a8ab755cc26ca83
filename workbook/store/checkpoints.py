"""Checkpoints (named moments such as "after workshop 1") and the one field a quick edit changed.

Two side tables, created with ``CREATE TABLE IF NOT EXISTS`` whenever a database is opened
(:func:`create_tables`, called from :class:`~workbook.store.database.Database`), so an older
database gains them without a schema change:

``checkpoints``
    a name for a revision of a workbook; a name is used once per workbook. Append-only,
    like the revisions: a moment the team named stays named.
``edit_fields``
    for an edit that changed exactly one field (one + click on a weight), that field and
    its value before and after. The readable history folds runs of such edits by one
    person into one line (:mod:`workbook.store.timeline`) and undo takes such a run back
    at once — without ever changing a stored revision.

The functions here work on an open connection inside the caller's transaction; the
store's methods are in :mod:`workbook.store.readable`. Nothing here imports the revision
classes (they call :func:`record_edit_field` and :func:`fold_start`).
"""

from __future__ import annotations

import json
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from workbook.store.addressing import ORDER, Path
from workbook.store.timeline import FieldEdit, RunInfo, fold_run_start

TABLES = """
CREATE TABLE IF NOT EXISTS checkpoints (
    workbook_id TEXT NOT NULL REFERENCES workbooks(id),
    revision    INTEGER NOT NULL,
    name        TEXT NOT NULL,
    at          TEXT NOT NULL,
    author      TEXT,
    UNIQUE (workbook_id, name)
);
CREATE TRIGGER IF NOT EXISTS checkpoints_never_change BEFORE UPDATE ON checkpoints
BEGIN SELECT RAISE(ABORT, 'checkpoints are never changed'); END;
CREATE TABLE IF NOT EXISTS edit_fields (
    workbook_id TEXT NOT NULL REFERENCES workbooks(id),
    number      INTEGER NOT NULL,
    path        TEXT NOT NULL,  -- JSON list; a keyed-list key (name, n) as a two-item list
    before      TEXT NOT NULL,  -- JSON value (null: not set)
    after       TEXT NOT NULL,
    PRIMARY KEY (workbook_id, number)
);
CREATE TABLE IF NOT EXISTS value_templates (
    name       TEXT PRIMARY KEY,
    description TEXT NOT NULL DEFAULT '',
    items      TEXT NOT NULL,  -- JSON list of values (label, score, match, knockout)
    at         TEXT NOT NULL,
    author     TEXT
);
"""
_NAMES = {"checkpoints", "checkpoints_never_change", "edit_fields", "value_templates"}
MAX_NAME = 80  # characters of a checkpoint's name


def create_tables(conn: sqlite3.Connection) -> None:
    """Create the side tables when missing (a no-op write-free check when they exist)."""
    present = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'trigger')")}
    if "workbooks" not in present or _NAMES <= present:
        return  # not a workbook database (the caller refuses it), or already there
    current = ""
    try:
        for line in TABLES.strip().splitlines():
            current += line + "\n"
            if sqlite3.complete_statement(current):  # a trigger's body holds ';' of its own
                conn.execute(current)
                current = ""
    except sqlite3.OperationalError as exc:
        if "readonly" not in str(exc).replace("-", "").replace(" ", ""):
            raise
        # A read-only older database still opens for reading: it has no checkpoints yet
        # (the readers below answer "none"), and every write is refused as before.


def _missing_table(exc: sqlite3.OperationalError) -> bool:
    return "no such table" in str(exc)


@dataclass(frozen=True)
class Checkpoint:
    """A named moment of a workbook: ``name`` for ``revision``."""

    name: str
    revision: int
    at: datetime
    author: str | None


def checkpoint_name(name: str | None) -> str:
    """A checkpoint's name as stored: trimmed, one line, not empty, not too long (else ValueError)."""
    text = " ".join((name or "").split())
    if not text:
        raise ValueError("a checkpoint needs a name, e.g. 'after workshop 1'")
    if len(text) > MAX_NAME:
        raise ValueError(f"a checkpoint's name has at most {MAX_NAME} characters (this one has {len(text)})")
    return text


# --------------------------------------------------------------------------------------------
# The one field of a quick edit
# --------------------------------------------------------------------------------------------
def is_field_path(path: Path) -> bool:
    """A path naming one field (a weight, a score, a grid cell), not a whole item or an order."""
    return bool(path) and isinstance(path[-1], str) and path[-1] != ORDER


def _scalar(value: Any) -> bool:
    return value is None or isinstance(value, str | int | float | bool)


def record_edit_field(
    conn: sqlite3.Connection, workbook_id: str, number: int, path: Path, before: Any, after: Any
) -> None:
    """Remember the one field an edit revision changed (only plain values; others never fold)."""
    if not (is_field_path(path) and _scalar(before) and _scalar(after)):
        return
    conn.execute(
        "INSERT OR IGNORE INTO edit_fields (workbook_id, number, path, before, after) VALUES (?, ?, ?, ?, ?)",
        (workbook_id, number, json.dumps(list(path)), json.dumps(before), json.dumps(after)),
    )


def _path(text: str) -> Path:
    return tuple(tuple(p) if isinstance(p, list) else p for p in json.loads(text))


def edit_fields(conn: sqlite3.Connection, workbook_id: str, low: int = 1, high: int = -1) -> dict[int, FieldEdit]:
    """The single-field edits of revisions ``low`` … ``high`` (-1: the newest), by revision number."""
    try:
        rows = conn.execute(
            "SELECT number, path, before, after FROM edit_fields WHERE workbook_id = ? AND number >= ? "
            "AND (? < 0 OR number <= ?)",
            (workbook_id, low, high, high),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if not _missing_table(exc):
            raise
        return {}
    return {n: FieldEdit(n, _path(p), json.loads(b), json.loads(a)) for n, p, b, a in rows}


def pinned_revisions(conn: sqlite3.Connection, workbook_id: str) -> set[int]:
    """Revisions that are named moments (checkpoints, release candidates): a fold never crosses them."""
    marks = {c.revision for c in checkpoint_rows(conn, workbook_id)}
    rows = conn.execute("SELECT revision FROM release_candidates WHERE workbook_id = ?", (workbook_id,)).fetchall()
    return marks | {r[0] for r in rows}


def run_infos(conn: sqlite3.Connection, workbook_id: str, low: int, high: int) -> dict[int, RunInfo]:
    """What folding needs of revisions ``low`` … ``high``: kind, author, time."""
    rows = conn.execute(
        "SELECT number, kind, author, at FROM revisions WHERE workbook_id = ? AND number BETWEEN ? AND ?",
        (workbook_id, low, high),
    ).fetchall()
    return {n: RunInfo(n, kind, author, datetime.fromisoformat(at)) for n, kind, author, at in rows}


FOLD_LOOKBACK = 500  # revisions one run of quick edits may span, at most


def fold_start(conn: sqlite3.Connection, workbook_id: str, number: int) -> int:
    """The first revision of the run of quick edits that ends at ``number`` (``number`` if none)."""
    low = max(1, number - FOLD_LOOKBACK)
    fields = edit_fields(conn, workbook_id, low, number)
    if number not in fields:
        return number
    infos = run_infos(conn, workbook_id, low, number)
    return fold_run_start(number, infos, fields, pinned_revisions(conn, workbook_id))


# --------------------------------------------------------------------------------------------
# Checkpoints
# --------------------------------------------------------------------------------------------
def checkpoint_rows(conn: sqlite3.Connection, workbook_id: str) -> list[Checkpoint]:
    """The workbook's checkpoints, oldest revision first."""
    try:
        rows = conn.execute(
            "SELECT name, revision, at, author FROM checkpoints WHERE workbook_id = ? ORDER BY revision, rowid",
            (workbook_id,),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if not _missing_table(exc):
            raise
        return []
    return [Checkpoint(name, revision, datetime.fromisoformat(at), author) for name, revision, at, author in rows]
