"""AppTest: the ICP weights page — attributes, weights, values, knockouts, match rules, order.

The page body is shared with Activity weights (workbook/ui/factors_page.py); these tests
drive the "profile" section on the default workbook, scenarios/sales_automation.yaml:

    0 Job role 30 · 1 Employees 20 · 2 Organisation type 15 · 3 Area of interest 15
    4 Geography 10 · 5 E-mail domain 10

Expected results are worked out by hand below, never taken from the code under test.
"""

from __future__ import annotations

import pytest

from workbook.engine import evaluate_scenarios
from workbook.model import Match
from workbook.ui.factors_page import _weights_only, match_rules_key
from workbook.ui.keys import StateKeys
from workbook.ui.sidebar import SIDEBAR
from workbook.ui.text import md

PAGE = "pages/icp_weights.py"
ENTERPRISE = "Enterprise VP Sales at a manufacturer, comparing vendors"
FOUNDER = "Founder of a six-person startup, demo request yesterday"
COMPETITOR = "Competitor employee posing as a sales manager"


@pytest.fixture
def at(open_page):
    return open_page(PAGE)


def result(model, name):
    return next(r for r in evaluate_scenarios(model) if r.name == name)


def sidebar_metric(at, label):
    return next(m for m in at.sidebar.metric if m.label == label)


def scenarios_shown(at):
    """The page's table of where the scenarios land: scenario name → row."""
    df = next(d.value for d in at.dataframe if "Scenario" in getattr(d.value, "columns", []))
    return {row["Scenario"]: row for row in df.to_dict("records")}


def test_page_shows_attributes_values_and_weight_total(at, model_of, key_of):
    model = model_of(at)
    keys = {e.key for e in at.data_editor}
    assert key_of(at, "profile_factors") in keys
    assert {key_of(at, f"profile_values_{i}") for i in range(6)} <= keys
    assert not any(k.startswith("profile_match_") for k in keys), "match rules are built only when opened"
    assert [s.value for s in at.main.success] == ["Weights add up to 100 %"]
    factors = at.data_editor(key=key_of(at, "profile_factors")).value
    assert list(factors["name"]) == [f.name for f in model.profile]
    assert list(factors["weight"]) == [30, 20, 15, 15, 10, 10]
    # Per value: how many scenarios pick it (counted in the YAML: 8 scenarios are 200-999 employees).
    employees = at.data_editor(key=key_of(at, "profile_values_1")).value
    assert dict(zip(employees["label"], employees["scenarios"], strict=True))["200-999 employees"] == 8
    # What each value earns (weight 20 × score ÷ 100), drawn as a bar in the table.
    earns = dict(zip(employees["label"], employees["points"], strict=True))
    assert earns == {"5,000+ employees": 10, "1,000-4,999 employees": 16, "200-999 employees": 20,
                     "50-199 employees": 12, "10-49 employees": 4, "Fewer than 10 employees": 0}
    # The weights chart; each attribute's weight also in a number input on its card.
    assert len(at.get("plotly_chart")) == 1
    assert [at.number_input(key=key_of(at, f"profile_weight_{i}")).value for i in range(6)] == [30, 20, 15, 15,
                                                                                               10, 10]
    # The match rules are collapsed by default.
    assert [e.label for e in at.expander].count("Match rules for lead lists (advanced)") == 6
    assert not any(e.proto.expanded for e in at.expander if e.label.startswith("Match rules"))


def test_changing_a_weight_shows_everywhere(at, edit_table, model_of):
    before = result(model_of(at), ENTERPRISE)
    assert (before.result.profile_pct, before.result.cell, before.result.state) == (71, "B2", "Qualify")
    edit_table(at, "profile_factors", edited={0: {"weight": 35}})  # Job role 30 → 35
    model = model_of(at)
    assert [f.weight for f in model.profile] == [35, 20, 15, 15, 10, 10]
    # By hand: 35 × 80 % + 20 × 50 % + 15 × 70 % + 15 × 70 % + 10 × 100 % + 10 × 60 %
    #        = 28 + 10 + 10.5 + 10.5 + 10 + 6 = 75 exactly → grade A (min 75); engagement 44.5 → level 2.
    after = result(model, ENTERPRISE)
    assert after.result.profile_pct == 75
    assert (after.result.cell, after.result.state) == ("A2", "Send to sales")
    assert after.agrees is True
    # The page: the flag says by how much, the scenario table follows.
    assert [w.value for w in at.main.warning if "Weights add up" in w.value] == [
        "Weights add up to 105 % — 5 points over 100"]
    row = scenarios_shown(at)[ENTERPRISE]
    assert (row["Profile %"], row["Cell"], row["Computed state"], row["Agrees"]) == ("75 %", "A2", "Send to sales", "✓")
    # The sidebar: weight total and agreement (17 of 21 before, this scenario now agrees too).
    assert sidebar_metric(at, "ICP weights").value == "105 %"
    assert sidebar_metric(at, "Scenario agreement").value == "18 of 21"


