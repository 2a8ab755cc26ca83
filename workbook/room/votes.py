"""A live vote on one scenario: what it asks, the tally, the consensus, the record.

The facilitator asks the room for a scenario's state, and optionally its profile grade and
engagement level. Each participant's ballot answers every question asked. After the
reveal the room sees, per question, the distribution (split by the voter's function on
the team), the consensus, the model's answer and how far the room agrees, in words.

Decisions (the UI and the tests rely on them):

* **Who is on the team** is decided by name, ignoring case and surrounding spaces: a
  ballot from "dana ortiz" counts as Dana Ortiz's. Voters not on the Team tab are grouped
  as :data:`NOT_ON_TEAM`; team members without a function as :data:`NO_FUNCTION`.
* **One ballot per voter**: when the same voter appears twice, the later ballot counts.
* **Consensus = the mode; a tie goes to the more cautious answer** (later in the model's
  order: the less sales-ready state, the worse grade or level), as in
  :func:`workbook.calibrate.alignment.consensus_of`.
* **Recording** writes the state each *team member* voted into ``estimates_by_member``
  (a member who did not vote keeps an earlier estimate) and the chosen answers into the
  scenario's estimate. Voters not on the team are not written: the model file may only
  name team members (SPEC §5); the recording says who was left out.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from workbook.calibrate.alignment import consensus_of
from workbook.engine import ScenarioResult
from workbook.model import Estimate, ScoringModel

QUESTIONS = ("state", "profile", "engagement")  # the order they are asked and shown in
QUESTION_WORDS = {"state": "State", "profile": "Profile grade", "engagement": "Engagement level"}
NOT_ON_TEAM = "Not on the team"
NO_FUNCTION = "No function given"
STRONG_SHARE = 0.75  # at or above: "strong agreement"


class BallotError(ValueError):
    """A ballot or a vote that cannot be taken, in words a participant can act on."""


@dataclass(frozen=True)
class Ballot:
    """One participant's answers: question (``state``/``profile``/``engagement``) → answer."""

    voter: str
    choices: Mapping[str, str]


def _key(name: str) -> str:
    return " ".join(name.split()).casefold()


def options_for(model: ScoringModel, question: str) -> list[str]:
    """The answers a question accepts, in the model's order (best / most sales-ready first)."""
    if question == "state":
        return model.state_names
    if question == "profile":
        return model.grades
    if question == "engagement":
        return model.levels
    raise BallotError(f"a vote asks for the state, profile grade or engagement level, not '{question}'")


def check_asks(asks: Sequence[str]) -> tuple[str, ...]:
    """The questions of a vote in their usual order; the state is always asked."""
    unknown = [q for q in asks if q not in QUESTIONS]
    if unknown:
        raise BallotError(f"a vote asks for the state, profile grade or engagement level, not '{unknown[0]}'")
    return tuple(q for q in QUESTIONS if q in asks or q == "state")


def check_ballot(model: ScoringModel, asks: Sequence[str], voter: str | None, choices: Mapping[str, str]) -> Ballot:
    """A ballot that answers every question asked with an answer the model knows."""
    name = " ".join((voter or "").split())
    if not name:
        raise BallotError("give your name before you vote, so the facilitator can record your estimate")
    answers: dict[str, str] = {}
    for question in asks:
        answer = choices.get(question)
        if not answer:
            raise BallotError(f"choose a {QUESTION_WORDS[question].lower()} before you vote")
        if answer not in options_for(model, question):
            raise BallotError(
                f"'{answer}' is not a {QUESTION_WORDS[question].lower()} of this model; choose one of the list"
            )
        answers[question] = answer
    extra = [q for q in choices if q not in asks and choices[q]]
    if extra:
        raise BallotError(f"this vote does not ask for the {QUESTION_WORDS.get(extra[0], extra[0]).lower()}")
    return Ballot(name, answers)


def voter_groups(model: ScoringModel, voters: Sequence[str]) -> dict[str, str]:
    """Voter → their function on the team (:data:`NOT_ON_TEAM`, :data:`NO_FUNCTION`)."""
    functions = {_key(m.name): (m.function or "").strip() or NO_FUNCTION for m in model.team}
    return {v: functions.get(_key(v), NOT_ON_TEAM) for v in voters}


