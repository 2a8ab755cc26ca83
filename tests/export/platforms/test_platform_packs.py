"""Platform setup packs: the guide names every rule and value, the machine file is well formed,
and the simulators measure what each platform loses (expected figures worked out by hand)."""

from __future__ import annotations

import datetime as dt
import io
import json
import zipfile
from fractions import Fraction

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from workbook.engine import evaluate_scenarios
from workbook.examples import example_path
from workbook.export.base import ExportFormat
from workbook.export.platforms import account_engagement, common, dynamics, hubspot, marketo, mautic
from workbook.files import load_model_file
from workbook.leads.synthetic import generate_leads
from workbook.model import ScoringModel

PACKS = [hubspot, account_engagement, marketo, dynamics, mautic]
AS_OF = dt.date(2026, 12, 1)


@pytest.fixture(scope="module")
def sales() -> ScoringModel:
    return load_model_file(example_path("sales_automation.yaml")).model


@pytest.fixture(scope="module")
def sales_leads(sales: ScoringModel) -> pd.DataFrame:
    return generate_leads(sales, 600, as_of=AS_OF, seed=3)


def small(profile_values, engagement_values=None, *, grades=(("A", 75), ("B", 50), ("C", 25), ("D", 0)),
          knockout_state=None, scenarios=()) -> ScoringModel:
    """A model of one profile attribute and one activity, states by grade only (A→S, B→Q, C→N, D→I)."""
    states = ["Send to sales", "Qualify", "Nurture", "Ignore"]
    levels = [("1", 50), ("2", 0)]
    matrix = {g + lvl: states[min(i, 3)] for i, (g, _) in enumerate(grades) for lvl, _ in levels}
    data = {
        "schema_version": 1, "name": "Small — test", "states": [{"name": s} for s in states],
        "profile_grades": [{"grade": g, "min": m} for g, m in grades],
        "engagement_levels": [{"level": lvl, "min": m} for lvl, m in levels],
        "matrix": matrix,
        "profile": [{"name": "Role", "weight": 100, "column": "role", "values": profile_values}],
        "engagement": [{"name": "Demo", "weight": 100, "column": "demo", "values": engagement_values or [
            {"label": "Recent", "score": 100, "match": {"within_days": 7}}]}],
        "scenarios": list(scenarios),
    }
    if knockout_state:
        data["knockout_state"] = knockout_state
    return ScoringModel.model_validate(data)


# --------------------------------------------------------------------------------------------
# Every pack
# --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.__name__.rsplit(".", 1)[-1])
def test_pack_is_a_zip_with_guide_machine_file_and_fidelity(pack, sales):
    assert isinstance(pack.FORMAT, ExportFormat)
    exported = pack.FORMAT.render(sales, {"as_of": "2026-12-01"})
    assert exported.media_type == "application/zip" and exported.file_name.endswith("-pack.zip")
    with zipfile.ZipFile(io.BytesIO(exported.as_bytes())) as archive:
        names = archive.namelist()
        guide = next(archive.read(n).decode() for n in names if n.endswith("setup-guide.md"))
        machine = [json.loads(archive.read(n)) for n in names if n.endswith(".json")]
        report = archive.read("fidelity.md").decode()
    assert len(machine) == 1 and machine[0]
    # every attribute, activity and state is in the guide, and the grid's states
    for factor in [*sales.profile, *sales.engagement]:
        assert factor.name in guide
    for state in sales.state_names:
        assert state in guide
    assert "scenarios keep their state" in report


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.__name__.rsplit(".", 1)[-1])
def test_guide_lists_every_value_and_its_points(pack, sales):
    guide = pack.guide(sales)
    for factor in sales.profile:
        for value in factor.values:
            assert value.label in guide, (factor.name, value.label)


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.__name__.rsplit(".", 1)[-1])
def test_fidelity_counts_every_lead_and_names_the_scenarios_that_change(pack, sales, sales_leads):
    report = pack.fidelity(sales, sales_leads, AS_OF)
    assert report.leads == len(sales_leads)
    assert 0 <= report.leads_preserved <= report.leads
    assert sum(report.moves.values()) == report.leads - report.leads_preserved
    computed = {r.name: r.result.state for r in evaluate_scenarios(sales)}
    for change in report.scenario_changes:
        assert computed[change.name] == change.model_state != change.platform_state
    assert f"{report.leads_preserved:,} of {report.leads:,}" in report.text()


