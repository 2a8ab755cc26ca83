"""Pure, immutable edits of a model — what the workshop tabs do, without any UI.

Every function returns a new :class:`ScoringModel` and never changes its argument. Edits
that rename something carry the rename everywhere it is referenced (a renamed attribute
keeps its scenario selections, a renamed state keeps its grid cells), which is what a
facilitator expects from a spreadsheet.

Rows coming from a table editor carry ``orig``: the row's position in the list before
the edit, or ``None`` for a new row. That is how a rename is told from a delete + add.
"""

from __future__ import annotations

import copy
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any, Literal

# The match rule as a table row lives with the match keys; re-exported here for the pages.
from workbook.match.rows import MATCH_NUMBER_KEYS, MATCH_TEXT_KEYS, EditError, match_to_row, row_to_match  # noqa: F401
from workbook.model import (
    Activity,
    EngagementLevel,
    Estimate,
    Match,
    Metadata,
    ProfileAttribute,
    ProfileGrade,
    Scenario,
    ScoringModel,
    State,
    TeamMember,
    Value,
)

Section = Literal["profile", "engagement"]
Row = Mapping[str, Any]


def _copy(model: ScoringModel) -> ScoringModel:
    return model.model_copy(deep=True)


def _text(value: Any) -> str:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return ""
    return str(value).strip()


def _opt_text(value: Any) -> str | None:
    return _text(value) or None


def _number(value: Any, default: float = 0.0) -> float:
    if value is None or value == "":
        return default
    try:
        number = float(value)
    except (TypeError, ValueError):
        raise EditError(f"'{value}' is not a number") from None
    if math.isnan(number):
        return default
    if math.isinf(number):
        raise EditError("a number must be finite")
    return number


def _orig(row: Row) -> int | None:
    raw = row.get("orig")
    if raw is None or (isinstance(raw, float) and math.isnan(raw)):
        return None
    return int(raw)


def _renames(old_names: Sequence[str], rows: Sequence[Row], key: str) -> dict[str, str]:
    out = {}
    for row in rows:
        i = _orig(row)
        if i is not None and 0 <= i < len(old_names):
            new = _text(row.get(key))
            if new and new != old_names[i]:
                out[old_names[i]] = new
    return out


def _check_unique(names: Sequence[str], what: str) -> None:
    seen = set()
    for name in names:
        if not name:
            raise EditError(f"every {what} needs a name")
        if name.casefold() in seen:
            raise EditError(f"two {what}s are named '{name}'; names must be unique")
        seen.add(name.casefold())


# --------------------------------------------------------------------------------------------
# Team
# --------------------------------------------------------------------------------------------
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


