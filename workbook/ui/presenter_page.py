"""The presenter view: the scenario under discussion, large, for the projector (issue 14).

Its own address (``/presenter?wb=<id>``) so it can be opened on the projector's machine.
No sidebar, menus or editors: the lead in words, the team's estimate beside the model's
cell and state, the "why" chart, the grid and every scenario, and the live vote.

It follows the facilitator: the scenario on screen is kept per workbook in the store
(:func:`workbook.ui.actions.show_scenario`), and this screen reads it once a second (a
small fragment, which redraws the screen when it changed), so moving on the vote page — or
with ← / → here — moves every presenter screen.
"""

from __future__ import annotations

import streamlit as st

from workbook.engine import scenario_counts_by_cell
from workbook.room import tally
from workbook.room.screen import lead_in_words, on_screen
from workbook.ui import figures
from workbook.ui.actions import StoreError, VoteInfo, room_state, show_scenario, vote_ballots
from workbook.ui.components.room import (
    AGREE_MARK,
    PRESENTER_CSS,
    estimate_text,
    follow_room,
    live_count,
    question_list,
    render_lead,
    render_results,
    signature,
)
from workbook.ui.components.scenario_text import state_text
from workbook.ui.help import HELP
from workbook.ui.identity import may
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.state import Workshop, workshop
from workbook.ui.text import md

BIG_FONT = 20  # figure text at 1920×1080, read from the back of the room
CURRENT_CELL = "#111111"


def _move(workbook_id: str, position: int, name: str) -> None:
    show_scenario(workbook_id, position, name)


def _controls(ws: Workshop, index: int) -> None:
    names = [s.name for s in ws.model.scenarios]
    back, where, ahead = st.columns([1, 3, 1], vertical_alignment="center")
    with back:
        previous = max(index - 1, 0)
        st.button("Previous", icon=":material/arrow_back:", shortcut="Left", key=page_key("presenter", "previous"),
                  disabled=index == 0 or not may("run_room"),
                  on_click=_move, args=(ws.workbook_id, previous, names[previous]),
                  help=HELP["presenter.previous"], width="stretch")
    with where:
        st.markdown(f"Scenario **{index + 1} of {len(names)}** · {md(ws.model.name)}")
    with ahead:
        following = min(index + 1, len(names) - 1)
        st.button("Next", icon=":material/arrow_forward:", shortcut="Right", key=page_key("presenter", "next"),
                  disabled=index >= len(names) - 1 or not may("run_room"), on_click=_move,
                  args=(ws.workbook_id, following, names[following]),
                  help=HELP["presenter.next"], width="stretch")


def _estimate_and_model(ws: Workshop, index: int) -> None:
    result = ws.results[index]
    est = result.scenario.estimate.given() if result.scenario.estimate else {}
    team, model, agree = st.columns([2, 2, 1])
    team.metric("The team says", estimate_text(est))
    r = result.result
    model.metric("The model says", f"{r.cell or '–'} · {state_text(result)}")
    mark = {True: "Agrees", False: "Differs", None: "No estimate"}[result.agrees]
    agree.metric("Agreement", f"{AGREE_MARK[result.agrees]} {mark}".strip())


def _why_chart(ws: Workshop, index: int) -> None:
    fig = figures.contributions_bar(ws.results[index].result, title="Why: the points of each value")
    fig.update_layout(font=dict(size=BIG_FONT - 2), height=min(fig.layout.height + 60, 520),
                      margin=dict(l=10, r=10, t=50, b=10))
    fig.update_yaxes(automargin=True)
    st.plotly_chart(fig, width="stretch", config={"displayModeBar": False}, theme=None,
                    key=page_key("presenter", "why"))


def _grid(ws: Workshop, index: int) -> None:
    counts = scenario_counts_by_cell(ws.model, ws.results)
    fig = figures.grid_heatmap(ws.model, counts, title="Every scenario on the grid")
    fig.update_layout(font=dict(size=BIG_FONT - 2), height=110 + 90 * max(len(ws.model.grades), 1),
                      margin=dict(l=10, r=10, t=80, b=10))
    cell = ws.results[index].result.cell
    if cell in ws.model.cells:
        pos = ws.model.cells.index(cell)
        row, col = divmod(pos, len(ws.model.levels))
        # Ring the cell of the scenario on screen (the figure itself comes from figures.py).
        fig.add_shape(type="rect", x0=col - 0.5, x1=col + 0.5, y0=row - 0.5, y1=row + 0.5,
                      line=dict(color=CURRENT_CELL, width=6))
    st.plotly_chart(fig, width="stretch", config={"displayModeBar": False}, theme=None,
                    key=page_key("presenter", "grid"))


def _scenario_list(ws: Workshop, index: int) -> None:
    lines = []
    for i, r in enumerate(ws.results):
        text = f"{i + 1}. {md(r.name)} — {md(r.result.cell or '–')} {md(state_text(r))} {AGREE_MARK[r.agrees]}"
        lines.append(f"- **▶ {text}**" if i == index else f"- {text}")
    with st.container(height=330, border=False):
        st.markdown("\n".join(lines))


def _vote_panel(ws: Workshop, vote: VoteInfo | None, shown: str) -> None:
    if vote is None:
        return
    with st.container(border=True):
        if vote.status == "open":
            st.markdown(f"### Vote open: {question_list(vote.asks)}"
                        + (f"\n\nOn {md(vote.scenario)}" if vote.scenario != shown else ""))
            live_count(ws.workbook_id, vote.id, big=True)  # always the second element: see follow_room
            st.caption("The votes stay hidden until the facilitator reveals them.")
            return
        st.markdown("### The room's vote" if vote.scenario == shown else f"### The room's vote on {md(vote.scenario)}")
        names = [s.name for s in ws.model.scenarios]
        result = ws.results[names.index(vote.scenario)] if vote.scenario in names else None
        render_results(tally(ws.model, vote.asks, vote_ballots(vote), result), compact=True)


def presenter_screen(ws: Workshop) -> None:
    """The whole screen; it is drawn again when the facilitator moves or the vote changes stage."""
    try:
        room = room_state(ws.workbook_id)
    except StoreError as exc:
        st.error(f"The room's state cannot be read: {exc}", icon=":material/database:")
        follow_room(ws.workbook_id, None)  # keeps reading: the screen comes back once the database answers
        return
    names = [s.name for s in ws.model.scenarios]
    current = room.current
    index = on_screen(names, current.scenario if current else None, current.position if current else None)
    if index is None:
        st.title(md(ws.model.name))
        st.info("This workbook has no test scenarios yet: add them on the Test scenarios tab.",
                icon=":material/info:")
    else:
        _controls(ws, index)
        st.title(md(names[index]))
        left, right = st.columns([3, 2], gap="large")
        with left:
            render_lead(lead_in_words(ws.model, ws.model.scenarios[index]))
            _estimate_and_model(ws, index)
            _why_chart(ws, index)
        with right:
            _vote_panel(ws, room.vote, names[index])
            _grid(ws, index)
            _scenario_list(ws, index)
    follow_room(ws.workbook_id, signature(room))


def render() -> None:
    """The presenter view."""
    ws = workshop()
    # Keep the name given in the sidebar's box (recorded with each move), whose widget is not drawn here.
    st.session_state[StateKeys.PARTICIPANT] = st.session_state.get(StateKeys.PARTICIPANT, "")
    st.html(PRESENTER_CSS)
    presenter_screen(ws)
