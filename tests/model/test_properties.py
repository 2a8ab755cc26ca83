"""Properties that hold for every valid model (hypothesis generates them at random)."""

from __future__ import annotations

import copy
from fractions import Fraction
from typing import Any

from builders import model_data, valid_models
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from workbook.engine import evaluate_scenarios, score_section
from workbook.files import dump_model, load_model_text, model_to_data
from workbook.model import ScoringModel
from workbook.validate import validate

SETTINGS = settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def reference_pct(factors: list[dict[str, Any]], chosen: dict[str, str], missing: str) -> Fraction:
    """SPEC §3.1–3.3 written out independently: exact decimals, neutral scaling, clamping."""
    picked = []
    for f in factors:
        label = chosen.get(f["name"])
        value = next((v for v in f["values"] if v["label"] == label), None)
        picked.append((Fraction(repr(float(f["weight"]))), value))
    total = Fraction(0)
    if missing == "neutral":
        present = sum((w for w, v in picked if v is not None), Fraction(0))
        if present == 0:
            return Fraction(0)
        scale = 100 / present
    else:
        scale = Fraction(1)
    for w, v in picked:
        if v is not None:
            total += w * scale * Fraction(repr(float(v["score"]))) / 100
    return min(max(total, Fraction(0)), Fraction(100))


def leads(data: dict[str, Any]) -> list[tuple[str, dict[str, str], dict[str, str]]]:
    """The scenarios' value choices, plus a lead choosing each attribute's first value."""
    out = [(s["name"], s.get("profile", {}), s.get("engagement", {})) for s in data.get("scenarios", [])]
    out.append(("first values", {f["name"]: f["values"][0]["label"] for f in data["profile"]},
                {f["name"]: f["values"][0]["label"] for f in data["engagement"]}))
    out.append(("nothing", {}, {}))
    return out


# (a) ---------------------------------------------------------------------------------------
@SETTINGS
@given(valid_models())
def test_round_trip_identity(data):
    model = ScoringModel.model_validate(data)
    text = dump_model(model)
    again = load_model_text(text).model
    assert again == model
    assert dump_model(again) == text


@SETTINGS
@given(valid_models())
def test_round_trip_keeps_the_data(data):
    model = ScoringModel.model_validate(data)
    plain = model_to_data(load_model_text(dump_model(model)).model)
    assert [f["name"] for f in plain["profile"]] == [f["name"] for f in data["profile"]]
    assert [[v["label"] for v in f["values"]] for f in plain["engagement"]] == [
        [v["label"] for v in f["values"]] for f in data["engagement"]
    ]
    assert plain["matrix"] == data["matrix"]
    assert plain.get("scenarios", []) == [
        {k: v for k, v in s.items() if v not in ({}, None)} for s in data.get("scenarios", [])
    ]


# (b) ---------------------------------------------------------------------------------------
@SETTINGS
@given(valid_models())
def test_section_pct_always_within_0_and_100_and_matches_reference(data):
    model = ScoringModel.model_validate(data)
    for _, profile, engagement in leads(data):
        for sec, chosen in (("profile", profile), ("engagement", engagement)):
            s = score_section(model.section(sec), chosen, sec, model.missing)
            assert 0 <= s.pct <= 100
            expected = reference_pct(data[sec], chosen, model.missing)
            assert abs(Fraction(s.pct) - expected) <= Fraction(1, 10**9)


weights_any = st.one_of(st.integers(0, 100), st.integers(0, 1000).map(lambda n: n / 10))
scores_any = st.one_of(st.integers(-100, 100), st.integers(-1000, 1000).map(lambda n: n / 10))


