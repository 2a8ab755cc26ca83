"""Salesforce Account Engagement (Pardot) setup pack: grading profile, scoring rules, decay, state rules.

How Account Engagement qualifies prospects (public documentation read for this mapping):

* Grades run from F to A+ in thirds of a letter; a prospect starts at D; a matched profile
  criterion raises the grade by its amount (⅓, ⅔ or 1 letter), a not-matched one lowers it;
  automation rules mark criteria matched from prospect field values; ten ⅓ steps take D to A+:
  https://help.salesforce.com/apex/HTViewHelpDoc?id=mktg.pardot_leadqual_grading_guidelines.htm,
  https://trailhead.salesforce.com/content/learn/modules/lead-scoring-and-grading-in-account-engagement/get-started-with-lead-grading,
  https://trailhead.salesforce.com/content/learn/modules/pardot-lead-scoring-and-grading-lightning/use-grading-lightning,
  http://www.pardot.com/kb/glossary/grades.html
* Scores are whole points added by scoring rules, completion actions and automation rules
  ("adjust prospect's score"); decay is done with automation rules on inactivity:
  https://sf-world.com/2023/06/12/account-engagement-pardot-training-sessions-grading-and-scoring,
  https://raw.githubusercontent.com/PranavNagrecha/AwesomeSalesforceSkills/main/skills/admin/mcae-lead-scoring-and-grading/SKILL.md

The mapping: the profile becomes the grading profile — each value's percentage points become
grade steps of ⅓ letter (10 points each, so 100 % = D + 10 steps = A+), rounded to whole steps;
a model grade becomes "grade at least …". The activities become score points (exact scale):
field-based values through automation rules, dated activities through scoring rules that add
the freshest window's points, and recency through decay rules on the prospect's *last
activity* (Account Engagement has no per-activity recency). States and knockouts are
automation rules on grade, score and fields. Account Engagement has no import format for
these settings: ``account-engagement-rules.json`` is a JSON of the rules for checklists and
scripts, not an import file.
"""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

import numpy as np

from workbook.engine import exact
from workbook.export.platforms import common as c
from workbook.match import effective_match
from workbook.model import ScoringModel

PLATFORM = "Salesforce Account Engagement"
LETTERS = ["F", "D-", "D", "D+", "C-", "C", "C+", "B-", "B", "B+", "A-", "A", "A+"]  # index = steps + 2
MIN_STEPS, MAX_STEPS = -2, 10
POINTS_PER_STEP = 10  # percentage points per ⅓ letter: D + 10 steps = A+


def letter(steps: int) -> str:
    return LETTERS[min(max(steps, MIN_STEPS), MAX_STEPS) + 2]


def steps_of(factor: c.Factor, value: Any) -> int:
    """A value's grade adjustment in ⅓ letters (its % points / 10, rounded)."""
    return c.whole(c.exact_points(factor, value) / POINTS_PER_STEP)


def grade_thresholds(model: ScoringModel) -> list[int]:
    """Per model grade, the lowest Account Engagement grade (in steps above D) that earns it."""
    return [math.ceil(exact(b.min) / POINTS_PER_STEP) for b in model.profile_grades]


def scale(model: ScoringModel) -> int:
    return c.exact_scale(model)


def _dated(model: ScoringModel) -> list[tuple[int, c.Factor]]:
    return [(j, f) for j, f in enumerate(model.engagement) if c.is_dated(f)]


def decay_rules(model: ScoringModel) -> list[tuple[int, int]]:
    """(days, points to subtract) per decay rule on "last activity more than N days ago".

    Each edge of a recency window becomes one rule; it subtracts the average, over the dated
    activities, of what an activity loses when it ages past that edge.
    """
    s = scale(model)
    dated = _dated(model)
    edges = sorted({effective_match(v).within_days for _, f in dated for v in f.values})

    def points_at(f: c.Factor, age: float) -> int:
        for v in f.values:
            if age <= effective_match(v).within_days:
                return c.platform_points(f, v, s)
        return 0

    rules = []
    for e in edges:
        drop = [points_at(f, e) - points_at(f, e + 0.5) for _, f in dated]
        rules.append((e, c.whole(Fraction(sum(drop), len(drop)))))
    return rules


