"""The room's live state in the workbook database: the scenario on screen, votes and ballots.

Three tables, created on open (``CREATE TABLE IF NOT EXISTS``, so a database made before
them gains them without a schema bump):

* ``room_current`` — per workbook, the scenario the facilitator is showing (by name, with
  its position as a fallback when it was renamed) and a counter that moves on every change,
  so a presenter polling once a second notices a change with one small read;
* ``room_votes`` — a vote on one scenario: what it asks, and whether it is open, revealed or
  closed. Opening a vote closes any other vote of that workbook that is not closed;
* ``room_ballots`` — one row per voter per vote (the voter's name, compared without case
  and extra spaces), written with an upsert: a participant who changes their mind replaces
  their ballot, and twenty people voting at the same moment are twenty rows.

Who may vote and what a ballot may say is checked by :mod:`workbook.room` before a ballot
gets here; this module keeps rows, and refuses a ballot for a vote that is not open.
"""

from __future__ import annotations

import json
import os
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from workbook.store.database import DEFAULT_BUSY_TIMEOUT, Database, StoreError
from workbook.store.records import from_stamp, stamp, utc_now

VoteStatus = Literal["open", "revealed", "closed"]

TABLES = """
CREATE TABLE IF NOT EXISTS room_current (
    workbook_id TEXT PRIMARY KEY,
    scenario    TEXT NOT NULL,
    position    INTEGER NOT NULL,
    changes     INTEGER NOT NULL DEFAULT 0,
    at          TEXT NOT NULL,
    by          TEXT
);
CREATE TABLE IF NOT EXISTS room_votes (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    workbook_id TEXT NOT NULL,
    scenario    TEXT NOT NULL,
    asks        TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'revealed', 'closed')),
    opened_at   TEXT NOT NULL,
    opened_by   TEXT,
    revealed_at TEXT,
    recorded_revision INTEGER
);
CREATE INDEX IF NOT EXISTS room_votes_by_workbook ON room_votes (workbook_id, status);
CREATE TABLE IF NOT EXISTS room_ballots (
    vote_id   INTEGER NOT NULL REFERENCES room_votes(id),
    voter_key TEXT NOT NULL,
    voter     TEXT NOT NULL,
    choices   TEXT NOT NULL,
    at        TEXT NOT NULL,
    PRIMARY KEY (vote_id, voter_key)
);
"""


def create_tables(conn: sqlite3.Connection) -> None:
    """Add the room's tables to a workbook database that lacks them (called on every open)."""
    try:
        for statement in (s.strip() for s in TABLES.split(";")):
            if statement:
                conn.execute(statement)
    except sqlite3.OperationalError as exc:
        # A read-only database still opens for reading its workbooks; the room then says
        # why it cannot save a vote when one is cast.
        if "readonly" not in str(exc):
            raise


@dataclass(frozen=True)
class CurrentScenario:
    """The scenario the facilitator shows the room."""

    scenario: str
    position: int
    changes: int  # moves on every change: what a presenter compares
    at: datetime
    by: str | None


@dataclass(frozen=True)
class VoteInfo:
    """A vote on one scenario; ``ballots`` is how many have been cast (not what they say)."""

    id: int
    workbook_id: str
    scenario: str
    asks: tuple[str, ...]
    status: VoteStatus
    opened_at: datetime
    opened_by: str | None
    revealed_at: datetime | None
    recorded_revision: int | None
    ballots: int


@dataclass(frozen=True)
class StoredBallot:
    voter: str
    choices: dict[str, str]
    at: datetime


@dataclass(frozen=True)
class RoomState:
    """Everything a presenter or a participant polls for, read in one snapshot."""

    current: CurrentScenario | None
    vote: VoteInfo | None


def voter_key(name: str) -> str:
    """A voter's name as compared: without case and extra spaces."""
    return " ".join(name.split()).casefold()


_VOTE_COLUMNS = (
    "v.id, v.workbook_id, v.scenario, v.asks, v.status, v.opened_at, v.opened_by, v.revealed_at, "
    "v.recorded_revision, (SELECT COUNT(*) FROM room_ballots b WHERE b.vote_id = v.id)"
)


