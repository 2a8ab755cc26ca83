"""Small models made in code for the store's tests (independent of the example files)."""

from __future__ import annotations

import copy
from typing import Any

from hypothesis import strategies as st

from workbook.model import Scenario, ScoringModel

STATES = ["Send to sales", "Qualify", "Nurture", "Ignore"]
GRADES = [("A", 75), ("B", 50), ("C", 25), ("D", 0)]
LEVELS = [("1", 70), ("2", 40), ("3", 15), ("4", 0)]


def _matrix() -> dict[str, str]:
    return {
        g + lvl: STATES[min(gi + li, len(STATES) - 1)]
        for gi, (g, _) in enumerate(GRADES)
        for li, (lvl, _) in enumerate(LEVELS)
    }


BASE: dict[str, Any] = {
    "schema_version": 1,
    "name": "Workshop model",
    "team": [
        {"name": "Dana Ortiz", "function": "Marketing", "role": "Sponsor", "steering_committee": True},
        {"name": "Marcus Lee", "function": "Sales", "steering_committee": True},
        {"name": "Priya Raman", "function": "Marketing"},
    ],
    "states": [{"name": s} for s in STATES],
    "profile_grades": [{"grade": g, "min": m} for g, m in GRADES],
    "engagement_levels": [{"level": lvl, "min": m} for lvl, m in LEVELS],
    "matrix": _matrix(),
    "profile": [
        {
            "name": "Job role",
            "weight": 60,
            "values": [
                {"label": "Head of sales ops", "score": 100},
                {"label": "CFO", "score": 50},
                {"label": "Student", "score": 0, "knockout": True},
            ],
        },
        {
            "name": "Employees",
            "weight": 40,
            "values": [{"label": "200-999", "score": 100}, {"label": "1-49", "score": 20}],
        },
    ],
    "engagement": [
        {
            "name": "Demo request",
            "weight": 70,
            "values": [{"label": "Within 7 days", "score": 100}, {"label": "Within 60 days", "score": 60}],
        },
        {
            "name": "Webinar attended",
            "weight": 30,
            "values": [{"label": "Within 7 days", "score": 100}, {"label": "Older", "score": 30}],
        },
    ],
    "scenarios": [
        {
            "name": "RevOps head, demo last week",
            "profile": {"Job role": "Head of sales ops", "Employees": "200-999"},
            "engagement": {"Demo request": "Within 7 days"},
            "estimate": {"state": "Send to sales"},
        },
        {
            "name": "CFO, webinar",
            "profile": {"Job role": "CFO", "Employees": "200-999"},
            "engagement": {"Webinar attended": "Within 7 days"},
            "estimate": {"state": "Nurture"},
        },
    ],
}


def base_model() -> ScoringModel:
    """A small valid model: two attributes, two activities, two scenarios, two steering members."""
    return ScoringModel.model_validate(copy.deepcopy(BASE))


def edited(model: ScoringModel, **changes: Any) -> ScoringModel:
    """A copy of ``model`` with simple edits applied.

    Keys: ``weight={"Job role": 50}``, ``activity_weight={...}``, ``cell={"B2": "Nurture"}``,
    ``grade_min={"B": 55}``, ``score={("Job role", "CFO"): 70}``, ``add_scenario="name"``,
    ``description="…"``.
    """
    new = model.model_copy(deep=True)
    for name, w in changes.pop("weight", {}).items():
        next(a for a in new.profile if a.name == name).weight = w
    for name, w in changes.pop("activity_weight", {}).items():
        next(a for a in new.engagement if a.name == name).weight = w
    for cell, state in changes.pop("cell", {}).items():
        new.matrix[cell] = state
    for grade, lo in changes.pop("grade_min", {}).items():
        next(b for b in new.profile_grades if b.grade == grade).min = lo
    for (attr, label), score in changes.pop("score", {}).items():
        factor = next(a for a in new.profile if a.name == attr)
        next(v for v in factor.values if v.label == label).score = score
    if "add_scenario" in changes:
        new.scenarios.append(Scenario(name=changes.pop("add_scenario"), profile={"Job role": "CFO"}))
    if "description" in changes:
        new.description = changes.pop("description")
    assert not changes, f"unknown edits: {changes}"
    return new


# -- random single-field edits (hypothesis) ---------------------------------------------------
EDITS = st.one_of(  # few fields and values, so that sessions often collide
    st.tuples(st.just("weight"), st.sampled_from(["Job role", "Employees"]), st.sampled_from([35, 40, 45, 60])),
    st.tuples(st.just("cell"), st.sampled_from(["A1", "B2"]), st.sampled_from(["Qualify", "Nurture", "Ignore"])),
    st.tuples(st.just("grade_min"), st.just("B"), st.sampled_from([45, 50, 55])),
    st.tuples(st.just("score"), st.just(("Job role", "CFO")), st.sampled_from([20, 50, 70])),
    st.tuples(st.just("add_scenario"), st.sampled_from(["s1", "s2", "s3"]), st.just(True)),
)


def apply(model: ScoringModel, edit: tuple) -> ScoringModel:
    """The model with one ``(kind, where, value)`` edit from :data:`EDITS` applied."""
    kind, where, value = edit
    if kind == "add_scenario":
        if any(s.name == where for s in model.scenarios):
            return model
        return edited(model, add_scenario=where)
    return edited(model, **{kind: {where: value}})


def field(model: ScoringModel, edit: tuple) -> Any:
    """The value of the field that ``edit`` sets (for add_scenario: whether the scenario is there)."""
    kind, where, _ = edit
    if kind == "weight":
        return next(a.weight for a in model.profile if a.name == where)
    if kind == "cell":
        return model.matrix[where]
    if kind == "grade_min":
        return next(b.min for b in model.profile_grades if b.grade == where)
    if kind == "score":
        attr, label = where
        return next(v.score for a in model.profile if a.name == attr for v in a.values if v.label == label)
    return any(s.name == where for s in model.scenarios)