def _latest_per_voter(ballots: Sequence[Ballot]) -> list[Ballot]:
    latest: dict[str, Ballot] = {}
    for ballot in ballots:
        latest.pop(_key(ballot.voter), None)  # keep the voter's place at their latest ballot
        latest[_key(ballot.voter)] = ballot
    return list(latest.values())


@dataclass(frozen=True)
class QuestionTally:
    """One question of a vote, counted."""

    question: str
    options: tuple[str, ...]  # the model's answers in order, then any unknown ones voted
    counts: dict[str, int]  # every option, 0 when nobody chose it
    by_group: dict[str, dict[str, int]]  # function → option → votes (functions in team order)
    total: int
    consensus: str | None
    model_answer: str | None

    @property
    def consensus_votes(self) -> int:
        return self.counts.get(self.consensus, 0) if self.consensus is not None else 0

    @property
    def share(self) -> float | None:
        """The consensus's share of the votes (0..1); None before anyone voted."""
        return self.consensus_votes / self.total if self.total else None

    @property
    def model_agrees(self) -> bool | None:
        """Does the model give the room's consensus? None without votes or a model answer."""
        if self.consensus is None or self.model_answer is None:
            return None
        return self.consensus == self.model_answer

    def agreement(self) -> str:
        """How far the room agrees, in words."""
        return agreement_words(self.counts, self.consensus)

    def model_sentence(self) -> str:
        """The model's answer beside the room's, in words."""
        what = QUESTION_WORDS[self.question].lower()
        if self.model_answer is None:
            return f"The model gives no {what} for this scenario"
        if self.consensus is None:
            return f"The model says {self.model_answer}"
        if self.model_agrees:
            return f"The model says {self.model_answer}, as the room does"
        return f"The model says {self.model_answer}; the room says {self.consensus}"


@dataclass(frozen=True)
class Tally:
    """A vote counted: per question asked, and who voted from where."""

    voters: int
    questions: tuple[QuestionTally, ...]
    groups: dict[str, str] = field(default_factory=dict)  # voter → function group

    def question(self, question: str) -> QuestionTally | None:
        return next((q for q in self.questions if q.question == question), None)

    @property
    def consensus(self) -> dict[str, str]:
        """Question → the room's consensus (questions with votes)."""
        return {q.question: q.consensus for q in self.questions if q.consensus is not None}


def agreement_words(counts: Mapping[str, int], consensus: str | None) -> str:
    """The room's agreement in plain words, from the votes per answer.

    ``Everyone agrees: 5 of 5 say Qualify`` · ``Strong agreement: 8 of 10 say Qualify`` ·
    ``A majority: 6 of 10 say Nurture`` · ``Split between Qualify and Nurture: 4 votes each of 10``
    · ``No majority: the most votes, 4 of 10, say Qualify``.
    """
    total = sum(counts.values())
    if total == 0 or consensus is None:
        return "Nobody has voted yet"
    top = counts.get(consensus, 0)
    if total == 1:
        return f"One vote so far: {consensus}"
    if top == total:
        return f"Everyone agrees: {top} of {total} say {consensus}"
    tied = [o for o, c in counts.items() if c == top]
    if len(tied) > 1:
        names = ", ".join(tied[:-1]) + f" and {tied[-1]}"
        return f"Split between {names}: {top} vote{'s' if top != 1 else ''} each of {total}"
    if top / total >= STRONG_SHARE:
        return f"Strong agreement: {top} of {total} say {consensus}"
    if top * 2 > total:
        return f"A majority: {top} of {total} say {consensus}"
    return f"No majority: the most votes, {top} of {total}, say {consensus}"


def _group_order(model: ScoringModel, present: set[str]) -> list[str]:
    order: list[str] = []
    for member in model.team:
        group = (member.function or "").strip() or NO_FUNCTION
        if group not in order:
            order.append(group)
    order += [NO_FUNCTION, NOT_ON_TEAM]
    seen: list[str] = []
    for group in order:
        if group in present and group not in seen:
            seen.append(group)
    return seen