def _vote(row: tuple) -> VoteInfo:
    return VoteInfo(
        id=row[0], workbook_id=row[1], scenario=row[2], asks=tuple(json.loads(row[3])), status=row[4],
        opened_at=from_stamp(row[5]), opened_by=row[6], revealed_at=from_stamp(row[7]) if row[7] else None,
        recorded_revision=row[8], ballots=row[9],
    )


class Room:
    """The room's live state for every workbook of one database file; safe to share between threads.

    Its own connection (and lock) to the workbook database, so a burst of ballots never
    waits behind a long revision write of the same process, and the other way round; SQLite
    serialises the writers of both.
    """

    def __init__(self, path: str | os.PathLike[str] | None = None, *, busy_timeout: float = DEFAULT_BUSY_TIMEOUT):
        self._db = Database(path, busy_timeout=busy_timeout)
        self.path = self._db.path

    def close(self) -> None:
        self._db.close()

    # -- the scenario on screen ----------------------------------------------------------------
    def set_current(self, workbook_id: str, scenario: str, position: int, by: str | None = None) -> CurrentScenario:
        """Show ``scenario`` (at ``position`` in the workbook) to the room."""
        with self._db.write() as conn:
            conn.execute(
                "INSERT INTO room_current (workbook_id, scenario, position, changes, at, by) VALUES (?, ?, ?, 1, ?, ?) "
                "ON CONFLICT (workbook_id) DO UPDATE SET scenario = excluded.scenario, "
                "position = excluded.position, changes = room_current.changes + 1, at = excluded.at, by = excluded.by",
                (workbook_id, scenario, int(position), stamp(utc_now()), by),
            )
            return self._current(conn, workbook_id)  # type: ignore[return-value]

    def current(self, workbook_id: str) -> CurrentScenario | None:
        with self._db.read() as conn:
            return self._current(conn, workbook_id)

    def _current(self, conn: sqlite3.Connection, workbook_id: str) -> CurrentScenario | None:
        row = conn.execute(
            "SELECT scenario, position, changes, at, by FROM room_current WHERE workbook_id = ?", (workbook_id,)
        ).fetchone()
        return CurrentScenario(row[0], row[1], row[2], from_stamp(row[3]), row[4]) if row else None

    # -- votes ---------------------------------------------------------------------------------
    def open_vote(self, workbook_id: str, scenario: str, asks: tuple[str, ...], by: str | None = None) -> VoteInfo:
        """Open a vote on ``scenario``; any earlier vote of the workbook not yet closed is closed."""
        if not asks:
            raise StoreError("a vote asks at least one question")
        with self._db.write() as conn:
            conn.execute("UPDATE room_votes SET status = 'closed' WHERE workbook_id = ? AND status != 'closed'",
                         (workbook_id,))
            cursor = conn.execute(
                "INSERT INTO room_votes (workbook_id, scenario, asks, status, opened_at, opened_by) "
                "VALUES (?, ?, ?, 'open', ?, ?)",
                (workbook_id, scenario, json.dumps(list(asks)), stamp(utc_now()), by),
            )
            return self._vote_by_id(conn, cursor.lastrowid)

    def vote(self, vote_id: int) -> VoteInfo:
        with self._db.read() as conn:
            return self._vote_by_id(conn, vote_id)

    def _vote_by_id(self, conn: sqlite3.Connection, vote_id: int | None) -> VoteInfo:
        row = conn.execute(f"SELECT {_VOTE_COLUMNS} FROM room_votes v WHERE v.id = ?", (vote_id,)).fetchone()
        if row is None:
            raise StoreError(f"there is no vote {vote_id} here")
        return _vote(row)

    def _active(self, conn: sqlite3.Connection, workbook_id: str) -> VoteInfo | None:
        row = conn.execute(
            f"SELECT {_VOTE_COLUMNS} FROM room_votes v WHERE v.workbook_id = ? AND v.status != 'closed' "
            "ORDER BY v.id DESC LIMIT 1",
            (workbook_id,),
        ).fetchone()
        return _vote(row) if row else None

    def active_vote(self, workbook_id: str) -> VoteInfo | None:
        """The workbook's vote that is open or revealed (at most one), with its ballot count."""
        with self._db.read() as conn:
            return self._active(conn, workbook_id)

    def state(self, workbook_id: str) -> RoomState:
        """The scenario on screen and the active vote, in one read (what pollers ask every second)."""
        with self._db.read() as conn:
            return RoomState(self._current(conn, workbook_id), self._active(conn, workbook_id))

    def cast(self, vote_id: int, voter: str, choices: dict[str, str]) -> VoteInfo:
        """Record (or replace) one voter's ballot; refused unless the vote is open."""
        name = " ".join((voter or "").split())
        if not name:
            raise StoreError("a ballot needs the voter's name")
        with self._db.write() as conn:
            vote = self._vote_by_id(conn, vote_id)
            if vote.status != "open":
                raise StoreError(
                    "this vote is no longer open: the facilitator has "
                    + ("revealed the votes" if vote.status == "revealed" else "closed it")
                )
            conn.execute(
                "INSERT INTO room_ballots (vote_id, voter_key, voter, choices, at) VALUES (?, ?, ?, ?, ?) "
                "ON CONFLICT (vote_id, voter_key) DO UPDATE SET voter = excluded.voter, "
                "choices = excluded.choices, at = excluded.at",
                (vote_id, voter_key(name), name, json.dumps(choices, sort_keys=True), stamp(utc_now())),
            )
            return self._vote_by_id(conn, vote_id)

    def ballot_of(self, vote_id: int, voter: str) -> StoredBallot | None:
        """One voter's own ballot (what their device shows back to them)."""
        with self._db.read() as conn:
            row = conn.execute(
                "SELECT voter, choices, at FROM room_ballots WHERE vote_id = ? AND voter_key = ?",
                (vote_id, voter_key(voter or "")),
            ).fetchone()
        return StoredBallot(row[0], json.loads(row[1]), from_stamp(row[2])) if row else None

    def ballots(self, vote_id: int) -> list[StoredBallot]:
        """Every ballot of a vote, in the order they were first cast."""
        with self._db.read() as conn:
            rows = conn.execute(
                "SELECT voter, choices, at FROM room_ballots WHERE vote_id = ? ORDER BY rowid", (vote_id,)
            ).fetchall()
        return [StoredBallot(v, json.loads(c), from_stamp(a)) for v, c, a in rows]

    def _set_status(self, vote_id: int, status: VoteStatus, allowed_from: tuple[str, ...]) -> VoteInfo:
        with self._db.write() as conn:
            vote = self._vote_by_id(conn, vote_id)
            if vote.status not in allowed_from:
                raise StoreError(f"this vote is {vote.status}; it cannot be {status} now")
            stamp_column = ", revealed_at = ?" if status == "revealed" else ""
            params = (status, stamp(utc_now()), vote_id) if stamp_column else (status, vote_id)
            conn.execute(f"UPDATE room_votes SET status = ?{stamp_column} WHERE id = ?", params)
            return self._vote_by_id(conn, vote_id)

    def reveal(self, vote_id: int) -> VoteInfo:
        """Show the votes to the room; no more ballots are taken."""
        return self._set_status(vote_id, "revealed", ("open",))

    def close_vote(self, vote_id: int) -> VoteInfo:
        """End a vote (open or revealed); its ballots stay."""
        return self._set_status(vote_id, "closed", ("open", "revealed"))

    def mark_recorded(self, vote_id: int, revision: int) -> VoteInfo:
        """Note the workbook revision that recorded this vote's estimates."""
        with self._db.write() as conn:
            conn.execute("UPDATE room_votes SET recorded_revision = ? WHERE id = ?", (revision, vote_id))
            return self._vote_by_id(conn, vote_id)
