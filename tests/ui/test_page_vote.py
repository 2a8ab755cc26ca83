"""AppTest: the Live vote page and the presenter view (issue 14).

Ballots from other devices are cast straight into the store (a Room on the test's own
database); the browser test (tests/e2e/test_votes.py) has real devices vote.
"""

from __future__ import annotations

import os

from streamlit.testing.v1 import AppTest

from workbook.store import Store
from workbook.store.votes import Room
from workbook.ui.keys import StateKeys, page_key
from workbook.ui.text import md

VOTE, PRESENTER = "pages/vote.py", "pages/presenter.py"


def _texts(at: AppTest) -> str:
    parts = [m.value for m in at.markdown] + [c.value for c in at.caption] + [s.value for s in at.success]
    parts += [str(m.value) for m in at.metric] + [i.value for i in at.info] + [t.value for t in at.title]
    return "\n".join(str(p) for p in parts)


def _facilitate(at: AppTest) -> AppTest:
    at.toggle(key=page_key("vote", "facilitating")).set_value(True).run()
    assert not at.exception, at.exception
    return at


def test_a_participant_gives_their_name_once(open_page):
    at = open_page(VOTE)
    # no sidebar on the room's pages: nothing in it but the app's style sheet (an invisible Html element)
    assert all(type(c).__name__ == "Html" for c in at.sidebar.children.values())
    at.text_input(key=page_key("vote", "name_input")).input("  Dana   Ortiz ")
    at.button[0].click().run()  # the form's "Join the vote"
    assert not at.exception, at.exception
    assert at.session_state[StateKeys.PARTICIPANT] == "Dana Ortiz"
    assert "Voting as **Dana Ortiz**" in _texts(at)
    assert "No vote is open right now" in _texts(at)


def test_the_facilitator_moves_the_screen_and_opens_a_vote(open_page):
    at = _facilitate(open_page(VOTE))
    workbook_id = at.session_state[StateKeys.WORKBOOK]
    names = [s.name for s in at.session_state[StateKeys.MODEL].scenarios]
    at.button(key=page_key("vote", "next")).click().run()
    room = Room(os.environ["WORKBOOK_DB"])
    assert room.current(workbook_id).scenario == names[1]
    at.checkbox(key=page_key("vote", "ask_profile")).check().run()
    at.button(key=page_key("vote", "open")).click().run()
    assert not at.exception, at.exception
    vote = room.active_vote(workbook_id)
    assert vote.scenario == names[1] and vote.asks == ("state", "profile") and vote.status == "open"

    presenter = AppTest.from_file(at._script_path, default_timeout=30)
    presenter.query_params["wb"] = workbook_id
    presenter.run()
    presenter.switch_page(PRESENTER).run()
    assert not presenter.exception, presenter.exception
    assert md(names[1]) in _texts(presenter)  # the title, escaped as every name shown
    assert "0 voted" in _texts(presenter)
    room.cast(vote.id, "Dana Ortiz", {"state": "Qualify", "profile": "B"})
    presenter.run()
    assert "1 voted" in _texts(presenter)
    assert "say Qualify" not in _texts(presenter)  # hidden until the reveal
    room.close()


def test_reveal_and_record_is_one_revision_of_the_members_and_the_teams_estimates(open_page):
    at = _facilitate(open_page(VOTE))
    workbook_id = at.session_state[StateKeys.WORKBOOK]
    scenario = at.session_state[StateKeys.MODEL].scenarios[0].name
    at.button(key=page_key("vote", "open")).click().run()
    room = Room(os.environ["WORKBOOK_DB"])
    vote = room.active_vote(workbook_id)
    for voter, state in (("Dana Ortiz", "Nurture"), ("marcus lindqvist", "Nurture"), ("A guest", "Qualify")):
        room.cast(vote.id, voter, {"state": state})
    at.button(key=page_key("vote", "reveal")).click().run()
    assert not at.exception, at.exception
    assert md("A majority: 2 of 3 say Nurture") in _texts(at)
    assert at.selectbox(key=page_key("vote", "record", vote.id, "state")).value == "Nurture"

    with Store(os.environ["WORKBOOK_DB"]) as store:
        before = store.head(workbook_id).number
    at.button(key=page_key("vote", "record_button")).click().run()
    assert not at.exception, at.exception
    with Store(os.environ["WORKBOOK_DB"]) as store:
        head = store.head(workbook_id)
    assert head.number == before + 1
    recorded = next(s for s in head.model.scenarios if s.name == scenario)
    assert recorded.estimates_by_member["Dana Ortiz"] == "Nurture"
    assert recorded.estimates_by_member["Marcus Lindqvist"] == "Nurture"
    assert "A guest" not in recorded.estimates_by_member
    assert recorded.estimate.state == "Nurture"
    assert room.vote(vote.id).recorded_revision == head.number

    at.button(key=page_key("vote", "undo")).click().run()  # one step takes the whole recording back
    with Store(os.environ["WORKBOOK_DB"]) as store:
        undone = store.head(workbook_id).model
        earlier = store.model_at(workbook_id, before)
    assert next(s for s in undone.scenarios if s.name == scenario) == next(
        s for s in earlier.scenarios if s.name == scenario
    )
    room.close()


