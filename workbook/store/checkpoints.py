"""Checkpoints (named moments such as "after workshop 1") and the one field a quick edit changed.

Two side tables, created with ``CREATE TABLE IF NOT EXISTS`` whenever a database is opened
(:func:`create_tables`, called from :class:`~workbook.store.database.Database`), so an older
database gains them without a schema change:

``checkpoints``
    a name for a revision of a workbook; a name is used once per workbook. Append-only,
    like the revisions: a moment the team named stays named.
``checkpoint_renames``
    each renaming of a checkpoint: its first name (how the row above is found), the name
    before and after, who and when. The checkpoint's name is the newest rename's; the
    row in ``checkpoints`` is never changed.
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
CREATE TABLE IF NOT EXISTS checkpoint_renames (
    workbook_id TEXT NOT NULL REFERENCES workbooks(id),
    first_name  TEXT NOT NULL,  -- the checkpoint's name in the checkpoints table
    old_name    TEXT NOT NULL,
    new_name    TEXT NOT NULL,
    at          TEXT NOT NULL,
    author      TEXT
);
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
_NAMES = {"checkpoints", "checkpoints_never_change", "checkpoint_renames", "edit_fields", "value_templates"}
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
class Rename:
    """One renaming of a checkpoint: who, when, from what to what."""

    old_name: str
    new_name: str
    at: datetime
    author: str | None


@dataclass(frozen=True)
class Checkpoint:
    """A named moment of a workbook: ``name`` for ``revision`` (``renames``: oldest first)."""

    name: str
    revision: int
    at: datetime
    author: str | None
    renames: tuple[Rename, ...] = ()

    @property
    def first_name(self) -> str:
        """The name it was given (the key of its row)."""
        return self.renames[0].old_name if self.renames else self.name


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
def _renames(conn: sqlite3.Connection, workbook_id: str) -> dict[str, list[Rename]]:
    try:
        rows = conn.execute(
            "SELECT first_name, old_name, new_name, at, author FROM checkpoint_renames WHERE workbook_id = ? "
            "ORDER BY rowid",
            (workbook_id,),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if not _missing_table(exc):
            raise
        return {}
    out: dict[str, list[Rename]] = {}
    for first, old, new, at, author in rows:
        out.setdefault(first, []).append(Rename(old, new, datetime.fromisoformat(at), author))
    return out


def checkpoint_rows(conn: sqlite3.Connection, workbook_id: str) -> list[Checkpoint]:
    """The workbook's checkpoints under their current names, oldest revision first."""
    try:
        rows = conn.execute(
            "SELECT name, revision, at, author FROM checkpoints WHERE workbook_id = ? ORDER BY revision, rowid",
            (workbook_id,),
        ).fetchall()
    except sqlite3.OperationalError as exc:
        if not _missing_table(exc):
            raise
        return []
    renames = _renames(conn, workbook_id)
    out = []
    for name, revision, at, author in rows:
        history = tuple(renames.get(name, ()))
        out.append(Checkpoint(history[-1].new_name if history else name, revision, datetime.fromisoformat(at),
                              author, history))
    return out


def name_in_use(conn: sqlite3.Connection, workbook_id: str, name: str) -> str | None:
    """Why ``name`` cannot name another checkpoint of the workbook, in words (None: it can).

    Taken are the checkpoints' current names, and the first names of renamed ones (the
    rows keep them: a moment the team named stays findable under the name it was given).
    """
    for mark in checkpoint_rows(conn, workbook_id):
        if mark.name == name:
            return f"there is already a checkpoint named '{name}' (at revision {mark.revision})"
        if mark.first_name == name:
            return (f"'{name}' was the first name of the checkpoint now called '{mark.name}' "
                    f"(at revision {mark.revision}); choose another")
    return None


def record_rename(
    conn: sqlite3.Connection, workbook_id: str, mark: Checkpoint, new_name: str, at: str, author: str | None
) -> None:
    """Rename ``mark`` to ``new_name`` (already checked), inside the caller's transaction."""
    conn.execute(
        "INSERT INTO checkpoint_renames (workbook_id, first_name, old_name, new_name, at, author) "
        "VALUES (?, ?, ?, ?, ?, ?)",
        (workbook_id, mark.first_name, mark.name, new_name, at, author),
    )
