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
the current head field by field (:mod:`workbook.merge`); a field that someone else set
to a different value is refused with :class:`ConflictError`, which shows both values.

The file: ``$WORKBOOK_DB``, else ``data/workbooks.db`` beside the ``workbook`` package.
One :class:`Store` is shared by every session of a server: it holds one connection
behind a lock (SQLite serialises writers anyway; reads take milliseconds).
"""

from __future__ import annotations

import builtins
import json
import os
import secrets
import sqlite3
import threading
import warnings
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, Literal

from pydantic import ValidationError

from workbook.diff import describe_changes
from workbook.fields import MISSING, ORDER, Keyed, get, label, plain, say, to_tree
from workbook.io import ModelInvalid, Problem, model_from_data
from workbook.merge import Clash, MergeConflict, merge3
from workbook.model import Approval, ChangeNote, Metadata, ScoringModel

DB_ENV = "WORKBOOK_DB"
STORE_SCHEMA = 1
DEFAULT_BUSY_TIMEOUT = 5.0  # seconds a writer waits for another writer before "locked"
EXPORT_CHANGE_NOTES = 20
CONFLICT_LOOKBACK = 200  # revisions searched for who made a conflicting change

RevisionKind = Literal["create", "duplicate", "edit", "merge", "rename", "undo", "restore"]
Decision = Literal["approved", "rejected"]


def default_db_path() -> Path:
    """``$WORKBOOK_DB``, else ``<repo root>/data/workbooks.db``."""
    raw = os.environ.get(DB_ENV, "").strip()
    if raw:
        return Path(raw).expanduser()
    return Path(__file__).resolve().parent.parent / "data" / "workbooks.db"


# --------------------------------------------------------------------------------------------
# Errors
# --------------------------------------------------------------------------------------------
class StoreError(Exception):
    """Something the user can read and act on: unknown workbook, locked or read-only file, …"""


class InvalidModelError(StoreError):
    """The model is not a structurally valid model; ``problems`` says where. Nothing was stored."""

    def __init__(self, problems: builtins.list[Problem]):
        self.problems = problems
        lines = "\n".join(f"- {p}" for p in problems)
        super().__init__(f"the model was not saved because it is not a valid model file:\n{lines}")


@dataclass(frozen=True)
class FieldConflict:
    """One field the session changed that someone else set to a different value meanwhile."""

    path: str  # in words: "ICP weight 'Job role'"
    base: Any  # the value when the session last looked (None: not there)
    mine: Any  # the session's value
    theirs: Any  # the value saved meanwhile
    by: str | None = None  # who saved it, if they gave a name
    message: str = ""  # "ICP weight 'Job role': you set 40, Sam set 45 since you last looked"
    key: tuple[Any, ...] = ()  # the field as stable keys (workbook.fields)


class ConflictError(StoreError):
    """The edit clashes with changes saved since the session last looked; nothing was stored."""

    def __init__(self, conflicts: builtins.list[FieldConflict], base_revision: int, head_revision: int):
        self.conflicts = conflicts
        self.base_revision = base_revision
        self.head_revision = head_revision
        lines = "\n".join(f"- {c.message}" for c in conflicts)
        super().__init__(
            "Your change was not saved: it clashes with what others saved since you last looked "
            f"(revision {base_revision}; now revision {head_revision}).\n{lines}"
        )


# --------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class WorkbookInfo:
    id: str
    name: str
    created_at: datetime
    updated_at: datetime
    head_revision: int
    archived: bool
    source: str  # "blank", "example:<file>", "upload", "duplicate:<id>@<revision>"


@dataclass(frozen=True)
class RevisionInfo:
    number: int
    at: datetime
    author: str | None
    summary: builtins.list[str]
    kind: str
    release_candidate: bool = False
    source_revision: int | None = None  # restore: the revision restored; undo: the revision undone


@dataclass(frozen=True)
class Revision:
    number: int
    model: ScoringModel
    at: datetime
    author: str | None
    summary: builtins.list[str]
    kind: str = "edit"


@dataclass(frozen=True)
class CommitResult:
    revision: int  # the new head (the old head when nothing was stored)
    model: ScoringModel  # the head model, including changes of others merged in
    summary: builtins.list[str]  # what this revision changed; empty when nothing was stored
    merged: builtins.list[str] = field(default_factory=builtins.list)  # others' changes merged into yours
    stored: bool = True


@dataclass(frozen=True)
class MemberReview:
    member: str
    decision: Decision | None  # None: not reviewed yet
    comment: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class ApprovalStatus:
    revision: int
    release_candidate: bool
    reviews: builtins.list[MemberReview]  # one per steering-committee member of that revision's team
    state: Literal["approved", "rejected", "pending"]
    approved_at: datetime | None = None

    @property
    def approved(self) -> bool:
        return self.state == "approved"

    @property
    def waiting_for(self) -> builtins.list[str]:
        return [r.member for r in self.reviews if r.decision is None]


# --------------------------------------------------------------------------------------------
# Schema
# --------------------------------------------------------------------------------------------
_SCHEMA = """
CREATE TABLE workbooks (
    id            TEXT PRIMARY KEY,
    name          TEXT NOT NULL,
    source        TEXT NOT NULL,
    created_at    TEXT NOT NULL,
    updated_at    TEXT NOT NULL,
    head_revision INTEGER NOT NULL,
    archived      INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE revisions (
    workbook_id     TEXT NOT NULL REFERENCES workbooks(id),
    number          INTEGER NOT NULL,
    at              TEXT NOT NULL,
    author          TEXT,
    kind            TEXT NOT NULL,
    summary         TEXT NOT NULL,  -- JSON list of sentences
    model           TEXT NOT NULL,  -- the whole model, compact JSON
    base_revision   INTEGER,        -- edit/merge: the revision the session started from
    source_revision INTEGER,        -- restore: revision restored; undo: revision undone
    UNIQUE (workbook_id, number)
);
CREATE TRIGGER revisions_never_change BEFORE UPDATE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are never changed'); END;
CREATE TRIGGER revisions_never_deleted BEFORE DELETE ON revisions
BEGIN SELECT RAISE(ABORT, 'revisions are never deleted'); END;
CREATE TRIGGER workbooks_never_deleted BEFORE DELETE ON workbooks
BEGIN SELECT RAISE(ABORT, 'workbooks are archived, never deleted'); END;
CREATE TABLE release_candidates (
    workbook_id TEXT NOT NULL REFERENCES workbooks(id),
    revision    INTEGER NOT NULL,
    marked_at   TEXT NOT NULL,
    marked_by   TEXT,
    PRIMARY KEY (workbook_id, revision)
);
CREATE TABLE reviews (
    workbook_id TEXT NOT NULL REFERENCES workbooks(id),
    revision    INTEGER NOT NULL,
    member      TEXT NOT NULL,
    decision    TEXT NOT NULL CHECK (decision IN ('approved', 'rejected')),
    comment     TEXT NOT NULL DEFAULT '',
    at          TEXT NOT NULL
);
CREATE INDEX reviews_by_revision ON reviews (workbook_id, revision);
"""
_TABLES = {"workbooks", "revisions", "release_candidates", "reviews"}


def _now() -> datetime:
    return datetime.now(UTC)


def _ts(value: datetime) -> str:
    return value.astimezone(UTC).isoformat(timespec="microseconds")


def _dt(text: str) -> datetime:
    return datetime.fromisoformat(text)


def _author(author: str | None) -> str | None:
    name = (author or "").strip()
    return name or None


# --------------------------------------------------------------------------------------------
# Models in and out
# --------------------------------------------------------------------------------------------
def model_json(model: ScoringModel) -> str:
    """The stored form of a model: compact JSON without default values."""
    return model.model_dump_json(exclude_defaults=True)


def checked_model(model: ScoringModel | dict[str, Any]) -> tuple[ScoringModel, str]:
    """Validate a model afresh (one edited in place may hold anything): a private copy and its JSON.

    Raises :class:`InvalidModelError` listing every problem.
    """
    if isinstance(model, ScoringModel):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")  # pydantic warns when serialising a wrong type
                text = model_json(model)
        except Exception as exc:  # noqa: BLE001 — any value that cannot even be written out
            raise InvalidModelError([Problem("(model)", f"cannot be written out: {exc}")]) from None
        try:
            fresh = ScoringModel.model_validate_json(text)
        except ValidationError:
            data = json.loads(text)
        else:
            return fresh, model_json(fresh)
    elif isinstance(model, dict):
        data = model
    else:
        raise InvalidModelError([Problem("(model)", f"expected a scoring model, got {type(model).__name__}")])
    try:
        fresh = model_from_data(data)
    except ModelInvalid as exc:
        raise InvalidModelError(exc.problems) from None
    return fresh, model_json(fresh)


# --------------------------------------------------------------------------------------------
# The store
# --------------------------------------------------------------------------------------------
class Store:
    """Workbooks and their revisions in one SQLite file; safe to share between threads."""

    def __init__(
        self, path: str | os.PathLike[str] | None = None, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT
    ):
        self.path = Path(path) if path is not None else default_db_path()
        self.busy_timeout = busy_timeout
        self._lock = threading.RLock()
        self._conn = self._open()

    def __repr__(self) -> str:
        return f"Store({str(self.path)!r})"

    def close(self) -> None:
        with self._lock:
            self._conn.close()

    def __enter__(self) -> Store:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- connection, transactions, errors -----------------------------------------------------
    def _open(self) -> sqlite3.Connection:
        where = f"the workbook database {self.path}"
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(
                f"cannot create the folder of {where}: {exc.strerror}; set {DB_ENV} to a writable place"
            ) from None
        if self.path.is_dir():
            raise StoreError(f"{where} is a folder, not a file; set {DB_ENV} to a file path")
        if self.path.exists() and not os.access(self.path, os.W_OK):
            raise StoreError(
                f"{where} is read-only: no change could be saved (check the permissions of "
                f"the file and its folder, or set {DB_ENV} to a writable place)"
            )
        conn = None
        try:
            conn = sqlite3.connect(
                str(self.path), timeout=self.busy_timeout, isolation_level=None, check_same_thread=False
            )
            conn.execute(f"PRAGMA busy_timeout = {int(self.busy_timeout * 1000)}")
            conn.execute("PRAGMA journal_mode = WAL")
            conn.execute("PRAGMA synchronous = FULL")  # an acknowledged edit survives kill -9 / power loss
            conn.execute("PRAGMA foreign_keys = ON")
            self._migrate(conn)
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise self._error(exc) from None
        except StoreError:
            if conn is not None:
                conn.close()
            raise
        return conn

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == STORE_SCHEMA:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            if version > STORE_SCHEMA:
                raise StoreError(
                    f"the workbook database {self.path} was written by a newer version of Lead Scoring "
                    f"Workbook (store schema {version}; this version knows {STORE_SCHEMA}); upgrade the app"
                )
            if version == 0:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if tables - _TABLES:
                    raise StoreError(
                        f"{self.path} is an SQLite database of another program, not a workbook "
                        f"database; set {DB_ENV} to another file"
                    )
                if not tables:
                    for statement in _split_sql(_SCHEMA):
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {STORE_SCHEMA}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def _error(self, exc: sqlite3.Error) -> StoreError:
        code = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        where = f"the workbook database {self.path}"
        if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
            return StoreError(f"{where} is locked by another program; try again")
        if code.startswith("SQLITE_READONLY") or "readonly" in text:
            return StoreError(
                f"{where} is read-only: the change was not saved (check the permissions of the "
                f"file and its folder, or set {DB_ENV} to a writable place)"
            )
        if code.startswith("SQLITE_CANTOPEN"):
            return StoreError(f"{where} cannot be opened: check that its folder exists and is writable")
        if code.startswith("SQLITE_FULL"):
            return StoreError(f"{where}: the disk is full; the change was not saved")
        if code.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            return StoreError(
                f"{where} is damaged or not a database ({text}); restore it from a backup "
                f"or set {DB_ENV} to another file"
            )
        if code.startswith("SQLITE_IOERR"):
            return StoreError(
                f"{where} could not be read or written (disk I/O error); the change was not saved"
            )
        return StoreError(f"{where}: {text}")

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all or nothing; writers in every thread and process queue up."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self._error(exc) from None
            try:
                yield conn
                conn.execute("COMMIT")
            except BaseException as exc:
                if conn.in_transaction:
                    try:
                        conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if isinstance(exc, sqlite3.Error):
                    raise self._error(exc) from None
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot for several reads."""
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN")
                yield conn
            except sqlite3.Error as exc:
                raise self._error(exc) from None
            finally:
                if conn.in_transaction:
                    try:
                        conn.execute("COMMIT")
                    except sqlite3.Error:
                        pass

    # -- rows -----------------------------------------------------------------------------------
    def _info(self, conn: sqlite3.Connection, workbook_id: str) -> WorkbookInfo:
        row = conn.execute(
            "SELECT id, name, created_at, updated_at, head_revision, archived, source FROM workbooks "
            "WHERE id = ?",
            (workbook_id,),
        ).fetchone()
        if row is None:
            raise StoreError(f"no workbook with id '{workbook_id}' (it may be in another database file)")
        return _workbook_info(row)

    def _head_number(self, conn: sqlite3.Connection, workbook_id: str) -> int:
        return self._info(conn, workbook_id).head_revision

    def _revision_row(self, conn: sqlite3.Connection, workbook_id: str, number: int) -> sqlite3.Row:
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
        at = _ts(_now())
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
            workbook_id = self._create(conn, fresh, text, summary, _author(author), source, "create")
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
        now = _ts(_now())
        conn.execute(
            "INSERT INTO workbooks (id, name, source, created_at, updated_at, head_revision) "
            "VALUES (?, ?, ?, ?, ?, 0)",
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
        return [_workbook_info(r) for r in rows]

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
            self._append(
                conn, workbook_id, head + 1, renamed, model_json(renamed), "rename", summary, _author(author)
            )
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
                _author(author),
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

    def _revision(self, workbook_id: str, row: sqlite3.Row) -> Revision:
        number, at, author, kind, summary, text, _ = row
        return Revision(
            number, self._model(workbook_id, number, text), _dt(at), author, json.loads(summary), kind
        )

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
            RevisionInfo(n, _dt(at), author, json.loads(summary), kind, bool(rc), source)
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
        author = _author(author)
        with self._write() as conn:
            head = self._head_number(conn, workbook_id)
            if not 1 <= base_revision <= head:
                raise StoreError(
                    f"workbook '{workbook_id}' has no revision {base_revision} (revisions 1 to {head})"
                )
            head_text = self._revision_row(conn, workbook_id, head)[5]
            head_model = self._model(workbook_id, head, head_text)
            if mine_text == head_text:
                return CommitResult(head, head_model, [], stored=False)
            merged_in: builtins.list[str] = []
            if base_revision == head:
                result, result_text, kind = mine, mine_text, "edit"
            else:
                base_model = self._model_at(conn, workbook_id, base_revision)
                try:
                    result = merge3(base_model, mine, head_model)
                except MergeConflict as exc:
                    raise self._conflict_error(conn, workbook_id, base_revision, head, exc.clashes) from None
                result_text = model_json(result)
                if result_text == head_text:
                    return CommitResult(head, head_model, [], stored=False)
                kind = "merge"
                merged_in = describe_changes(mine, result)
            summary = describe_changes(head_model, result) or ["Minor change with no visible difference"]
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
        trees = {n: to_tree(self._model(workbook_id, n, text)) for n, _, text in rows}
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
                    message=_conflict_message(clash, by),
                    key=clash.path,
                )
            )
        return ConflictError(conflicts, base, head)

    def undo(
        self, workbook_id: str, author: str | None = None, *, expected_head: int | None = None
    ) -> CommitResult:
        """Undo the last change still in effect, as a new revision ("Undo: …").

        Undo after undo steps further back: it undoes the change before the one just undone.
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
            row = self._revision_row(conn, workbook_id, head)
            target = row[6] - 1 if row[3] == "undo" else head
            if target < 2:
                raise StoreError("nothing to undo: the workbook is back at its first revision")
            undone = json.loads(self._revision_row(conn, workbook_id, target)[4])
            text = self._revision_row(conn, workbook_id, target - 1)[5]
            model = self._model(workbook_id, target - 1, text)
            summary = [f"Undo: {line}" for line in undone] or [f"Undo revision {target}"]
            self._append(
                conn,
                workbook_id,
                head + 1,
                model,
                text,
                "undo",
                summary,
                _author(author),
                source_revision=target,
            )
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
            self._append(
                conn,
                workbook_id,
                head + 1,
                model,
                text,
                "restore",
                summary,
                _author(author),
                source_revision=revision,
            )
        return CommitResult(head + 1, model, summary)

    # -- steering-committee review ----------------------------------------------------------------
    def mark_release_candidate(
        self, workbook_id: str, revision: int, author: str | None = None
    ) -> ApprovalStatus:
        """Put a revision up for the steering committee's review (marking twice changes nothing)."""
        with self._write() as conn:
            self._revision_row(conn, workbook_id, revision)
            conn.execute(
                "INSERT OR IGNORE INTO release_candidates (workbook_id, revision, marked_at, marked_by) "
                "VALUES (?, ?, ?, ?)",
                (workbook_id, revision, _ts(_now()), _author(author)),
            )
            return self._approval_status(conn, workbook_id, revision)

    def review(
        self, workbook_id: str, revision: int, member: str, decision: Decision, comment: str = ""
    ) -> ApprovalStatus:
        """A steering-committee member approves or rejects a release candidate.

        A later review by the same member on the same revision replaces the earlier one.
        """
        if decision not in ("approved", "rejected"):
            raise StoreError(f"a review decision is 'approved' or 'rejected', not '{decision}'")
        member = (member or "").strip()
        with self._write() as conn:
            model = self._model_at(conn, workbook_id, revision)
            if not self._is_candidate(conn, workbook_id, revision):
                raise StoreError(
                    f"revision {revision} is not a release candidate; mark it as one before review"
                )
            committee = _steering_committee(model)
            if member not in committee:
                who = ", ".join(committee) if committee else "nobody (mark members in the Team tab)"
                raise StoreError(
                    f"'{member}' is not on the steering committee in revision {revision}; "
                    f"the steering committee is: {who}"
                )
            conn.execute(
                "INSERT INTO reviews (workbook_id, revision, member, decision, comment, at) "
                "VALUES (?, ?, ?, ?, ?, ?)",
                (workbook_id, revision, member, decision, comment or "", _ts(_now())),
            )
            return self._approval_status(conn, workbook_id, revision)

    def approval_status(self, workbook_id: str, revision: int) -> ApprovalStatus:
        """Per steering-committee member of that revision: decision, comment, when; and overall."""
        with self._read() as conn:
            return self._approval_status(conn, workbook_id, revision)

    def _is_candidate(self, conn: sqlite3.Connection, workbook_id: str, revision: int) -> bool:
        return (
            conn.execute(
                "SELECT 1 FROM release_candidates WHERE workbook_id = ? AND revision = ?",
                (workbook_id, revision),
            ).fetchone()
            is not None
        )

    def _approval_status(self, conn: sqlite3.Connection, workbook_id: str, revision: int) -> ApprovalStatus:
        committee = _steering_committee(self._model_at(conn, workbook_id, revision))
        latest: dict[str, tuple[str, str, str]] = {}
        for member, decision, comment, at in conn.execute(
            "SELECT member, decision, comment, at FROM reviews WHERE workbook_id = ? AND revision = ? "
            "ORDER BY rowid",
            (workbook_id, revision),
        ):
            latest[member] = (decision, comment, at)
        reviews = []
        for member in committee:
            if member in latest:
                decision, comment, at = latest[member]
                reviews.append(MemberReview(member, decision, comment, _dt(at)))  # type: ignore[arg-type]
            else:
                reviews.append(MemberReview(member, None))
        if any(r.decision == "rejected" for r in reviews):
            state = "rejected"
        elif reviews and all(r.decision == "approved" for r in reviews):
            state = "approved"
        else:
            state = "pending"
        approved_at = max(r.at for r in reviews if r.at) if state == "approved" else None
        return ApprovalStatus(
            revision, self._is_candidate(conn, workbook_id, revision), reviews, state, approved_at
        )

    def final_export_model(self, workbook_id: str, revision: int | None = None) -> ScoringModel:
        """The model of ``revision`` (default: head) with its provenance in ``metadata``.

        version ("1.<revision>" unless the team set one), revision, status, exported_at,
        approved_at, approvals, and the change notes of the last 20 revisions (oldest first).
        Whether the model is valid enough for a final export is the caller's check.
        """
        with self._read() as conn:
            number = self._head_number(conn, workbook_id) if revision is None else revision
            model = self._model_at(conn, workbook_id, number)
            status = self._approval_status(conn, workbook_id, number)
            rows = conn.execute(
                "SELECT number, at, author, summary FROM revisions WHERE workbook_id = ? AND number <= ? "
                "ORDER BY number DESC LIMIT ?",
                (workbook_id, number, EXPORT_CHANGE_NOTES),
            ).fetchall()
        meta = model.metadata or Metadata()
        notes = [
            ChangeNote(
                revision=n, at=_dt(at), author=author, summary="; ".join(json.loads(summary)) or "(no change)"
            )
            for n, at, author, summary in reversed(rows)
        ]
        approvals = [
            Approval(
                member=r.member, decision=r.decision, revision=number, at=r.at, comment=r.comment or None
            )
            for r in status.reviews
            if r.decision is not None
        ]
        if status.approved:
            state = "approved"
        elif status.release_candidate:
            state = "release_candidate"
        else:
            state = "draft"
        metadata = meta.model_copy(
            update={
                "version": meta.version or f"1.{number}",
                "revision": number,
                "status": state,
                "exported_at": _now(),
                "approved_at": status.approved_at,
                "approvals": approvals,
                "changes": notes,
            }
        )
        return model.model_copy(update={"metadata": metadata})


