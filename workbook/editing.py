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
from collections.abc import Mapping, Sequence
from typing import Any, Literal

from workbook.model import (
    Activity,
    EngagementLevel,
    Estimate,
    Match,
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


class EditError(ValueError):
    """An edit that cannot be applied; the message says why in the workshop's words."""


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
    for i, row in enumerate(rows):
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