def tally(
    model: ScoringModel, asks: Sequence[str], ballots: Sequence[Ballot], result: ScenarioResult | None = None
) -> Tally:
    """Count the ballots per question asked; ``result`` (the scenario scored) gives the model's answers."""
    ballots = _latest_per_voter(ballots)
    groups = voter_groups(model, [b.voter for b in ballots])
    order = _group_order(model, set(groups.values()))
    questions = []
    for question in check_asks(asks):
        known = options_for(model, question)
        chosen = [b.choices[question] for b in ballots if b.choices.get(question)]
        options = tuple(known + [o for o in dict.fromkeys(chosen) if o not in known])
        counted = Counter(chosen)
        counts = {o: counted.get(o, 0) for o in options}
        by_group: dict[str, dict[str, int]] = {g: dict.fromkeys(options, 0) for g in order}
        for b in ballots:
            answer = b.choices.get(question)
            if answer:
                by_group[groups[b.voter]][answer] += 1
        questions.append(
            QuestionTally(
                question=question,
                options=options,
                counts=counts,
                by_group=by_group,
                total=len(chosen),
                consensus=consensus_of(chosen, options),
                model_answer=result.computed(question) if result is not None else None,
            )
        )
    return Tally(voters=len(ballots), questions=tuple(questions), groups=groups)


@dataclass(frozen=True)
class Recording:
    """What recording a vote changed: the new model and, in words, for whom."""

    model: ScoringModel
    members: dict[str, str]  # team member → the state recorded as their estimate
    not_on_team: list[str]  # voters whose ballot was not written (not on the Team tab)
    estimate: dict[str, str]  # question → the team's estimate written

    def summary(self) -> str:
        parts = []
        if self.estimate:
            parts.append("team estimate " + ", ".join(f"{QUESTION_WORDS[q].lower()} {a}"
                                                      for q, a in self.estimate.items()))
        if self.members:
            parts.append(f"{len(self.members)} member estimate(s)")
        text = "Recorded the vote: " + ("; ".join(parts) if parts else "nothing to record")
        if self.not_on_team:
            text += f" ({len(self.not_on_team)} voter(s) not on the team were not recorded: " \
                    + ", ".join(self.not_on_team) + ")"
        return text


def record_votes(
    model: ScoringModel, scenario_name: str, ballots: Sequence[Ballot], team_estimate: Mapping[str, str | None]
) -> Recording:
    """The model with the votes recorded on ``scenario_name`` (a pure edit, for one revision).

    Team members' state votes go into ``estimates_by_member``; ``team_estimate`` (question →
    answer, usually the consensus) into the scenario's estimate. Raises :class:`BallotError`
    when the scenario no longer exists or an answer is not one of the model's.
    """
    index = next((i for i, s in enumerate(model.scenarios) if s.name == scenario_name), None)
    if index is None:
        raise BallotError(f"the scenario '{scenario_name}' is no longer in the workbook; nothing was recorded")
    team = {_key(m.name): m.name for m in model.team}
    members: dict[str, str] = {}
    outsiders: list[str] = []
    for ballot in _latest_per_voter(ballots):
        state = ballot.choices.get("state")
        if not state:
            continue
        member = team.get(_key(ballot.voter))
        if member is None:
            outsiders.append(ballot.voter)
        else:
            members[member] = state
    estimate = {q: a for q, a in team_estimate.items() if a}
    for question, answer in estimate.items():
        if answer not in options_for(model, question):
            raise BallotError(f"'{answer}' is not a {QUESTION_WORDS[question].lower()} of this model")
    scenario = model.scenarios[index]
    old = scenario.estimate.model_dump() if scenario.estimate is not None else {}
    new_estimate = Estimate(**{**old, **estimate}) if estimate or scenario.estimate is not None else None
    updated = scenario.model_copy(
        update={"estimate": new_estimate, "estimates_by_member": {**scenario.estimates_by_member, **members}}
    )
    scenarios = [*model.scenarios[:index], updated, *model.scenarios[index + 1:]]
    return Recording(model.model_copy(update={"scenarios": scenarios}), members, outsiders, estimate)
