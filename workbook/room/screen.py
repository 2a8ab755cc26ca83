"""What the presenter's screen shows: the scenario on screen, and its lead in words."""

from __future__ import annotations

from dataclasses import dataclass

from workbook.model import Scenario, ScoringModel


@dataclass(frozen=True)
class LeadInWords:
    """Who the lead is and what they did, one ``Attribute: value`` line each, in the model's order."""

    who: list[str]
    did: list[str]
    notes: str | None


def lead_in_words(model: ScoringModel, scenario: Scenario) -> LeadInWords:
    """The scenario's values in the order of the model's attributes and activities.

    Values of attributes the model no longer has come last, as they are (a draft).
    """

    def lines(chosen: dict[str, str], order: list[str]) -> list[str]:
        names = [n for n in order if n in chosen] + [n for n in chosen if n not in order]
        return [f"{name}: {chosen[name]}" for name in names]

    return LeadInWords(
        who=lines(scenario.profile, [a.name for a in model.profile]),
        did=lines(scenario.engagement, [a.name for a in model.engagement]),
        notes=(scenario.notes or "").strip() or None,
    )


def on_screen(names: list[str], scenario: str | None, position: int | None) -> int | None:
    """The position of the scenario on screen: by name; by position when it was renamed.

    None when the workbook has no scenario; the first one when nothing was put on screen yet.
    """
    if not names:
        return None
    if scenario in names:
        return names.index(scenario)
    if position is None:
        return 0
    return min(max(position, 0), len(names) - 1)
