"""Steering-committee review and the final export's metadata."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from store_models import base_model, edited

from workbook.files import dump_model, load_model_text
from workbook.model import Metadata
from workbook.store import StoreError


def _two_revisions(store, wb):
    store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 65}), author="Sam")
    return 2


def test_review_needs_a_release_candidate(store, wb):
    with pytest.raises(StoreError, match="not a release candidate"):
        store.review(wb.id, 1, "Dana Ortiz", "approved")


def test_mark_release_candidate_shows_in_history_and_creates_no_revision(store, wb):
    rev = _two_revisions(store, wb)
    status = store.mark_release_candidate(wb.id, rev, author="Priya")
    store.mark_release_candidate(wb.id, rev)  # twice: no harm
    assert status.release_candidate and status.state == "pending"
    assert status.waiting_for == ["Dana Ortiz", "Marcus Lee"]
    assert [(r.number, r.release_candidate) for r in store.history(wb.id)] == [(2, True), (1, False)]
    assert store.get(wb.id).head_revision == 2
    with pytest.raises(StoreError, match="no revision 7"):
        store.mark_release_candidate(wb.id, 7)


def test_only_steering_committee_members_of_that_revision_review(store, wb):
    store.mark_release_candidate(wb.id, 1)
    with pytest.raises(StoreError, match="'Priya Raman' is not on the steering committee.*Dana Ortiz, Marcus Lee"):
        store.review(wb.id, 1, "Priya Raman", "approved")
    with pytest.raises(StoreError, match="not on the steering committee"):
        store.review(wb.id, 1, "Someone Else", "approved")
    with pytest.raises(StoreError, match="'approved' or 'rejected'"):
        store.review(wb.id, 1, "Dana Ortiz", "maybe")  # type: ignore[arg-type]
    # Priya joins the committee in revision 2: she may review revision 2, not revision 1
    later = base_model()
    later.team[2].steering_committee = True
    store.commit(wb.id, base_revision=1, new_model=later)
    store.mark_release_candidate(wb.id, 2)
    assert store.review(wb.id, 2, "Priya Raman", "approved").state == "pending"
    with pytest.raises(StoreError, match="not on the steering committee in revision 1"):
        store.review(wb.id, 1, "Priya Raman", "approved")


def test_approved_when_every_member_approved_the_same_revision(store, wb):
    rev = _two_revisions(store, wb)
    store.mark_release_candidate(wb.id, 1)
    store.mark_release_candidate(wb.id, rev)
    store.review(wb.id, 1, "Marcus Lee", "approved")  # another revision: does not count for rev
    status = store.review(wb.id, rev, "Dana Ortiz", "approved", "Good to go")
    assert status.state == "pending" and status.waiting_for == ["Marcus Lee"]
    status = store.review(wb.id, rev, "Marcus Lee", "approved")
    assert status.approved and status.approved_at is not None
    assert [(r.member, r.decision, r.comment) for r in status.reviews] == [
        ("Dana Ortiz", "approved", "Good to go"),
        ("Marcus Lee", "approved", ""),
    ]
    assert status.approved_at == max(r.at for r in status.reviews)
    assert store.approval_status(wb.id, 1).state == "pending"
    assert store.get(wb.id).head_revision == rev  # reviews are no model revisions


def test_a_rejection_blocks_and_a_later_review_replaces_it(store, wb):
    store.mark_release_candidate(wb.id, 1)
    store.review(wb.id, 1, "Dana Ortiz", "approved")
    status = store.review(wb.id, 1, "Marcus Lee", "rejected", "Student must not be a knockout")
    assert status.state == "rejected" and not status.approved
    status = store.review(wb.id, 1, "Marcus Lee", "approved", "Fine after all")
    assert status.approved
    assert status.reviews[1].comment == "Fine after all"


def test_no_steering_committee_means_never_approved(store):
    model = base_model()
    for member in model.team:
        member.steering_committee = False
    info = store.create(model)
    store.mark_release_candidate(info.id, 1)
    assert store.approval_status(info.id, 1).state == "pending"
    with pytest.raises(StoreError, match="nobody"):
        store.review(info.id, 1, "Dana Ortiz", "approved")


def test_final_export_of_a_draft(store, wb):
    _two_revisions(store, wb)
    before = datetime.now(UTC)
    model = store.final_export_model(wb.id)
    meta = model.metadata
    assert (meta.version, meta.revision, meta.status) == ("1.2", 2, "draft")
    assert meta.exported_at >= before and meta.approved_at is None and meta.approvals == []
    assert [(c.revision, c.author, c.summary) for c in meta.changes] == [
        (1, "Dana Ortiz", "Created workbook 'Workshop model'"),
        (2, "Sam", "ICP weight 'Job role' 60 → 65"),
    ]
    assert model.model_copy(update={"metadata": None}) == store.head(wb.id).model


def test_final_export_of_an_approved_revision_round_trips_as_yaml(store, wb):
    rev = _two_revisions(store, wb)
    store.mark_release_candidate(wb.id, rev)
    store.review(wb.id, rev, "Dana Ortiz", "approved", "ok")
    store.review(wb.id, rev, "Marcus Lee", "approved")
    store.commit(wb.id, base_revision=rev, new_model=edited(base_model(), weight={"Job role": 1}))
    model = store.final_export_model(wb.id, rev)  # not the head: the approved revision
    meta = model.metadata
    assert (meta.version, meta.revision, meta.status) == ("1.2", 2, "approved")
    assert meta.approved_at == store.approval_status(wb.id, rev).approved_at
    assert [(a.member, a.decision, a.revision, a.comment) for a in meta.approvals] == [
        ("Dana Ortiz", "approved", 2, "ok"),
        ("Marcus Lee", "approved", 2, None),
    ]
    assert model.profile[0].weight == 65
    text = dump_model(model)
    assert "status: approved" in text and "approvals:" in text
    assert load_model_text(text).model == model


def test_final_export_keeps_the_teams_version_and_column_map(store):
    model = base_model()
    model.metadata = Metadata(version="2.0-rc", column_map={"title": "Job role"})
    info = store.create(model)
    store.mark_release_candidate(info.id, 1)
    store.review(info.id, 1, "Dana Ortiz", "rejected", "no")
    meta = store.final_export_model(info.id).metadata
    assert (meta.version, meta.status, meta.column_map) == (
        "2.0-rc",
        "release_candidate",
        {"title": "Job role"},
    )
    assert [a.decision for a in meta.approvals] == ["rejected"]


def test_final_export_keeps_the_last_twenty_change_notes(store, wb):
    model = base_model()
    for i in range(25):
        model = edited(model, description=f"step {i}")
        store.commit(wb.id, base_revision=i + 1, new_model=model)
    notes = store.final_export_model(wb.id).metadata.changes
    assert [n.revision for n in notes] == list(range(7, 27))
