"""Revisions, reviews, checkpoints and the readable history (raise StoreError)."""

from __future__ import annotations

from workbook.model import ScoringModel
from workbook.store import ApprovalStatus, Revision, RevisionInfo, StoreError
from workbook.store.access import refusal as access_refusal
from workbook.store.checkpoints import Checkpoint
from workbook.store.notes import CheckpointNote
from workbook.store.timeline import HistorySection
from workbook.ui.actions.access import _access, _author, _raise_if_refused, identity
from workbook.ui.actions.database import _store


def history(workbook_id: str) -> list[RevisionInfo]:
    """Every revision of a workbook, newest first (their summaries, not their models)."""
    return _store().history(workbook_id)


def revision(workbook_id: str, number: int) -> Revision:
    """One revision with its model."""
    return _store().revision(workbook_id, number)


def model_at(workbook_id: str, number: int) -> ScoringModel:
    """The model of one revision."""
    return _store().model_at(workbook_id, number)


def mark_release_candidate(workbook_id: str, number: int) -> None:
    """Put revision ``number`` up for the steering committee's review."""
    _raise_if_refused("mark_release_candidate", workbook_id)
    _store().mark_release_candidate(workbook_id, number, author=_author())


def approval_status(workbook_id: str, number: int) -> ApprovalStatus:
    """Approved / rejected / waiting for a release candidate, with every member's decision."""
    return _store().approval_status(workbook_id, number)


def review(workbook_id: str, number: int, member: str, decision: str, comment: str) -> None:
    """Record one member's decision (approve / reject) on a release candidate.

    Raises :class:`StoreError` with the reason in words when this session may not decide for
    ``member``: on a claimed workbook only the member's own invite link or sign-in may.
    """
    who = identity(workbook_id)
    committee = [r.member for r in _store().approval_status(workbook_id, number).reviews]
    state = _access().workbook_access(workbook_id, committee)
    why = access_refusal(who, "approve", state, for_member=member)
    if why:
        raise StoreError(why)
    how = who.how if who.verified and who.name == member else "typed"
    _store().review(workbook_id, number, member, decision, comment, identified_by=how)


def final_export_model(workbook_id: str, number: int) -> ScoringModel:
    """The model of ``number`` with its provenance (version, approvals, change notes) for the final file."""
    return _store().final_export_model(workbook_id, number)


def name_checkpoint(workbook_id: str, name: str, revision: int | None = None) -> Checkpoint:
    """Name a moment of a workbook ("after workshop 1"); default: its current revision."""
    _raise_if_refused("checkpoint", workbook_id)
    return _store().name_checkpoint(workbook_id, name, revision, author=_author())


def rename_checkpoint(workbook_id: str, name: str, new_name: str) -> Checkpoint:
    """Rename the checkpoint now called ``name`` (the facilitator's, as naming one); who and when are kept."""
    _raise_if_refused("checkpoint", workbook_id)
    return _store().rename_checkpoint(workbook_id, name, new_name, author=_author())


def checkpoints(workbook_id: str) -> list[Checkpoint]:
    """A workbook's named moments, oldest first."""
    return _store().checkpoints(workbook_id)


def readable_history(workbook_id: str, revisions: list[RevisionInfo] | None = None) -> list[HistorySection]:
    """The history grouped by checkpoint, newest first, quick edits of one field folded."""
    return _store().readable_history(workbook_id, revisions)


def checkpoint_notes(workbook_id: str, upto: int | None = None) -> list[CheckpointNote]:
    """What changed from checkpoint to checkpoint up to ``upto``, in a steering committee's words."""
    return _store().checkpoint_notes(workbook_id, upto)