def test_the_weight_input_on_a_card_updates_the_page_and_the_sidebar(at, model_of, key_of):
    untouched = key_of(at, "profile_values_3")
    at.number_input(key=key_of(at, "profile_weight_0")).set_value(35).run()  # Job role 30 → 35
    assert not at.exception
    assert [f.weight for f in model_of(at).profile] == [35, 20, 15, 15, 10, 10]
    # Only the card, the overview and the sidebar ran again (AppTest's tree holds just them):
    # they show everything the edit changed. Same hand-worked result as through the table.
    assert not any(n.key.startswith("profile_values_3@") for n in at.data_editor), "card 3 did not rerun"
    row = scenarios_shown(at)[ENTERPRISE]
    assert (row["Profile %"], row["Cell"], row["Computed state"], row["Agrees"]) == ("75 %", "A2", "Send to sales", "✓")
    assert [w.value for w in at.main.warning if "Weights add up" in w.value] == [
        "Weights add up to 105 % — 5 points over 100"]
    assert sidebar_metric(at, "ICP weights").value == "105 %"
    assert sidebar_metric(at, "Scenario agreement").value == "18 of 21"
    # The card and the table show the new weight: Job role earns up to 35 points now.
    assert at.number_input(key=key_of(at, "profile_weight_0")).value == 35
    assert list(at.data_editor(key=key_of(at, "profile_factors")).value["weight"])[0] == 35
    assert max(at.data_editor(key=key_of(at, "profile_values_0")).value["points"]) == 35
    # The next full run: a table showing nothing that changed keeps its key (the browser
    # keeps it as it is); the whole page agrees with the new weight.
    at.run()
    assert key_of(at, "profile_values_3") == untouched
    assert sidebar_metric(at, "ICP weights").value == "105 %"
    assert scenarios_shown(at)[ENTERPRISE]["Computed state"] == "Send to sales"


def test_an_edit_on_another_card_after_a_weight_edit_keeps_both(at, edit_table, model_of, key_of):
    at.number_input(key=key_of(at, "profile_weight_0")).set_value(35).run()
    at.run()
    edit_table(at, "profile_values_1", edited={5: {"score": 10}})  # Fewer than 10 employees 0 → 10
    model = model_of(at)
    assert model.profile[0].weight == 35
    assert model.profile[1].values[5].score == 10
    at.number_input(key=key_of(at, "profile_weight_4")).set_value(5).run()  # Geography 10 → 5
    assert [f.weight for f in model_of(at).profile] == [35, 20, 15, 15, 5, 10]
    assert model_of(at).profile[1].values[5].score == 10


def test_a_weight_typed_while_someone_renamed_the_attribute_is_refused_in_words(at, model_of, key_of, store):
    """Someone else renames Job role while this room still shows its card: the weight typed
    into the old card clashes (it changes an attribute that is gone). It is refused with one
    line saying why, and the whole page reruns to show the renamed attribute."""
    other = model_of(at).model_copy(deep=True)
    other.profile[0].name = "Role"
    for scenario in other.scenarios:
        if "Job role" in scenario.profile:
            scenario.profile["Role"] = scenario.profile.pop("Job role")
    store.commit(at.session_state[StateKeys.WORKBOOK], base_revision=at.session_state[StateKeys.BASE], new_model=other)
    at.number_input(key=key_of(at, "profile_weight_0")).set_value(35).run()
    assert not at.exception
    model = model_of(at)
    assert (model.profile[0].name, model.profile[0].weight) == ("Role", 30)
    [error] = at.main.error
    assert error.value.count("ICP attribute 'Job role'") == 1
    assert "someone else removed it" in error.value
    # Refused: the whole app reran, every card is there, the first one renamed.
    assert len([e for e in at.data_editor if e.key.startswith("profile_values_")]) == 6
    assert at.number_input(key=key_of(at, "profile_weight_0")).value == 30
    assert "#### 1\\. Role" in [m.value for m in at.markdown]


