"""Thresholds tab: profile grades and engagement levels (bands), states, the grid, model-wide settings."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from workbook.editing.common import EditError, Row, _check_unique, _copy, _number, _opt_text, _orig, _renames, _text
from workbook.model import EngagementLevel, ProfileGrade, ScoringModel, Section, State


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
