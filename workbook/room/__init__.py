"""Running the room (issue 14): live votes on a scenario, as pure functions.

:mod:`workbook.room.votes` holds the rules: which answers a vote may ask for and accept,
the tally of the ballots (the distribution, split by each voter's function on the team),
the consensus, the room's agreement in words, and the edit that records the votes as the
members' estimates and the consensus as the team's estimate. Where ballots are kept is
the store's business (:mod:`workbook.store.votes`); this package imports no store and no
Streamlit.
"""

from workbook.room.votes import (
    NO_FUNCTION,
    NOT_ON_TEAM,
    QUESTION_WORDS,
    QUESTIONS,
    Ballot,
    BallotError,
    QuestionTally,
    Recording,
    Tally,
    agreement_words,
    check_asks,
    check_ballot,
    options_for,
    record_votes,
    tally,
    voter_groups,
)

__all__ = [
    "NOT_ON_TEAM",
    "NO_FUNCTION",
    "QUESTIONS",
    "QUESTION_WORDS",
    "Ballot",
    "BallotError",
    "QuestionTally",
    "Recording",
    "Tally",
    "agreement_words",
    "check_asks",
    "check_ballot",
    "options_for",
    "record_votes",
    "tally",
    "voter_groups",
]