# --------------------------------------------------------------------------------------------
# A choice made while the page redraws is never dropped (the load check lost 2 of 200)
# --------------------------------------------------------------------------------------------
def _join_open_vote(open_page, name: str = "Dana Ortiz") -> tuple[AppTest, Room, str]:
    at = open_page(VOTE)
    workbook_id = at.session_state[StateKeys.WORKBOOK]
    room = Room(os.environ["WORKBOOK_DB"])
    room.open_vote(workbook_id, at.session_state[StateKeys.MODEL].scenarios[0].name, ("state",))
    at.text_input(key=page_key("vote", "name_input")).input(name)
    at.button[0].click().run()  # "Join the vote"
    assert not at.exception, at.exception
    return at, room, workbook_id


def _ballot_pills(at: AppTest, vote_id: int):
    return at.pills(key=page_key("vote", "choice", vote_id, "state"))


def test_a_choice_survives_a_redraw_before_the_press(open_page):
    at, room, workbook_id = _join_open_vote(open_page)
    vote = room.active_vote(workbook_id)
    _ballot_pills(at, vote.id).set_value("Qualify")
    at.run()  # the page redraws (the room moved, a poll, another device) between the choice and the press
    room.set_current(workbook_id, "elsewhere", 1)  # the facilitator moves the screen: a whole-page redraw
    at.run()
    assert not at.exception, at.exception
    assert _ballot_pills(at, vote.id).value == "Qualify", "the choice is still shown after the redraws"
    at.button(key=page_key("vote", "cast")).click().run()
    assert not at.exception, at.exception
    assert [b.choices for b in room.ballots(vote.id)] == [{"state": "Qualify"}]
    assert "Choose a state before you vote" not in "\n".join(e.value for e in at.error)
    room.close()


def test_a_vote_that_changed_under_the_press_is_said_in_words(open_page):
    at, room, workbook_id = _join_open_vote(open_page)
    first = room.active_vote(workbook_id)
    _ballot_pills(at, first.id).set_value("Qualify")
    at.run()
    second = room.open_vote(workbook_id, at.session_state[StateKeys.MODEL].scenarios[1].name, ("state",))
    at.button(key=page_key("vote", "cast")).click().run()  # pressed on the ballot of the vote now closed
    assert not at.exception, at.exception
    assert room.ballots(first.id) == [] and room.ballots(second.id) == [], "nothing counted silently"
    warned = "\n".join(w.value for w in at.warning)
    assert "was not counted" in warned and "closed" in warned, warned
    assert _ballot_pills(at, second.id).value is None  # the new vote starts blank: nobody's earlier choice
    room.close()


def test_a_choice_on_a_ballot_the_room_has_left_is_said_in_words(open_page):
    at, room, workbook_id = _join_open_vote(open_page)
    first = room.active_vote(workbook_id)
    room.close_vote(first.id)  # closed while this device still shows its ballot
    _ballot_pills(at, first.id).set_value("Nurture")
    at.run()
    assert not at.exception, at.exception
    warned = "\n".join(w.value for w in at.warning)
    assert "was not counted" in warned and "closed that vote" in warned, warned
    assert "No vote is open right now" in _texts(at)
    room.close()


def test_the_page_keeps_the_same_places_whatever_the_votes_stage(open_page):
    """The live count and the poll are fragments, addressed by their place on the page: a place a
    whole-page redraw removed, redrawn by a fragment, crashed the browser's page (votes lost)."""
    at, room, workbook_id = _join_open_vote(open_page)
    vote = room.active_vote(workbook_id)
    places = [len(at.main.children)]
    _ballot_pills(at, vote.id).set_value("Qualify")
    at.button(key=page_key("vote", "cast")).click().run()  # voted: "Your vote: …" shows
    assert room.ballots(vote.id), "the vote counted"
    places.append(len(at.main.children))
    room.reveal(vote.id)
    at.run()
    places.append(len(at.main.children))
    room.close_vote(vote.id)
    at.run()  # no vote open
    places.append(len(at.main.children))
    assert not at.exception, at.exception
    assert len(set(places)) == 1, places
    room.close()
