"""Who may do what in a workbook: roles, personal invite links, a read-only link, the rule table.

Four roles per workbook: the **facilitator** (edits, opens votes and checkpoints, manages the
team and who may edit), the **participant** (votes and comments; edits when the facilitator
allows), the **steering-committee member** (approves or rejects release candidates, and
otherwise acts as a participant) and the **viewer** (a read-only link).

People are identified three ways (:data:`HOW_WORDS`): a personal *invite link* whose token
only its holder has, a *sign-in* through the organisation's OpenID Connect provider (the
e-mail ties it to a team entry), or a *typed name*, which nobody checks. Tokens come from
:func:`secrets.token_urlsafe`; only their SHA-256 is stored, so the database file does not
hand out working links. A revoked link stops working at once.

A workbook nobody has claimed yet (no facilitator) is *open*: anyone with its address may
do everything, as before roles existed, and approvals there are recorded as given by a typed
name. The first facilitator link (made when a person creates a workbook, or when someone
protects an open one) claims it: from then on the plain address shows it read-only and
:func:`can` applies the table :data:`RULES`.

:func:`can` and :func:`refusal` are pure; :class:`Access` keeps the rows in the workbook
database, in tables of its own (created on open by :func:`ensure_tables`). The module runs
a little over 450 lines on purpose: the rule table and the rows that feed it (roles, links,
the edit switch) are one concept, read together when a rule changes.
"""

from __future__ import annotations

import hashlib
import secrets
import sqlite3
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from workbook.store.database import StoreError
from workbook.store.records import from_stamp, stamp, utc_now

Role = Literal["facilitator", "participant", "steering", "viewer"]
ROLES: dict[Role, str] = {
    "facilitator": "Facilitator",
    "participant": "Participant",
    "steering": "Steering-committee member",
    "viewer": "Viewer",
}
How = Literal["invite", "oidc", "typed", "none"]
# How a person was identified, in the one set of words the sidebar, History, Review and the
# exported file's approvals (``identified_by``) all use: a steering committee reads them.
HOW_WORDS: dict[How, str] = {
    "invite": "invite link",
    "oidc": "signed in",
    "typed": "typed name, unverified",
    "none": "no name given",
}
HOW_NOT_RECORDED = "not recorded"  # revisions saved before identities were recorded, and workbook creations


def how_words(how: str | None) -> str:
    """``invite link``, ``signed in``, ``typed name, unverified``, ``no name given``; ``not recorded`` for None."""
    if how is None:
        return HOW_NOT_RECORDED
    return HOW_WORDS.get(how, how)

Action = Literal[
    "view", "create", "duplicate", "edit", "undo", "restore", "rename", "archive",
    "mark_release_candidate", "approve", "vote", "comment", "checkpoint", "manage_access", "run_room",
]  # fmt: skip
ACTION_WORDS: dict[Action, str] = {
    "view": "see the workbook and download its files",
    "create": "create a new workbook (its creator becomes its facilitator)",
    "duplicate": "copy the workbook into a new one",
    "edit": "change the tabs",
    "undo": "undo the last change",
    "restore": "restore an older revision",
    "rename": "rename the workbook",
    "archive": "archive the workbook",
    "mark_release_candidate": "put a revision up for review",
    "approve": "approve or reject a release candidate in their own name",
    "vote": "vote",
    "comment": "comment",
    "checkpoint": "set a checkpoint",
    "manage_access": "give roles and make or revoke links",
    "run_room": "move the presenter screen and open, reveal and record votes",
}

_ALL: frozenset[Role] = frozenset(ROLES)
_MEMBERS: frozenset[Role] = frozenset({"facilitator", "participant", "steering"})
_FACILITATOR: frozenset[Role] = frozenset({"facilitator"})
EDITS: frozenset[Action] = frozenset({"edit", "undo"})  # participants may do these when the facilitator allows