# --------------------------------------------------------------------------------------------
# Thresholds, states and the grid
# --------------------------------------------------------------------------------------------
def set_bands(model: ScoringModel, section: Section, rows: Sequence[Row]) -> ScoringModel:
    """Replace profile grades (``section='profile'``) or engagement levels with the edited rows.

    Rows carry ``name`` and ``min``. Bands must stay best first with strictly decreasing
    minimums; the last band's minimum is always 0. Grid cells follow renamed bands; a new
    band's cells copy the band above it.
    """
    rows = [r for r in rows if _text(r.get("name")) or _orig(r) is not None]
    if not rows:
        raise EditError("at least one band is needed")
    names = [_text(r.get("name")) for r in rows]
    what = "grade" if section == "profile" else "level"
    _check_unique(names, what)
    mins = [_number(r.get("min")) for r in rows]
    mins[-1] = 0.0
    for i, lo in enumerate(mins):
        if not 0 <= lo <= 100:
            raise EditError(f"{what} {names[i]}: the minimum must be between 0 and 100")
        if i and lo >= mins[i - 1]:
            raise EditError(
                f"{what} {names[i]}: the minimum ({lo:g}) must be lower than {names[i - 1]}'s ({mins[i - 1]:g}); "
                "bands go best first"
            )
    old_names = model.grades if section == "profile" else model.levels
    source = []  # for each new band, the old band whose cells it takes
    for row in rows:
        o = _orig(row)
        if o is not None and 0 <= o < len(old_names):
            source.append(old_names[o])
        else:
            source.append(source[-1] if source else (old_names[0] if old_names else None))
    new = _copy(model)
    if section == "profile":
        new.profile_grades = [ProfileGrade(grade=n, min=m) for n, m in zip(names, mins, strict=True)]
    else:
        new.engagement_levels = [EngagementLevel(level=n, min=m) for n, m in zip(names, mins, strict=True)]
    fallback = model.state_names[-1] if model.states else ""
    grade_src = source if section == "profile" else list(model.grades)
    level_src = source if section == "engagement" else list(model.levels)
    matrix = {}
    for g_new, g_old in zip(new.grades, grade_src, strict=True):
        for l_new, l_old in zip(new.levels, level_src, strict=True):
            old_state = model.matrix.get(f"{g_old}{l_old}") if g_old is not None and l_old is not None else None
            matrix[g_new + l_new] = old_state or fallback
    new.matrix = matrix
    renames = _renames(old_names, rows, "name")
    for scenario in new.scenarios:
        est = scenario.estimate
        if est is None:
            continue
        key = "profile" if section == "profile" else "engagement"
        given = getattr(est, key)
        if given in renames:
            setattr(est, key, renames[given])
        elif given is not None and given not in names:
            setattr(est, key, None)
    return new


def set_states(model: ScoringModel, rows: Sequence[Row]) -> ScoringModel:
    """Replace the states (name, action), most sales-ready first.

    Renames follow into the grid, the knockout state and every estimate. Grid cells of a
    deleted state move to the last state; estimates naming it are cleared.
    """
    rows = [r for r in rows if _text(r.get("name")) or _orig(r) is not None]
    if not rows:
        raise EditError("at least one state is needed")
    names = [_text(r.get("name")) for r in rows]
    _check_unique(names, "state")
    renames = _renames(model.state_names, rows, "name")
    kept = set(names)

    def follow(state: str | None) -> str | None:
        if state is None:
            return None
        state = renames.get(state, state)
        return state if state in kept else None

    new = _copy(model)
    new.states = [State(name=n, action=_opt_text(r.get("action"))) for n, r in zip(names, rows, strict=True)]
    new.matrix = {cell: follow(s) or names[-1] for cell, s in model.matrix.items()}
    if model.knockout_state is not None:
        new.knockout_state = follow(model.knockout_state)
    for scenario in new.scenarios:
        if scenario.estimate is not None and scenario.estimate.state is not None:
            scenario.estimate.state = follow(scenario.estimate.state)
        scenario.estimates_by_member = {
            m: follow(s) for m, s in scenario.estimates_by_member.items() if follow(s) is not None
        }
    return new


def set_matrix(model: ScoringModel, cells: Mapping[str, str]) -> ScoringModel:
    """Set grid cells (cell → state); other cells keep their state."""
    unknown = [s for s in cells.values() if s not in model.state_names]
    if unknown:
        raise EditError(f"'{unknown[0]}' is not one of the states")
    new = _copy(model)
    new.matrix = {**model.matrix, **cells}
    return new


def set_model_fields(model: ScoringModel, **fields: Any) -> ScoringModel:
    """Set top-level fields such as name, description, missing, knockout_state."""
    data = model.model_dump()
    data.update(fields)
    return ScoringModel.model_validate(data)


# --------------------------------------------------------------------------------------------
# ICP attributes and activities
# --------------------------------------------------------------------------------------------
def _factor_class(section: Section) -> type[ProfileAttribute] | type[Activity]:
    return ProfileAttribute if section == "profile" else Activity