# --------------------------------------------------------------------------------------------
# Shared translation
# --------------------------------------------------------------------------------------------
@given(st.lists(st.integers(-100, 100), min_size=1, max_size=5), st.sampled_from([1, 10]),
       st.integers(1, 100))
def test_nested_recency_windows_add_up_to_each_values_points(scores, scale, weight):
    values = [{"label": f"w{i}", "score": s, "match": {"within_days": 7 * (i + 1)}} for i, s in enumerate(scores)]
    model = small([{"label": "x", "score": 100}], values)
    factor = model.engagement[0]
    factor = factor.model_copy(update={"weight": weight})
    rules = common.criteria(factor, scale)
    for i, value in enumerate(factor.values):
        # a lead in window i also falls in every wider window
        assert sum(r.points for r in rules[i:]) == common.platform_points(factor, value, scale)


def test_exact_scale_makes_every_value_whole(sales):
    assert common.exact_scale(sales) == 10  # 15 × 90 / 100 = 13.5 needs tenths
    for f in [*sales.profile, *sales.engagement]:
        for v in f.values:
            assert (common.exact_points(f, v) * 10).denominator == 1


def test_whole_rounds_half_away_from_zero():
    assert [common.whole(Fraction(x)) for x in ("2.5", "-2.5", "2.4", "-0.5")] == [3, -3, 2, -1]


def test_first_match_rule_is_spelled_out_for_later_values(sales):
    rules = common.criteria(sales.profile[0], 1)
    assert "none of the earlier values" not in rules[0].words
    assert "“Head of sales operations”" in rules[1].words


# --------------------------------------------------------------------------------------------
# What each platform loses, on small models worked out by hand
# --------------------------------------------------------------------------------------------
def _frame(rows):
    return pd.DataFrame(rows, dtype="str")


def test_marketo_keeps_every_state_of_an_exact_model(sales, sales_leads):
    report = marketo.fidelity(sales, sales_leads, AS_OF)
    assert report.share == 1.0 and not report.scenario_changes


def test_hubspot_rounds_half_points_up_and_moves_the_lead_across_a_threshold():
    # weight 100 × score 74.5 = 74.5 % → grade B in the model; HubSpot Professional: 75 points → A
    model = small([{"label": "almost", "score": 74.5, "match": {"equals": ["almost"]}}])
    leads = _frame([{"role": "almost", "demo": ""}, {"role": "other", "demo": ""}])
    report = hubspot.fidelity(model, leads, AS_OF)
    assert (report.leads, report.leads_preserved) == (2, 1)
    assert report.moves == {("Qualify", "Send to sales"): 1}
    # Enterprise (500 points) keeps the half point
    assert hubspot.fidelity(model, leads, AS_OF, edition="enterprise").share == 1.0


def test_account_engagement_grades_in_thirds_of_a_letter():
    # A needs 75 % in the model; in Account Engagement that is A- = 8 steps of ⅓ letter = 80 %.
    # Profile points become whole steps of 10 points: 75 → 7.5 → 8 steps (A-, grade A as in the model);
    # 74 → 7 steps (B+ → B, as in the model); 45 → 4.5 → 5 steps (B- → B, but the model says C).
    values = [{"label": str(s), "score": s, "match": {"equals": [str(s)]}} for s in (75, 74, 45)]
    model = small(values)
    assert account_engagement.grade_thresholds(model) == [8, 5, 3, 0]
    leads = _frame([{"role": str(s), "demo": ""} for s in (75, 74, 45)])
    report = account_engagement.fidelity(model, leads, AS_OF)
    assert report.leads_preserved == 2
    assert report.moves == {("Nurture", "Qualify"): 1}
    assert "| A | A- |" in account_engagement.guide(model)  # model grade A ↔ prospect grade at least A-


