"""Who is this session: a personal link, a sign-in, or a name asked once on this device.

Three ways, strongest first (the rules are :mod:`workbook.store.access`, the store side is
:func:`workbook.ui.actions.identity`):

- **Sign-in** through the organisation's OpenID Connect provider when ``[auth]`` is set in
  ``.streamlit/secrets.toml`` (Streamlit's ``st.login`` / ``st.user``); the e-mail ties the
  person to their team entry.
- **A personal link** (``?wb=<id>&t=<token>``): the token is taken from the address on
  arrival, kept in the session and in a cookie of this device (so a reload or another tab
  keeps it), and removed from the address bar, so the address people copy from it is the
  plain, read-only one.
- **A typed name**, asked once (skippable) and kept in a cookie of this device; it is
  recorded with every change, marked as unverified.

Cookies are read from the request that opened the session (``st.context.cookies``) and
written by a two-line script (``st.html``): Streamlit has no server-side way to set one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from urllib.parse import quote, unquote

import streamlit as st

from workbook.ui import actions
from workbook.ui.actions import ANONYMOUS, TOKEN_COOKIE, Action, Identity, StoreError, WorkbookAccess, access_refusal
from workbook.ui.help import HELP
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.text import md

TOKEN_PARAM = "t"
RETURN_COOKIE = "lsw_return"  # the workbook to open again when the provider brings a person back
NAME_COOKIE = "lsw_name"  # "1" + the name, quoted; "1" alone: the person skipped the question
COOKIE_DAYS = 365
SKIP = page_key("identity", "skip")
SIGN_IN = page_key("identity", "sign_in")
SIGN_OUT = page_key("identity", "sign_out")


# --------------------------------------------------------------------------------------------
# On every run, before the page
# --------------------------------------------------------------------------------------------
def _cookies() -> dict[str, str]:
    try:
        return dict(st.context.cookies)
    except Exception:  # noqa: BLE001 — no request (AppTest, a bare script run): no cookies
        return {}


def auth_configured() -> bool:
    """True when ``.streamlit/secrets.toml`` has an ``[auth]`` section (a provider for ``st.login``)."""
    try:
        return "auth" in st.secrets
    except Exception:  # noqa: BLE001 — no secrets file at all
        return False


def return_after_sign_in() -> None:
    """Back from the provider (which returns to the app's first page): reopen the workbook left.

    Call it before the workbook is opened (``init_session_state``).
    """
    if StateKeys.WORKBOOK in st.session_state or st.query_params.get(actions.QUERY_PARAM):
        return
    wid = _cookies().get(RETURN_COOKIE)
    if wid:
        st.query_params[actions.QUERY_PARAM] = wid
        st.session_state.setdefault(StateKeys.COOKIES_PENDING, {})[RETURN_COOKIE] = ""


def arrive() -> None:
    """Take in who this session is: the link in the address, this device's cookies, the sign-in.

    Call it once per run, after the workbook is opened and before the page.
    """
    st.session_state.pop(StateKeys.PERMISSIONS, None)  # worked out afresh on every run (see permissions())
    cookies = _cookies()
    _take_name(cookies)
    _take_sign_in()
    wid = st.session_state.get(StateKeys.WORKBOOK)
    if wid:
        _take_token(wid, cookies)
    _write_pending_cookies()


def _take_name(cookies: dict[str, str]) -> None:
    if st.session_state.get(StateKeys.NAME_ASKED):
        return
    saved = cookies.get(NAME_COOKIE)
    if saved and saved.startswith("1"):
        st.session_state[StateKeys.NAME_ASKED] = True
        if not (st.session_state.get(StateKeys.PARTICIPANT) or "").strip():
            st.session_state[StateKeys.PARTICIPANT] = unquote(saved[1:])


def _take_sign_in() -> None:
    signed = None
    if auth_configured():
        try:
            if st.user.is_logged_in and st.user.get("email"):
                signed = (str(st.user.get("email")), str(st.user.get("name") or st.user.get("email")))
        except Exception:  # noqa: BLE001 — a provider misconfigured: nobody is signed in
            signed = None
    st.session_state[StateKeys.SIGNED_IN] = signed


def _take_token(wid: str, cookies: dict[str, str]) -> None:
    tokens: dict[str, str] = st.session_state.setdefault(StateKeys.TOKENS, {})
    arrived = st.query_params.get(TOKEN_PARAM)
    if arrived:
        del st.query_params[TOKEN_PARAM]  # the address bar shows the plain (read-only) address
        actions.remember_token(wid, arrived)
        if actions.identity(wid).how != "invite" and st.session_state.get(StateKeys.SIGNED_IN) is None:
            st.session_state[StateKeys.LINK_PROBLEM] = (
                "This link does not open this workbook (it was revoked, or it is incomplete): "
                "the workbook is shown read-only. Ask the facilitator for a new link."
            )
        return
    if wid not in tokens:
        tokens[wid] = cookies.get(TOKEN_COOKIE + wid, "")


def _write_pending_cookies(in_sidebar: bool = True) -> None:
    pending: dict[str, str] = st.session_state.pop(StateKeys.COOKIES_PENDING, None) or {}
    if not pending:
        return
    lines = []
    for name, value in pending.items():
        age = COOKIE_DAYS * 86400 if value else 0
        cookie = f"{name}={quote(value, safe='')}; path=/; max-age={age}; SameSite=Strict"
        lines.append(f"document.cookie = {json.dumps(cookie)};")
    # json.dumps keeps the values inside a JavaScript string; quote() keeps them cookie-safe.
    script = "<script>" + "".join(lines).replace("</", "<\\/") + "</script>"
    if in_sidebar:
        with st.sidebar:
            st.html(script, unsafe_allow_javascript=True)
    else:  # inside the sidebar's fragment already (which may not write to st.sidebar)
        st.html(script, unsafe_allow_javascript=True)


def _remember_name() -> None:
    name = (st.session_state.get(StateKeys.PARTICIPANT) or "").strip()
    st.session_state[StateKeys.NAME_ASKED] = True
    st.session_state.setdefault(StateKeys.COOKIES_PENDING, {})[NAME_COOKIE] = "1" + name


def _skip_name() -> None:
    st.session_state[StateKeys.NAME_ASKED] = True
    st.session_state.setdefault(StateKeys.COOKIES_PENDING, {})[NAME_COOKIE] = "1"


# --------------------------------------------------------------------------------------------
# What this session may do: one answer per run, for every widget's ``disabled=``
# --------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Permissions:
    """This session's identity and the open workbook's rules, as they stood when the run began."""

    workbook_id: str | None
    who: Identity
    state: WorkbookAccess
    known: bool = True  # False: the database could not say (then nothing may change from here)

    def refusal(self, action: Action) -> str | None:
        """Why this session may not do ``action``, in words; None when it may."""
        if not self.known:
            return "The workbook's database cannot be read just now: nothing can be changed from here."
        if action == "approve" and not self.state.claimed and self.state.committee:
            # An open workbook: whoever has the address picks a member's name (recorded as typed).
            return access_refusal(self.who, action, self.state, for_member=self.state.committee[0])
        return access_refusal(self.who, action, self.state)

    def may(self, action: Action) -> bool:
        return self.refusal(action) is None


def permissions(workbook_id: str | None = None) -> Permissions:
    """What this session may do in a workbook (default: the open one), worked out once per run.

    :func:`arrive` drops the answer at the start of every run, so a role given, a link revoked
    or the edit switch turned reads right on the next run; within a run every widget asks the
    same answer instead of reading the database again. The actions themselves still check
    (:func:`workbook.ui.actions.refusal`) when they save: this only greys out what would be refused.
    """
    wid = workbook_id or st.session_state.get(StateKeys.WORKBOOK)
    cache: dict[str | None, Permissions] = st.session_state.setdefault(StateKeys.PERMISSIONS, {})
    if wid in cache:
        return cache[wid]
    if not wid:
        found = Permissions(None, ANONYMOUS, WorkbookAccess())
    else:
        try:
            found = Permissions(wid, actions.identity(wid), actions.access_state(wid))
        except StoreError:
            found = Permissions(wid, ANONYMOUS, WorkbookAccess(), known=False)
    cache[wid] = found
    return found


def may(action: Action, workbook_id: str | None = None) -> bool:
    """True when this session may do ``action`` in a workbook (default: the open one; see ``access.RULES``).

    The one call pages make for a widget: ``disabled=not may("edit")``.
    """
    return permissions(workbook_id).may(action)


# --------------------------------------------------------------------------------------------
# What people see
# --------------------------------------------------------------------------------------------
def render_identity() -> None:
    """The sidebar's "who am I": the verified identity, or the name asked once; sign in / out."""
    who = actions.identity()
    if who.verified:
        st.markdown(f"You: **{md(who.name or 'read-only link')}**")
        role = actions.ROLE_WORDS.get(who.role, "no role here") if who.role else "no role here"
        st.caption(f"Identified: {who.identified_by} · {role}")  # "Identified: signed in · Participant"
        if who.how == "oidc":
            if st.button("Sign out", key=SIGN_OUT, icon=":material/logout:"):
                st.logout()
        return
    st.text_input(
        "Your name (optional)",
        key=StateKeys.PARTICIPANT,
        help=HELP["sidebar.your_name_optional"],
        on_change=_remember_name,
    )
    if not st.session_state.get(StateKeys.NAME_ASKED) and not (st.session_state.get(StateKeys.PARTICIPANT) or ""):
        cols = st.columns([3, 2], vertical_alignment="center")
        cols[0].caption("Who are you? Asked once on this device; your name goes with your changes.")
        cols[1].button("Skip", key=SKIP, on_click=_skip_name, width="stretch")
    _write_pending_cookies(in_sidebar=False)  # a name typed here reruns only the sidebar's fragment
    if auth_configured():
        if st.button("Sign in", key=SIGN_IN, icon=":material/login:", width="stretch"):
            # The provider brings people back to the first page without the address's workbook.
            st.session_state.setdefault(StateKeys.COOKIES_PENDING, {})[RETURN_COOKIE] = st.session_state.get(
                StateKeys.WORKBOOK, ""
            )
            _write_pending_cookies(in_sidebar=False)
            st.login()


def render_notice() -> None:
    """Above every page: why it is read-only for this person, and a link that stopped working."""
    rules = permissions()  # first: finding the identity may note a link that stopped working
    problem = st.session_state.pop(StateKeys.LINK_PROBLEM, None)
    if problem:
        st.error(md(problem), icon=":material/link_off:")
    if not rules.known:
        return
    why = rules.refusal("edit")
    if why:
        st.info(md(why), icon=":material/lock:")
