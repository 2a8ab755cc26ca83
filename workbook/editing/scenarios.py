"""Test scenarios tab: adding, copying and deleting scenarios, and one field of one scenario at a time."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Literal

from workbook.editing.common import EditError, _copy, _opt_text, _text
from workbook.model import Estimate, Scenario, ScoringModel, Section


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
