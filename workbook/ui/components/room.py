"""Pieces shared by the presenter view and the vote page: the count, the revealed results, the CSS.

Counts and words come from :mod:`workbook.room` (the tally); this module only shows them.
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from workbook.room import QUESTION_WORDS, Tally
from workbook.room.screen import LeadInWords
from workbook.ui.actions import RoomState, StoreError, VoteInfo, room_state
from workbook.ui.text import md

AGREE_MARK = {True: "✓", False: "✗", None: ""}
EVERYONE = "Everyone"

# Fixed CSS, no user text in it. The presenter is read from the back of a room at 1920×1080.
PRESENTER_CSS = """
<style>
header[data-testid="stHeader"], [data-testid="stSidebarCollapsedControl"], [data-testid="stToolbar"] {
  display: none !important;
}
.stMainBlockContainer, .block-container { padding-top: 1.2rem !important; padding-bottom: 1rem !important;
  max-width: 100% !important; }
.stMainBlockContainer [data-testid="stMarkdownContainer"] p,
.stMainBlockContainer [data-testid="stMarkdownContainer"] li { font-size: 1.55rem; line-height: 1.35; }
.stMainBlockContainer h1 { font-size: 2.9rem !important; padding-top: 0 !important; }
.stMainBlockContainer h3 { font-size: 1.9rem !important; }
[data-testid="stMetricValue"], [data-testid="stMetricValue"] * { font-size: 2.6rem !important; }
[data-testid="stMetricLabel"] p { font-size: 1.4rem !important; }
[data-testid="stProgress"] p { font-size: 1.4rem !important; }
[data-testid="stTable"] th, [data-testid="stTable"] td { font-size: 1.3rem !important; }
</style>
"""
# On a phone the ballot is all there is: no menu bar to get lost in.
VOTE_CSS = """
<style>
@media (max-width: 640px) {
  header[data-testid="stHeader"], [data-testid="stSidebarCollapsedControl"] { display: none !important; }
  .stMainBlockContainer, .block-container { padding: 1rem 0.9rem !important; }
}
[data-testid="stPills"] button, .stPills button { font-size: 1.1rem; padding: 0.45rem 0.9rem; }
</style>
"""


def render_lead(words: LeadInWords) -> None:
    """Who the lead is and what they did, as two lists."""
    if words.notes:
        st.markdown(f"*{md(words.notes)}*")
    who, did = st.columns(2)
    with who:
        st.markdown("**Who**")
        st.markdown("\n".join(f"- {md(line)}" for line in words.who) or "No profile values given")
    with did:
        st.markdown("**What they did**")
        st.markdown("\n".join(f"- {md(line)}" for line in words.did) or "No activity")


def count_text(vote: VoteInfo) -> str:
    """``3 voted`` — the one sentence the presenter shows while a vote is open."""
    return f"{vote.ballots} voted"


def render_results(tally: Tally, *, compact: bool = False) -> None:
    """The revealed vote: per question the agreement, the model's answer and the distribution.

    The distribution is bars of the whole room (``compact``: a row "Everyone" in the table
    instead, for the presenter's screen), then the votes by function.
    """
    for q in tally.questions:
        st.markdown(f"### {QUESTION_WORDS[q.question]}")
        st.markdown(f"**{md(q.agreement())}**")
        st.markdown(f"{md(q.model_sentence())} {AGREE_MARK[q.model_agrees]}")
        if not compact:
            for option in q.options:
                votes = q.counts[option]
                st.progress(votes / q.total if q.total else 0.0, text=f"{md(option)}: {votes}")
        rows = {EVERYONE: q.counts} if compact else {}
        rows.update(q.by_group)
        if rows:
            frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(q.options))
            frame.insert(0, "Votes", frame.sum(axis=1))
            st.table(frame.rename_axis("Function"))


def question_list(asks: tuple[str, ...]) -> str:
    """``state, profile grade and engagement level``"""
    words = [QUESTION_WORDS[q].lower() for q in asks]
    return words[0] if len(words) == 1 else ", ".join(words[:-1]) + " and " + words[-1]


def estimate_text(estimate: dict[str, str]) -> str:
    """The team's estimate in words: ``A2 · Send to sales``; ``–`` when none."""
    cell = (estimate.get("profile") or "") + (estimate.get("engagement") or "")
    state = estimate.get("state")
    return " · ".join(p for p in (cell, state) if p) or "–"


# --------------------------------------------------------------------------------------------
# Following the room: one small read a second, a redraw only when something changed
# --------------------------------------------------------------------------------------------
POLL_SECONDS = 1.0


def signature(room: RoomState) -> tuple:
    """What, when it changes, redraws a room page: the scenario on screen and the vote's stage."""
    current, vote = room.current, room.vote
    return (
        (current.scenario, current.position, current.changes) if current else None,
        (vote.id, vote.status, vote.recorded_revision) if vote else None,
    )


@st.fragment(run_every=POLL_SECONDS)
def follow_room(workbook_id: str, seen: tuple | None) -> None:
    """Once a second: redraw the page when the facilitator moved or the vote changed stage.

    ``seen`` None: the page could not read the room; it is redrawn once the room reads again.

    Only the count of an open vote changes more often; :func:`live_count` shows it. Redrawing
    whole pages (figures, forms) every second would load the server and every device for nothing.
    """
    try:
        now = signature(room_state(workbook_id))
    except StoreError:
        return
    if now != seen:
        st.rerun(scope="app")


@st.fragment(run_every=POLL_SECONDS)
def live_count(workbook_id: str, vote_id: int, big: bool = False) -> None:
    """How many have voted on an open vote, read again every second (never what they voted)."""
    try:
        vote = room_state(workbook_id).vote
    except StoreError:
        return
    if vote is None or vote.id != vote_id or vote.status != "open":
        # The vote counted here has moved on: redraw the page. follow_room does the same, but
        # under load a device was seen whose poll had stopped, left on a vote already closed.
        st.rerun(scope="app")
    if big:
        st.metric("Votes so far", count_text(vote))
    else:
        st.markdown(f"**{count_text(vote)}** so far")
