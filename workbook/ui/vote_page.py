"""The live vote (issue 14): every participant votes on their own device; the facilitator runs it.

Participants open the workshop's link (``/vote?wb=<id>``) on a laptop or a phone, give
their name once and vote on the scenario the facilitator opened a vote on: its state, and
the profile grade and engagement level when asked. Nobody sees the others' votes until the
facilitator reveals them; until then each device shows only its own ballot and how many
have voted. The page reads the room's state once a second and redraws itself when a vote
is opened, revealed or closed, so nobody has to reload.

The facilitator's part (collapsed below the ballot) moves the presenter screen, opens a
vote, reveals it, and records it: the members' votes as their estimates and the consensus
(or another answer the room settles on) as the team's estimate, as one revision that the
sidebar's Undo takes back in one step.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from workbook.model import ScoringModel
from workbook.room import NOT_ON_TEAM, QUESTION_WORDS, options_for, tally, voter_groups
from workbook.room.screen import lead_in_words, on_screen
from workbook.ui.actions import (
    RoomState,
    StoreError,
    VoteInfo,
    cast_ballot,
    close_vote,
    my_ballot,
    open_vote,
    record_vote,
    reveal_vote,
    room_state,
    show_scenario,
    undo_last_change,
    vote_ballots,
)
from workbook.ui.components.room import (
    VOTE_CSS,
    follow_room,
    live_count,
    question_list,
    render_lead,
    render_results,
    signature,
)
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.state import Workshop, participant, workshop
from workbook.ui.text import md

NAME_INPUT = page_key("vote", "name_input")
ASK_PROFILE = page_key("vote", "ask_profile")
ASK_ENGAGEMENT = page_key("vote", "ask_engagement")
FACILITATING = page_key("vote", "facilitating")
CHOICES = page_key("vote", "choices")  # {vote id: {question: choice}}: this device's choices
NOTICE = page_key("vote", "notice")  # (kind, words): why the last press did not count
BALLOT_SLOT = page_key("vote", "ballot_slot")  # (vote id, 0 or 1): where this device draws that vote's ballot
BALLOT_KEY = "vote_ballot"  # the ballot's container (its class st-key-vote_ballot finds it in a browser)


# --------------------------------------------------------------------------------------------
# Who is voting
# --------------------------------------------------------------------------------------------
def _take_name() -> None:
    st.session_state[StateKeys.PARTICIPANT] = " ".join((st.session_state.get(NAME_INPUT) or "").split())


def _forget_name() -> None:
    st.session_state[StateKeys.PARTICIPANT] = ""


def _name_step(ws: Workshop) -> bool:
    """Ask for the participant's name once; True when there is one."""
    name = participant()
    if name is None:
        with st.form(page_key("vote", "name_form")):
            st.text_input("Your name", key=NAME_INPUT, placeholder="First and last name, as on the Team tab",
                          help=HELP["vote.name"])
            st.form_submit_button("Join the vote", type="primary", on_click=_take_name, width="stretch")
        return participant() is not None
    who, change = st.columns([3, 1], vertical_alignment="center")
    who.markdown(f"Voting as **{md(name)}**")
    change.button("Not you?", key=page_key("vote", "forget_name"), on_click=_forget_name, help=HELP["vote.not_you"])
    if voter_groups(ws.model, [name])[name] == NOT_ON_TEAM:
        st.caption("Your name is not on the Team tab: your vote counts in the room's tally, but is not recorded "
                   "as a team member's estimate.")
    return True


# --------------------------------------------------------------------------------------------
# The ballot
# --------------------------------------------------------------------------------------------
def _choice_text(vote: VoteInfo, choices: dict[str, str]) -> str:
    return ", ".join(f"{QUESTION_WORDS[q].lower()} {choices[q]}" for q in vote.asks if q in choices)


def _choice_key(vote_id: int, question: str) -> str:
    return page_key("vote", "choice", vote_id, question)


def _remembered(vote_id: int) -> dict[str, str]:
    """The choices this device made in vote ``vote_id`` (kept apart from the widgets' own state)."""
    return st.session_state.setdefault(CHOICES, {}).setdefault(vote_id, {})


def _remember(vote: VoteInfo, question: str) -> None:
    value = st.session_state.get(_choice_key(vote.id, question))
    if value:
        _remembered(vote.id)[question] = value
    else:
        _remembered(vote.id).pop(question, None)
    try:  # a choice made on a ballot the room has just left: say so now, not at the press
        changed = _changed_under(vote, room_state(vote.workbook_id).vote)
    except StoreError:
        return
    if changed:
        st.session_state[NOTICE] = ("warning", changed)


