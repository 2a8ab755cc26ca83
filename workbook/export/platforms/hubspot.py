"""HubSpot setup pack: the model as a combined (fit + engagement) score of HubSpot's lead scoring tool.

How HubSpot scores (public documentation and practitioner guides read for this mapping):

* Lead scoring tool, score types fit / engagement / combined; groups with a group limit, rules
  and criteria; a total score limit of 100 points on Professional (500 on Enterprise); event
  criteria take either a time frame ("in the last N days") or a decay, not both; thresholds put
  contacts in A/B/C (fit) and 1/2/3 (engagement), a combined A1–C3 matrix:
  https://knowledge.hubspot.com/scoring/build-lead-scores (cited by the guides below),
  https://www.xcellimark.com/blog/a-guideto-build-hubspot-lead-scoring-for-marketers-and-sales-teamshow-to-build-lead-scoring-in-hubspot-2025,
  https://www.xcellimark.com/how-to-hubspot/control-lead-score-durations-with-decay-timeframe-settings-hubspot-lead-scoring-tips,
  https://sponge.io/hubspot-lead-scoring/, https://focus-scale.com/field-notes/hubspot-lead-scoring-model
* Lead Scoring API (beta), the group / rule layout of a score configuration:
  https://developers.hubspot.com/docs/api-reference/2026-09-beta/marketing/lead-scoring/guide.md,
  https://developers.hubspot.com/docs/api-reference/2026-09-beta/marketing/lead-scoring/create-lead-score

The mapping: one fit group per ICP attribute and one engagement group per activity (group
limit = the attribute's best value), one rule per value with its points; recency ladders as
nested "in the last N days" time frames; the score limit fixes the scale (100 points = 100 %
on Professional, so points are whole percentage points). HubSpot's thresholds have three tiers
per axis, the model may have more, so the state is set by a workflow that branches on the two
score *numbers* (a score is a contact property); the workflow also applies the knockouts.
"""

from __future__ import annotations

from typing import Any

from workbook.export.platforms import common as c
from workbook.model import ScoringModel

PLATFORM = "HubSpot"
LIMITS = {"professional": 100, "enterprise": 500}


def scale(model: ScoringModel, edition: str = "professional") -> int:
    """Points per percentage point: the score limit spread over 100 %."""
    return LIMITS[edition] // 100


def score_config(model: ScoringModel, edition: str = "professional") -> dict[str, Any]:
    """The score as JSON in the group / rule layout of HubSpot's Lead Scoring API (beta).

    The API's property filters are not filled in — each rule carries its criterion in words
    (``criterion``) for the admin to select; use the file as a checklist or complete it before
    sending it to the API.
    """
    s = scale(model, edition)

    def group(factor: c.Factor, category: str) -> dict[str, Any]:
        rules = c.criteria(factor, s)
        return {
            "groupName": factor.name,
            "groupCategory": category,
            "maxValue": max([0, *(c.platform_points(factor, v, s) for v in factor.values)]),
            "minValue": min([0, *(c.platform_points(factor, v, s) for v in factor.values)]),
            "ruleConfigurations": [
                {
                    "name": r.label,
                    "criterion": r.words,
                    "enabled": True,
                    "configuration": {"calculation": {"type": "CONSTANT", "value": r.points}},
                }
                for r in rules
                if r.points
            ],
        }

    return {
        "name": model.name,
        "objectTypeId": "0-1",
        "maxScore": LIMITS[edition],
        "groupConfigs": [group(f, "FIT") for f in model.profile] + [group(f, "ENGAGEMENT") for f in model.engagement],
        "thresholds": thresholds(model, edition),
    }


def thresholds(model: ScoringModel, edition: str = "professional") -> dict[str, list[dict[str, Any]]]:
    s = scale(model, edition)
    return {
        "fit": [{"grade": b.grade, "min_points": c.threshold(b.min, s)} for b in model.profile_grades],
        "engagement": [{"level": b.level, "min_points": c.threshold(b.min, s)} for b in model.engagement_levels],
    }