def score_thresholds(model: ScoringModel) -> list[int]:
    return [c.threshold(b.min, scale(model)) for b in model.engagement_levels]


def rules(model: ScoringModel) -> dict[str, Any]:
    """Every rule as JSON (a checklist for the admin; Account Engagement imports no such file)."""
    s = scale(model)
    return {
        "note": "Not an import file: Account Engagement has no import for profiles and rules. "
        "A JSON of the rules this guide sets up.",
        "profile": {
            "name": model.name,
            "criteria": [
                {"attribute": f.name, "value": v.label, "when": c.rule_words(f, v) + c.exclusion_words(f, i),
                 "grade_steps": steps_of(f, v)}
                for f in model.profile
                for i, v in enumerate(f.values)
                if steps_of(f, v)
            ],
        },
        "scoring": [
            {"activity": f.name, "value": v.label, "when": c.rule_words(f, v) + c.exclusion_words(f, i),
             "points": c.platform_points(f, v, s)}
            for f in model.engagement
            for i, v in enumerate(f.values)
            if not c.is_dated(f) or i == 0
        ],
        "decay": [{"last_activity_more_than_days": d, "adjust_score_by": -p} for d, p in decay_rules(model) if p],
        "grade_thresholds": [{"grade": b.grade, "at_least": letter(t)}
                             for b, t in zip(model.profile_grades, grade_thresholds(model), strict=True)],
        "score_thresholds": [{"level": b.level, "at_least": t}
                             for b, t in zip(model.engagement_levels, score_thresholds(model), strict=True)],
        "knockouts": c.knockout_words(model),
        "states": {cell: state for cell, state in model.matrix.items()},
    }


def guide(model: ScoringModel) -> str:
    """The printable step-by-step guide, in the order an admin clicks."""
    s = scale(model)
    out = [
        f"# {model.name} — Salesforce Account Engagement setup guide",
        "",
        "## 1. Grading profile (the ICP)",
        f"Account Engagement settings › Automation settings › Profiles › Add profile “{model.name}”.",
        "Add one criterion per row below with its grade adjustment (⅓ letter = one step; a criterion",
        "moves at most one letter, so split larger steps into several criteria). A positive step is",
        "*matched* by an automation rule; a negative one is marked *not matched*, which lowers the grade.",
    ]
    for f in model.profile:
        rows = [(v.label, c.rule_words(f, v) + c.exclusion_words(f, i), steps_of(f, v)) for i, v in enumerate(f.values)]
        out += ["", f"### {f.name} (weight {c.number(f.weight)} %)", "",
                c.md_table(["Value", "Mark matched when", "Steps of ⅓ letter"], rows)]
    out += [
        "",
        "Then Automations › Automation rules: one rule per row above (criteria = the prospect field",
        "condition; action = change profile criteria to matched / not matched).",
        "",
        "## 2. Scoring (the activities)",
        f"{s} point(s) per percentage point of the model. Field-based values: an automation rule per",
        "value, action “adjust prospect's score by”. Dated activities: a scoring rule or completion",
        "action adds the freshest window's points each time the activity happens.",
    ]
    for f in model.engagement:
        if c.is_dated(f):
            v = f.values[0]
            rows = [(f"{v.label} (on the activity)", f"the activity happens ({f.source_column})",
                     c.platform_points(f, v, s))]
        else:
            rows = [(v.label, c.rule_words(f, v) + c.exclusion_words(f, i), c.platform_points(f, v, s))
                    for i, v in enumerate(f.values)]
        out += ["", f"### {f.name} (weight {c.number(f.weight)} %)", "", c.md_table(["Value", "When", "Points"], rows)]
    decay = [(f"more than {d} days", -p) for d, p in decay_rules(model) if p]
    if decay:
        out += ["", "## 3. Decay", "Automation rules on Prospect time › Last activity › days ago, each matching once:",
                "", c.md_table(["Last activity", "Adjust score by"], decay)]
    grades = [(b.grade, letter(t)) for b, t in zip(model.profile_grades, grade_thresholds(model), strict=True)]
    out += ["", "## 4. Grade and score thresholds", "",
            c.md_table(["Model grade", "Prospect grade at least"], grades),
            "",
            c.md_table(["Engagement level", "Prospect score at least"],
                       list(zip(model.levels, score_thresholds(model), strict=True))),
            "",
            "## 5. States: automation rules",
            "Create a prospect custom field “Lead scoring state”. One automation rule per cell, best first",
            "(grade in the cell's range and score in the level's range → set the field):",
            "", c.grid_words(model)]
    kos = c.knockout_words(model)
    if kos:
        state = model.effective_knockout_state
        out += ["", f"Knockout rule (add it to every state rule as an exclusion, and set **{state}**):",
                *[f"- {k}" for k in kos]]
    return "\n".join(out) + "\n\n" + c.check_section(model, PLATFORM, simulator(model))


