"""A starter set of common B2B attributes and activities, as data; a new model from those ticked.

Each starter factor carries a default weight, a lead-list column and values with scores and
match rules. A model keeps only the ticked ones and scales their weights to add up to 100
(whole numbers, largest remainders first), on the blank model's states, bands and grid — so
whatever is ticked (at least one attribute and one activity) the model is valid.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from workbook.editing import blank_model
from workbook.model import Activity, Match, ProfileAttribute, ScoringModel, Value
from workbook.templates.values import BUILT_IN, TemplateError


@dataclass(frozen=True)
class StarterFactor:
    """One common attribute or activity: name, default weight, lead-list column, values."""

    name: str
    weight: float
    column: str
    values: tuple[Value, ...]
    why: str = ""  # the tick box's help: what it tells about a lead


def _v(label: str, score: float, **match: object) -> Value:
    return Value(label=label, score=score, match=Match(**match) if match else None)


_RECENCY = tuple(BUILT_IN[0].values)
_RARE = tuple(BUILT_IN[1].values)

STARTER_ATTRIBUTES: tuple[StarterFactor, ...] = (
    StarterFactor("Job role", 30, "job_title", (
        _v("Decision maker", 100, contains=["vp", "vice president", "head of", "director", "chief"]),
        _v("Manager", 60, contains=["manager", "lead"]),
        _v("Practitioner", 30, contains=["specialist", "analyst", "engineer", "coordinator"]),
        _v("Student", 0, contains=["student", "intern"]),
    ), "how close the person is to the buying decision"),
    StarterFactor("Company size", 25, "employees", (
        _v("1000 or more", 100, min=1000),
        _v("200 to 999", 80, min=200, max=1000),
        _v("50 to 199", 50, min=50, max=200),
        _v("Fewer than 50", 10, max=50),
    ), "employees of the lead's company"),
    StarterFactor("Industry", 15, "industry", (
        _v("Target industry", 100, equals=["software", "saas", "technology"]),
        _v("Adjacent industry", 50, equals=["financial services", "professional services"]),
        _v("Other", 10),
    ), "whether the company is in the markets you sell to"),
    StarterFactor("Geography", 15, "country", (
        _v("Core market", 100, equals=["united states", "united kingdom", "germany"]),
        _v("Served market", 60, equals=["france", "netherlands", "canada"]),
        _v("Elsewhere", 0),
    ), "where the company is"),
    StarterFactor("E-mail domain", 15, "email_domain", (
        _v("Business address", 100),
        _v("Free mail", 0, contains=["gmail.", "yahoo.", "hotmail.", "outlook."]),
    ), "a business address rather than free mail"),
)

STARTER_ACTIVITIES: tuple[StarterFactor, ...] = (
    StarterFactor("Demo request", 30, "demo_requested_at", _RECENCY, "the clearest call to action"),
    StarterFactor("Pricing-page visit", 20, "pricing_visit_at", _RECENCY, "looking at what it costs"),
    StarterFactor("Webinar attended", 15, "webinar_at", _RARE, "spent an hour with you"),
    StarterFactor("Case-study download", 15, "case_study_at", _RECENCY, "checking that it works for others"),
    StarterFactor("E-mail click", 10, "email_click_at", _RECENCY, "still reading your e-mails"),
    StarterFactor("Website visit", 10, "web_visit_at", _RECENCY, "any visit to the site"),
)


def scaled_weights(weights: Sequence[float]) -> list[int]:
    """Whole-number weights in the same proportions that add up to exactly 100."""
    total = sum(weights)
    if total <= 0:
        return [0 for _ in weights]
    raw = [w * 100 / total for w in weights]
    whole = [int(r) for r in raw]
    order = sorted(range(len(raw)), key=lambda i: (-(raw[i] - whole[i]), i))
    for i in order[: 100 - sum(whole)]:
        whole[i] += 1
    return whole


def _chosen(names: Sequence[str], pool: Sequence[StarterFactor], what: str) -> list[StarterFactor]:
    by_name = {f.name: f for f in pool}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise TemplateError(f"the starter set has no {what} named {', '.join(repr(n) for n in unknown)}")
    wanted = set(names)
    picked = [f for f in pool if f.name in wanted]
    if not picked:
        raise TemplateError(f"tick at least one {what}: a model needs weights that add up to 100")
    return picked


def starter_model(name: str, attributes: Sequence[str], activities: Sequence[str]) -> ScoringModel:
    """A new model named ``name`` with the ticked starter attributes and activities.

    Raises :class:`TemplateError` for an unknown name or when a section would be empty.
    """
    profile = _chosen(attributes, STARTER_ATTRIBUTES, "attribute")
    engagement = _chosen(activities, STARTER_ACTIVITIES, "activity")
    model = blank_model(name.strip() or "New lead scoring model")
    model.profile = [
        ProfileAttribute(name=f.name, weight=w, column=f.column, values=[v.model_copy(deep=True) for v in f.values])
        for f, w in zip(profile, scaled_weights([f.weight for f in profile]), strict=True)
    ]
    model.engagement = [
        Activity(name=f.name, weight=w, column=f.column, values=[v.model_copy(deep=True) for v in f.values])
        for f, w in zip(engagement, scaled_weights([f.weight for f in engagement]), strict=True)
    ]
    return ScoringModel.model_validate(model.model_dump())