# The rule table of a claimed workbook: which roles may do each action. ``edit`` and ``undo``
# are also open to participants and steering members while the facilitator allows edits;
# ``approve`` further needs a verified identity whose name is on the steering committee.
RULES: dict[Action, frozenset[Role]] = {
    "view": _ALL,
    "create": _ALL,
    "duplicate": _MEMBERS,
    "edit": _FACILITATOR,
    "undo": _FACILITATOR,
    "restore": _FACILITATOR,
    "rename": _FACILITATOR,
    "archive": _FACILITATOR,
    "mark_release_candidate": _FACILITATOR,
    "approve": _MEMBERS,
    "vote": _MEMBERS,
    "comment": _MEMBERS,
    "checkpoint": _FACILITATOR,
    "manage_access": _FACILITATOR,
    "run_room": _FACILITATOR,
}
assert set(RULES) == set(ACTION_WORDS)


@dataclass(frozen=True)
class Identity:
    """Who a session is, for one workbook: a name, how it was established, the role it holds."""

    name: str | None
    how: How = "none"
    role: Role | None = None  # None: no role here (the plain address of a claimed workbook)
    email: str | None = None

    @property
    def verified(self) -> bool:
        """Established by an invite link or a sign-in, not by a name anyone could type."""
        return self.how in ("invite", "oidc")

    @property
    def identified_by(self) -> str:
        return HOW_WORDS[self.how]

    def describe(self) -> str:
        """``Priya Nair (invite link, Participant)`` — for the sidebar."""
        role = f", {ROLES[self.role]}" if self.role else ""
        return f"{self.name or 'Anonymous'} ({self.identified_by}{role})"


ANONYMOUS = Identity(None)


@dataclass(frozen=True)
class WorkbookAccess:
    """What :func:`can` needs to know about a workbook."""

    claimed: bool = False  # False: open to everyone (nobody has claimed it as facilitator)
    participants_may_edit: bool = False
    facilitators: tuple[str, ...] = ()
    committee: tuple[str, ...] = ()  # the steering committee of the model under review


OPEN = WorkbookAccess()


def effective_role(identity: Identity) -> Role:
    """The role the rules apply: no role at all reads as a viewer."""
    return identity.role or "viewer"


def refusal(identity: Identity, action: Action, workbook: WorkbookAccess, for_member: str | None = None) -> str | None:
    """Why ``identity`` may not do ``action`` on ``workbook``, in words; None when it may.

    ``for_member`` (approvals only): the steering member the decision is recorded for;
    by default the identity's own name.
    """
    member = for_member if for_member is not None else identity.name
    if action == "approve":
        if member not in workbook.committee:
            who = ", ".join(workbook.committee) or "nobody yet"
            return f"Only a steering-committee member can approve or reject; the committee is: {who}."
        if not workbook.claimed:
            return None  # an open workbook: a typed name, recorded as unverified
        if not identity.verified:
            return (
                f"A decision for {member} is only recorded through {member}'s own invite link or sign-in; "
                "ask the facilitator for your personal link."
            )
        if identity.name != member:
            return f"You are signed in as {identity.name}: you cannot decide for {member}."
        if effective_role(identity) not in RULES["approve"]:
            return f"{identity.name} holds a read-only link here."
        return None
    if not workbook.claimed:
        return None
    role = effective_role(identity)
    if role in RULES[action]:
        return None
    if action in EDITS and role in ("participant", "steering") and workbook.participants_may_edit:
        return None
    return _refusal_words(identity, action, workbook)


def can(identity: Identity, action: Action, workbook: WorkbookAccess, for_member: str | None = None) -> bool:
    """True when ``identity`` may do ``action`` on ``workbook`` (see :data:`RULES`)."""
    return refusal(identity, action, workbook, for_member) is None


def _refusal_words(identity: Identity, action: Action, workbook: WorkbookAccess) -> str:
    who = who_can_change(workbook)
    if identity.role is None:
        start = "This address shows the workbook read-only"
    elif identity.role == "viewer":
        start = "Your link is read-only"
    else:
        start = f"As {ROLES[identity.role].lower()} you cannot {ACTION_WORDS[action]}"
        if action in EDITS:
            start += " until the facilitator lets participants edit"
    return f"{start}: {who} can {ACTION_WORDS[action]}."


def who_can_change(workbook: WorkbookAccess) -> str:
    """``the facilitator (Sam Lee)`` — the line a read-only tab shows."""
    if not workbook.facilitators:
        return "the facilitator"
    names = ", ".join(workbook.facilitators)
    return f"the facilitator ({names})" if len(workbook.facilitators) == 1 else f"the facilitators ({names})"


