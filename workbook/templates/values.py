"""Value templates: a set of values (label, score, match rule, knockout) kept to reuse.

The same four recency bands (within 7 / 30 / 60 / 90 days, scoring 100 / 80 / 60 / 30) are
what most activities need; a template saves typing them again for every activity.
Applying a template replaces the values of every chosen attribute or activity in one
edit (the store makes it one revision). A scenario keeps its selection where the new values
have the same label, and loses it where they do not: a selection must name a value that
exists.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from workbook.model import Match, ScoringModel, Section, Value

MAX_TEMPLATE_NAME = 80


class TemplateError(ValueError):
    """A template cannot be made or applied; the message says why in plain words."""


@dataclass(frozen=True)
class ValueTemplate:
    """A named set of values to reuse."""

    name: str
    values: list[Value] = field(default_factory=list)
    description: str = ""

    def summary(self) -> str:
        """ "Within 7 days 100, Within 30 days 80, …" """
        return ", ".join(f"{v.label} {v.score:g}" for v in self.values) or "(no values)"


def _name(name: str | None) -> str:
    text = " ".join((name or "").split())
    if not text:
        raise TemplateError("a template needs a name, e.g. 'Recency bands'")
    if len(text) > MAX_TEMPLATE_NAME:
        raise TemplateError(f"a template's name has at most {MAX_TEMPLATE_NAME} characters")
    return text


def template_from_factor(model: ScoringModel, section: Section, factor_name: str, name: str,
                         description: str = "") -> ValueTemplate:
    """The values of one attribute or activity, saved under ``name``."""
    factor = _factor(model, section, factor_name)
    if not factor.values:
        raise TemplateError(f"'{factor_name}' has no values to save as a template")
    return ValueTemplate(_name(name), [v.model_copy(deep=True) for v in factor.values], description.strip())


def _factor(model: ScoringModel, section: Section, name: str) -> Any:
    for factor in model.section(section):
        if factor.name == name:
            return factor
    what = "attribute" if section == "profile" else "activity"
    raise TemplateError(f"there is no {what} named '{name}'")


def apply_template(model: ScoringModel, section: Section, names: Sequence[str],
                   template: ValueTemplate) -> ScoringModel:
    """A new model whose chosen attributes/activities have the template's values (one edit).

    Scenario selections keep a label the template also has and drop the others.
    """
    if not names:
        raise TemplateError("choose at least one attribute or activity to apply the template to")
    if not template.values:
        raise TemplateError(f"the template '{template.name}' has no values")
    labels = [v.label for v in template.values]
    if len(set(labels)) != len(labels):
        raise TemplateError(f"the template '{template.name}' names a value twice")
    for name in names:
        _factor(model, section, name)
    new = model.model_copy(deep=True)
    targets = set(names)
    for factor in new.section(section):
        if factor.name in targets:
            factor.values = [v.model_copy(deep=True) for v in template.values]
    kept = set(labels)
    for scenario in new.scenarios:
        chosen = getattr(scenario, section)
        for name in targets:
            if name in chosen and chosen[name] not in kept:
                del chosen[name]
    return new


def lost_selections(model: ScoringModel, section: Section, names: Sequence[str], template: ValueTemplate) -> int:
    """How many scenario selections applying ``template`` to ``names`` would drop (labels it lacks)."""
    kept = {v.label for v in template.values}
    targets = set(names)
    return sum(
        1
        for scenario in model.scenarios
        for name, label in getattr(scenario, section).items()
        if name in targets and label not in kept
    )


def copy_values(model: ScoringModel, section: Section, source: str, targets: Sequence[str],
                source_section: Section | None = None) -> ScoringModel:
    """A new model whose ``targets`` have the values of ``source`` (from the same or the other section)."""
    from_section = source_section or section
    if from_section == section and source in targets:
        raise TemplateError(f"'{source}' cannot copy its values onto itself")
    template = template_from_factor(model, from_section, source, f"values of {source}")
    return apply_template(model, section, targets, template)


# --------------------------------------------------------------------------------------------
# Stored form
# --------------------------------------------------------------------------------------------
def template_to_json(template: ValueTemplate) -> str:
    """The stored form of a template's values: a JSON list, defaults left out."""
    return json.dumps([v.model_dump(mode="json", exclude_defaults=True) for v in template.values])


def template_from_json(name: str, text: str, description: str = "") -> ValueTemplate:
    """A stored template read back (TemplateError when its values are not well-formed)."""
    try:
        values = [Value.model_validate(item) for item in json.loads(text)]
    except (ValueError, ValidationError, TypeError) as exc:
        raise TemplateError(f"the template '{name}' cannot be read: {exc}") from None
    return ValueTemplate(name, values, description)


# --------------------------------------------------------------------------------------------
# Built in
# --------------------------------------------------------------------------------------------
def _recency(*bands: tuple[int, int]) -> list[Value]:
    return [Value(label=f"Within {days} days", score=score, match=Match(within_days=days)) for days, score in bands]


BUILT_IN: list[ValueTemplate] = [
    ValueTemplate(
        "Recency bands 7 / 30 / 60 / 90 days",
        _recency((7, 100), (30, 80), (60, 60), (90, 30)),
        "The same action is worth its full weight within a week and less the longer ago it happened.",
    ),
    ValueTemplate(
        "Recency bands 14 / 90 days",
        _recency((14, 100), (90, 50)),
        "Two bands for rarer activities (webinars, events).",
    ),
    ValueTemplate(
        "Yes / no",
        [
            Value(label="Yes", score=100, match=Match(equals=["yes"])),
            Value(label="No", score=0, match=Match(equals=["no"])),
        ],
        "A flag in the lead list.",
    ),
]
