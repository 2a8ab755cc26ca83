"""The room (issue 14): the scenario on the presenter's screen and live votes."""

from __future__ import annotations

from collections.abc import Sequence

import streamlit as st

from workbook.model import ScoringModel
from workbook.room import Ballot, BallotError, check_asks, check_ballot, record_votes
from workbook.store import StoreError, default_db_path
from workbook.store.votes import Room, RoomState, VoteInfo
from workbook.ui.actions.access import _author, _raise_if_refused
from workbook.ui.actions.editing import _commit
from workbook.ui.actions.session import sync_with_store
from workbook.ui.keys import StateKeys


# Who votes or moves the screen is identity() (sign-in, invite link, else the typed name);
# moving the screen and running votes are the facilitator's (the "run_room" action).
@st.cache_resource(show_spinner=False)
def _room_at(path: str) -> Room:
    # One per database file, shared by every session; its own connection (see Room).
    return Room(path)


def _room() -> Room:
    return _room_at(str(default_db_path()))


def room_state(workbook_id: str) -> RoomState:
    """The scenario on screen and the active vote with its ballot count (raises :class:`StoreError`)."""
    return _room().state(workbook_id)


def show_scenario(workbook_id: str, position: int, name: str) -> None:
    """Put scenario ``name`` (at ``position``) on every presenter screen of the workbook."""
    try:
        _raise_if_refused("run_room", workbook_id)
        _room().set_current(workbook_id, name, position, by=_author())
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = f"The presenter screen did not move: {exc}"


def open_vote(workbook_id: str, scenario: str, asks: Sequence[str]) -> VoteInfo | None:
    """Open a vote on ``scenario`` (closing any other of the workbook); None when refused."""
    try:
        _raise_if_refused("run_room", workbook_id)
        return _room().open_vote(workbook_id, scenario, check_asks(asks), by=_author())
    except (StoreError, BallotError) as exc:
        st.session_state[StateKeys.ERROR] = f"The vote was not opened: {exc}"
        return None


def cast_ballot(vote: VoteInfo, model: ScoringModel, choices: dict[str, str]) -> str | None:
    """This participant's ballot on ``vote``; the reason in words when it was refused."""
    try:
        _raise_if_refused("vote", vote.workbook_id)
        ballot = check_ballot(model, vote.asks, _author(), choices)
        _room().cast(vote.id, ballot.voter, dict(ballot.choices))
    except (StoreError, BallotError) as exc:
        return str(exc)[:1].upper() + str(exc)[1:]
    return None


def my_ballot(vote: VoteInfo) -> dict[str, str] | None:
    """What this participant voted on ``vote`` (only their own ballot), None before they vote."""
    name = _author()
    if not name:
        return None
    stored = _room().ballot_of(vote.id, name)
    return stored.choices if stored is not None else None


def vote_ballots(vote: VoteInfo) -> list[Ballot]:
    """Every ballot of a vote, for the tally. Callers show them only once the vote is revealed."""
    return [Ballot(b.voter, b.choices) for b in _room().ballots(vote.id)]


def reveal_vote(vote: VoteInfo) -> None:
    try:
        _raise_if_refused("run_room", vote.workbook_id)
        _room().reveal(vote.id)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)


def close_vote(vote: VoteInfo) -> None:
    try:
        _raise_if_refused("run_room", vote.workbook_id)
        _room().close_vote(vote.id)
    except StoreError as exc:
        st.session_state[StateKeys.ERROR] = str(exc)


def record_vote(vote: VoteInfo, team_estimate: dict[str, str | None]) -> bool:
    """Write the votes as the members' estimates and ``team_estimate`` as the team's: one revision.

    Undo takes the whole recording back in one step, like any other edit.
    """
    sync_with_store()  # record on the newest model; the store would merge anyway
    try:
        _raise_if_refused("run_room", vote.workbook_id)
        recording = record_votes(st.session_state[StateKeys.MODEL], vote.scenario, vote_ballots(vote), team_estimate)
    except (StoreError, BallotError) as exc:
        st.session_state[StateKeys.ERROR] = f"Not recorded: {exc}"
        return False
    result = _commit(recording.model, recording.summary())
    if result is None:
        return False
    try:
        _room().mark_recorded(vote.id, result.revision)
    except StoreError:
        pass  # the estimates are saved; only the note on the vote is missing
    return True