def set_factors(model: ScoringModel, section: Section, rows: Sequence[Row]) -> ScoringModel:
    """Replace a section's attributes/activities (name, weight, column) in the rows' order.

    Values stay with their attribute through renames and moves; a new row starts with no values.
    Scenario selections follow renames and are dropped for deleted attributes.
    """
    rows = [r for r in rows if _text(r.get("name")) or _orig(r) is not None]
    names = [_text(r.get("name")) for r in rows]
    _check_unique(names, "attribute" if section == "profile" else "activity")
    old = model.section(section)
    renames = _renames([f.name for f in old], rows, "name")
    cls = _factor_class(section)
    factors = []
    for name, row in zip(names, rows, strict=True):
        o = _orig(row)
        values = copy.deepcopy(old[o].values) if o is not None and 0 <= o < len(old) else []
        factors.append(
            cls(name=name, weight=_number(row.get("weight")), column=_opt_text(row.get("column")), values=values)
        )
    new = _copy(model)
    setattr(new, section, factors)
    kept = set(names)
    for scenario in new.scenarios:
        chosen = getattr(scenario, section)
        setattr(
            scenario,
            section,
            {renames.get(k, k): v for k, v in chosen.items() if renames.get(k, k) in kept},
        )
    return new


def set_values(model: ScoringModel, section: Section, index: int, rows: Sequence[Row]) -> ScoringModel:
    """Replace the values of one attribute/activity (label, score, knockout, match) in the rows' order.

    ``match`` in a row is a mapping (or None); it is checked for shape here. Scenario
    selections follow renamed labels and are dropped for deleted values.
    """
    factor = model.section(section)[index]
    rows = [r for r in rows if _text(r.get("label")) or _orig(r) is not None]
    labels = [_text(r.get("label")) for r in rows]
    _check_unique(labels, "value")
    renames = _renames([v.label for v in factor.values], rows, "label")
    values = []
    for label, row in zip(labels, rows, strict=True):
        raw_match = row.get("match")
        try:
            match = Match.model_validate(raw_match) if raw_match else None
        except Exception as exc:  # pydantic ValidationError: report in words
            raise EditError(f"value '{label}': the match rule is not well-formed ({_first_error(exc)})") from None
        values.append(
            Value(label=label, score=_number(row.get("score")), knockout=bool(row.get("knockout") or False),
                  match=match)
        )
    new = _copy(model)
    new.section(section)[index].values = values
    kept = set(labels)
    for scenario in new.scenarios:
        chosen = getattr(scenario, section)
        if factor.name in chosen:
            label = renames.get(chosen[factor.name], chosen[factor.name])
            if label in kept:
                chosen[factor.name] = label
            else:
                del chosen[factor.name]
    return new