def _changed_under(vote: VoteInfo, now: VoteInfo | None) -> str | None:
    """Why a press on ``vote``'s ballot cannot count, in words; None while it is still open."""
    if now is not None and now.id == vote.id and now.status == "open":
        return None
    why = (f"Your vote on {vote.scenario} was not counted: the facilitator "
           + ("revealed the votes" if now is not None and now.id == vote.id else "closed that vote")
           + " before it arrived.")
    if now is not None and now.id != vote.id and now.status == "open":
        why += f" A new vote on {now.scenario} is open: choose again below."
    return why


def _cast(vote: VoteInfo, model: ScoringModel) -> None:
    """The press on Vote: count the choices shown, or say why they cannot count."""
    st.session_state.pop(NOTICE, None)
    try:
        now = room_state(vote.workbook_id).vote
    except StoreError as exc:
        st.session_state[NOTICE] = ("error", f"Your vote could not be saved: {exc}")
        return
    changed = _changed_under(vote, now)
    if changed:
        st.session_state[NOTICE] = ("warning", changed)
        return
    choices = {q: st.session_state.get(_choice_key(vote.id, q)) or _remembered(vote.id).get(q) or ""
               for q in vote.asks}
    error = cast_ballot(vote, model, choices)
    if error:
        st.session_state[NOTICE] = ("error", error)


def _ballot_form(ws: Workshop, vote: VoteInfo) -> None:
    """The ballot of the open vote.

    No ``st.form``: a choice held in a form lives only in the browser until the press, and a
    redraw arriving between the choice and the press (the page following the room, a poll)
    dropped it — 2 of 200 votes in the load check. Each choice is sent and kept as it is
    made, under a key that stays the same for as long as this vote is open, and remembered
    apart from the widget so that no redraw can reset it.
    """
    mine = my_ballot(vote) or {}
    remembered = _remembered(vote.id)
    for question in vote.asks:
        key = _choice_key(vote.id, question)
        if key not in st.session_state:
            # Drawn again after a redraw that skipped it: the choice made, else the vote cast.
            st.session_state[key] = remembered.get(question) or mine.get(question)
        st.pills(
            QUESTION_WORDS[question],
            options_for(ws.model, question),
            key=key,
            on_change=_remember,
            args=(vote, question),
            help=HELP[f"vote.{question}"],
            disabled=not may("vote"),
        )
    st.button("Change my vote" if mine else "Vote", type="primary", icon=":material/how_to_vote:",
              key=page_key("vote", "cast"), on_click=_cast, args=(vote, ws.model), width="stretch",
              disabled=not may("vote"))
    if mine:
        st.success(f"Your vote: {md(_choice_text(vote, mine))}. You can change it until the facilitator "
                   "reveals the votes.", icon=":material/check_circle:")


def _notice() -> None:
    """What the last press could not do, said once."""
    notice = st.session_state.pop(NOTICE, None)
    if notice:
        kind, words = notice
        (st.warning if kind == "warning" else st.error)(md(words), icon=":material/error:")


def ballot_place(vote_id: int | None) -> DeltaGenerator | None:
    """The place for the ballot of the open vote ``vote_id`` (None: no ballot on this device now).

    Two places, taken in turn by successive votes; the one not in use is always empty. A
    redraw replaces a place's content piece by piece, and the browser keeps a replaced
    choice widget (shown while it has the focus, as after a tap on a phone) until the
    redraw ends: in one place, the last vote's choices stood beside the new vote's, and
    under load a phone showed two sets of buttons, one for a vote already closed. So a new
    vote's ballot starts in the empty place, and the redraw that brings it empties the old
    one first. Call it at the same point of every run (the page's places are fixed, see
    :func:`render`).
    """
    drawn_id, drawn_slot = st.session_state.get(BALLOT_SLOT, (None, 1))
    if vote_id is None:
        for _slot in (0, 1):
            st.empty()
        return None
    if vote_id == drawn_id:
        places = [st.container(key=BALLOT_KEY) if slot == drawn_slot else st.empty() for slot in (0, 1)]
        return places[drawn_slot]
    slot = 1 - drawn_slot
    st.session_state[BALLOT_SLOT] = (vote_id, slot)
    places = [st.empty(), st.empty()]  # the last vote's ballot goes before the new one is drawn
    return places[slot].container(key=BALLOT_KEY)


