"""The SQLite file behind the store: location, durability settings, schema, transactions, errors.

One connection per :class:`Database`, behind a lock: a Streamlit server shares one store
between all its sessions' threads, and SQLite serialises writers anyway. Every write is
a ``BEGIN IMMEDIATE`` transaction, so writers in other threads and processes queue up
(up to ``busy_timeout``) and a failed write rolls back whole. The journal is WAL with
``synchronous=FULL``: a transaction is on disk when COMMIT returns.

Every SQLite failure becomes a :class:`StoreError` a person can act on ("… is locked by
another program; try again", "… is read-only: …"), never a traceback.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from workbook.store.checkpoints import create_tables

DB_ENV = "WORKBOOK_DB"
STORE_SCHEMA = 1  # PRAGMA user_version of a current workbook database
DEFAULT_BUSY_TIMEOUT = 5.0  # seconds a writer waits for another writer before "locked"


def default_db_path() -> Path:
    """``$WORKBOOK_DB``, else ``<repo root>/data/workbooks.db``."""
    raw = os.environ.get(DB_ENV, "").strip()
    if raw:
        return Path(raw).expanduser()
    return Path(__file__).resolve().parents[2] / "data" / "workbooks.db"


class StoreError(Exception):
    """Something the user can read and act on: unknown workbook, locked or read-only file, …

    ``kind`` says what the app can offer: ``"read-only"`` (the file can still be viewed),
    ``"damaged"`` (salvage what can be read: :mod:`workbook.store.recovery`), ``"newer"`` (a
    newer app wrote it), ``"foreign"`` (another program's database), ``"locked"``, ``"other"``.
    """

    def __init__(self, message: str, kind: str = "other") -> None:
        super().__init__(message)
        self.kind = kind


SCHEMA = """
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


class Database:
    """One workbook database file, opened (and created, with its folder) on construction."""

    def __init__(
        self,
        path: str | os.PathLike[str] | None = None,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        read_only: bool = False,
    ):
        self.path = Path(path) if path is not None else default_db_path()
        self.busy_timeout = busy_timeout
        self.read_only = read_only
        self.lock = threading.RLock()
        self.conn = self._connect_read_only() if read_only else self._connect()

    def close(self) -> None:
        with self.lock:
            self.conn.close()

    def _connect(self) -> sqlite3.Connection:
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
                f"the file and its folder, or set {DB_ENV} to a writable place)",
                kind="read-only",
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
            create_tables(conn)  # side tables of checkpoints, quick edits, templates (no schema bump)
            # Access tables (issue 13); imported here because access.py imports this module.
            from workbook.store.access import ensure_tables

            ensure_tables(conn)
            from workbook.store.votes import create_tables as create_room_tables  # votes.py imports this module

            create_room_tables(conn)
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            raise self.error(exc) from None
        except StoreError:
            if conn is not None:
                conn.close()
            raise
        return conn

    def _connect_read_only(self) -> sqlite3.Connection:
        """Open an existing file for reading only: nothing is created, changed or migrated.

        A database in WAL mode needs its ``-shm`` file to be read; where the folder is
        read-only too, SQLite is told the file cannot change (``immutable``), which then reads
        the main file only (changes still in the ``-wal`` file are not seen).
        """
        if not self.path.is_file():
            raise StoreError(f"the workbook database {self.path} does not exist", kind="other")
        try:
            conn = open_read_only(self.path, self.busy_timeout)
            version = conn.execute("PRAGMA user_version").fetchone()[0]
        except sqlite3.Error as exc:
            raise self.error(exc) from None
        if version > STORE_SCHEMA:
            conn.close()
            raise StoreError(self._newer(version), kind="newer")
        return conn

    def _newer(self, version: int) -> str:
        return (
            f"the workbook database {self.path} was written by a newer version of Lead Scoring "
            f"Workbook (store schema {version}; this version knows {STORE_SCHEMA}); upgrade the app"
        )

    def _migrate(self, conn: sqlite3.Connection) -> None:
        version = conn.execute("PRAGMA user_version").fetchone()[0]
        if version == STORE_SCHEMA:
            return
        conn.execute("BEGIN IMMEDIATE")
        try:
            version = conn.execute("PRAGMA user_version").fetchone()[0]  # another process may have won
            if version > STORE_SCHEMA:
                raise StoreError(self._newer(version), kind="newer")
            if version == 0:
                tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if tables - _TABLES:
                    raise StoreError(
                        f"{self.path} is an SQLite database of another program, not a workbook "
                        f"database; set {DB_ENV} to another file",
                        kind="foreign",
                    )
                if not tables:
                    for statement in _statements(SCHEMA):
                        conn.execute(statement)
                conn.execute(f"PRAGMA user_version = {STORE_SCHEMA}")
            conn.execute("COMMIT")
        except BaseException:
            conn.execute("ROLLBACK")
            raise

    def error(self, exc: sqlite3.Error) -> StoreError:
        """The SQLite failure as a message a person can act on."""
        code = getattr(exc, "sqlite_errorname", "") or ""
        text = str(exc)
        where = f"the workbook database {self.path}"
        if code.startswith(("SQLITE_BUSY", "SQLITE_LOCKED")) or "locked" in text:
            return StoreError(f"{where} is locked by another program; try again", kind="locked")
        if self.read_only or code.startswith("SQLITE_READONLY") or "readonly" in text:
            return StoreError(
                f"{where} is read-only: the change was not saved (check the permissions of the "
                f"file and its folder, or set {DB_ENV} to a writable place)",
                kind="read-only",
            )
        if code.startswith("SQLITE_CANTOPEN"):
            return StoreError(f"{where} cannot be opened: check that its folder exists and is writable")
        if code.startswith("SQLITE_FULL"):
            return StoreError(f"{where}: the disk is full; the change was not saved")
        if code.startswith(("SQLITE_NOTADB", "SQLITE_CORRUPT")):
            return StoreError(
                f"{where} is damaged or not a database ({text}); restore it from a backup, "
                f"salvage what can be read, or set {DB_ENV} to another file",
                kind="damaged",
            )
        if code.startswith("SQLITE_IOERR"):
            return StoreError(f"{where} could not be read or written (disk I/O error); the change was not saved")
        return StoreError(f"{where}: {text}")

    @contextmanager
    def write(self) -> Iterator[sqlite3.Connection]:
        """One write transaction: all or nothing; writers in every thread and process queue up."""
        if self.read_only:
            raise StoreError(
                f"the workbook database {self.path} is open read-only: you can look at its workbooks, "
                "but nothing can be changed or saved",
                kind="read-only",
            )
        with self.lock:
            conn = self.conn
            try:
                conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                raise self.error(exc) from None
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
                    raise self.error(exc) from None
                raise

    @contextmanager
    def read(self) -> Iterator[sqlite3.Connection]:
        """One consistent snapshot for several reads."""
        with self.lock:
            conn = self.conn
            try:
                conn.execute("BEGIN")
                yield conn
            except sqlite3.Error as exc:
                raise self.error(exc) from None
            finally:
                if conn.in_transaction:
                    try:
                        conn.execute("COMMIT")
                    except sqlite3.Error:
                        pass


def open_read_only(path: Path, timeout: float = DEFAULT_BUSY_TIMEOUT) -> sqlite3.Connection:
    """A read-only connection to an existing file, or the :class:`sqlite3.Error` of the last try.

    ``mode=ro`` first; a database in WAL mode needs its ``-shm`` file, so where the folder is
    read-only too, SQLite is told the file cannot change (``immutable``). Opening is lazy in
    SQLite: reading the schema is what finds a file that is not a database.
    """
    uri = path.resolve().as_uri()
    last: sqlite3.Error | None = None
    for options in ("mode=ro", "mode=ro&immutable=1"):
        conn = None
        try:
            conn = sqlite3.connect(f"{uri}?{options}", uri=True, isolation_level=None, check_same_thread=False,
                                   timeout=timeout)
            conn.execute("SELECT count(*) FROM sqlite_master").fetchone()
            conn.execute("PRAGMA query_only = ON")
            return conn
        except sqlite3.Error as exc:
            if conn is not None:
                conn.close()
            last = exc
    assert last is not None
    raise last


def _statements(script: str) -> list[str]:
    """The statements of a script (``executescript`` would commit the open transaction)."""
    out, current = [], ""
    for line in script.strip().splitlines():
        current += line + "\n"
        if sqlite3.complete_statement(current):
            out.append(current.strip())
            current = ""
    return out
