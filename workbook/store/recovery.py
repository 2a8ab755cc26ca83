"""A damaged workbook database: what is wrong, what can still be read, and saving what can be.

The app calls :func:`diagnose` when the store cannot be opened, or when SQLite's own
``quick_check`` finds damage, and shows the answer in words with what a person can do:

- **read-only** file (permissions, a read-only disk): open it read-only and look;
- **damaged** file (cut short, overwritten, a revision edited by hand): :func:`salvage` copies
  every revision that can still be read into a new database, newest readable revision as each
  workbook's head, and keeps the damaged file beside it, renamed, for an expert or a backup;
- **newer** (written by a newer version of the app) or **foreign** (another program's
  database): nothing to repair here; the message says what to do.

Nothing is ever deleted: the damaged file is renamed, never overwritten.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from pydantic import ValidationError

from workbook.model import ScoringModel
from workbook.store.database import Database, StoreError, open_read_only

_REVISION_COLUMNS = "workbook_id, number, at, author, kind, summary, model, base_revision, source_revision"


@dataclass(frozen=True)
class Diagnosis:
    """What is wrong with a database file, in words, and what can be offered."""

    kind: str  # "ok", "read-only", "damaged", "newer", "foreign", "locked", "other"
    message: str
    can_view: bool = False  # it opens read-only
    can_salvage: bool = False  # salvage() would make a working database from it
    unreadable: list[str] = field(default_factory=list)  # what could not be read, in words


@dataclass(frozen=True)
class Salvage:
    """What :func:`salvage` kept and where the damaged file went."""

    damaged_copy: Path
    workbooks: int
    revisions: int
    lost: list[str]  # in words: "revision 7 of 'FY27 model'", "the list of workbooks", …


def _quick_check(conn: sqlite3.Connection) -> list[str]:
    rows = [r[0] for r in conn.execute("PRAGMA quick_check(20)")]
    return [] if rows == ["ok"] else rows


def diagnose(path: str | os.PathLike[str]) -> Diagnosis:
    """Open ``path`` as the app would and say what is wrong with it (``kind="ok"`` if nothing)."""
    path = Path(path)
    try:
        db = Database(path)
    except StoreError as exc:
        if exc.kind in ("read-only", "damaged"):
            return _read_only_or_damaged(path, exc)
        return Diagnosis(exc.kind, str(exc))
    try:
        return _check_contents(path, db.conn, str(path))
    finally:
        db.close()


def _read_only_or_damaged(path: Path, exc: StoreError) -> Diagnosis:
    try:
        db = Database(path, read_only=True)
    except StoreError as again:
        return Diagnosis("damaged", str(exc) if exc.kind == "damaged" else str(again), can_salvage=True)
    try:
        found = _check_contents(path, db.conn, str(path))
    finally:
        db.close()
    if found.kind == "ok":
        return Diagnosis(exc.kind, str(exc), can_view=True, can_salvage=exc.kind == "damaged")
    return Diagnosis("damaged", found.message, can_view=exc.kind == "read-only", can_salvage=True,
                     unreadable=found.unreadable)


def _check_contents(path: Path, conn: sqlite3.Connection, where: str) -> Diagnosis:
    """SQLite's page check, then every workbook's newest revision parsed as a model."""
    try:
        problems = _quick_check(conn)
        heads = conn.execute(
            "SELECT w.name, w.head_revision, r.model FROM workbooks w LEFT JOIN revisions r "
            "ON r.workbook_id = w.id AND r.number = w.head_revision"
        ).fetchall()
    except sqlite3.Error as exc:
        return Diagnosis("damaged", f"the workbook database {where} is damaged ({exc})", can_salvage=True,
                         unreadable=["the list of workbooks"])
    unreadable = []
    for name, head, text in heads:
        try:
            ScoringModel.model_validate_json(text or "")
        except ValidationError:
            unreadable.append(f"revision {head} of “{name}”")
    if problems or unreadable:
        said = "; ".join(unreadable) if unreadable else "; ".join(problems[:3])
        return Diagnosis(
            "damaged",
            f"the workbook database {where} is damaged: {said} cannot be read",
            can_view=not problems and not unreadable,
            can_salvage=True,
            unreadable=unreadable or problems[:3],
        )
    return Diagnosis("ok", f"the workbook database {where} is in order")


def _rows(conn: sqlite3.Connection | None, sql: str, params: tuple, lost: list[str], what: str) -> list[tuple]:
    if conn is None:
        return []
    try:
        return conn.execute(sql, params).fetchall()
    except sqlite3.Error:
        lost.append(what)
        return []


def _open_damaged(path: Path) -> sqlite3.Connection | None:
    try:
        return open_read_only(path)
    except sqlite3.Error:
        return None


def salvage(path: str | os.PathLike[str]) -> Salvage:
    """Rename the damaged file aside and rebuild ``path`` from every revision still readable.

    Each workbook keeps its revisions that read as a model, in order; its newest readable one
    becomes its head (the last good revision). Release candidates and approvals of kept
    revisions are kept too. What could not be read is listed in words.
    """
    path = Path(path)
    stamp = datetime.now(UTC).strftime("%Y%m%d-%H%M%S")
    damaged = path.with_name(f"{path.name}.damaged-{stamp}")
    for suffix in ("", "-wal", "-shm"):
        side = Path(str(path) + suffix)
        if side.exists():
            side.rename(Path(str(damaged) + suffix))
    old = _open_damaged(damaged)
    lost: list[str] = []
    kept_workbooks = kept_revisions = 0
    try:
        workbooks = _rows(old, "SELECT id, name, source, created_at, updated_at, archived FROM workbooks", (),
                          lost, "the list of workbooks")
        new = Database(path)
        try:
            with new.write() as conn:
                for wb_id, name, source, created, updated, archived in workbooks:
                    rows = _readable_revisions(old, wb_id, name, lost)
                    if not rows:
                        lost.append(f"every revision of “{name}”")
                        continue
                    conn.execute(
                        "INSERT INTO workbooks (id, name, source, created_at, updated_at, head_revision, archived) "
                        "VALUES (?, ?, ?, ?, ?, ?, ?)",
                        (wb_id, name, source, created, updated, rows[-1][1], archived),
                    )
                    for row in rows:
                        conn.execute(f"INSERT INTO revisions ({_REVISION_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                     row)
                    kept = [row[1] for row in rows]
                    kept_workbooks += 1
                    kept_revisions += len(kept)
                    _copy_reviews(old, conn, wb_id, set(kept), name, lost)
        finally:
            new.close()
    finally:
        if old is not None:
            old.close()
    return Salvage(damaged, kept_workbooks, kept_revisions, lost)


def _readable_revisions(old: sqlite3.Connection | None, wb_id: str, name: str, lost: list[str]) -> list[tuple]:
    """A workbook's revisions that read as a model, oldest first; the others named in ``lost``."""
    rows = _rows(old, f"SELECT {_REVISION_COLUMNS} FROM revisions WHERE workbook_id = ? ORDER BY number", (wb_id,),
                 lost, f"some revisions of “{name}”")
    kept = []
    for row in rows:
        try:
            ScoringModel.model_validate_json(row[6] or "")
        except ValidationError:
            lost.append(f"revision {row[1]} of “{name}”")
            continue
        kept.append(row)
    return kept


def _copy_reviews(old: sqlite3.Connection | None, conn: sqlite3.Connection, wb_id: str, kept: set[int],
                  name: str, lost: list[str]) -> None:
    for row in _rows(old, "SELECT workbook_id, revision, marked_at, marked_by FROM release_candidates "
                          "WHERE workbook_id = ?", (wb_id,), lost, f"the release candidates of “{name}”"):
        if row[1] in kept:
            conn.execute("INSERT INTO release_candidates (workbook_id, revision, marked_at, marked_by) "
                         "VALUES (?, ?, ?, ?)", row)
    for row in _rows(old, "SELECT workbook_id, revision, member, decision, comment, at FROM reviews "
                          "WHERE workbook_id = ?", (wb_id,), lost, f"the approvals of “{name}”"):
        if row[1] in kept:
            conn.execute("INSERT INTO reviews (workbook_id, revision, member, decision, comment, at) "
                         "VALUES (?, ?, ?, ?, ?, ?)", row)

