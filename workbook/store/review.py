"""Steering-committee review: who must approve, where a revision stands, the export's provenance.

Pure functions over a revision's model and its reviews; :class:`workbook.store.Store`
keeps the reviews (an append-only log, separate from the model's revisions) and calls
these. A revision is *approved* when every steering-committee member of that revision's
team approved it, *rejected* when any member's latest word is a rejection, else
*pending*. A team without a steering committee can never approve.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from workbook.model import Approval, ChangeNote, Metadata, ScoringModel

Decision = Literal["approved", "rejected"]
DECISIONS = ("approved", "rejected")


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
    reviews: list[MemberReview]  # one per steering-committee member of that revision's team
    state: Literal["approved", "rejected", "pending"]
    approved_at: datetime | None = None  # when the last approval came in

    @property
    def approved(self) -> bool:
        return self.state == "approved"

    @property
    def waiting_for(self) -> list[str]:
        return [r.member for r in self.reviews if r.decision is None]


def steering_committee(model: ScoringModel) -> list[str]:
    """The members who must approve a revision of this model, in team order."""
    return [m.name for m in model.team if m.steering_committee]


def approval_status(
    revision: int, model: ScoringModel, latest: dict[str, MemberReview], release_candidate: bool
) -> ApprovalStatus:
    """Where a revision stands, from each member's latest review (``latest``: member → review)."""
    reviews = [latest.get(member, MemberReview(member, None)) for member in steering_committee(model)]
    if any(r.decision == "rejected" for r in reviews):
        state = "rejected"
    elif reviews and all(r.decision == "approved" for r in reviews):
        state = "approved"
    else:
        state = "pending"
    approved_at = max((r.at for r in reviews if r.at), default=None) if state == "approved" else None
    return ApprovalStatus(revision, release_candidate, reviews, state, approved_at)  # type: ignore[arg-type]


def with_provenance(
    model: ScoringModel,
    revision: int,
    status: ApprovalStatus,
    notes: list[ChangeNote],
    exported_at: datetime,
    identified: dict[str, str] | None = None,
) -> ScoringModel:
    """The model with ``metadata`` filled for a final export (the team's own version label is kept).

    ``identified``: member → how their decision's author was identified, in words.
    """
    meta = model.metadata or Metadata()
    approvals = [
        Approval(
            member=r.member, decision=r.decision, revision=revision, at=r.at, comment=r.comment or None,
            identified_by=(identified or {}).get(r.member),
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
            "version": meta.version or f"1.{revision}",
            "revision": revision,
            "status": state,
            "exported_at": exported_at,
            "approved_at": status.approved_at,
            "approvals": approvals,
            "changes": notes,
        }
    )
    return model.model_copy(update={"metadata": metadata})
