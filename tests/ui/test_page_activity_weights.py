"""AppTest: the Activity weights page — activities, weights, recency values, knockouts, match rules.

The page body is shared with ICP weights (workbook/ui/factors_page.py); these tests drive
the "engagement" section of the default workbook, scenarios/sales_automation.yaml:

    0 Demo request 25 · 1 Pricing-page visit 15 · 2 Competitor-comparison video 12
    3 Webinar attended 12 · 4 Case-study download 10 · 5 E-mail click 10 · 6 Company video 6
    7 Unsubscribe 10 (Resubscribed 100, Unsubscribed -100)

Recency values: Within 7 days · Within 30 days · Within 60 days · Older (within_days 7/30/60/365).
Engagement levels: 1 ≥ 50, 2 ≥ 30, 3 ≥ 10, 4. Expected results are worked out by hand.
"""

from __future__ import annotations

import re

import pytest

from workbook.engine import agreement, evaluate_scenarios
from workbook.model import Match
from workbook.ui.factors_page import match_rules_key
from workbook.ui.text import md

PAGE = "pages/activity_weights.py"
REVOPS = "RevOps head at a mid-size SaaS company, demo last week"
FINTECH = "VP Sales at a 300-person fintech, demo six weeks ago"
UNSUBSCRIBED = "RevOps lead who unsubscribed but still checks pricing"
SPRING = "Head of sales at a target account, demo request last spring"


@pytest.fixture
def at(open_page):
    return open_page(PAGE)


def result(model, name):
    return next(r for r in evaluate_scenarios(model) if r.name == name)


def errors(at) -> list[str]:
    """The error messages as a person reads them (Markdown escapes removed)."""
    return [re.sub(r"\\(.)", r"\1", e.value) for e in at.error]


def sidebar_metric(at, label):
    return next(m for m in at.sidebar.metric if m.label == label)


def scenarios_shown(at):
    df = next(d.value for d in at.dataframe if "Scenario" in getattr(d.value, "columns", []))
    return {row["Scenario"]: row for row in df.to_dict("records")}


def test_page_shows_activities_recency_values_and_rules(at, model_of, key_of):
    keys = {e.key for e in at.data_editor}
    assert key_of(at, "engagement_factors") in keys
    assert {key_of(at, f"engagement_values_{i}") for i in range(8)} <= keys
    assert [s.value for s in at.main.success] == ["Weights add up to 100 %"]
    assert any("recency" in c.value for c in at.main.caption), "the page explains recency values"
    values = at.data_editor(key=key_of(at, "engagement_values_0")).value
    assert list(values["label"]) == ["Within 7 days", "Within 30 days", "Within 60 days", "Older"]
    assert list(values["score"]) == [100, 80, 60, 20]
    unsubscribe = at.data_editor(key=key_of(at, "engagement_values_7")).value
    assert list(unsubscribe["score"]) == [100, -100]
    assert len(at.get("plotly_chart")) == 1  # the weights; values earn their bars in their tables
    # The match rules, collapsed, are built when opened.
    assert not any(k.startswith("engagement_match_") for k in keys)
    at.session_state[match_rules_key("engagement", 0)] = True
    at.run()
    rules = at.data_editor(key=key_of(at, "engagement_match_0")).value
    assert list(rules["within_days"]) == [7, 30, 60, 365]
    assert at.text_input(key=key_of(at, "engagement_column_0")).value == "demo_request_date"


def test_changing_a_weight_moves_a_scenario_across_a_level(at, edit_table, model_of):
    before = model_of(at)
    assert result(before, REVOPS).result.engagement_pct == 48
    edit_table(at, "engagement_factors", edited={1: {"weight": 17}})  # Pricing-page visit 15 → 17
    model = model_of(at)
    assert [f.weight for f in model.engagement] == [25, 17, 12, 12, 10, 10, 6, 10]
    # By hand: demo 7 days 25 × 100 % + pricing 7 days 17 × 100 % + case study 30 days 10 × 80 % = 50
    # exactly → level 1 (min 50); profile A → A1. The team estimated level 2: no longer agrees.
    r = result(model, REVOPS)
    assert (r.result.engagement_pct, r.result.cell, r.result.state, r.agrees) == (50, "A1", "Send to sales", False)
    row = scenarios_shown(at)[REVOPS]
    assert (row["Engagement %"], row["Cell"], row["Agrees"]) == ("50 %", "A1", "✗")
    assert "Weights add up to 102 % — 2 points over 100" in [w.value for w in at.main.warning]
    assert sidebar_metric(at, "Activity weights").value == "102 %"
    # The agreement in the sidebar is the engine's on a model changed by hand the same way.
    expected = before.model_copy(deep=True)
    expected.engagement[1].weight = 17
    agree = agreement(evaluate_scenarios(expected))
    assert sidebar_metric(at, "Scenario agreement").value == f"{agree.agreeing} of {agree.with_estimate}"
    assert agree.agreeing == 16


