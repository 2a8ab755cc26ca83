"""The Team tab's "Who may do what": roles, personal invite links, the read-only link.

An open workbook (nobody claimed it) says so and offers to protect it. The facilitator
gives each member a role, lets participants edit or not, creates a personal link per member
and a read-only link, and revokes any of them. A link's token is shown once, as copyable
text (``st.code``), never as a clickable link: only its hash is stored. Everyone else sees
their own role and who facilitates.
"""

from __future__ import annotations

import streamlit as st

from workbook.ui import actions
from workbook.ui.actions import ROLE_WORDS, Link, StoreError, WorkbookAccess
from workbook.ui.components.revisions import local_zone
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.provenance import share_link, when_text
from workbook.ui.text import md

CLAIM_NAME = page_key("team_roles", "claim_name")
MAY_EDIT = page_key("team_roles", "may_edit")
ROLE_MEMBER = page_key("team_roles", "role_member")
ROLE = page_key("team_roles", "role")
INVITE_MEMBER = page_key("team_roles", "invite_member")
REVOKE = page_key("team_roles", "revoke")
PAGE_PATH = "team"  # the Team tab's address, stripped from the link (which opens the workbook's first tab)
NEW_LINK = page_key("team_roles", "new_link")  # (who, link) just created, shown once


def link_address(token: str) -> str:
    """The address a link opens: this app, this workbook, this token."""
    return share_link(st.context.url, st.session_state[StateKeys.WORKBOOK], PAGE_PATH) + f"&t={token}"


def render_roles() -> None:
    """The Team tab's section on roles and links (called by one line from team_page)."""
    st.subheader("Who may do what")
    state = actions.access_state()
    if not state.claimed:
        _render_open()
        return
    me = actions.identity()
    st.caption(
        f"Facilitated by {md(', '.join(state.facilitators) or 'nobody')}. "
        f"You: {md(me.describe())}."
    )
    if not may("manage_access"):
        st.caption("Roles and links are given by the facilitator.")
        return
    _render_shown_link()
    _render_switch(state)
    _render_role_table(state)
    _render_links()


def _render_open() -> None:
    st.info(
        "Anyone with this workbook's address can change it and decide for the steering committee. "
        "Become its facilitator to give roles and personal links: the plain address then shows it read-only.",
        icon=":material/lock_open:",
    )
    with st.form(page_key("team_roles", "claim_form"), border=False):
        st.text_input("Your name as facilitator", key=CLAIM_NAME, value=None, placeholder="e.g. Sam Lee")
        st.form_submit_button("Become the facilitator", icon=":material/shield_person:", on_click=_claim)


def _claim() -> None:
    name = (st.session_state.get(CLAIM_NAME) or st.session_state.get(StateKeys.PARTICIPANT) or "").strip()
    try:
        actions.claim(name)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return
    st.session_state[StateKeys.FLASH] = "You are the facilitator: the plain address now shows this workbook read-only"


def _render_shown_link() -> None:
    shown = st.session_state.get(NEW_LINK)
    if not shown:
        return
    who, address = shown
    with st.container(border=True):
        st.markdown(f"**Link for {md(who)}** — copy it now; it is not shown again (only its fingerprint is kept).")
        st.code(address, language=None, wrap_lines=True)


def _render_switch(state: WorkbookAccess) -> None:
    st.toggle(
        "Participants may edit the tabs",
        value=state.participants_may_edit,
        key=MAY_EDIT,
        on_change=_set_may_edit,
        help=HELP["team.may_edit"],
    )


def _set_may_edit() -> None:
    try:
        actions.set_participants_may_edit(bool(st.session_state.get(MAY_EDIT)))
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)


def _render_role_table(state: WorkbookAccess) -> None:
    model = st.session_state[StateKeys.MODEL]
    given = actions.roles()
    members = [m.name for m in model.team]
    others = [name for name in given if name not in members]  # e.g. the facilitator who is not on the team
    rows = [
        {
            "Member": name,
            "E-mail": next((m.email or "" for m in model.team if m.name == name), ""),
            "Role": ROLE_WORDS[given.get(name) or ("steering" if name in state.committee else "participant")],
        }
        for name in [*members, *others]
    ]
    st.dataframe(rows, hide_index=True, key=page_key("team_roles", "table"), width="stretch")
    everyone = [*members, *others]
    if not everyone:
        return
    cols = st.columns([3, 3, 2], vertical_alignment="bottom")
    cols[0].selectbox("Give a role to", everyone, key=ROLE_MEMBER)
    cols[1].selectbox("Role", list(ROLE_WORDS), format_func=ROLE_WORDS.get, key=ROLE, help=HELP["team.give_role"])
    cols[2].button("Give role", key=page_key("team_roles", "give"), on_click=_give_role, width="stretch")
    cols = st.columns([6, 2], vertical_alignment="bottom")
    cols[0].selectbox("Personal link for", everyone, key=INVITE_MEMBER, help=HELP["team.invite"])
    cols[1].button(
        "Create invite link", key=page_key("team_roles", "invite"), on_click=_invite, width="stretch",
        icon=":material/person_add:",
    )
    st.button(
        "Create a read-only link", key=page_key("team_roles", "read_only"), on_click=_read_only,
        help=HELP["team.read_only_link"],
        icon=":material/visibility:",
    )


def _give_role() -> None:
    member, role = st.session_state.get(ROLE_MEMBER), st.session_state.get(ROLE)
    try:
        actions.set_role(member, role)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return
    st.session_state[StateKeys.FLASH] = f"{member} is now {ROLE_WORDS[role].lower()}"


def _invite() -> None:
    member = st.session_state.get(INVITE_MEMBER)
    try:
        token = actions.invite(member)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return
    st.session_state[NEW_LINK] = (member, link_address(token))


def _read_only() -> None:
    try:
        token = actions.read_only_link()
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return
    st.session_state[NEW_LINK] = ("anyone who should only look (read-only)", link_address(token))


def link_label(link: Link) -> str:
    """``Priya Raman · created today 14:05 by Sam Lee`` / ``read-only link · …`` / ``… · revoked``."""
    who = link.member if link.kind == "member" else "read-only link"
    text = f"{who} · created {when_text(link.created_at, local_zone())}"
    if link.created_by:
        text += f" by {link.created_by}"
    if not link.active and link.revoked_at:
        text += f" · revoked {when_text(link.revoked_at, local_zone())}"
    return text


def _render_links() -> None:
    links = actions.links()
    if not links:
        return
    st.dataframe(
        [{"Link": link_label(lk), "Works": "yes" if lk.active else "no (revoked)"} for lk in links],
        hide_index=True,
        key=page_key("team_roles", "links"),
        width="stretch",
    )
    active = {lk.id: link_label(lk) for lk in links if lk.active}
    if not active:
        return
    cols = st.columns([6, 2], vertical_alignment="bottom")
    cols[0].selectbox("Link to revoke", list(active), format_func=active.get, key=REVOKE)
    cols[1].button(
        "Revoke", key=page_key("team_roles", "revoke_button"), on_click=_revoke, width="stretch",
        icon=":material/link_off:",
    )


def _revoke() -> None:
    link_id = st.session_state.get(REVOKE)
    try:
        actions.revoke(link_id)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)
        return
    st.session_state[StateKeys.FLASH] = "The link no longer works"