def test_account_engagement_decays_on_the_last_activity_not_per_activity():
    engagement = [
        {"name": "Demo", "weight": 50, "column": "demo", "values": [
            {"label": "7d", "score": 100, "match": {"within_days": 7}},
            {"label": "old", "score": 0, "match": {"within_days": 365}}]},
        {"name": "Click", "weight": 50, "column": "click", "values": [
            {"label": "7d", "score": 100, "match": {"within_days": 7}},
            {"label": "old", "score": 100, "match": {"within_days": 365}}]},
    ]
    model = small([{"label": "x", "score": 100}])
    model = model.model_copy(update={"engagement": [type(model.engagement[0]).model_validate(e) for e in engagement]})
    # each rule subtracts the average loss at its edge: at 7 days (50 + 0) / 2, at 365 days (0 + 50) / 2
    assert account_engagement.decay_rules(model) == [(7, 25), (365, 25)]
    recent, old = (AS_OF - dt.timedelta(days=2)).isoformat(), (AS_OF - dt.timedelta(days=100)).isoformat()
    leads = _frame([
        {"role": "x", "demo": old, "click": recent},  # model 0 + 50 = 50 → level 1; AE 50 + 50, active → 1
        {"role": "x", "demo": old, "click": ""},  # model 0 → level 2; AE 50 − 25 = 25 → 2
        {"role": "x", "demo": "", "click": old},  # model 50 → level 1; AE 50 − 25 = 25 → level 2
    ])
    sim = account_engagement.simulator(model)(common.lead_labels(model, leads, AS_OF))
    assert sim.level.tolist() == [0, 1, 1]


def test_dynamics_sends_a_knocked_out_lead_to_the_lowest_grade_not_the_knockout_state():
    values = [{"label": "good", "score": 100, "match": {"equals": ["good"]}},
              {"label": "student", "score": 100, "knockout": True, "match": {"equals": ["student"]}}]
    model = small(values, knockout_state="Qualify")
    leads = _frame([{"role": "student", "demo": ""}, {"role": "good", "demo": ""}])
    report = dynamics.fidelity(model, leads, AS_OF)
    # model: knocked out → Qualify; Dynamics: lowest grade D → Ignore
    assert report.moves == {("Qualify", "Ignore"): 1}
    assert hubspot.fidelity(model, leads, AS_OF).share == 1.0  # HubSpot's workflow applies knockouts


def test_mautic_does_not_decay_old_activity():
    values = [{"label": "7d", "score": 100, "match": {"within_days": 7}},
              {"label": "old", "score": 0, "match": {"within_days": 365}}]
    model = small([{"label": "x", "score": 100}], values)
    old = (AS_OF - dt.timedelta(days=100)).isoformat()
    report = mautic.fidelity(model, _frame([{"role": "x", "demo": old}]), AS_OF)
    assert report.leads_preserved == 1  # states here depend on grade only; the level differs, not the state
    sim = mautic.simulator(model)(common.lead_labels(model, _frame([{"role": "x", "demo": old}]), AS_OF))
    assert sim.level.tolist() == [0]  # level 1 on Mautic, level 2 in the model
    payload = mautic.payloads(model)
    assert payload["2 POST /api/points/new"][0]["delta"] == 100
    assert [s["name"] for s in payload["4 POST /api/stages/new"]] == model.state_names


def test_scenarios_that_change_are_reported(sales):
    report = account_engagement.fidelity(sales)
    assert report.leads is None and report.share is None
    changed = {c.name for c in report.scenario_changes}
    assert "Head of sales at a target account, demo request last spring" in changed
    assert "Head of sales at a target account, demo request last spring" in report.text()


def test_guides_end_with_the_scenarios_to_check(sales):
    guide = account_engagement.guide(sales)
    assert "## Check with the scenarios" in guide
    changed = {c.name for c in account_engagement.fidelity(sales).scenario_changes}
    for scenario in sales.scenarios:
        line = next(line for line in guide.splitlines() if line.startswith(f"| {scenario.name} |"))
        assert ("differs from the model" in line) == (scenario.name in changed)


def test_registry_lists_every_pack_under_its_cli_name():
    from workbook.export.platforms import FORMATS, PACKS

    assert {name: pack.FORMAT.name for name, pack in PACKS.items()} == {name: name for name in PACKS}
    assert [f.name for f in FORMATS] == ["hubspot", "account-engagement", "marketo", "dynamics", "mautic"]


@pytest.mark.parametrize("pack", PACKS, ids=lambda p: p.__name__.rsplit(".", 1)[-1])
def test_a_draft_without_bands_gets_a_report_not_a_crash(pack):
    data = small([{"label": "x", "score": 100}], scenarios=[{"name": "s", "profile": {"Role": "x"}}]).model_dump()
    data["profile_grades"] = []
    report = pack.fidelity(ScoringModel.model_validate(data), _frame([{"role": "x", "demo": ""}]), AS_OF)
    assert report.leads is None and "nothing to simulate" in report.text()
