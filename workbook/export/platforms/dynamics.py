"""Microsoft Dynamics 365 Customer Insights – Journeys setup pack: two lead scoring models with grades.

How Customer Insights – Journeys scores leads (public documentation read for this mapping):

* Lead scoring models (Lead management › Scoring models) score leads on demographic *attributes*
  and behavioural *interactions*; conditions are grouped and each group adds points; *grades*
  interpret score ranges (e.g. cold, warm, hot); a sales-ready threshold marks a lead sales-ready:
  https://learn.microsoft.com/en-us/training/modules/manage-leads-scoring/create-scoring-models,
  https://docs.microsoft.com/en-us/dynamics365/customer-engagement/marketing/score-manage-leads,
  https://github.com/MicrosoftDocs/customer-insights/blob/main/ci-docs/journeys/transition-walkthrough-leads.md,
  https://meganvwalker.com/?p=9202, https://www.serversys.com/insights/lead-scoring-in-d365-customer-insights/
* Each lead gets one score per model (several models may score the same lead):
  https://docs.microsoft.com/en-us/dynamics365/marketing/set-up-lead-scoring

The mapping: one scoring model for the profile (“Fit”) and one for the activities
(“Engagement”), one condition group per attribute / activity, points at a whole-point scale that
keeps every value exact, grades = the model's bands (grade and level names); recency ladders
as interaction conditions over nested time windows. A scoring model has no knockout: a knockout
value becomes a large negative condition in the Fit model, which sends the lead to the lowest
grade — the state then follows the grid for that grade, not the model's knockout state. The
state itself is written by a Power Automate flow (or a journey) from the two grades. There is
no import file for scoring models: ``dynamics-scoring-models.json`` is a JSON of the conditions
and grades for checklists and scripts.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbook.export.platforms import common as c
from workbook.model import ScoringModel

PLATFORM = "Dynamics 365 Customer Insights – Journeys"
KNOCKOUT_POINTS_PER_SCALE = -1000  # far below any reachable fit score: the lowest grade


def scale(model: ScoringModel) -> int:
    return c.exact_scale(model)


def knockout_points(model: ScoringModel) -> int:
    return KNOCKOUT_POINTS_PER_SCALE * scale(model)


def _grades(bands: list[tuple[str, int]]) -> list[dict[str, Any]]:
    out = []
    for i, (name, lo) in enumerate(bands):
        hi = bands[i - 1][1] - 1 if i else None
        out.append({"grade": name, "from": lo if i < len(bands) - 1 else None, "to": hi})
    return out


def scoring_models(model: ScoringModel) -> dict[str, Any]:
    """Both scoring models as JSON (not an import file; a checklist of conditions and grades)."""
    s = scale(model)

    def groups(factors: list[c.Factor]) -> list[dict[str, Any]]:
        return [
            {"group": f.name, "conditions": [{"value": r.label, "when": r.words, "points": r.points}
                                             for r in c.criteria(f, s) if r.points]}
            for f in factors
        ]

    fit_groups = groups(list(model.profile))
    kos = c.knockout_words(model)
    if kos:
        fit_groups.append({"group": "Knockout", "conditions": [{"value": k, "points": knockout_points(model)}
                                                               for k in kos]})
    return {
        "note": "Not an import file: Customer Insights – Journeys has no import for scoring models.",
        "models": [
            {"name": f"Fit — {model.name}", "groups": fit_groups,
             "grades": _grades([(b.grade, c.threshold(b.min, s)) for b in model.profile_grades])},
            {"name": f"Engagement — {model.name}", "groups": groups(list(model.engagement)),
             "grades": _grades([(b.level, c.threshold(b.min, s)) for b in model.engagement_levels])},
        ],
        "states": dict(model.matrix),
    }


def guide(model: ScoringModel) -> str:
    """The printable step-by-step guide, in the order an admin clicks."""
    s = scale(model)
    data = scoring_models(model)
    out = [
        f"# {model.name} — Dynamics 365 Customer Insights – Journeys setup guide",
        "",
        f"{s} point(s) per percentage point of the model: every value below is exact.",
        "",
        "## 1. Turn on lead scoring",
        "Settings › Overview › Feature switches › Lead management: on.",
        "",
        f"## 2. Scoring model “Fit — {model.name}”",
        "Real-time journeys › Lead management › Scoring models › New. One group per attribute; one",
        "attribute condition per row (a value applies only when no earlier value of the group matched).",
    ]
    for f in model.profile:
        out += ["", f"### {f.name} (weight {c.number(f.weight)} %)", "", c.criteria_table(f, s)]
    kos = c.knockout_words(model)
    if kos:
        out += ["", f"### Knockout group: {knockout_points(model)} points when any of these hold", "",
                *[f"- {k}" for k in kos]]
    out += ["", f"## 3. Scoring model “Engagement — {model.name}”",
            "One group per activity; interaction conditions with the time window given (windows are",
            "nested: a lead within 7 days also meets the 30- and 60-day rows; the points add up)."]
    for f in model.engagement:
        out += ["", f"### {f.name} (weight {c.number(f.weight)} %)", "", c.criteria_table(f, s)]
    for m in data["models"]:
        rows = [(g["grade"], "—" if g["from"] is None else g["from"], "—" if g["to"] is None else g["to"])
                for g in m["grades"]]
        out += ["", f"## Grades of “{m['name']}”", "", c.md_table(["Grade", "Score from", "Score to"], rows)]
    out += ["", "## 4. The state",
            "A Power Automate flow on lead update (or a journey) reads both grades and sets “Lead scoring",
            "state”; the sales-ready threshold of the Fit model can mark the best grades:", "", c.grid_words(model)]
    return "\n".join(out) + "\n\n" + c.check_section(model, PLATFORM, simulator(model))


def approximations(model: ScoringModel) -> list[str]:
    notes = c.rounding_note(model, scale(model))
    if c.knockout_words(model):
        notes.append(
            f"No knockout in a scoring model: a knockout value is a {knockout_points(model)}-point condition "
            "in the Fit model, so the lead gets the lowest grade and the grid's state for that grade and its "
            f"engagement level — not always “{model.effective_knockout_state}”."
        )
    if any(c.is_dated(f) for f in model.engagement):
        notes.append(
            "Recency: each window is an interaction condition with a time window; an interaction counted "
            "once (its latest occurrence), as in the lead list."
        )
    notes.append("Two scoring models (fit and engagement), as one model gives one score and one grade scale.")
    return notes + c.neutral_note(model)


def simulator(model: ScoringModel) -> c.Simulator:
    s = scale(model)
    fit, eng = c.whole_point_tables(model, s)
    fit_t, eng_t = c.band_thresholds(model, s)

    def simulate(labels: c.Labels) -> c.Simulated:
        ko = c.knocked_out(model, labels)
        fit_score = c.add_up(fit, labels.profile) + np.where(ko, knockout_points(model), 0)
        level = c.band_of(c.add_up(eng, labels.engagement), eng_t)
        return c.Simulated(c.band_of(fit_score, fit_t), level, np.zeros(len(labels), dtype=bool))

    return simulate


PACK = c.PlatformPack(
    name="dynamics",
    platform=PLATFORM,
    label="Dynamics 365 Customer Insights – Journeys setup pack",
    description="Step-by-step guide for two lead scoring models (fit and engagement: condition groups, points, "
    "grades) and the state flow, the models as JSON, and the measured fidelity.",
    simulator=simulator,
    approximations=approximations,
    files={"dynamics-setup-guide.md": guide, "dynamics-scoring-models.json": scoring_models},
)
fidelity, render, FORMAT = PACK.fidelity, PACK.render, PACK.format
