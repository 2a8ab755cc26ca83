"""A problem's place said in the words of the app: the tab, the attribute, the value.

Validation gives every problem a location in the model file (``profile[0].values[2].score``):
exact, and what the CLI and the exports print. People in the app read the same place as
"ICP weights › attribute 'Job role' › value 'VP' › score". :func:`describe` says it, from the
location's parts (``Problem.path``) and the model the problem was found in.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workbook.files import Location, Problem
from workbook.model import ScoringModel

# The tab where each top-level part of a model is edited (the app's page titles).
TABS: dict[str, str] = {
    "team": "Team",
    "states": "Thresholds",
    "profile_grades": "Thresholds",
    "engagement_levels": "Thresholds",
    "matrix": "Thresholds",
    "knockout_state": "Thresholds",
    "missing": "Thresholds",
    "profile": "ICP weights",
    "engagement": "Activity weights",
    "scenarios": "Test scenarios",
    "name": "Workbooks",
    "description": "Model summary",
    "schema_version": "Model summary",
    "metadata": "Review",
}

_WORDS: dict[str, str] = {
    "name": "name",
    "label": "label",
    "weight": "weight",
    "score": "score",
    "min": "minimum",
    "match": "match rule",
    "email": "e-mail",
    "estimate": "team estimate",
    "estimates_by_member": "member's estimate",
    "approvals": "approval",
    "member": "member",
    "state": "state",
    "grade": "grade",
    "level": "level",
    "values": "values",
}

_TOP_WORDS: dict[str, str] = {
    "team": "",
    "states": "action states",
    "profile_grades": "profile grades",
    "engagement_levels": "engagement levels",
    "matrix": "grid",
    "knockout_state": "state of a knocked-out lead",
    "missing": "missing values",
    "profile": "",
    "engagement": "",
    "scenarios": "",
    "name": "workbook name",
    "description": "description",
    "schema_version": "file format version",
    "metadata": "sign-off",
}


@dataclass(frozen=True)
class Place:
    """Where a problem is: the tab to open and the place on it in words."""

    tab: str
    words: str  # "ICP weights › attribute 'Job role' › weight"


def _quoted(name: object) -> str:
    text = str(name).strip()
    return f"'{text}'" if text else "(no name)"


def _item(model: ScoringModel, section: str, index: int) -> str:
    """One row of a section, by its name where it has one, else by its row number."""
    row = index + 1
    try:
        if section == "team":
            return f"member {_quoted(model.team[index].name)}"
        if section == "states":
            return f"state {_quoted(model.states[index].name)}"
        if section == "profile_grades":
            return f"grade {_quoted(model.profile_grades[index].grade)}"
        if section == "engagement_levels":
            return f"level {_quoted(model.engagement_levels[index].level)}"
        if section == "profile":
            return f"attribute {_quoted(model.profile[index].name)}"
        if section == "engagement":
            return f"activity {_quoted(model.engagement[index].name)}"
        if section == "scenarios":
            return f"scenario {row} {_quoted(model.scenarios[index].name)}"
    except IndexError:
        pass
    return f"row {row}"


def describe(model: ScoringModel, path: Location) -> Place:
    """The tab and the words for a location's parts (``("profile", 0, "weight")``)."""
    if not path:
        return Place("Model summary", "the model")
    top = str(path[0])
    tab = TABS.get(top, "Model summary")
    parts = [tab]
    if _TOP_WORDS.get(top):
        parts.append(_TOP_WORDS[top])
    rest = list(path[1:])
    if rest and isinstance(rest[0], int):
        parts.append(_item(model, top, rest.pop(0)))
    if top == "matrix" and rest:
        parts.append(f"cell {rest.pop(0)}")
    while rest:
        part = rest.pop(0)
        if part == "values" and rest and isinstance(rest[0], int):
            parts.append(_value(model, top, path, rest.pop(0)))
        elif part in ("profile", "engagement") and top == "scenarios" and rest:
            what = "attribute" if part == "profile" else "activity"
            parts.append(f"{what} {_quoted(rest.pop(0))}")
        elif part == "estimates_by_member" and rest:
            parts.append(f"estimate of {_quoted(rest.pop(0))}")
        elif part == "approvals" and rest and isinstance(rest[0], int):
            parts.append(f"approval {rest.pop(0) + 1}")
        elif isinstance(part, int):
            parts.append(f"row {part + 1}")
        else:
            parts.append(_WORDS.get(str(part), str(part).replace("_", " ")))
    return Place(tab, " › ".join(parts))


def _value(model: ScoringModel, top: str, path: Location, index: int) -> str:
    try:
        factor = model.section(top)[int(path[1])]  # type: ignore[arg-type]
        return f"value {_quoted(factor.values[index].label)}"
    except (IndexError, KeyError, TypeError, ValueError, AttributeError):
        return f"value {index + 1}"


# "(also at profile[0])", "(at states[1])": another row of the same table, said as its row.
_OTHER_ROW = re.compile(r"\((also )?at [A-Za-z_]+(?:\[\d+\]\.[A-Za-z_]+)*\[(\d+)\]\)")


def plain_message(message: str) -> str:
    """A problem's message with any file location in it said as a row number."""
    return _OTHER_ROW.sub(lambda m: f"({m.group(1) or ''}row {int(m.group(2)) + 1})", message)


def in_words(model: ScoringModel, problem: Problem) -> str:
    """``ICP weights › attribute 'Job role' › weight: must be between 0 and 100 (is 120)``."""
    if not problem.path:
        return plain_message(problem.message)
    return f"{describe(model, problem.path).words}: {plain_message(problem.message)}"
