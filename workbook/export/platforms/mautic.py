"""Mautic setup pack: point groups, point actions, point triggers, stages — as REST API payloads.

How Mautic scores (public documentation read for this mapping):

* Points: point actions change a contact's points (+/-) when the contact does something (form
  submitted, page hit, asset downloaded, e-mail opened…), optionally repeatable, optionally in a
  point group; point triggers fire events when a contact reaches a number of points:
  https://docs.mautic.org/en/5.2/points/points.html
* Point groups: separate scores per group, usable in point actions, point triggers, campaign
  conditions (“contact points”), campaign actions (adjust points) and segment filters:
  https://mautic-documentation.readthedocs.io/en/4.x/points/point_groups.html
* Manage actions, triggers and groups from the Points menu:
  https://df-manual.gitbook.io/df-book/all-circles/mautic-documentation-guide/how-to-manage-actions-triggers-and-groups
* REST API: ``POST /api/points/groups/new`` (name, description), ``POST /api/points/new`` (name,
  description, type, delta, isPublished; types asset.download, email.send, email.open,
  form.submit, page.hit, url.hit), ``POST /api/points/triggers/new`` (points, color,
  trigger_existing_leads, events such as lead.changetags), ``POST /api/stages/new``:
  https://github.com/mautic/developer-documentation-new/blob/main/docs/rest_api/point_groups.rst,
  https://github.com/mautic/developer-documentation-new/blob/main/docs/rest_api/point_actions.rst,
  https://github.com/mautic/developer-documentation-new/blob/main/docs/rest_api/point_triggers.rst,
  https://github.com/mautic/developer-documentation-new/blob/main/docs/rest_api/stages.rst

The mapping: two point groups, Fit and Engagement, at a whole-point scale that keeps every
value exact. Profile attributes are contact fields, which point actions do not watch: a
campaign with “contact field value” conditions and “adjust contact points” actions scores them
(first matching value wins, through the condition order). Dated activities are point actions
(not repeatable) worth the freshest window's points; Mautic's points do not decay, so an
activity keeps those points however long ago it happened — the main approximation, measured.
Field-based activities are scored by the campaign too. States are stages, set by campaign
conditions on both group scores; knockouts by a campaign condition. Point triggers tag each
engagement level as it is reached.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from workbook.export.platforms import common as c
from workbook.model import ScoringModel

PLATFORM = "Mautic"
_ACTION_TYPES = (  # keyword in the activity's name → Mautic point action type
    (("download",), "asset.download"),
    (("e-mail open", "email open"), "email.open"),
    (("visit", "page", "video"), "page.hit"),
    (("click",), "url.hit"),
)


def scale(model: ScoringModel) -> int:
    return c.exact_scale(model)


def action_type(name: str) -> str:
    """A guess at the point action type that records an activity; the guide asks to check it."""
    lowered = name.lower()
    for words, kind in _ACTION_TYPES:
        if any(w in lowered for w in words):
            return kind
    return "form.submit"


def payloads(model: ScoringModel) -> dict[str, Any]:
    """REST API request bodies, in the order to send them, with only the fields the API documents."""
    s = scale(model)
    fit_group, eng_group = f"Fit — {model.name}", f"Engagement — {model.name}"
    actions = [
        {
            "name": f"{f.name}: {f.values[0].label}"[:190],
            "description": f"Lead scoring model “{model.name}”: {c.rule_words(f, f.values[0])}. "
            "Check that the action type records this activity.",
            "type": action_type(f.name),
            "delta": c.platform_points(f, f.values[0], s),
            "isPublished": True,
        }
        for f in model.engagement
        if c.is_dated(f) and c.platform_points(f, f.values[0], s)
    ]
    triggers = [
        {
            "name": f"Engagement level {b.level}",
            "description": f"Reached engagement level {b.level} of “{model.name}”.",
            "points": c.threshold(b.min, s),
            "color": "2a9d8f",
            "isPublished": True,
            "trigger_existing_leads": True,
            "events": [{"name": f"Tag level {b.level}", "type": "lead.changetags", "order": 1,
                        "properties": {"add_tags": [f"engagement-level-{b.level}"], "remove_tags": []}}],
        }
        for b in model.engagement_levels[:-1]
    ]
    stages = [
        {"name": st.name, "weight": len(model.states) - i, "description": st.action or "", "isPublished": True}
        for i, st in enumerate(model.states)
    ]
    return {
        "1 POST /api/points/groups/new": [{"name": fit_group, "description": "Profile (ICP) points"},
                                          {"name": eng_group, "description": "Engagement points"}],
        "2 POST /api/points/new": actions,
        "3 POST /api/points/triggers/new": triggers,
        "4 POST /api/stages/new": stages,
        "note": "The REST API documents no point-group or repeatable field on point actions and triggers: after "
        "creating them, set Point group = Engagement and Is repeatable = No in Points › Manage actions / "
        "Manage triggers. Field-based scoring, knockouts and states are campaign steps (see the guide).",
    }


def guide(model: ScoringModel) -> str:
    """The printable step-by-step guide, in the order an admin clicks."""
    s = scale(model)
    out = [
        f"# {model.name} — Mautic setup guide",
        "",
        f"{s} point(s) per percentage point of the model. `mautic-api.json` holds the REST API bodies",
        "for steps 1, 3, 4 and 5.",
        "",
        "## 1. Point groups",
        f"Points › Manage groups › New: “Fit — {model.name}” and “Engagement — {model.name}”.",
        "",
        "## 2. Fit points: a campaign",
        "Campaigns › New, segment = all contacts. For each attribute, a chain of *Contact field value*",
        "conditions in the order below; on yes, *Adjust contact points* in the Fit group (a value applies",
        "only when no earlier value of the attribute matched).",
    ]
    for f in model.profile:
        out += ["", f"### {f.name} (weight {c.number(f.weight)} %)", "", c.criteria_table(f, s)]
    out += ["", "## 3. Engagement points",
            "Dated activities: Points › Manage actions › New — one point action per activity, not",
            "repeatable, Engagement group, worth the freshest window's points. Field-based activities: the",
            "campaign of step 2, adjusting the Engagement group."]
    for f in model.engagement:
        if c.is_dated(f):
            v = f.values[0]
            rows = [(v.label, f"point action “{action_type(f.name)}” on {f.source_column}", c.platform_points(f, v, s))]
            out += ["", f"### {f.name} (weight {c.number(f.weight)} %)", "",
                    c.md_table(["Value", "When", "Points"], rows)]
        else:
            out += ["", f"### {f.name} (weight {c.number(f.weight)} %)", "", c.criteria_table(f, s)]
    fit_t = [(b.grade, c.threshold(b.min, s)) for b in model.profile_grades]
    eng_t = [(b.level, c.threshold(b.min, s)) for b in model.engagement_levels]
    out += ["", "## 4. Point triggers", "Points › Manage triggers › New, Engagement group: one per level (tags it):",
            "",
            c.md_table(["Engagement level", "Points at least"], eng_t),
            "", "## 5. Stages and the state campaign",
            "Stages › New: one stage per state. In the campaign, *Contact points* conditions on both groups,",
            "best cell first, then *Change contact's stage*:", "",
            c.md_table(["Profile grade", "Fit points at least"], fit_t), "", c.grid_words(model)]
    kos = c.knockout_words(model)
    if kos:
        out += ["", f"Knockout first: if any of these hold, stage **{model.effective_knockout_state}**:",
                *[f"- {k}" for k in kos]]
    return "\n".join(out) + "\n\n" + c.check_section(model, PLATFORM, simulator(model))


def approximations(model: ScoringModel) -> list[str]:
    notes = []
    if any(c.is_dated(f) for f in model.engagement):
        notes.append(
            "No decay: Mautic's points do not expire, so a dated activity keeps its freshest points "
            "(e.g. “Within 7 days”) however long ago it happened; the model's lower scores for older "
            "activity are lost. A campaign with waits and negative point adjustments could decay them; "
            "this pack does not build it."
        )
    notes += c.rounding_note(model, scale(model))
    notes.append("Knockouts: a campaign condition moves the contact to the knockout stage (exact).")
    notes.append("Point actions are not repeatable, so an activity counts once, as in the model.")
    return notes + c.neutral_note(model)


def simulator(model: ScoringModel) -> c.Simulator:
    s = scale(model)
    fit, eng = c.whole_point_tables(model, s)
    for j, f in enumerate(model.engagement):
        if c.is_dated(f):  # every window earns the freshest points: no decay
            eng[j] = np.array([c.platform_points(f, f.values[0], s)] * len(f.values) + [0], dtype=float)
    return c.additive_simulator(model, fit, eng, *c.band_thresholds(model, s))


PACK = c.PlatformPack(
    name="mautic",
    platform=PLATFORM,
    label="Mautic setup pack",
    description="Step-by-step guide for Mautic (point groups, point actions, point triggers, stages, the scoring "
    "campaign), REST API payloads, and the measured fidelity.",
    simulator=simulator,
    approximations=approximations,
    files={"mautic-setup-guide.md": guide, "mautic-api.json": payloads},
)
fidelity, render, FORMAT = PACK.fidelity, PACK.render, PACK.format