def default_role(member: str, committee: tuple[str, ...] | list[str]) -> Role:
    """A team member's role until the facilitator gives another: steering if ticked, else participant."""
    return "steering" if member in committee else "participant"


# --------------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------------
TOKEN_BYTES = 24  # 192 bits: unguessable, and short enough for a chat message


def new_token() -> str:
    """A fresh link token (URL-safe)."""
    return secrets.token_urlsafe(TOKEN_BYTES)


def token_hash(token: str) -> str:
    """What the database keeps of a token: its SHA-256, so a copy of the file opens nothing."""
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


# --------------------------------------------------------------------------------------------
# Rows
# --------------------------------------------------------------------------------------------
TABLES = """
CREATE TABLE IF NOT EXISTS access_links (
    id          INTEGER PRIMARY KEY,
    workbook_id TEXT NOT NULL,
    token_hash  TEXT NOT NULL UNIQUE,
    kind        TEXT NOT NULL CHECK (kind IN ('member', 'read_only')),
    member      TEXT,
    created_at  TEXT NOT NULL,
    created_by  TEXT,
    revoked_at  TEXT,
    revoked_by  TEXT
);
CREATE TABLE IF NOT EXISTS access_roles (
    workbook_id TEXT NOT NULL,
    member      TEXT NOT NULL,
    role        TEXT NOT NULL CHECK (role IN ('facilitator', 'participant', 'steering', 'viewer')),
    PRIMARY KEY (workbook_id, member)
);
CREATE TABLE IF NOT EXISTS access_settings (
    workbook_id           TEXT PRIMARY KEY,
    participants_may_edit INTEGER NOT NULL DEFAULT 0,
    claimed_at            TEXT NOT NULL,
    claimed_by            TEXT
);
CREATE TABLE IF NOT EXISTS access_stamps (
    workbook_id TEXT NOT NULL,
    what        TEXT NOT NULL,
    ref         TEXT NOT NULL,
    who         TEXT,
    how         TEXT NOT NULL,
    at          TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS access_stamps_by_ref ON access_stamps (workbook_id, what, ref);
"""
_TABLE_NAMES = ("access_links", "access_roles", "access_settings", "access_stamps")


