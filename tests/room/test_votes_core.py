"""The pure rules of a live vote: ballots, tally, consensus, agreement in words, recording."""

from __future__ import annotations

from collections import Counter

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tests.builders import REPO
from workbook.engine import evaluate_scenario
from workbook.files import load_model_file
from workbook.room import (
    NO_FUNCTION,
    NOT_ON_TEAM,
    Ballot,
    BallotError,
    agreement_words,
    check_asks,
    check_ballot,
    record_votes,
    tally,
)
from workbook.validate import validate

MODEL = load_model_file(REPO / "scenarios" / "sales_automation.yaml").model
STATES = MODEL.state_names  # Send to sales, Qualify, Nurture, Ignore
SCENARIO = MODEL.scenarios[0]
FUNCTIONS = {m.name: m.function for m in MODEL.team}


def test_example_model_is_what_these_tests_assume():
    assert STATES == ["Send to sales", "Qualify", "Nurture", "Ignore"]
    assert FUNCTIONS["Dana Ortiz"] == "Marketing" and FUNCTIONS["Marcus Lindqvist"] == "Sales"


# -- ballots ----------------------------------------------------------------------------------
def test_the_state_is_always_asked_and_questions_keep_their_order():
    assert check_asks(["engagement"]) == ("state", "engagement")
    assert check_asks(["profile", "state"]) == ("state", "profile")
    with pytest.raises(BallotError, match="not 'colour'"):
        check_asks(["colour"])


def test_a_ballot_needs_a_name_and_an_answer_the_model_knows():
    ballot = check_ballot(MODEL, ("state",), "  Dana   Ortiz ", {"state": "Qualify"})
    assert ballot == Ballot("Dana Ortiz", {"state": "Qualify"})
    with pytest.raises(BallotError, match="give your name"):
        check_ballot(MODEL, ("state",), "  ", {"state": "Qualify"})
    with pytest.raises(BallotError, match="choose a profile grade"):
        check_ballot(MODEL, ("state", "profile"), "Dana", {"state": "Qualify"})
    with pytest.raises(BallotError, match="'Maybe' is not a state"):
        check_ballot(MODEL, ("state",), "Dana", {"state": "Maybe"})
    with pytest.raises(BallotError, match="does not ask for the engagement level"):
        check_ballot(MODEL, ("state",), "Dana", {"state": "Qualify", "engagement": "1"})


# -- tally ------------------------------------------------------------------------------------
def test_tally_splits_the_votes_by_function_and_names_outsiders():
    ballots = [
        Ballot("Dana Ortiz", {"state": "Qualify"}),  # Marketing
        Ballot("priya raman", {"state": "Nurture"}),  # Marketing, typed in lower case
        Ballot("Marcus Lindqvist", {"state": "Qualify"}),  # Sales
        Ballot("A guest", {"state": "Qualify"}),
    ]
    result = evaluate_scenario(MODEL, SCENARIO)
    t = tally(MODEL, ["state"], ballots, result)
    q = t.question("state")
    assert t.voters == 4 and q.total == 4
    assert q.counts == {"Send to sales": 0, "Qualify": 3, "Nurture": 1, "Ignore": 0}
    assert list(q.by_group) == ["Marketing", "Sales", NOT_ON_TEAM]
    assert q.by_group["Marketing"] == {"Send to sales": 0, "Qualify": 1, "Nurture": 1, "Ignore": 0}
    assert q.by_group[NOT_ON_TEAM]["Qualify"] == 1
    assert q.consensus == "Qualify" and q.share == 0.75
    assert q.model_answer == result.result.state
    assert q.agreement() == "Strong agreement: 3 of 4 say Qualify"


def test_a_voter_counts_once_with_their_latest_ballot():
    ballots = [Ballot("Dana Ortiz", {"state": "Ignore"}), Ballot("DANA ORTIZ", {"state": "Qualify"})]
    q = tally(MODEL, ["state"], ballots).question("state")
    assert q.total == 1 and q.counts["Qualify"] == 1 and q.counts["Ignore"] == 0


def test_a_tie_goes_to_the_more_cautious_answer():
    ballots = [Ballot("a", {"state": "Send to sales"}), Ballot("b", {"state": "Nurture"})]
    q = tally(MODEL, ["state"], ballots).question("state")
    assert q.consensus == "Nurture"
    assert q.agreement() == "Split between Send to sales and Nurture: 1 vote each of 2"


def test_team_member_without_function_is_grouped_apart():
    team = [m.model_copy(update={"function": None}) if m.name == "Dana Ortiz" else m for m in MODEL.team]
    model = MODEL.model_copy(update={"team": team})
    q = tally(model, ["state"], [Ballot("Dana Ortiz", {"state": "Qualify"})]).question("state")
    assert list(q.by_group) == [NO_FUNCTION]


def test_model_sentence_says_whether_the_model_agrees_with_the_room():
    result = evaluate_scenario(MODEL, SCENARIO)
    computed = result.result.state
    other = next(s for s in STATES if s != computed)
    agreeing = tally(MODEL, ["state"], [Ballot("a", {"state": computed})], result).question("state")
    assert agreeing.model_agrees is True and agreeing.model_sentence().endswith("as the room does")
    differing = tally(MODEL, ["state"], [Ballot("a", {"state": other})], result).question("state")
    assert differing.model_agrees is False
    assert differing.model_sentence() == f"The model says {computed}; the room says {other}"