@settings(max_examples=150, deadline=None)
@given(
    st.lists(st.tuples(weights_any, scores_any, st.booleans()), min_size=1, max_size=8),
    st.sampled_from(["zero", "neutral"]),
)
def test_section_pct_within_0_and_100_even_for_invalid_drafts(specs, missing):
    factors = [{"name": f"F{i}", "weight": w, "values": [{"label": "v", "score": s}]}
               for i, (w, s, _) in enumerate(specs)]
    model = ScoringModel.model_validate(model_data(profile=factors, missing=missing))
    chosen = {f"F{i}": "v" for i, (_, _, present) in enumerate(specs) if present}
    s = score_section(model.profile, chosen, "profile", missing)
    assert 0 <= s.pct <= 100
    assert abs(Fraction(s.pct) - reference_pct(factors, chosen, missing)) <= Fraction(1, 10**9)


# (c) ---------------------------------------------------------------------------------------
@SETTINGS
@given(valid_models(), st.data())
def test_raising_a_score_never_lowers_a_pct_in_that_section(data, draw):
    sec = draw.draw(st.sampled_from(["profile", "engagement"]))
    fi = draw.draw(st.integers(0, len(data[sec]) - 1))
    vi = draw.draw(st.integers(0, len(data[sec][fi]["values"]) - 1))
    old = data[sec][fi]["values"][vi]["score"]
    new = draw.draw(st.integers(int(old) + (0 if old == int(old) else 1), 100)) if old < 100 else 100
    raised = copy.deepcopy(data)
    raised[sec][fi]["values"][vi]["score"] = new
    for missing in ("zero", "neutral"):
        before = ScoringModel.model_validate({**data, "missing": missing})
        after = ScoringModel.model_validate({**raised, "missing": missing})
        for name, profile, engagement in leads(data):
            chosen = profile if sec == "profile" else engagement
            a = score_section(before.section(sec), chosen, sec, missing)
            b = score_section(after.section(sec), chosen, sec, missing)
            assert b.pct >= a.pct, (name, missing, old, new)
            assert b.raw >= a.raw
            other = "engagement" if sec == "profile" else "profile"
            other_chosen = engagement if sec == "profile" else profile
            assert score_section(after.section(other), other_chosen, other, missing).pct == score_section(
                before.section(other), other_chosen, other, missing
            ).pct


# (d) ---------------------------------------------------------------------------------------
@SETTINGS
@given(valid_models())
def test_generated_valid_models_validate_without_errors(data):
    model = ScoringModel.model_validate(data)
    report = validate(model)
    assert report.errors == [], [str(e) for e in report.errors]
    loaded = load_model_text(dump_model(model))
    assert validate(loaded.model, loaded.lines).errors == []


# (e) ---------------------------------------------------------------------------------------
@SETTINGS
@given(valid_models())
def test_contributions_sum_to_the_raw_pct(data):
    model = ScoringModel.model_validate(data)
    for r in evaluate_scenarios(model):
        for sec in (r.result.profile, r.result.engagement):
            assert abs(sum(c.points for c in sec.contributions) - sec.raw) <= 1e-6
            assert sec.pct == min(max(sec.raw, 0), 100)
    for _, profile, engagement in leads(data):
        for sec, chosen in (("profile", profile), ("engagement", engagement)):
            s = score_section(model.section(sec), chosen, sec, model.missing)
            assert abs(sum(c.points for c in s.contributions) - s.raw) <= 1e-6
            if model.missing == "neutral" and any(c.value is not None and c.weight for c in s.contributions):
                assert abs(sum(c.effective_weight for c in s.contributions) - 100) <= 1e-6


# agreement and cells are consistent with the grid ------------------------------------------
@SETTINGS
@given(valid_models())
def test_every_scenario_lands_in_a_cell_of_the_grid_with_its_state(data):
    model = ScoringModel.model_validate(data)
    for r in evaluate_scenarios(model):
        res = r.result
        assert res.cell in model.cells
        assert res.cell == res.profile_grade + res.engagement_level
        if res.knocked_out:
            assert res.state == model.effective_knockout_state
        else:
            assert res.state == model.matrix[res.cell]
        given_ = r.scenario.estimate.given() if r.scenario.estimate else {}
        assert r.agrees == (all(r.computed(k) == v for k, v in given_.items()) if given_ else None)
