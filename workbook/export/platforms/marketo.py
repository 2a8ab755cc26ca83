"""Adobe Marketo Engage setup pack: two score fields, smart campaigns with score tokens, decay campaigns.

How Marketo scores (public documentation read for this mapping):

* The Change Score flow step: pick a score field, ``+5`` / ``-5`` / ``=5``; several score fields
  are allowed: https://experienceleague.adobe.com/en/docs/marketo/using/product-docs/core-marketo-concepts/smart-campaigns/flow-actions/change-score
* Tokenized operational programs for behaviour and demographic scoring (score values in the
  program's My Tokens, score decay campaigns):
  https://experienceleague.adobe.com/en/docs/marketo/using/product-docs/core-marketo-concepts/programs/program-library/op-scoring-behavior,
  https://experienceleague.adobe.com/en/docs/marketo/using/product-docs/core-marketo-concepts/programs/program-library/op-scoring-demographic
* My Tokens through the Asset API (``POST /rest/asset/v1/folder/{id}/tokens.json``, form-encoded
  name / type / value / folderType; type ``score`` is a signed 32-bit integer; names up to 50
  characters): https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/assets/tokens

The mapping: a “Demographic Score” field for the profile and a “Behavior Score” field for the
activities, at a whole-point scale that keeps every value exact; one My Token per value (the
machine-readable file: one Asset API request per token); a demographic smart campaign whose
Change Score steps use *choices* (the first choice that applies wins — the model's first-match
rule); one trigger campaign per activity adding its freshest points and one batch decay
campaign per recency window subtracting what the activity loses as it ages; a state campaign
over both scores, and a knockout campaign. Marketo expresses the whole model except the
``missing: neutral`` rescaling.
"""

from __future__ import annotations

from typing import Any

from workbook.export.platforms import common as c
from workbook.model import ScoringModel

PLATFORM = "Adobe Marketo Engage"
FIT_FIELD, ENGAGEMENT_FIELD = "Demographic Score", "Behavior Score"
TOKEN_NAME_LIMIT = 50


def scale(model: ScoringModel) -> int:
    return c.exact_scale(model)


def token_name(model: ScoringModel, section: str, factor: c.Factor, label: str) -> str:
    """``score.fit.1.8 Student``: numbered (so unique) and cut to Marketo's 50 characters."""
    factors = model.profile if section == "fit" else model.engagement
    i = next(i for i, f in enumerate(factors) if f is factor) + 1
    j = next(j for j, v in enumerate(factor.values) if v.label == label) + 1
    return f"score.{section}.{i}.{j} {label}"[:TOKEN_NAME_LIMIT]


def tokens(model: ScoringModel, program_id: int | str = "PROGRAM_ID") -> list[dict[str, Any]]:
    """One Asset API *Create token* request per value: the program's score tokens."""
    s = scale(model)
    out = []
    for section, factors in (("fit", model.profile), ("engagement", model.engagement)):
        for f in factors:
            for r in c.criteria(f, s):
                out.append({
                    "endpoint": f"POST /rest/asset/v1/folder/{program_id}/tokens.json",
                    "form": {"name": token_name(model, section, f, r.label), "type": "score",
                             "value": f"{r.points:+d}", "folderType": "Program"},
                })
    return out


def thresholds(model: ScoringModel) -> tuple[list[int], list[int]]:
    s = scale(model)
    return c.band_thresholds(model, s)