def approximations(model: ScoringModel) -> list[str]:
    t = grade_thresholds(model)
    rounded = next(
        (f" (e.g. {f.name} = {v.label}: {c.number(c.exact_points(f, v))} points → {steps_of(f, v)} steps)"
         for f in model.profile for v in f.values if steps_of(f, v) * POINTS_PER_STEP != c.exact_points(f, v)),
        "",
    )
    notes = [
        f"Grades in ⅓-letter steps: each value's profile points become steps of 10 points, rounded{rounded}; "
        "a model grade becomes “grade at least …”: "
        + ", ".join(f"{b.grade} ≥ {letter(x)} (= {x * POINTS_PER_STEP} %, model {c.number(b.min)} %)"
                    for b, x in zip(model.profile_grades, t, strict=True))
        + ". No grid: the states are automation rules on grade and score ranges (exact once grades are).",
    ]
    if _dated(model):
        notes.append(
            "Decay instead of recency bands: an activity earns its freshest points when it happens; "
            "the score then decays on the prospect's last activity (any activity), by the average loss "
            "of an activity at each window edge — an old demo request keeps its points while the prospect "
            "stays active elsewhere, and a lead with one activity loses the average, not that activity's loss."
        )
    notes += c.rounding_note(model, scale(model))
    notes.append("Knockouts: an automation rule on the prospect fields sets the knockout state (exact).")
    return notes + c.neutral_note(model)


def simulator(model: ScoringModel) -> c.Simulator:
    s = scale(model)
    steps = c.points_table(model.profile, steps_of)
    dated = dict(_dated(model))
    plain = c.points_table(model.engagement, lambda f, v: c.platform_points(f, v, s))
    for j in dated:  # dated activities score through their freshest points and the decay rules
        plain[j] = np.zeros_like(plain[j])
    fresh = {j: c.platform_points(f, f.values[0], s) for j, f in dated.items()}
    windows = {j: np.array([effective_match(v).within_days for v in f.values] + [10**9]) for j, f in dated.items()}
    decay = decay_rules(model)
    gt, st = grade_thresholds(model), score_thresholds(model)

    def simulate(labels: c.Labels) -> c.Simulated:
        grade_steps = np.clip(c.add_up(steps, labels.profile), MIN_STEPS, MAX_STEPS)
        score = c.add_up(plain, labels.engagement)
        last = np.full(len(labels), 10**9)
        for j in dated:
            idx = labels.engagement[:, j]
            present = idx < len(model.engagement[j].values)
            score += np.where(present, fresh[j], 0)
            last = np.minimum(last, windows[j][idx])
        for days, points in decay:
            score -= np.where((last > days) & (last < 10**9), points, 0)
        return c.Simulated(c.band_of(grade_steps, gt), c.band_of(score, st), c.knocked_out(model, labels))

    return simulate


PACK = c.PlatformPack(
    name="account-engagement",
    platform=PLATFORM,
    label="Salesforce Account Engagement setup pack",
    description="Step-by-step guide for Account Engagement (grading profile in ⅓-letter steps, scoring and "
    "decay rules, automation rules for the states), the rules as JSON, and the measured fidelity.",
    simulator=simulator,
    approximations=approximations,
    files={"account-engagement-setup-guide.md": guide, "account-engagement-rules.json": rules},
)
fidelity, render, FORMAT = PACK.fidelity, PACK.render, PACK.format