def test_recency_value_score_and_rename(at, edit_table, model_of):
    assert result(model_of(at), FINTECH).result.cell == "A3"
    edit_table(at, "engagement_values_0", edited={2: {"score": 100}, 3: {"label": "Within a year"}})
    model = model_of(at)
    assert [(v.label, v.score) for v in model.engagement[0].values] == [
        ("Within 7 days", 100), ("Within 30 days", 80), ("Within 60 days", 100), ("Within a year", 20)]
    assert model.engagement[0].values[3].match == Match(within_days=365), "the rule stays with the value"
    spring = next(s for s in model.scenarios if s.name == SPRING)
    assert spring.engagement["Demo request"] == "Within a year"
    # By hand: demo 60 days now 25 × 100 % + pricing 60 days 15 × 40 % + e-mail 30 days 10 × 60 %
    #        = 25 + 6 + 6 = 37 → level 2; profile A → A2 → Send to sales.
    r = result(model, FINTECH)
    assert (r.result.engagement_pct, r.result.cell, r.result.state) == (37, "A2", "Send to sales")


def test_a_score_out_of_range_is_refused(at, edit_table, model_of):
    before = model_of(at)
    edit_table(at, "engagement_values_7", edited={1: {"score": -150}})
    assert model_of(at) == before
    assert any("a score must be between -100 and 100" in e for e in errors(at))


def test_knockout_on_unsubscribed(at, edit_table, model_of):
    assert result(model_of(at), UNSUBSCRIBED).result.state == "Nurture"
    edit_table(at, "engagement_values_7", edited={1: {"knockout": True}})
    model = model_of(at)
    assert model.engagement[7].values[1].knockout is True
    r = result(model, UNSUBSCRIBED)
    # Scores unchanged (15 + 5 − 10 = 10 → level 3), but knocked out → Ignore.
    assert (r.result.engagement_pct, r.result.knocked_out, r.result.state) == (10, True, "Ignore")
    assert scenarios_shown(at)[UNSUBSCRIBED]["Computed state"] == "Ignore"


def test_editing_recency_match_rules(at, edit_table, model_of):
    for index in (0, 7):
        at.session_state[match_rules_key("engagement", index)] = True
    at.run()
    assert not at.exception
    edit_table(at, "engagement_match_0", edited={3: {"within_days": 180}})
    assert model_of(at).engagement[0].values[3].match == Match(within_days=180)
    edit_table(at, "engagement_match_7", edited={1: {"equals": "unsubscribed, opted out, \"bounced, hard\""}})
    assert model_of(at).engagement[7].values[1].match == Match(equals=["unsubscribed", "opted out", "bounced, hard"])
    before = model_of(at)
    edit_table(at, "engagement_match_0", edited={0: {"within_days": 1.5}})
    assert model_of(at) == before
    assert any("value 'Within 7 days': within days must be a whole number" in e for e in errors(at))


def test_moving_deleting_and_adding_activities(at, edit_table, model_of):
    assert at.button(key="engagement_down_7").disabled
    at.button(key="engagement_up_7").click().run()
    assert not at.exception
    assert [f.name for f in model_of(at).engagement][-2:] == ["Unsubscribe", "Company video"]
    edit_table(at, "engagement_factors", deleted=[7])  # Company video, now last
    model = model_of(at)
    assert "Company video" not in [f.name for f in model.engagement]
    assert not any("Company video" in s.engagement for s in model.scenarios)
    assert "Weights add up to 94 % — 6 points short of 100" in [w.value for w in at.main.warning]
    edit_table(at, "engagement_factors", added=[{"name": "Free-trial sign-up", "weight": 6}])
    model = model_of(at)
    assert (model.engagement[-1].name, model.engagement[-1].weight, model.engagement[-1].values) == (
        "Free-trial sign-up", 6, [])
    assert [s.value for s in at.main.success] == ["Weights add up to 100 %"]


def test_duplicate_labels_are_refused(at, edit_table, model_of):
    before = model_of(at)
    edit_table(at, "engagement_values_0", edited={1: {"label": "within 7 days"}})
    assert model_of(at) == before
    assert any("unique" in e for e in errors(at))


def test_user_text_is_shown_literally(at, edit_table, model_of, key_of):
    edit_table(at, "engagement_factors", edited={0: {"name": "<b>Demo</b> [x](javascript:alert(1))"}})
    edit_table(at, "engagement_values_0", edited={0: {"label": "**7 days**"}})
    model = model_of(at)
    assert model.engagement[0].name == "<b>Demo</b> [x](javascript:alert(1))"
    assert model.engagement[0].values[0].label == "**7 days**"
    markdown = [m.value for m in at.markdown]
    assert f"#### 1\\. {md(model.engagement[0].name)}" in markdown
    assert not any("<b>" in t or "](javascript" in t or "**7 days**" in t for t in markdown)
    assert at.data_editor(key=key_of(at, "engagement_values_0")).value["label"][0] == "**7 days**"
    assert at.data_editor(key=key_of(at, "engagement_factors")).value["name"][0] == model.engagement[0].name