def guide(model: ScoringModel, edition: str = "professional") -> str:
    """The printable step-by-step guide, in the order an admin clicks."""
    s = scale(model, edition)
    t = thresholds(model, edition)
    out = [
        f"# {model.name} — HubSpot setup guide",
        "",
        f"Score limit {LIMITS[edition]} points ({edition.title()}): {s} point(s) per percentage point of the model.",
        "",
        "## 1. Create the score",
        "Marketing › Lead scoring › Create score › **Combined score** (fit and engagement), object: Contacts.",
        f"Name it “{model.name}”. Set the total score limit to {LIMITS[edition]}.",
        "",
        "## 2. Fit: one group per ICP attribute",
        "Fit tab › Add group. Set each group's limit to its best value's points. Add one rule per row,",
        "with the criterion as written (a value applies only when no earlier value of the group matched).",
    ]
    for f in model.profile:
        out += ["", f"### Group “{f.name}” (weight {c.number(f.weight)} %)", ""]
        out.append(c.criteria_table(f, s))
    out += [
        "",
        "## 3. Engagement: one group per activity",
        "Engagement tab › Add group. For a recency ladder use **Time frame** (not decay): the",
        "windows are nested, so a lead active within 7 days also earns the 30- and 60-day rows;",
        "the points below are the differences, and they add up to the model's value.",
    ]
    for f in model.engagement:
        out += ["", f"### Group “{f.name}” (weight {c.number(f.weight)} %)", ""]
        out.append(c.criteria_table(f, s))
    top3 = lambda bands, key: ", ".join(f"{b[key]} ≥ {b['min_points']}" for b in bands[:3])  # noqa: E731
    out += [
        "",
        "## 4. Thresholds",
        f"Score settings › Thresholds. Fit: {top3(t['fit'], 'grade')}. Engagement: {top3(t['engagement'], 'level')}.",
        "HubSpot shows three tiers per axis; the workflow below uses the score numbers, so every",
        "band of the model is kept:",
        "",
        c.md_table(["Profile grade", "Fit score at least"], [(b["grade"], b["min_points"]) for b in t["fit"]]),
        "",
        c.md_table(
            ["Engagement level", "Engagement score at least"], [(b["level"], b["min_points"]) for b in t["engagement"]]
        ),
        "",
        "## 5. The state: a workflow",
        "Create a contact property “Lead scoring state” (dropdown: "
        + ", ".join(model.state_names)
        + "). Automation › Workflows › contact-based, re-enrolment on score changes.",
    ]
    kos = c.knockout_words(model)
    if kos:
        out += [
            "",
            f"First branch — knockout: if any of these hold, set the state to **{model.effective_knockout_state}**:",
            *[f"- {k}" for k in kos],
        ]
    out += [
        "",
        "Then one branch per cell, best first: fit score ≥ the grade's minimum (and below the better",
        "grade's) and engagement score likewise → set the state:",
        "",
        c.grid_words(model),
    ]
    return "\n".join(out) + "\n\n" + c.check_section(model, PLATFORM, simulator(model, edition))


def approximations(model: ScoringModel, edition: str = "professional") -> list[str]:
    s = scale(model, edition)
    notes = c.rounding_note(model, s)
    if len(model.profile_grades) > 3 or len(model.engagement_levels) > 3:
        notes.append(
            "Three threshold tiers per axis in HubSpot (A–C, 1–3); the model has "
            f"{len(model.profile_grades)} grades and {len(model.engagement_levels)} levels. The state "
            "workflow branches on the score numbers instead, so no band is lost; HubSpot's own "
            "threshold labels show only the top three."
        )
    notes.append(
        "Recency: each window is a time-frame criterion; an activity counted once (its latest "
        "occurrence), as in the lead list. Repeated events add points in HubSpot unless the rule "
        "counts occurrences once."
    )
    notes.append("Knockouts: applied by the state workflow's first branch (exact).")
    return notes + c.neutral_note(model)


def simulator(model: ScoringModel, edition: str = "professional") -> c.Simulator:
    # group limits equal each group's best value, which a single matched value never exceeds
    return c.whole_point_simulator(model, scale(model, edition))


PACK = c.PlatformPack(
    name="hubspot",
    platform=PLATFORM,
    label="HubSpot setup pack",
    description="Step-by-step guide for HubSpot's lead scoring tool (fit and engagement groups, rules, "
    "thresholds, state workflow), the score as JSON, and how faithfully HubSpot reproduces the model.",
    simulator=simulator,
    approximations=approximations,
    files={"hubspot-setup-guide.md": guide, "hubspot-score.json": score_config},
    settings={"edition": "professional"},
)
fidelity, render, FORMAT = PACK.fidelity, PACK.render, PACK.format
