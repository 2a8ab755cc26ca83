"""Roles, invite links and the rule table of workbook.store.access (issue 13).

The table test walks every action against every role in three situations (a claimed
workbook with participants' edits off, with them on, and an open workbook) and compares
with the expectation written out here, not read from ``RULES``.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from store_models import base_model

from workbook.files import dump_model, load_model_text
from workbook.store import Store, StoreError
from workbook.store.access import (
    ACTION_WORDS,
    ANONYMOUS,
    OPEN,
    ROLES,
    RULES,
    Access,
    Identity,
    WorkbookAccess,
    can,
    new_token,
    refusal,
    token_hash,
)

COMMITTEE = ("Dana Ortiz", "Marcus Lee")
NAMES = {"facilitator": "Sam Lee", "participant": "Priya Raman", "steering": "Dana Ortiz", "viewer": None}

# action → the roles allowed on a claimed workbook whose facilitator has NOT let participants edit.
# "approve" is allowed to the steering member deciding in their own name (verified); see below.
EXPECTED_CLOSED = {
    "view": {"facilitator", "participant", "steering", "viewer"},
    "create": {"facilitator", "participant", "steering", "viewer"},
    "duplicate": {"facilitator", "participant", "steering"},
    "edit": {"facilitator"},
    "undo": {"facilitator"},
    "restore": {"facilitator"},
    "rename": {"facilitator"},
    "archive": {"facilitator"},
    "mark_release_candidate": {"facilitator"},
    "approve": {"steering"},
    "vote": {"facilitator", "participant", "steering"},
    "comment": {"facilitator", "participant", "steering"},
    "checkpoint": {"facilitator"},
    "manage_access": {"facilitator"},
    "run_room": {"facilitator"},
}
# With participants' edits on, participants and steering members also edit and undo.
EXPECTED_EDITS_ON = {
    **EXPECTED_CLOSED,
    "edit": {"facilitator", "participant", "steering"},
    "undo": {"facilitator", "participant", "steering"},
}


def identity(role: str, how: str = "invite") -> Identity:
    return Identity(NAMES[role], how, role)  # type: ignore[arg-type]


CLOSED = WorkbookAccess(claimed=True, participants_may_edit=False, facilitators=("Sam Lee",), committee=COMMITTEE)
EDITS_ON = WorkbookAccess(claimed=True, participants_may_edit=True, facilitators=("Sam Lee",), committee=COMMITTEE)


def test_the_expectation_covers_every_action_and_role():
    assert set(EXPECTED_CLOSED) == set(RULES) == set(ACTION_WORDS)
    assert set(ROLES) == set(NAMES)


@pytest.mark.parametrize("action", sorted(EXPECTED_CLOSED))
@pytest.mark.parametrize("role", sorted(NAMES))
@pytest.mark.parametrize("how", ["invite", "oidc"])
def test_every_action_by_every_role_on_a_claimed_workbook(action, role, how):
    who = identity(role, how)
    assert can(who, action, CLOSED) == (role in EXPECTED_CLOSED[action]), (action, role)
    assert can(who, action, EDITS_ON) == (role in EXPECTED_EDITS_ON[action]), (action, role)
    if not can(who, action, CLOSED):
        words = refusal(who, action, CLOSED)
        assert words and "Sam Lee" in words or "committee" in words or "link" in words


@pytest.mark.parametrize("action", sorted(EXPECTED_CLOSED))
def test_the_plain_address_of_a_claimed_workbook_only_views(action):
    assert can(ANONYMOUS, action, CLOSED) == (action in ("view", "create")), action
    if action == "edit":
        assert refusal(ANONYMOUS, action, CLOSED) == (
            "This address shows the workbook read-only: the facilitator (Sam Lee) can change the tabs."
        )


@pytest.mark.parametrize("action", sorted(set(EXPECTED_CLOSED) - {"approve"}))
@pytest.mark.parametrize("who", [ANONYMOUS, Identity("Ann", "typed"), identity("viewer")])
def test_an_open_workbook_lets_everyone_do_everything(action, who):
    assert can(who, action, OPEN)


def test_a_participant_is_told_who_can_change_the_tabs():
    words = refusal(identity("participant"), "edit", CLOSED)
    assert words == (
        "As participant you cannot change the tabs until the facilitator lets participants edit: "
        "the facilitator (Sam Lee) can change the tabs."
    )
    assert refusal(identity("viewer"), "edit", CLOSED).startswith("Your link is read-only")


# -- approvals --------------------------------------------------------------------------------
def test_a_steering_member_approves_only_in_their_own_name():
    dana = identity("steering")
    assert can(dana, "approve", CLOSED)
    assert not can(dana, "approve", CLOSED, for_member="Marcus Lee")
    assert refusal(dana, "approve", CLOSED, for_member="Marcus Lee") == (
        "You are signed in as Dana Ortiz: you cannot decide for Marcus Lee."
    )


def test_a_typed_name_cannot_approve_a_claimed_workbook_but_can_an_open_one():
    typed = Identity("Dana Ortiz", "typed", None)
    assert not can(typed, "approve", CLOSED)
    assert "Dana Ortiz's own invite link or sign-in" in refusal(typed, "approve", CLOSED)
    open_with_committee = WorkbookAccess(committee=COMMITTEE)
    assert can(typed, "approve", open_with_committee)
    assert can(ANONYMOUS, "approve", open_with_committee, for_member="Marcus Lee")
    assert not can(typed, "approve", open_with_committee, for_member="Priya Raman")  # not on the committee


def test_a_facilitator_on_the_committee_approves_for_themselves():
    sam = Identity("Sam Lee", "oidc", "facilitator")
    assert not can(sam, "approve", CLOSED)  # Sam is not on the committee
    with_sam = WorkbookAccess(claimed=True, facilitators=("Sam Lee",), committee=(*COMMITTEE, "Sam Lee"))
    assert can(sam, "approve", with_sam)


@given(st.text(max_size=20), st.sampled_from(["invite", "oidc", "typed", "none"]), st.sampled_from([*ROLES, None]))
def test_nobody_decides_for_someone_else_on_a_claimed_workbook(name, how, role):
    who = Identity(name or None, how, role)
    for member in COMMITTEE:
        if can(who, "approve", CLOSED, for_member=member):
            assert who.name == member and who.verified and role != "viewer"


# -- tokens -------------------------------------------------------------------------------------
def test_tokens_are_long_random_and_stored_only_as_hashes(store, wb, db_path: Path):
    tokens = {new_token() for _ in range(200)}
    assert len(tokens) == 200 and all(len(t) >= 32 for t in tokens)
    access = Access(store)
    token = access.claim(wb.id, "Sam Lee")
    invite = access.invite(wb.id, "Priya Raman", by="Sam Lee")
    conn = sqlite3.connect(db_path)
    dumped = "\n".join(conn.iterdump())
    conn.close()
    assert token not in dumped and invite not in dumped
    assert token_hash(invite) in dumped


# -- the store's rows -------------------------------------------------------------------------
@pytest.fixture
def access(store: Store) -> Access:
    return Access(store)


def test_a_workbook_is_open_until_claimed(access, wb):
    assert access.workbook_access(wb.id, COMMITTEE) == WorkbookAccess(committee=COMMITTEE)
    with pytest.raises(StoreError, match="become its facilitator first"):
        access.invite(wb.id, "Priya Raman")
    token = access.claim(wb.id, "Sam Lee")
    state = access.workbook_access(wb.id, COMMITTEE)
    assert state.claimed and state.facilitators == ("Sam Lee",) and not state.participants_may_edit
    assert access.identify(wb.id, token, COMMITTEE) == Identity("Sam Lee", "invite", "facilitator")


def test_invite_links_give_the_members_role_as_it_is_now(access, wb):
    access.claim(wb.id, "Sam Lee")
    priya = access.invite(wb.id, "Priya Raman", by="Sam Lee")
    dana = access.invite(wb.id, "Dana Ortiz", by="Sam Lee")
    viewer = access.read_only_link(wb.id, by="Sam Lee")
    assert access.identify(wb.id, priya, COMMITTEE) == Identity("Priya Raman", "invite", "participant")
    assert access.identify(wb.id, dana, COMMITTEE) == Identity("Dana Ortiz", "invite", "steering")
    assert access.identify(wb.id, viewer, COMMITTEE) == Identity(None, "invite", "viewer")
    access.set_role(wb.id, "Priya Raman", "viewer")
    assert access.identify(wb.id, priya, COMMITTEE).role == "viewer"
    assert access.identify(wb.id, "not-a-token", COMMITTEE) is None


def test_a_token_of_one_workbook_opens_nothing_in_another(access, store, wb):
    other = store.create(base_model(), author="Sam")
    token = access.claim(wb.id, "Sam Lee")
    assert access.identify(other.id, token) is None


def test_a_revoked_link_stops_working_and_stays_listed(access, wb):
    access.claim(wb.id, "Sam Lee")
    token = access.invite(wb.id, "Priya Raman")
    (link,) = [lk for lk in access.links(wb.id) if lk.member == "Priya Raman"]
    access.revoke(wb.id, link.id, by="Sam Lee")
    access.revoke(wb.id, link.id)  # twice: no harm
    assert access.identify(wb.id, token) is None
    assert access.holder(wb.id, token).revoked
    (after,) = [lk for lk in access.links(wb.id) if lk.member == "Priya Raman"]
    assert not after.active
    with pytest.raises(StoreError, match="no link number 999"):
        access.revoke(wb.id, 999)


def test_the_only_facilitator_cannot_step_down(access, wb):
    access.claim(wb.id, "Sam Lee")
    with pytest.raises(StoreError, match="only facilitator"):
        access.set_role(wb.id, "Sam Lee", "participant")
    access.set_role(wb.id, "Priya Raman", "facilitator")
    access.set_role(wb.id, "Sam Lee", "participant")
    assert access.workbook_access(wb.id).facilitators == ("Priya Raman",)
    with pytest.raises(StoreError, match="a role is one of"):
        access.set_role(wb.id, "Priya Raman", "owner")  # type: ignore[arg-type]


def test_the_facilitator_lets_participants_edit(access, wb):
    access.claim(wb.id, "Sam Lee")
    priya = access.identify(wb.id, access.invite(wb.id, "Priya Raman"), COMMITTEE)
    assert not can(priya, "edit", access.workbook_access(wb.id, COMMITTEE))
    access.set_participants_may_edit(wb.id, True)
    assert can(priya, "edit", access.workbook_access(wb.id, COMMITTEE))


def test_an_older_database_gains_the_tables_on_open(db_path: Path):
    with Store(db_path) as s:
        wid = s.create(base_model()).id
    conn = sqlite3.connect(db_path)
    for table in ("access_links", "access_roles", "access_settings", "access_stamps"):
        conn.execute(f"DROP TABLE {table}")
    conn.commit()
    conn.close()
    with Store(db_path) as s:
        assert Access(s).workbook_access(wid) == WorkbookAccess()


def test_the_exported_approvals_say_how_each_member_was_identified(store, wb):
    store.mark_release_candidate(wb.id, 1)
    store.review(wb.id, 1, "Dana Ortiz", "approved", identified_by="invite")
    store.review(wb.id, 1, "Marcus Lee", "approved", identified_by="oidc")
    final = load_model_text(dump_model(store.final_export_model(wb.id, 1))).model
    assert {a.member: a.identified_by for a in final.metadata.approvals} == {
        "Dana Ortiz": "invite link",
        "Marcus Lee": "signed in",
    }
    store.review(wb.id, 1, "Marcus Lee", "approved")  # again, by a typed name: the latest word counts
    final = store.final_export_model(wb.id, 1)
    assert {a.member: a.identified_by for a in final.metadata.approvals}["Marcus Lee"] == "typed name, unverified"


def test_revision_stamps_keep_how_the_author_was_identified(access, store, wb):
    access.stamp(wb.id, "revision", "1", Identity("Sam Lee", "oidc", "facilitator"))
    assert access.stamps(wb.id, "revision") == {"1": ("Sam Lee", "oidc")}
