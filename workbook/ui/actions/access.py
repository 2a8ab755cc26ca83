"""Who this session is in a workbook, and what it may do there (issue 13): identity,
refusals, links and roles."""

from __future__ import annotations

import streamlit as st

from workbook.model import ScoringModel
from workbook.store import CommitResult, StoreError
from workbook.store.access import ANONYMOUS, Access, Action, Identity, Link, Role, WorkbookAccess, default_role
from workbook.store.access import refusal as access_refusal
from workbook.ui.actions.database import _store
from workbook.ui.actions.names import TOKEN_COOKIE
from workbook.ui.keys import StateKeys
from workbook.ui.state import participant


def _access() -> Access:
    return Access(_store())


def _committee(model: ScoringModel) -> list[str]:
    return [m.name for m in model.team if m.steering_committee]


def _model_of(workbook_id: str) -> ScoringModel:
    if workbook_id == st.session_state.get(StateKeys.WORKBOOK):
        return st.session_state[StateKeys.MODEL]
    return _store().head(workbook_id).model


def identity(workbook_id: str | None = None) -> Identity:
    """Who this session is in a workbook (default: the open one), and the role it holds there.

    A sign-in (OpenID Connect) first: the e-mail finds the team member; then this device's
    link for the workbook; else the name typed in the sidebar, which nobody checked.
    A link that stopped working (revoked) is forgotten here, and the reason kept for the page.
    """
    wid = workbook_id or st.session_state.get(StateKeys.WORKBOOK)
    if not wid:
        return ANONYMOUS
    model = _model_of(wid)
    committee = _committee(model)
    access = _access()
    signed_in = st.session_state.get(StateKeys.SIGNED_IN)
    if signed_in:
        email, _name = signed_in
        member = next((m.name for m in model.team if m.email and m.email.casefold() == email.casefold()), None)
        name = member or email
        given = access.roles(wid).get(name)
        role: Role | None = given or (default_role(name, committee) if member else None)
        return Identity(name, "oidc", role, email)
    tokens: dict[str, str] = st.session_state.setdefault(StateKeys.TOKENS, {})
    token = tokens.get(wid)
    if token:
        found = access.identify(wid, token, committee)
        if found is not None:
            return found
        tokens[wid] = ""  # forgotten for this session; the cookie too, below
        forget_device_token(wid)
        st.session_state[StateKeys.LINK_PROBLEM] = (
            "The link you came with no longer works (the facilitator revoked it): the workbook is shown read-only."
        )
    typed = participant()
    return Identity(typed, "typed" if typed else "none", None)


def access_state(workbook_id: str | None = None) -> WorkbookAccess:
    """Whether the workbook is claimed, who facilitates it, whether participants may edit."""
    wid = workbook_id or st.session_state[StateKeys.WORKBOOK]
    return _access().workbook_access(wid, _committee(_model_of(wid)))


def refusal(action: Action, workbook_id: str | None = None) -> str | None:
    """Why this session may not do ``action`` in the workbook, in words; None when it may."""
    return access_refusal(identity(workbook_id), action, access_state(workbook_id))


def may(action: Action, workbook_id: str | None = None) -> bool:
    """True when this session may do ``action`` in the workbook (default: the open one)."""
    return refusal(action, workbook_id) is None


def read_only_or(disabled: object = False) -> object:
    """An editor's ``disabled=``: everything when this session may not edit, else what the page asked."""
    return disabled if may("edit") else True


def _refused(action: Action, what: str) -> bool:
    why = refusal(action)
    if why:
        st.session_state[StateKeys.ERROR] = f"{what}: {why}"
    return why is not None


def _raise_if_refused(action: Action, workbook_id: str) -> None:
    why = refusal(action, workbook_id)
    if why:
        raise StoreError(why)


def _author() -> str | None:
    return identity().name if st.session_state.get(StateKeys.WORKBOOK) else participant()


def _stamp(workbook_id: str, result: CommitResult, who: Identity) -> None:
    if result.stored:
        try:
            _access().stamp(workbook_id, "revision", str(result.revision), who)
        except StoreError:
            pass  # the revision is saved; only how its author was identified is missing


def revision_identities(workbook_id: str) -> dict[int, str]:
    """Revision number → how its author was identified (``oidc``, ``invite``, ``typed``, ``none``).

    Only revisions saved since identities are recorded have one; History words them.
    """
    return {int(ref): how for ref, (_, how) in _access().stamps(workbook_id, "revision").items()}


def remember_token(workbook_id: str, token: str) -> None:
    """This session (and device, by a cookie written on the next run) holds ``token`` for the workbook."""
    st.session_state.setdefault(StateKeys.TOKENS, {})[workbook_id] = token
    st.session_state.setdefault(StateKeys.COOKIES_PENDING, {})[TOKEN_COOKIE + workbook_id] = token


def forget_device_token(workbook_id: str) -> None:
    st.session_state.setdefault(StateKeys.COOKIES_PENDING, {})[TOKEN_COOKIE + workbook_id] = ""


def _claim_as_creator(workbook_id: str) -> None:
    """Whoever creates a workbook facilitates it: this session gets the facilitator's link."""
    who = identity() if st.session_state.get(StateKeys.WORKBOOK) else ANONYMOUS
    name = who.name if who.how in ("oidc", "invite") else participant()
    remember_token(workbook_id, _access().claim(workbook_id, name or "Facilitator"))


def claim(name: str) -> None:
    """Protect the open workbook: this session becomes its facilitator (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    who = identity()
    facilitator = who.name if who.how == "oidc" else name
    remember_token(wid, _access().claim(wid, facilitator or "Facilitator", by=facilitator))


def invite(member: str) -> str:
    """A new personal link token for ``member`` of the open workbook (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    return _access().invite(wid, member, by=identity().name)


def read_only_link() -> str:
    """A new read-only link token for the open workbook (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    return _access().read_only_link(wid, by=identity().name)


def links() -> list[Link]:
    """The open workbook's links, newest first (never their tokens)."""
    return _access().links(st.session_state[StateKeys.WORKBOOK])


def revoke(link_id: int) -> None:
    """Stop one of the open workbook's links from working (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    _access().revoke(wid, link_id, by=identity().name)


def roles() -> dict[str, Role]:
    """The roles given in the open workbook, by member name."""
    return _access().roles(st.session_state[StateKeys.WORKBOOK])


def set_role(member: str, role: Role) -> None:
    """Give a member of the open workbook a role (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    _access().set_role(wid, member, role)


def set_participants_may_edit(allowed: bool) -> None:
    """Let participants edit the open workbook's tabs, or stop them (raises :class:`StoreError`)."""
    wid = st.session_state[StateKeys.WORKBOOK]
    _raise_if_refused("manage_access", wid)
    _access().set_participants_may_edit(wid, allowed)