def test_a_table_edit_of_weights_only_reruns_just_what_shows_them():
    """Weights changed in the attributes table: the sidebar, the overview and those cards run
    again; a rename, an added or a deleted row changes every card, so the whole app reruns."""
    assert _weights_only("profile", {"edited_rows": {"3": {"weight": 5}, "0": {"weight": 40}}}) == [
        SIDEBAR, "profile.overview", "profile.card.0", "profile.card.3"]
    assert _weights_only("profile", {"edited_rows": {"0": {"weight": 40, "name": "Role"}}}) == []
    assert _weights_only("profile", {"edited_rows": {"0": {"weight": 40}}, "deleted_rows": [2]}) == []
    assert _weights_only("profile", {"added_rows": [{"name": "Tech stack", "weight": 0}]}) == []
    assert _weights_only("profile", {}) == []


def test_weights_short_of_100_say_by_how_much(at, edit_table):
    edit_table(at, "profile_factors", edited={4: {"weight": 5.5}})  # Geography 10 → 5.5
    assert "Weights add up to 95.5 % — 4.5 points short of 100" in [w.value for w in at.main.warning]
    assert sidebar_metric(at, "ICP weights").value == "95.5 %"


def test_renaming_an_attribute_keeps_its_values_column_and_scenarios(at, edit_table, model_of):
    before = model_of(at)
    edit_table(at, "profile_factors", edited={0: {"name": "Role"}})
    model = model_of(at)
    assert model.profile[0].name == "Role"
    assert model.profile[0].values == before.profile[0].values
    assert model.profile[0].column == "job_title"
    for old, new in zip(before.scenarios, model.scenarios, strict=True):
        assert "Job role" not in new.profile
        assert new.profile.get("Role") == old.profile.get("Job role")
    assert [r.result.profile_pct for r in evaluate_scenarios(model)] == [
        r.result.profile_pct for r in evaluate_scenarios(before)]
    assert "#### 1\\. Role" in [m.value for m in at.markdown]


def test_adding_an_attribute_then_its_values(at, edit_table, model_of):
    edit_table(at, "profile_factors", added=[{"name": "Tech stack", "weight": 0}])
    model = model_of(at)
    assert [f.name for f in model.profile][-1] == "Tech stack"
    assert model.profile[-1].values == [] and model.profile[-1].column is None
    edit_table(at, "profile_values_6", added=[
        {"label": "Uses Salesforce", "score": 100, "knockout": False},
        {"label": "Homegrown CRM", "score": -20},
    ])
    values = model_of(at).profile[6].values
    assert [(v.label, v.score, v.knockout) for v in values] == [
        ("Uses Salesforce", 100, False), ("Homegrown CRM", -20, False)]


def test_deleting_an_attribute_drops_it_from_the_scenarios(at, edit_table, model_of):
    assert result(model_of(at), COMPETITOR).result.state == "Ignore"  # knocked out by its e-mail domain
    edit_table(at, "profile_factors", deleted=[5])  # E-mail domain
    model = model_of(at)
    assert "E-mail domain" not in [f.name for f in model.profile]
    assert not any("E-mail domain" in s.profile for s in model.scenarios)
    # By hand: the competitor's domain scored 0, so its profile stays 76.5 (A); engagement 52 → A1.
    r = result(model, COMPETITOR)
    assert (r.result.profile_pct, r.result.cell, r.result.state, r.result.knocked_out) == (
        76.5, "A1", "Send to sales", False)
    assert "Weights add up to 90 % — 10 points short of 100" in [w.value for w in at.main.warning]


def test_moving_attributes_up_and_down(at, model_of):
    before = model_of(at)
    at.button(key="profile_down_0").click().run()
    assert not at.exception
    assert [f.name for f in model_of(at).profile][:2] == ["Employees", "Job role"]
    at.button(key="profile_up_5").click().run()
    assert not at.exception
    model = model_of(at)
    assert [f.name for f in model.profile] == [
        "Employees", "Job role", "Organisation type", "Area of interest", "E-mail domain", "Geography"]
    assert model.profile[1] == before.profile[0], "an attribute moves with its values and column"
    headers = [m.value for m in at.markdown if m.value.startswith("####")]
    assert headers[:2] == ["#### 1\\. Employees", "#### 2\\. Job role"]
    assert at.button(key="profile_up_0").disabled and at.button(key="profile_down_5").disabled
    # Order does not change any score.
    assert [r.result.cell for r in evaluate_scenarios(model)] == [r.result.cell for r in evaluate_scenarios(before)]


def test_knockout_toggle_disqualifies_the_scenarios_with_that_value(at, edit_table, model_of):
    assert result(model_of(at), FOUNDER).result.state == "Qualify"
    edit_table(at, "profile_values_1", edited={5: {"knockout": True}})  # Fewer than 10 employees
    model = model_of(at)
    assert model.profile[1].values[5].knockout is True
    r = result(model, FOUNDER)
    # Knocked out → the knockout state (Ignore); the scores are unchanged.
    assert (r.result.state, r.result.knocked_out, r.result.profile_pct) == ("Ignore", True, 44.5)
    assert scenarios_shown(at)[FOUNDER]["Computed state"] == "Ignore"