# --------------------------------------------------------------------------------------------
# Helpers
# --------------------------------------------------------------------------------------------
def _workbook_info(row: tuple[Any, ...]) -> WorkbookInfo:
    wid, name, created, updated, head, archived, source = row
    return WorkbookInfo(wid, name, _dt(created), _dt(updated), head, bool(archived), source)


def _steering_committee(model: ScoringModel) -> builtins.list[str]:
    return [m.name for m in model.team if m.steering_committee]


def _split_sql(script: str) -> builtins.list[str]:
    """The statements of a script (``executescript`` would commit the open transaction)."""
    out, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out


def _conflict_message(clash: Clash, by: str | None) -> str:
    """ "ICP weight 'Job role': you set 40, Sam set 45 since you last looked"."""
    mine = _side("you", clash.mine, clash)
    theirs = _side(by or "someone else", clash.theirs, clash)
    if mine.endswith(" added it") and theirs.endswith(" added it"):
        theirs = theirs[: -len("it")] + "a different one"
    return f"{label(clash.path)}: {mine}, {theirs} since you last looked"


def _side(who: str, value: Any, clash: Clash) -> str:
    if value is MISSING:
        return f"{who} removed it"
    if clash.path and clash.path[-1] == ORDER:
        return f"{who} ordered them {say(value)}"
    if isinstance(value, dict | Keyed):
        return f"{who} added it" if clash.base is MISSING else f"{who} changed it"
    return f"{who} set {say(value)}"
