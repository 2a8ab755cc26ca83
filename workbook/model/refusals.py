"""A model part that refused a value, said in the words of the workshop's tabs.

Editors build model parts from what people typed; pydantic refuses what the model cannot
hold (a control character in a name, a weight too large to score…). :func:`refusal_words`
turns that refusal into one sentence naming the part and the field — "Team member name:
holds an invisible character (U+200B ZERO WIDTH SPACE); remove it" — for the app to show
instead of a traceback. Files keep their own located form (``profile[2].weight``).
"""

from __future__ import annotations

from pydantic import ValidationError

PARTS = {
    "TeamMember": "Team member",
    "State": "State",
    "ProfileGrade": "Profile grade",
    "EngagementLevel": "Engagement level",
    "Match": "Match rule",
    "Value": "Value",
    "ProfileAttribute": "ICP attribute",
    "Activity": "Activity",
    "Estimate": "Estimate",
    "Scenario": "Test scenario",
    "Approval": "Approval",
    "ChangeNote": "Change note",
    "Metadata": "Model details",
    "ScoringModel": "Model",
}
FIELDS = {
    "name": "name", "weight": "weight", "score": "score", "min": "minimum", "label": "",
    "column": "lead-list column", "title": "title", "function": "function", "role": "role",
    "email": "e-mail", "notes": "notes", "description": "description", "grade": "grade", "level": "level",
}
MESSAGES = {
    "string_type": "must be text",
    "float_parsing": "must be a number",
    "int_parsing": "must be a whole number",
    "finite_number": "must be a finite number",
    "missing": "is missing",
    "extra_forbidden": "is not a field of this part",
}


def refusal_words(exc: ValidationError) -> str:
    """One sentence per refused field, e.g. ``ICP attribute weight: is too large to score; …``."""
    part = PARTS.get(exc.title, exc.title)
    said = []
    for err in exc.errors(include_url=False):
        where = " ".join(FIELDS.get(str(p), str(p)) for p in err["loc"] if not isinstance(p, int) and p != "[key]")
        if err["type"] == "value_error":
            message = str(err.get("ctx", {}).get("error", err["msg"]))
        else:
            message = MESSAGES.get(err["type"], err["msg"].lower())
        said.append(f"{part} {where}: {message}".replace("  ", " ").replace(" :", ":"))
    return "; ".join(dict.fromkeys(said))