def test_score_edit_and_value_rename_follow_into_the_scenarios(at, edit_table, model_of, key_of):
    edit_table(at, "profile_values_1", edited={0: {"score": 100}, 2: {"label": "200-999 staff"}})
    model = model_of(at)
    assert [(v.label, v.score) for v in model.profile[1].values][:3] == [
        ("5,000+ employees", 100), ("1,000-4,999 employees", 80), ("200-999 staff", 100)]
    assert sum(s.profile.get("Employees") == "200-999 staff" for s in model.scenarios) == 8
    assert not any(s.profile.get("Employees") == "200-999 employees" for s in model.scenarios)
    assert model.profile[1].values[2].match == Match(min=200, max=1000), "the match rule stays with the value"
    # By hand: Enterprise VP Sales now earns 20 × 100 % for its 5,000+ employees: 71 − 10 + 20 = 81 → A2.
    r = result(model, ENTERPRISE)
    assert (r.result.profile_pct, r.result.state) == (81, "Send to sales")


def open_match_rules(at, index):
    at.session_state[match_rules_key("profile", index)] = True
    at.run()
    assert not at.exception
    assert any(e.key.startswith(f"profile_match_{index}@") for e in at.data_editor)


def test_editing_a_match_rule_and_the_column(at, edit_table, model_of, key_of):
    open_match_rules(at, 0)
    edit_table(at, "profile_match_0", edited={6: {"contains": "founder, owner, \"ceo, small business\""}})
    model = model_of(at)
    other = model.profile[0].values[6]
    assert other.label == "Other role"
    assert other.match == Match(contains=["founder", "owner", "ceo, small business"])
    assert model.profile[0].values[0].match.contains[0] == "sales operations", "other rules unchanged"
    at.text_input(key=key_of(at, "profile_column_0")).set_value("title").run()
    assert not at.exception
    assert model_of(at).profile[0].column == "title"
    at.text_input(key=key_of(at, "profile_column_0")).set_value("").run()
    assert model_of(at).profile[0].column is None


def test_a_bad_match_rule_is_refused(at, edit_table, model_of):
    open_match_rules(at, 1)
    before = model_of(at)
    edit_table(at, "profile_match_1", edited={0: {"within_days": 2.5}})
    assert model_of(at) == before
    assert any("whole number of days" in e.value for e in at.error)


def test_duplicate_names_are_refused_and_change_nothing(at, edit_table, model_of):
    before = model_of(at)
    edit_table(at, "profile_factors", edited={1: {"name": "job role"}})
    assert model_of(at) == before
    assert any("unique" in e.value for e in at.error)
    edit_table(at, "profile_values_0", edited={1: {"label": "Head of sales operations"}})
    assert model_of(at) == before
    assert any("unique" in e.value for e in at.error)


def test_user_text_is_shown_literally(at, edit_table, model_of, key_of):
    edit_table(at, "profile_factors", edited={0: {"name": "**bold**"}})
    edit_table(at, "profile_values_1", edited={0: {"label": "<img src=x onerror=alert(1)>"}})
    assert model_of(at).profile[0].name == "**bold**"
    markdown = [m.value for m in at.markdown]
    assert f"#### 1\\. {md('**bold**')}" in markdown
    assert not any("**bold**" in t for t in markdown + [c.value for c in at.caption])
    # Tables render text: the editors hold exactly what was typed.
    assert at.data_editor(key=key_of(at, "profile_factors")).value["name"][0] == "**bold**"
    assert at.data_editor(key=key_of(at, "profile_values_1")).value["label"][0] == "<img src=x onerror=alert(1)>"
    assert not any("<img" in t and "\\<img" not in t for t in markdown)


def test_a_blank_workbook_starts_with_an_empty_list(open_page, edit_table, model_of):
    from workbook.editing import blank_model

    at = open_page(PAGE, blank_model())
    assert "Weights add up to 0 % — 100 points short of 100" in [w.value for w in at.main.warning]
    assert any("No attributes yet" in i.value for i in at.main.info)
    assert not at.get("plotly_chart")
    edit_table(at, "profile_factors", added=[{"name": "Job role", "weight": 100}])
    assert [(f.name, f.weight) for f in model_of(at).profile] == [("Job role", 100)]
    assert [s.value for s in at.main.success] == ["Weights add up to 100 %"]