def ballot(ws: Workshop, vote: VoteInfo | None, count: DeltaGenerator, after: DeltaGenerator) -> None:
    """The open vote as this participant sees it (drawn again when the vote changes stage).

    Its places in the page are the same in every run, whatever the vote's stage: what the
    last press could not do, the ballot's two places (see :func:`ballot_place`), then the
    words for a vote that is not open. ``count`` and ``after``: the page's fixed places for
    the live count and what follows it (see :func:`render`).
    """
    with st.container():
        _notice()
    place = ballot_place(vote.id if vote is not None and vote.status == "open" else None)
    rest = st.container()
    if vote is None:
        rest.info("No vote is open right now. When the facilitator opens one, it appears here by itself.",
                  icon=":material/hourglass_empty:")
        return
    names = [s.name for s in ws.model.scenarios]
    if place is not None:
        with place:
            st.subheader(md(vote.scenario))
            # The ballot first: on a phone the lead's description would push it below the fold.
            st.markdown(f"Where does this lead belong? Choose the {question_list(vote.asks)}.")
            _ballot_form(ws, vote)
        with count:
            live_count(ws.workbook_id, vote.id)
            st.caption("Nobody sees the votes until the facilitator reveals them.")
    else:
        rest.subheader(md(vote.scenario))
    with after:
        if vote.scenario in names:
            with st.expander("The lead", expanded=vote.status == "open"):
                render_lead(lead_in_words(ws.model, ws.model.scenarios[names.index(vote.scenario)]))
        if vote.status == "open":
            return
        mine = my_ballot(vote)
        if mine:
            st.markdown(f"Your vote: **{md(_choice_text(vote, mine))}**")
        result = ws.results[names.index(vote.scenario)] if vote.scenario in names else None
        render_results(tally(ws.model, vote.asks, vote_ballots(vote), result))


# --------------------------------------------------------------------------------------------
# The facilitator's part
# --------------------------------------------------------------------------------------------
def _show_picked(workbook_id: str, key: str, names: list[str]) -> None:
    position = st.session_state[key]
    show_scenario(workbook_id, position, names[position])


def _open(workbook_id: str, scenario: str) -> None:
    asks = ["state"]
    if st.session_state.get(ASK_PROFILE):
        asks.append("profile")
    if st.session_state.get(ASK_ENGAGEMENT):
        asks.append("engagement")
    open_vote(workbook_id, scenario, asks)


def _record(vote: VoteInfo) -> None:
    estimate = {q: st.session_state.get(page_key("vote", "record", vote.id, q)) for q in vote.asks}
    record_vote(vote, estimate)


def _screen_picker(ws: Workshop, names: list[str], index: int) -> None:
    key = page_key("vote", "screen", index)  # a move made on the presenter redraws it
    st.selectbox("Scenario on the presenter screen", range(len(names)), index=index, key=key,
                 format_func=lambda i: f"{i + 1}. {names[i]}", on_change=_show_picked,
                 args=(ws.workbook_id, key, names), help=HELP["vote.screen"], disabled=not may("run_room"))
    back, ahead = st.columns(2)
    back.button("Previous", icon=":material/arrow_back:", key=page_key("vote", "previous"),
                disabled=index == 0 or not may("run_room"),
                on_click=show_scenario, args=(ws.workbook_id, max(index - 1, 0), names[max(index - 1, 0)]),
                width="stretch", help=HELP["presenter.previous"])
    nxt = min(index + 1, len(names) - 1)
    ahead.button("Next", icon=":material/arrow_forward:", key=page_key("vote", "next"),
                 disabled=index >= len(names) - 1 or not may("run_room"),
                 on_click=show_scenario, args=(ws.workbook_id, nxt, names[nxt]),
                 width="stretch", help=HELP["presenter.next"])


