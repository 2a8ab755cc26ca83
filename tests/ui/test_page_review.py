"""AppTest: the Review page — release candidates, the committee's decisions, the final export."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import run
from workbook.files import load_model_file, load_model_text
from workbook.model import ScoringModel
from workbook.ui.keys import StateKeys, page_key

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"
PAGE = "pages/review.py"
DANA, MARCUS, AKIRA = "Dana Ortiz", "Marcus Lindqvist", "Akira Tanaka"


@pytest.fixture
def two_member_committee() -> ScoringModel:
    """The example with Dana and Marcus on the steering committee (Akira stepped down)."""
    model = load_model_file(EXAMPLE).model.model_copy(deep=True)
    for member in model.team:
        member.steering_committee = member.name in (DANA, MARCUS)
    return model


@pytest.fixture
def downloads(monkeypatch) -> dict[str, bytes]:
    """File name → bytes of every download the app offered (AppTest keeps media in memory only)."""
    seen: dict[str, bytes] = {}
    original = MemoryMediaFileStorage.load_and_get_id

    def spy(self, path_or_data, mimetype, kind, filename=None):
        if filename and isinstance(path_or_data, bytes | str):
            seen[filename] = path_or_data.encode() if isinstance(path_or_data, str) else path_or_data
        return original(self, path_or_data, mimetype, kind, filename)

    monkeypatch.setattr(MemoryMediaFileStorage, "load_and_get_id", spy)
    return seen


@pytest.fixture
def open_review(open_page) -> Callable[[ScoringModel], AppTest]:
    """The Review page on a workbook holding ``model``."""
    return lambda model: open_page(PAGE, model)


def wid(at: AppTest) -> str:
    return at.session_state[StateKeys.WORKBOOK]


def status_table(at: AppTest):
    return at.get_by_key(page_key("review", "status")).dataframe[0].value


def decide(at: AppTest, member: str, decision: str, comment: str = "") -> None:
    at.selectbox(key=page_key("review", "member")).select(member)
    at.get_by_key(page_key("review", "decision")).set_value(decision)
    at.text_area(key=page_key("review", "comment")).set_value(comment)
    at.button(key=page_key("review", "submit")).click()
    run(at)


def final_file(downloads: dict[str, bytes]) -> ScoringModel:
    (name,) = [n for n in downloads if n.endswith(".yaml")]
    return load_model_text(downloads[name]).model


# --------------------------------------------------------------------------------------------
def test_mark_the_current_revision_and_two_members_approve(two_member_committee, store, downloads, open_review):
    at = open_review(two_member_committee)
    assert any("No release candidate yet" in i.value for i in at.info)
    at.button(key=page_key("review", "mark_button")).click()
    run(at)
    assert [(r.number, r.release_candidate) for r in store.history(wid(at))] == [(1, True)]
    assert at.selectbox(key=page_key("review", "candidate")).value == 1
    assert at.button(key=page_key("review", "mark_button")).disabled, "marking twice is not offered"
    assert at.selectbox(key=page_key("review", "member")).options == [DANA, MARCUS], "only the committee decides"
    assert any(f"Waiting for {DANA}, {MARCUS}" in i.value for i in at.info)

    decide(at, DANA, "approved", "Matches what sales told us")
    assert any(f"Waiting for {MARCUS}" in i.value for i in at.info)
    table = status_table(at)
    assert list(table["Member"]) == [DANA, MARCUS]
    assert list(table["Decision"]) == ["✓ approved", "… waiting"]
    assert table["Comment"][0] == "Matches what sales told us"
    assert at.selectbox(key=page_key("review", "member")).value is None, "the form is empty for the next member"

    decide(at, MARCUS, "approved")
    assert any("Approved by the whole steering committee" in s.value for s in at.success)
    status = store.approval_status(wid(at), 1)
    assert status.state == "approved" and status.approved_at is not None

    final = final_file(downloads)
    meta = final.metadata
    assert meta is not None
    assert (meta.revision, meta.status, meta.version) == (1, "approved", "1.1")
    assert [(a.member, a.decision, a.revision) for a in meta.approvals] == [
        (DANA, "approved", 1),
        (MARCUS, "approved", 1),
    ]
    assert meta.approvals[0].comment == "Matches what sales told us"
    assert meta.approved_at == status.approved_at
    assert meta.exported_at is not None
    assert final.model_copy(update={"metadata": None}) == two_member_committee


def test_one_rejection_rejects_and_the_file_says_so(two_member_committee, store, downloads, open_review):
    at = open_review(two_member_committee)
    at.button(key=page_key("review", "mark_button")).click()
    run(at)
    decide(at, DANA, "approved")
    decide(at, MARCUS, "rejected", "C1 to sales is too aggressive for EMEA")
    assert any(f"Rejected by {MARCUS}" in e.value for e in at.error)
    assert store.approval_status(wid(at), 1).state == "rejected"
    assert list(status_table(at)["Decision"]) == ["✓ approved", "✗ rejected"]
    meta = final_file(downloads).metadata
    assert meta is not None and meta.status == "release_candidate"
    assert [(a.member, a.decision, a.comment) for a in meta.approvals] == [
        (DANA, "approved", None),
        (MARCUS, "rejected", "C1 to sales is too aggressive for EMEA"),
    ]
    # Marcus changes his mind: his later decision replaces the rejection
    decide(at, MARCUS, "approved", "Fine after the EMEA exception")
    assert store.approval_status(wid(at), 1).state == "approved"


def test_a_rejection_needs_a_comment(two_member_committee, store, open_review):
    at = open_review(two_member_committee)
    at.button(key=page_key("review", "mark_button")).click()
    run(at)
    decide(at, MARCUS, "rejected", "   ")
    assert any("Say why you reject it" in e.value for e in at.error)
    assert store.approval_status(wid(at), 1).waiting_for == [DANA, MARCUS], "nothing was recorded"
    assert at.selectbox(key=page_key("review", "member")).value == MARCUS, "the form keeps what was typed"


def test_mark_a_chosen_older_revision(two_member_committee, store, open_review):
    at = open_review(two_member_committee)
    later = two_member_committee.model_copy(deep=True)
    later.matrix["C1"] = "Send to sales"
    assert at.selectbox(key=page_key("review", "mark")).value == 1
    store.commit(wid(at), base_revision=1, new_model=later)
    run(at)
    assert at.selectbox(key=page_key("review", "mark")).value == 2, "the picker follows the current revision"
    at.selectbox(key=page_key("review", "mark")).select(1)
    run(at)
    at.button(key=page_key("review", "mark_button")).click()
    run(at)
    assert [(r.number, r.release_candidate) for r in store.history(wid(at))] == [(2, False), (1, True)]
    assert any("it is now at revision 2" in c.value for c in at.caption)


def test_no_final_export_while_the_revision_is_invalid(two_member_committee, store, downloads, open_review):
    broken = two_member_committee.model_copy(deep=True)
    broken.profile[0].weight -= 5  # the ICP weights add up to 95
    at = open_review(broken)
    at.button(key=page_key("review", "mark_button")).click()
    run(at)
    assert any("breaks 1 rule" in w.value for w in at.warning)
    refusal = [e for e in at.error if e.proto.title.startswith("No final export")]
    assert refusal and "weights add up to 95" in refusal[0].value.replace("\\", "")
    with pytest.raises(KeyError):
        at.get_by_key(page_key("review", "download_final"))
    assert not [n for n in downloads if n.endswith(".yaml")]


def test_without_a_steering_committee_nobody_can_decide(two_member_committee, open_review):
    nobody = two_member_committee.model_copy(deep=True)
    for member in nobody.team:
        member.steering_committee = False
    at = open_review(nobody)
    at.button(key=page_key("review", "mark_button")).click()
    run(at)
    assert any("Nobody is on the steering committee" in w.value for w in at.warning)
    with pytest.raises(KeyError):
        at.button(key=page_key("review", "submit"))
