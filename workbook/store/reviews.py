"""The review half of the store: release candidates and steering-committee approvals.

Reviews are an append-only log where a member's latest word counts; the rules of who may
review and what counts as approved are :mod:`workbook.store.review` (pure functions).
:class:`Reviews` adds them to :class:`~workbook.store.revisions.Revisions`, whose rows
and transactions it reads.
"""

from __future__ import annotations

import json
import sqlite3

from workbook.model import ChangeNote, ScoringModel
from workbook.store.access import How, Identity, how_words, stamp_in, stamps_in
from workbook.store.checkpoints import checkpoint_rows
from workbook.store.database import StoreError
from workbook.store.readable import notes_by_checkpoint
from workbook.store.records import author_name, from_stamp, stamp, utc_now
from workbook.store.review import (
    DECISIONS,
    ApprovalStatus,
    Decision,
    MemberReview,
    approval_status,
    steering_committee,
    with_provenance,
)
from workbook.store.revisions import Revisions

EXPORT_CHANGE_NOTES = 20


class Reviews(Revisions):
    """Revisions plus their review: marking release candidates, approvals, the final export."""

    def mark_release_candidate(self, workbook_id: str, revision: int, author: str | None = None) -> ApprovalStatus:
        """Put a revision up for the steering committee's review (marking twice changes nothing)."""
        with self._write() as conn:
            self._revision_row(conn, workbook_id, revision)
            conn.execute(
                "INSERT OR IGNORE INTO release_candidates (workbook_id, revision, marked_at, marked_by) "
                "VALUES (?, ?, ?, ?)",
                (workbook_id, revision, stamp(utc_now()), author_name(author)),
            )
            return self._approval_status(conn, workbook_id, revision)

    def review(
        self, workbook_id: str, revision: int, member: str, decision: Decision, comment: str = "",
        identified_by: How = "typed",
    ) -> ApprovalStatus:
        """A steering-committee member approves or rejects a release candidate.

        A later review by the same member on the same revision replaces the earlier one.
        ``identified_by`` says how the member was identified (:mod:`workbook.store.access`);
        whether they may decide is the caller's check (``access.can``).
        """
        if decision not in DECISIONS:
            raise StoreError(f"a review decision is 'approved' or 'rejected', not '{decision}'")
        member = (member or "").strip()
        with self._write() as conn:
            model = self._model_at(conn, workbook_id, revision)
            if not self._is_candidate(conn, workbook_id, revision):
                raise StoreError(f"revision {revision} is not a release candidate; mark it as one before review")
            committee = steering_committee(model)
            if member not in committee:
                who = ", ".join(committee) if committee else "nobody (mark members in the Team tab)"
                raise StoreError(
                    f"'{member}' is not on the steering committee in revision {revision}; "
                    f"the steering committee is: {who}"
                )
            conn.execute(
                "INSERT INTO reviews (workbook_id, revision, member, decision, comment, at) VALUES (?, ?, ?, ?, ?, ?)",
                (workbook_id, revision, member, decision, comment or "", stamp(utc_now())),
            )
            stamp_in(conn, workbook_id, "review", f"{revision}:{member}", Identity(member, identified_by))
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
        model = self._model_at(conn, workbook_id, revision)
        latest = {
            member: MemberReview(member, decision, comment, from_stamp(at))
            for member, decision, comment, at in conn.execute(
                "SELECT member, decision, comment, at FROM reviews WHERE workbook_id = ? AND revision = ? "
                "ORDER BY rowid",  # later reviews replace earlier ones
                (workbook_id, revision),
            )
        }
        return approval_status(revision, model, latest, self._is_candidate(conn, workbook_id, revision))

    def final_export_model(self, workbook_id: str, revision: int | None = None) -> ScoringModel:
        """The model of ``revision`` (default: head) with its provenance in ``metadata``.

        version ("1.<revision>" unless the team set one), revision, status, exported_at,
        approved_at, approvals, and the change notes: by checkpoint, in the Review tab's words,
        when the workbook has checkpoints up to ``revision``; else those of the last 20 revisions.
        Whether the model is valid enough for a final export is the caller's check.
        """
        with self._read() as conn:
            number = self._head_number(conn, workbook_id) if revision is None else revision
            model = self._model_at(conn, workbook_id, number)
            status = self._approval_status(conn, workbook_id, number)
            notes = _export_change_notes(self, conn, workbook_id, number)
            stamps = stamps_in(conn, workbook_id, "review")
        identified = {
            key.partition(":")[2]: how_words(how)
            for key, (_, how) in stamps.items()
            if key.partition(":")[0] == str(number)
        }
        return with_provenance(model, number, status, notes, utc_now(), identified)


def _export_change_notes(revisions: Revisions, conn: sqlite3.Connection, workbook_id: str,
                         number: int) -> list[ChangeNote]:
    """The exported file's change notes, oldest first.

    With checkpoints, one note per stretch between them, as the Review tab says it ("From
    'kick-off' to 'after workshop 1': Job role weight 30 → 35; two scenarios now agree"),
    dated and numbered by the stretch's last revision. Without any there is nothing to group
    by, and the file keeps each of the last revisions' own summary and author.
    """
    if any(c.revision <= number for c in checkpoint_rows(conn, workbook_id)):
        notes = notes_by_checkpoint(revisions, conn, workbook_id, number)
        at = dict(conn.execute(
            "SELECT number, at FROM revisions WHERE workbook_id = ? AND number <= ?", (workbook_id, number)
        ).fetchall())
        return [ChangeNote(revision=n.last, at=from_stamp(at[n.last]), summary=f"{n.title}: {n.summary}")
                for n in notes]
    rows = conn.execute(
        "SELECT number, at, author, summary FROM revisions WHERE workbook_id = ? AND number <= ? "
        "ORDER BY number DESC LIMIT ?",
        (workbook_id, number, EXPORT_CHANGE_NOTES),
    ).fetchall()
    return [
        ChangeNote(revision=n, at=from_stamp(at), author=author, summary="; ".join(json.loads(summary)) or "(none)")
        for n, at, author, summary in reversed(rows)
    ]