def _vote_controls(ws: Workshop, vote: VoteInfo) -> None:
    names = [s.name for s in ws.model.scenarios]
    st.markdown(f"**Vote on {md(vote.scenario)}** ({question_list(vote.asks)}): "
                f"{'open' if vote.status == 'open' else 'revealed'}")
    if vote.status == "open":
        live_count(ws.workbook_id, vote.id)
    else:
        st.markdown(f"**{vote.ballots} voted**")
    reveal, close = st.columns(2)
    reveal.button("Reveal the votes", type="primary", icon=":material/visibility:", key=page_key("vote", "reveal"),
                  disabled=vote.status != "open" or not may("run_room"),
                  on_click=reveal_vote, args=(vote,), width="stretch",
                  help=HELP["vote.reveal"])
    close.button("Close the vote", icon=":material/close:", key=page_key("vote", "close"), on_click=close_vote,
                 args=(vote,), width="stretch", help=HELP["vote.close"], disabled=not may("run_room"))
    if vote.status != "revealed":
        return
    result = ws.results[names.index(vote.scenario)] if vote.scenario in names else None
    counted = tally(ws.model, vote.asks, vote_ballots(vote), result)
    for q in counted.questions:
        st.markdown(f"{QUESTION_WORDS[q.question]}: **{md(q.agreement())}**. {md(q.model_sentence())}.")
    if vote.recorded_revision:
        done, undo = st.columns([3, 1], vertical_alignment="center")
        done.success(f"Recorded as revision {vote.recorded_revision}.", icon=":material/check_circle:")
        undo.button("Undo last change", icon=":material/undo:", key=page_key("vote", "undo"),
                    on_click=undo_last_change, width="stretch", help=HELP["sidebar.undo_last_change"],
                    disabled=not may("undo"))
    st.markdown("**Record the vote**: the members' votes become their estimates; choose the team's estimate.")
    columns = st.columns(len(vote.asks))
    for column, question in zip(columns, vote.asks, strict=True):
        options = options_for(ws.model, question)
        consensus = counted.consensus.get(question)
        column.selectbox(f"Team's {QUESTION_WORDS[question].lower()}", options,
                         index=options.index(consensus) if consensus in options else None,
                         key=page_key("vote", "record", vote.id, question), help=HELP["vote.team_estimate"],
                         disabled=not may("run_room"))
    st.button("Record as the members' and the team's estimates", type="primary", icon=":material/save:",
              key=page_key("vote", "record_button"), on_click=_record, args=(vote,), width="stretch",
              help=HELP["vote.record"], disabled=not may("run_room"))


def facilitator(ws: Workshop, room: RoomState) -> None:
    """Move the presenter screen; open, reveal, record and close votes."""
    names = [s.name for s in ws.model.scenarios]
    current = room.current
    index = on_screen(names, current.scenario if current else None, current.position if current else None)
    if index is None:
        st.info("This workbook has no test scenarios to vote on yet.", icon=":material/info:")
        return
    _screen_picker(ws, names, index)
    ask_profile, ask_level = st.columns(2)
    ask_profile.checkbox("Also ask for the profile grade", key=ASK_PROFILE, help=HELP["vote.ask_profile"],
                         disabled=not may("run_room"))
    ask_level.checkbox("Also ask for the engagement level", key=ASK_ENGAGEMENT, help=HELP["vote.ask_engagement"],
                       disabled=not may("run_room"))
    st.button(f"Open a vote on scenario {index + 1}", icon=":material/how_to_vote:", key=page_key("vote", "open"),
              on_click=_open, args=(ws.workbook_id, names[index]), width="stretch", help=HELP["vote.open"],
              disabled=not may("run_room"))
    if room.vote is not None:
        _vote_controls(ws, room.vote)


def _links(ws: Workshop) -> None:
    here = (st.context.url or "").rstrip("/")
    base = here[: -len("/vote")] if here.endswith("/vote") else here
    st.markdown("**The participants' link** (share it, or show it on the projector):")
    st.code(f"{base}/vote?wb={ws.workbook_id}", language=None)
    st.link_button("Open the presenter view", f"{base}/presenter?wb={ws.workbook_id}",
                   icon=":material/co_present:", help=HELP["vote.presenter_link"])


def render() -> None:
    """The Live vote page."""
    ws = workshop()
    # Keep the name given in the sidebar's box, whose widget this page does not draw.
    st.session_state[StateKeys.PARTICIPANT] = st.session_state.get(StateKeys.PARTICIPANT, "")
    st.html(VOTE_CSS)
    st.header("Live vote")
    # The same few places on the page in every run, whatever the vote's stage: a fragment
    # (the live count, the poll) is addressed by its place on the page, and one redrawn at a
    # place a whole-page redraw had just removed crashed the browser's page ("Bad delta path
    # index"): the lost votes of the load check with twenty devices.
    top, count, after, running, poll = (st.container() for _place in range(5))
    try:
        room = room_state(ws.workbook_id)
    except StoreError as exc:
        top.error(f"The vote cannot be read: {exc}", icon=":material/database:")
        with poll:  # keeps reading: the page comes back by itself once the database answers
            follow_room(ws.workbook_id, None)
        return
    with top:
        with st.container():
            named = _name_step(ws)
        if named:
            ballot(ws, room.vote, count, after)
    with running:
        with st.expander("Facilitator: run the vote", icon=":material/co_present:"):
            # Off by default: participants never meet the controls, and their devices skip the
            # facilitator's live count.
            if st.toggle("I am running this workshop", key=FACILITATING, help=HELP["vote.facilitating"]):
                _links(ws)
                facilitator(ws, room)
    with poll:
        follow_room(ws.workbook_id, signature(room))