def guide(model: ScoringModel) -> str:
    """The printable step-by-step guide, in the order an admin clicks."""
    s = scale(model)
    fit_t, eng_t = thresholds(model)
    out = [
        f"# {model.name} — Adobe Marketo Engage setup guide",
        "",
        f"{s} point(s) per percentage point of the model: every value below is exact.",
        "",
        "## 1. Score fields",
        f"Admin › Field Management › New custom field, type Score: “{FIT_FIELD}” and “{ENGAGEMENT_FIELD}”,",
        "and a String field “Lead Scoring State”.",
        "",
        "## 2. Program and My Tokens",
        f"Marketing Activities › New program “Scoring — {model.name}” (Default, operational).",
        "My Tokens › one Score token per row below (or send `marketo-tokens.json` to the Asset API).",
        "",
        f"## 3. Demographic score campaign ({FIT_FIELD})",
        "Smart campaign “Demographic score”: Smart List = Person is Created or any of the fields below",
        f"changes; Flow = Change Score {FIT_FIELD} “=0”, then one Change Score step per attribute whose",
        "*choices* are the rows in order (first choice that applies wins), Default = no change.",
    ]
    for f in model.profile:
        out += ["", f"### {f.name} (weight {c.number(f.weight)} %)", "",
                c.md_table(["Value", "Choice (token)", "If", "Change score by"],
                           [(r.label, f"{{{{my.{token_name(model, 'fit', f, r.label)}}}}}", r.words, f"{r.points:+d}")
                            for r in c.criteria(f, s)])]
    out += [
        "",
        f"## 4. Behavior score campaigns ({ENGAGEMENT_FIELD})",
        "Field-based activities: like step 3, one Change Score step with choices. Dated activities:",
        "a trigger campaign on the activity adds the first row's points (run each person through once",
        "per activity occurrence window); a daily batch campaign per further row subtracts the loss",
        "when the activity ages past the row's window (Smart List: activity in the past N days is false",
        "and was true yesterday). The rows are nested windows; their points add up to the model's value.",
    ]
    for f in model.engagement:
        out += ["", f"### {f.name} (weight {c.number(f.weight)} %)", "",
                c.md_table(["Value", "Token", "When", "Points"],
                           [(r.label, f"{{{{my.{token_name(model, 'engagement', f, r.label)}}}}}", r.words,
                             f"{r.points:+d}") for r in c.criteria(f, s)])]
    out += [
        "", "## 5. Thresholds and the state campaign",
        "Smart campaign “Lead scoring state”, triggered by Score is Changed (either field):",
        "one Change Data Value step with choices, best cell first:", "",
        c.md_table(["Profile grade", f"{FIT_FIELD} at least"], list(zip(model.grades, fit_t, strict=True))), "",
        c.md_table(["Engagement level", f"{ENGAGEMENT_FIELD} at least"], list(zip(model.levels, eng_t, strict=True))),
        "", c.grid_words(model),
    ]
    kos = c.knockout_words(model)
    if kos:
        state = model.effective_knockout_state
        out += ["", f"First choice — knockout: if any of these hold, the state is **{state}**:",
                *[f"- {k}" for k in kos]]
    return "\n".join(out) + "\n\n" + c.check_section(model, PLATFORM, simulator(model))


def approximations(model: ScoringModel) -> list[str]:
    notes = c.rounding_note(model, scale(model))
    notes.append(
        "Repeat activities: a trigger campaign fires on every occurrence; the model counts an activity "
        "once, at its latest date. Let each person run through each activity campaign once per window "
        "(qualification rules), as the guide says; the simulator counts one occurrence."
    )
    notes.append(
        "Decay campaigns run daily in batch, so a lead's behaviour score can lag its recency window by up to a day."
    )
    return notes + c.neutral_note(model)


def simulator(model: ScoringModel) -> c.Simulator:
    return c.whole_point_simulator(model, scale(model))


PACK = c.PlatformPack(
    name="marketo",
    platform=PLATFORM,
    label="Adobe Marketo Engage setup pack",
    description="Step-by-step guide for Marketo (score fields, My Tokens, smart campaigns with choices, decay "
    "campaigns, state campaign), the score tokens as Asset API requests, and the measured fidelity.",
    simulator=simulator,
    approximations=approximations,
    files={"marketo-setup-guide.md": guide, "marketo-tokens.json": tokens},
)
fidelity, render, FORMAT = PACK.fidelity, PACK.render, PACK.format
