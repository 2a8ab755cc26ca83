"""Team tab: the people around the table, their functions and roles (SPEC §1)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Literal

from workbook.editing.common import EditError, Row, _check_unique, _copy, _opt_text, _orig, _renames, _text
from workbook.model import ScoringModel, TeamMember


def set_team(model: ScoringModel, rows: Sequence[Row]) -> ScoringModel:
    """Replace the team with the edited rows (name, title, function, role, steering_committee, email)."""
    rows = [r for r in rows if _text(r.get("name")) or _orig(r) is not None]
    names = [_text(r.get("name")) for r in rows]
    _check_unique(names, "team member")
    renames = _renames([m.name for m in model.team], rows, "name")
    new = _copy(model)
    new.team = [
        TeamMember(
            name=_text(r.get("name")),
            title=_opt_text(r.get("title")),
            function=_opt_text(r.get("function")),
            role=_opt_text(r.get("role")),
            steering_committee=bool(r.get("steering_committee") or False),
            email=_opt_text(r.get("email")),
        )
        for r in rows
    ]
    kept = set(names)
    for scenario in new.scenarios:
        scenario.estimates_by_member = {
            renames.get(m, m): s for m, s in scenario.estimates_by_member.items() if renames.get(m, m) in kept
        }
    return new


# The functions a scoring team needs around the table (SPEC §1); the pages offer them, and the
# usual project roles, as choices. The model itself accepts any text, so a model loaded with
# another function ("Service", "Finance"…) keeps it and the page still shows it.
TEAM_FUNCTIONS_NEEDED = (
    "Marketing",
    "Sales",
    "Inside sales",
    "Product marketing",
    "Product management",
    "Marketing ops / IT",
)


TEAM_FUNCTIONS = (*TEAM_FUNCTIONS_NEEDED, "Service")


TEAM_ROLES = ("Sponsor", "Program manager", "Business lead", "Marketing ops / IT", "Member")


# Same rule as the validator's warning; also valid as a JavaScript regex for the table editor.
EMAIL_PATTERN = r"^[^@\s]+@[^@\s]+\.[^@\s]+$"


_EMAIL_RE = re.compile(EMAIL_PATTERN)


def is_email(text: str) -> bool:
    """Does ``text`` look like an e-mail address (something@domain.tld)?"""
    return bool(_EMAIL_RE.match(text.strip()))


def choices(standard: Sequence[str], current: Sequence[str | None]) -> list[str]:
    """The standard choices, then any other value in use (so a loaded model's own text stays)."""
    out = list(standard)
    folded = {s.casefold() for s in out}
    for value in current:
        if value and value.strip() and value.strip().casefold() not in folded:
            out.append(value.strip())
            folded.add(value.strip().casefold())
    return out


def edit_team(model: ScoringModel, rows: Sequence[Row]) -> ScoringModel:
    """:func:`set_team`, refusing a new or changed e-mail that does not look like one.

    An address already in the model is left alone (validation warns about it), so a loaded
    model with a bad address can still be edited elsewhere.
    """
    old = model.team
    for row in rows:
        email = _text(row.get("email"))
        if not email or is_email(email):
            continue
        o = _orig(row)
        unchanged = o is not None and 0 <= o < len(old) and (old[o].email or "") == email
        if not unchanged:
            who = _text(row.get("name")) or "a new member"
            raise EditError(f"'{email}' ({who}) does not look like an e-mail address, e.g. name@company.com")
    return set_team(model, rows)


def set_member_field(
    model: ScoringModel, name: str, field: Literal["function", "role"], value: str
) -> ScoringModel:
    """Give one team member a function or role in free text (one the table's choices lack)."""
    names = [m.name for m in model.team]
    if name not in names:
        raise EditError(f"no team member is named '{name}'")
    new = _copy(model)
    setattr(new.team[names.index(name)], field, _opt_text(value))
    return new


def function_coverage(model: ScoringModel) -> dict[str, list[str]]:
    """Team members by function: the needed functions first (empty list = no one), then any other.

    Functions are compared without case; members without a function are under ``""``.
    """
    out: dict[str, list[str]] = {f: [] for f in TEAM_FUNCTIONS_NEEDED}
    canonical = {f.casefold(): f for f in out}
    for member in model.team:
        function = _text(member.function)
        key = canonical.setdefault(function.casefold(), function)
        out.setdefault(key, []).append(member.name)
    return out