def ensure_tables(conn: sqlite3.Connection) -> None:
    """Create the access tables in a workbook database that lacks them (called when it is opened).

    Skipped on a database that already has them, so a read-only file still opens.
    """
    have = {r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    if all(name in have for name in _TABLE_NAMES):
        return
    for statement in (s.strip() for s in TABLES.split(";")):
        if statement:
            conn.execute(statement)


@dataclass(frozen=True)
class Link:
    """A link as the Team tab lists it (never its token, which is not stored)."""

    id: int
    kind: Literal["member", "read_only"]
    member: str | None
    created_at: datetime
    created_by: str | None
    revoked_at: datetime | None

    @property
    def active(self) -> bool:
        return self.revoked_at is None


@dataclass(frozen=True)
class LinkHolder:
    """Whom a token names: a member (their role looked up when used) or the read-only link."""

    workbook_id: str
    kind: Literal["member", "read_only"]
    member: str | None
    revoked: bool


class Access:
    """Roles, links, the edit switch and identity stamps of workbooks, in the store's database.

    Built on a :class:`workbook.store.Store` (its database and lock); thread-safe like it.
    """

    def __init__(self, store) -> None:  # a Store; untyped to keep store/__init__ out of the import chain
        self._write = store._write
        self._read = store._read

    # -- reading ----------------------------------------------------------------------------
    def workbook_access(self, workbook_id: str, committee: tuple[str, ...] | list[str] = ()) -> WorkbookAccess:
        """What :func:`can` needs about a workbook, with the steering ``committee`` of its model."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT participants_may_edit FROM access_settings WHERE workbook_id = ?", (workbook_id,)
            ).fetchone()
            facilitators = tuple(
                r[0] for r in conn.execute(
                    "SELECT member FROM access_roles WHERE workbook_id = ? AND role = 'facilitator' ORDER BY member",
                    (workbook_id,),
                )
            )
        return WorkbookAccess(
            claimed=row is not None,
            participants_may_edit=bool(row[0]) if row else False,
            facilitators=facilitators,
            committee=tuple(committee),
        )

    def roles(self, workbook_id: str) -> dict[str, Role]:
        """The roles the facilitator gave, by member name (others hold their default role)."""
        with self._read() as conn:
            return dict(conn.execute("SELECT member, role FROM access_roles WHERE workbook_id = ?", (workbook_id,)))

    def role_of(self, workbook_id: str, member: str, committee: tuple[str, ...] | list[str] = ()) -> Role:
        """A member's role: the one given, else steering if on the committee, else participant."""
        return self.roles(workbook_id).get(member) or default_role(member, committee)

    def holder(self, workbook_id: str, token: str) -> LinkHolder | None:
        """Whom ``token`` names in this workbook (revoked links included, marked); None if nobody."""
        with self._read() as conn:
            row = conn.execute(
                "SELECT kind, member, revoked_at FROM access_links WHERE workbook_id = ? AND token_hash = ?",
                (workbook_id, token_hash(token)),
            ).fetchone()
        if row is None:
            return None
        return LinkHolder(workbook_id, row[0], row[1], row[2] is not None)

    def identify(self, workbook_id: str, token: str, committee: tuple[str, ...] | list[str] = ()) -> Identity | None:
        """The identity an invite or read-only link gives; None when the token is unknown or revoked."""
        holder = self.holder(workbook_id, token)
        if holder is None or holder.revoked:
            return None
        if holder.kind == "read_only":
            return Identity(None, "invite", "viewer")
        assert holder.member is not None
        return Identity(holder.member, "invite", self.role_of(workbook_id, holder.member, committee))

    def links(self, workbook_id: str) -> list[Link]:
        """Every link of a workbook, newest first, revoked ones included."""
        with self._read() as conn:
            rows = conn.execute(
                "SELECT id, kind, member, created_at, created_by, revoked_at FROM access_links "
                "WHERE workbook_id = ? ORDER BY id DESC",
                (workbook_id,),
            ).fetchall()
        return [
            Link(i, kind, member, from_stamp(created), by, from_stamp(revoked) if revoked else None)
            for i, kind, member, created, by, revoked in rows
        ]

    # -- changing ---------------------------------------------------------------------------
    def claim(self, workbook_id: str, facilitator: str, by: str | None = None) -> str:
        """Make ``facilitator`` the workbook's facilitator and return their personal link's token.

        The first call claims an open workbook (the plain address turns read-only).
        """
        name = _name(facilitator, "the facilitator's name")
        with self._write() as conn:
            self._claim(conn, workbook_id, by or name)
            conn.execute(
                "INSERT OR REPLACE INTO access_roles (workbook_id, member, role) VALUES (?, ?, 'facilitator')",
                (workbook_id, name),
            )
            return self._new_link(conn, workbook_id, "member", name, by or name)

    def invite(self, workbook_id: str, member: str, by: str | None = None) -> str:
        """A new personal link for ``member`` (their role decides what it allows); returns its token."""
        name = _name(member, "the member's name")
        with self._write() as conn:
            self._claimed_or_refuse(conn, workbook_id)
            return self._new_link(conn, workbook_id, "member", name, by)

    def read_only_link(self, workbook_id: str, by: str | None = None) -> str:
        """A new read-only link (a viewer's); returns its token."""
        with self._write() as conn:
            self._claimed_or_refuse(conn, workbook_id)
            return self._new_link(conn, workbook_id, "read_only", None, by)

    def revoke(self, workbook_id: str, link_id: int, by: str | None = None) -> None:
        """Stop a link from working (revoking twice changes nothing)."""
        with self._write() as conn:
            found = conn.execute(
                "UPDATE access_links SET revoked_at = ?, revoked_by = ? "
                "WHERE workbook_id = ? AND id = ? AND revoked_at IS NULL",
                (stamp(utc_now()), by, workbook_id, link_id),
            ).rowcount
            if not found and not conn.execute(
                "SELECT 1 FROM access_links WHERE workbook_id = ? AND id = ?", (workbook_id, link_id)
            ).fetchone():
                raise StoreError(f"this workbook has no link number {link_id}")

    def set_role(self, workbook_id: str, member: str, role: Role) -> None:
        """Give ``member`` a role in this workbook."""
        if role not in ROLES:
            raise StoreError(f"a role is one of {', '.join(ROLES)}, not '{role}'")
        name = _name(member, "the member's name")
        with self._write() as conn:
            self._claimed_or_refuse(conn, workbook_id)
            if role != "facilitator" and self._last_facilitator(conn, workbook_id) == name:
                raise StoreError(f"{name} is the only facilitator: make someone else facilitator first")
            conn.execute(
                "INSERT OR REPLACE INTO access_roles (workbook_id, member, role) VALUES (?, ?, ?)",
                (workbook_id, name, role),
            )

    def set_participants_may_edit(self, workbook_id: str, allowed: bool) -> None:
        """Let participants (and steering members) edit the tabs, or stop them."""
        with self._write() as conn:
            self._claimed_or_refuse(conn, workbook_id)
            conn.execute(
                "UPDATE access_settings SET participants_may_edit = ? WHERE workbook_id = ?",
                (int(allowed), workbook_id),
            )

    # -- stamps: how the author of a revision or a decision was identified ------------------
    def stamp(self, workbook_id: str, what: str, ref: str, identity: Identity) -> None:
        """Record how the author of ``what`` (``revision`` / ``review``) ``ref`` was identified."""
        with self._write() as conn:
            stamp_in(conn, workbook_id, what, ref, identity)

    def stamps(self, workbook_id: str, what: str) -> dict[str, tuple[str | None, How]]:
        """ref → (who, how) of every stamp of that kind (the latest wins)."""
        with self._read() as conn:
            return stamps_in(conn, workbook_id, what)

    # -- helpers ----------------------------------------------------------------------------
    def _claim(self, conn: sqlite3.Connection, workbook_id: str, by: str | None) -> None:
        if not conn.execute("SELECT 1 FROM workbooks WHERE id = ?", (workbook_id,)).fetchone():
            raise StoreError(f"no workbook with id '{workbook_id}'")
        conn.execute(
            "INSERT OR IGNORE INTO access_settings (workbook_id, participants_may_edit, claimed_at, claimed_by) "
            "VALUES (?, 0, ?, ?)",
            (workbook_id, stamp(utc_now()), by),
        )

    def _claimed_or_refuse(self, conn: sqlite3.Connection, workbook_id: str) -> None:
        if not conn.execute("SELECT 1 FROM access_settings WHERE workbook_id = ?", (workbook_id,)).fetchone():
            raise StoreError("nobody has claimed this workbook yet: become its facilitator first")

    def _last_facilitator(self, conn: sqlite3.Connection, workbook_id: str) -> str | None:
        rows = conn.execute(
            "SELECT member FROM access_roles WHERE workbook_id = ? AND role = 'facilitator'", (workbook_id,)
        ).fetchall()
        return rows[0][0] if len(rows) == 1 else None

    def _new_link(
        self, conn: sqlite3.Connection, workbook_id: str, kind: str, member: str | None, by: str | None
    ) -> str:
        token = new_token()
        conn.execute(
            "INSERT INTO access_links (workbook_id, token_hash, kind, member, created_at, created_by) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            (workbook_id, token_hash(token), kind, member, stamp(utc_now()), by),
        )
        return token


def stamp_in(conn: sqlite3.Connection, workbook_id: str, what: str, ref: str, identity: Identity) -> None:
    """:meth:`Access.stamp` inside a transaction the caller holds (a review and its stamp are one write)."""
    conn.execute(
        "INSERT INTO access_stamps (workbook_id, what, ref, who, how, at) VALUES (?, ?, ?, ?, ?, ?)",
        (workbook_id, what, ref, identity.name, identity.how, stamp(utc_now())),
    )


def stamps_in(conn: sqlite3.Connection, workbook_id: str, what: str) -> dict[str, tuple[str | None, How]]:
    """:meth:`Access.stamps` inside a transaction the caller holds."""
    return {
        ref: (who, how)
        for ref, who, how in conn.execute(
            "SELECT ref, who, how FROM access_stamps WHERE workbook_id = ? AND what = ? ORDER BY rowid",
            (workbook_id, what),
        )
    }


def _name(value: str | None, what: str) -> str:
    name = (value or "").strip()
    if not name:
        raise StoreError(f"{what} is empty")
    return name