def _first_error(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    if callable(errors):
        first = errors()[0]
        where = ".".join(str(p) for p in first["loc"])
        return f"{where}: {first['msg']}" if where else first["msg"]
    return str(exc)


def move_factor(model: ScoringModel, section: Section, index: int, delta: int) -> ScoringModel:
    """Move an attribute/activity up (delta < 0) or down in its list."""
    factors = model.section(section)
    target = index + delta
    if not 0 <= index < len(factors) or not 0 <= target < len(factors):
        return model
    new = _copy(model)
    items = new.section(section)
    items[index], items[target] = items[target], items[index]
    return new


# --------------------------------------------------------------------------------------------
# Scenarios
# --------------------------------------------------------------------------------------------
def unique_name(base: str, taken: Sequence[str]) -> str:
    """``base``, or ``base (2)``, ``base (3)``… — the first not taken (case-insensitive)."""
    folded = {t.casefold() for t in taken}
    if base.casefold() not in folded:
        return base
    n = 2
    while f"{base} ({n})".casefold() in folded:
        n += 1
    return f"{base} ({n})"


def add_scenario(model: ScoringModel, name: str = "New scenario") -> ScoringModel:
    new = _copy(model)
    new.scenarios.append(Scenario(name=unique_name(name, [s.name for s in model.scenarios]), estimate=Estimate()))
    return new


def duplicate_scenario(model: ScoringModel, index: int) -> ScoringModel:
    original = model.scenarios[index]
    copy_ = original.model_copy(deep=True)
    copy_.name = unique_name(f"{original.name} (copy)", [s.name for s in model.scenarios])
    new = _copy(model)
    new.scenarios.insert(index + 1, copy_)
    return new


def delete_scenario(model: ScoringModel, index: int) -> ScoringModel:
    new = _copy(model)
    del new.scenarios[index]
    return new


def set_scenario(model: ScoringModel, index: int, scenario: Scenario) -> ScoringModel:
    """Replace one scenario (its name must stay unique)."""
    others = [s.name for i, s in enumerate(model.scenarios) if i != index]
    if not scenario.name.strip():
        raise EditError("a scenario needs a name")
    if scenario.name.strip().casefold() in {o.casefold() for o in others}:
        raise EditError(f"another scenario is already named '{scenario.name}'")
    new = _copy(model)
    new.scenarios[index] = scenario.model_copy(deep=True)
    return new


def blank_model(name: str = "New lead scoring model") -> ScoringModel:
    """A blank workbook with the usual states, bands and a sensible grid, ready to fill in."""
    grades = [("A", 75), ("B", 50), ("C", 25), ("D", 0)]
    levels = [("1", 70), ("2", 40), ("3", 15), ("4", 0)]
    grid = {
        "A": ["Send to sales", "Send to sales", "Nurture", "Nurture"],
        "B": ["Send to sales", "Qualify", "Nurture", "Nurture"],
        "C": ["Qualify", "Qualify", "Nurture", "Ignore"],
        "D": ["Nurture", "Ignore", "Ignore", "Ignore"],
    }
    return ScoringModel(
        schema_version=1,
        name=name,
        states=[
            State(name="Send to sales", action="Route to field sales within one business day"),
            State(name="Qualify", action="Inside sales (SDR) qualifies"),
            State(name="Nurture", action="Keep in marketing nurture"),
            State(name="Ignore", action="No action"),
        ],
        profile_grades=[ProfileGrade(grade=g, min=m) for g, m in grades],
        engagement_levels=[EngagementLevel(level=lv, min=m) for lv, m in levels],
        matrix={g + lv: grid[g][i] for g in grid for i, (lv, _) in enumerate(levels)},
        profile=[],
        engagement=[],
    )


# ============================================================================================
# Team, ICP weights and Activity weights pages: helpers (issue 3)
# ============================================================================================
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


def set_factors_keep_columns(model: ScoringModel, section: Section, rows: Sequence[Row]) -> ScoringModel:
    """:func:`set_factors` for rows without a ``column`` key: each factor keeps its lead-list column.

    A weight outside 0..100 is refused (the table editor limits it too).
    """
    old = model.section(section)
    full = []
    for row in rows:
        weight = _number(row.get("weight"))
        if not 0 <= weight <= 100:
            raise EditError(f"'{_text(row.get('name'))}': a weight must be between 0 and 100 (not {weight:g})")
        o = _orig(row)
        column = old[o].column if o is not None and 0 <= o < len(old) else None
        full.append({"column": column, **row})
    return set_factors(model, section, full)


def set_factor_weight(model: ScoringModel, section: Section, name: str, weight: Any) -> ScoringModel:
    """Set the weight (0..100) of the attribute/activity called ``name``.

    By name, not position: an input drawn before someone else reordered the list still
    weighs the attribute it showed.
    """
    factors = model.section(section)
    index = next((i for i, f in enumerate(factors) if f.name == name), None)
    if index is None:
        raise EditError(f"'{name}' is no longer in the list (someone may have renamed or deleted it): "
                        "its weight was not changed")
    number = _number(weight)
    if not 0 <= number <= 100:
        raise EditError(f"'{name}': a weight must be between 0 and 100 (not {number:g})")
    new = _copy(model)
    new.section(section)[index].weight = number
    return new


def set_factor_column(model: ScoringModel, section: Section, index: int, column: str | None) -> ScoringModel:
    """Set the lead-list column an attribute/activity reads (empty: the column named like it)."""
    new = _copy(model)
    new.section(section)[index].column = _opt_text(column)
    return new


def set_values_keep_match(
    model: ScoringModel, section: Section, index: int, rows: Sequence[Row]
) -> ScoringModel:
    """:func:`set_values` for rows without ``match``: values keep their match rule; new ones have none.

    A score outside -100..100 is refused (the table editor limits it too).
    """
    old = model.section(section)[index].values
    full = []
    for row in rows:
        score = _number(row.get("score"))
        if not -100 <= score <= 100:
            raise EditError(f"value '{_text(row.get('label'))}': a score must be between -100 and 100 (not {score:g})")
        o = _orig(row)
        match = old[o].match if o is not None and 0 <= o < len(old) else None
        full.append({"match": match.model_dump(exclude_none=True) if match else None, **row})
    return set_values(model, section, index, full)


def set_match_rules(model: ScoringModel, section: Section, index: int, rows: Sequence[Row]) -> ScoringModel:
    """Set the match rules of one attribute's values from table rows (``orig`` = value position).

    Each row carries the cells of :func:`match_to_row`; labels, scores and knockouts are unchanged.
    """
    factor = model.section(section)[index]
    matches: dict[int, dict[str, Any] | None] = {}
    for row in rows:
        o = _orig(row)
        if o is None or not 0 <= o < len(factor.values):
            continue
        label = factor.values[o].label
        try:
            matches[o] = row_to_match(row)
        except EditError as exc:
            raise EditError(f"value '{label}': {exc}") from None
    new = _copy(model)
    for o, raw in matches.items():
        value = new.section(section)[index].values[o]
        try:
            value.match = Match.model_validate(raw) if raw else None
        except Exception as exc:  # pydantic ValidationError: report in words
            raise EditError(
                f"value '{value.label}': the match rule is not well-formed ({_first_error(exc)})"
            ) from None
    return new


def value_usage(model: ScoringModel, section: Section) -> dict[str, dict[str, int]]:
    """How many scenarios select each value: attribute name → value label → count (no scoring)."""
    usage = {f.name: {v.label: 0 for v in f.values} for f in model.section(section)}
    for scenario in model.scenarios:
        for name, label in getattr(scenario, section).items():
            if name in usage and label in usage[name]:
                usage[name][label] += 1
    return usage


# ============================================================================================
# Test scenarios page: one field of one scenario (issue 3)
# ============================================================================================
# The page edits a scenario one widget at a time; each edit checks that what it sets is
# something the model knows (a value of that attribute, a grade, a state, a team member), so
# a stale widget can never write a name the file would then reject.
EstimateKey = Literal["profile", "engagement", "state"]


def _scenario(model: ScoringModel, index: int) -> Scenario:
    if not 0 <= index < len(model.scenarios):
        raise EditError(f"there is no scenario number {index + 1}")
    return model.scenarios[index]


def set_scenario_text(
    model: ScoringModel, index: int, *, name: str | None = None, notes: str | None = None
) -> ScoringModel:
    """Rename a scenario (the name stays unique) and/or set its notes (empty: no notes)."""
    scenario = _scenario(model, index).model_copy(deep=True)
    if name is not None:
        scenario.name = _text(name)
    if notes is not None:
        scenario.notes = _opt_text(notes)
    return set_scenario(model, index, scenario)


def set_scenario_value(
    model: ScoringModel, index: int, section: Section, factor: str, label: str | None
) -> ScoringModel:
    """Select one value of an attribute/activity for a scenario; ``None`` leaves it missing."""
    _scenario(model, index)
    factors = {f.name: f for f in model.section(section)}
    what = "attribute" if section == "profile" else "activity"
    if factor not in factors:
        raise EditError(f"there is no {what} named '{factor}'")
    if label is not None and label not in [v.label for v in factors[factor].values]:
        raise EditError(f"'{label}' is not a value of the {what} '{factor}'")
    new = _copy(model)
    chosen = getattr(new.scenarios[index], section)
    if label is None:
        chosen.pop(factor, None)
    else:
        chosen[factor] = label
    # Keep the scenario's selections in the order of the attributes, as a person writes them.
    order = [f.name for f in model.section(section)]
    ordered = {n: chosen[n] for n in order if n in chosen}
    ordered.update({n: v for n, v in chosen.items() if n not in ordered})
    setattr(new.scenarios[index], section, ordered)
    return new


def set_scenario_estimate(
    model: ScoringModel, index: int, key: EstimateKey, value: str | None
) -> ScoringModel:
    """Set the team's estimated profile grade, engagement level or state; ``None`` clears it."""
    _scenario(model, index)
    known = {"profile": model.grades, "engagement": model.levels, "state": model.state_names}[key]
    what = {"profile": "profile grade", "engagement": "engagement level", "state": "state"}[key]
    if value is not None and value not in known:
        raise EditError(f"'{value}' is not a {what} of this model")
    new = _copy(model)
    scenario = new.scenarios[index]
    estimate = scenario.estimate or Estimate()
    setattr(estimate, key, value)
    scenario.estimate = estimate if estimate.given() else None
    return new


def set_member_estimate(model: ScoringModel, index: int, member: str, state: str | None) -> ScoringModel:
    """Record the state one team member estimated for a scenario; ``None`` removes it."""
    _scenario(model, index)
    names = [m.name for m in model.team]
    if member not in names:
        raise EditError(f"no team member is named '{member}'")
    if state is not None and state not in model.state_names:
        raise EditError(f"'{state}' is not a state of this model")
    new = _copy(model)
    scenario = new.scenarios[index]
    by_member = dict(scenario.estimates_by_member)
    if state is None:
        by_member.pop(member, None)
    else:
        by_member[member] = state
    # Team order, then any name the team no longer has (validation reports those).
    ordered = {n: by_member[n] for n in names if n in by_member}
    ordered.update({n: s for n, s in by_member.items() if n not in ordered})
    scenario.estimates_by_member = ordered
    return new


# ============================================================================================
# Lead list page: the remembered column mapping (issue 5)
# ============================================================================================
# ``metadata.column_map`` maps a column the MODEL reads (an attribute's or activity's
# ``source_column``) to the lead-list header it is read from when a list does not have that
# column; ``""`` means "this list has no such column: every lead counts as having no value".
# Keyed by the model's column (not by the list's header) because one list column may feed
# several model columns, and "no column" has no header to be keyed by.
def set_column_map(model: ScoringModel, mapping: Mapping[str, str | None]) -> ScoringModel:
    """Remember lead-list columns for model columns; ``""`` = no column, ``None`` = forget.

    Entries not named in ``mapping`` are kept. A key must be a column some attribute or
    activity reads; an entry that maps a column to itself is dropped (nothing to remember).
    """
    read = {f.source_column for f in [*model.profile, *model.engagement]}
    current = dict(model.metadata.column_map) if model.metadata else {}
    for key, value in mapping.items():
        if key not in read:
            raise EditError(f"no attribute or activity reads a column named '{key}'")
        if value is None or value == key:
            current.pop(key, None)
        elif not isinstance(value, str):
            raise EditError(f"the lead-list column for '{key}' must be text")
        else:
            current[key] = value
    new = _copy(model)
    metadata = new.metadata or Metadata()
    metadata.column_map = current
    # A model without any metadata stays without it: no empty ``metadata:`` in its file.
    new.metadata = None if metadata == Metadata() else metadata
    return new