@pytest.mark.parametrize(
    ("counts", "consensus", "words"),
    [
        ({"Qualify": 0}, None, "Nobody has voted yet"),
        ({"Qualify": 1}, "Qualify", "One vote so far: Qualify"),
        ({"Qualify": 5, "Nurture": 0}, "Qualify", "Everyone agrees: 5 of 5 say Qualify"),
        ({"Qualify": 8, "Nurture": 2}, "Qualify", "Strong agreement: 8 of 10 say Qualify"),
        ({"Qualify": 6, "Nurture": 4}, "Qualify", "A majority: 6 of 10 say Qualify"),
        ({"Qualify": 5, "Nurture": 5}, "Nurture", "Split between Qualify and Nurture: 5 votes each of 10"),
        ({"Qualify": 4, "Nurture": 3, "Ignore": 3}, "Qualify", "No majority: the most votes, 4 of 10, say Qualify"),
    ],
)
def test_agreement_in_words(counts, consensus, words):
    assert agreement_words(counts, consensus) == words


# -- recording --------------------------------------------------------------------------------
def test_recording_writes_members_estimates_and_the_team_estimate():
    ballots = [
        Ballot("dana ortiz", {"state": "Qualify", "profile": "B"}),
        Ballot("Marcus Lindqvist", {"state": "Send to sales", "profile": "A"}),
        Ballot("A guest", {"state": "Qualify", "profile": "B"}),
    ]
    rec = record_votes(MODEL, SCENARIO.name, ballots, {"state": "Qualify", "profile": "B"})
    after = rec.model.scenarios[0]
    assert rec.members == {"Dana Ortiz": "Qualify", "Marcus Lindqvist": "Send to sales"}
    assert rec.not_on_team == ["A guest"]
    assert after.estimates_by_member["Dana Ortiz"] == "Qualify"
    assert after.estimates_by_member["Marcus Lindqvist"] == "Send to sales"
    assert after.estimate.state == "Qualify" and after.estimate.profile == "B"
    # what nobody voted on stays as it was
    before_engagement = SCENARIO.estimate.engagement if SCENARIO.estimate else None
    assert after.estimate.engagement == before_engagement
    for name, state in SCENARIO.estimates_by_member.items():
        if name not in rec.members:
            assert after.estimates_by_member[name] == state
    assert rec.model.scenarios[1:] == MODEL.scenarios[1:]
    assert "A guest" in rec.summary() and "2 member estimate(s)" in rec.summary()


def test_recording_refuses_a_vanished_scenario_and_unknown_answers():
    with pytest.raises(BallotError, match="no longer in the workbook"):
        record_votes(MODEL, "nope", [], {"state": "Qualify"})
    with pytest.raises(BallotError, match="'Z' is not a profile grade"):
        record_votes(MODEL, SCENARIO.name, [], {"profile": "Z"})


# -- properties -------------------------------------------------------------------------------
VOTERS = st.sampled_from([m.name for m in MODEL.team] + ["Guest one", "Guest two", "guest ONE"])
BALLOTS = st.lists(
    st.builds(
        lambda v, s, g: Ballot(v, {"state": s, "profile": g}),
        VOTERS,
        st.sampled_from(STATES),
        st.sampled_from(MODEL.grades),
    ),
    max_size=40,
)


@given(BALLOTS)
def test_every_voter_counted_once_and_groups_add_up(ballots):
    t = tally(MODEL, ["state", "profile"], ballots)
    distinct = {" ".join(b.voter.split()).casefold() for b in ballots}
    assert t.voters == len(distinct)
    for q in t.questions:
        assert sum(q.counts.values()) == q.total == len(distinct)
        for option in q.options:
            assert sum(group[option] for group in q.by_group.values()) == q.counts[option]
        if q.total:
            assert q.counts[q.consensus] == max(q.counts.values())
            assert 0 < q.share <= 1
        else:
            assert q.consensus is None


@given(BALLOTS, st.sampled_from(STATES))
def test_recording_is_valid_idempotent_and_names_only_team_members(ballots, state):
    rec = record_votes(MODEL, SCENARIO.name, ballots, {"state": state})
    team = {m.name for m in MODEL.team}
    assert set(rec.members) <= team
    assert set(rec.model.scenarios[0].estimates_by_member) <= team | set(SCENARIO.estimates_by_member)
    assert len(validate(rec.model).errors) == len(validate(MODEL).errors)
    again = record_votes(rec.model, SCENARIO.name, ballots, {"state": state})
    assert again.model == rec.model
    voted = Counter(" ".join(b.voter.split()).casefold() for b in ballots)
    assert len(rec.members) + len(rec.not_on_team) == len(voted)


def test_the_lead_in_words_follows_the_models_order():
    from workbook.room.screen import lead_in_words

    words = lead_in_words(MODEL, SCENARIO)
    order = [a.name for a in MODEL.profile if a.name in SCENARIO.profile]
    assert [line.split(": ", 1)[0] for line in words.who] == order
    assert f"Job role: {SCENARIO.profile['Job role']}" in words.who
    assert len(words.did) == len(SCENARIO.engagement)
    assert words.notes == SCENARIO.notes


def test_the_scenario_on_screen_is_found_by_name_then_by_position():
    from workbook.room.screen import on_screen

    names = ["a", "b", "c"]
    assert on_screen(names, "b", 0) == 1
    assert on_screen(names, "renamed", 2) == 2
    assert on_screen(names, "deleted", 7) == 2
    assert on_screen(names, None, None) == 0
    assert on_screen([], "a", 0) is None
