"""AppTest: the Calibration page — suggest, apply, undo; weight locks; stale suggestions; alignment.

Expected values come from the calibration core and the engine called here on the example,
never from what the page shows.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import run
from workbook.calibrate import (
    WeightBound,
    alignment,
    apply_threshold_suggestion,
    apply_weight_suggestion,
    suggest_thresholds,
    suggest_weights,
)
from workbook.engine import agreement, evaluate_scenarios
from workbook.model import ScoringModel
from workbook.ui.keys import StateKeys, page_key

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"
PAGE = "pages/calibration.py"


@pytest.fixture
def at() -> AppTest:
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60).run()
    assert not app.exception, app.exception
    return run(app.switch_page(PAGE))


def press(at: AppTest, key: str) -> AppTest:
    at.button(key=key).click()
    return run(at)


def agreement_of(model: ScoringModel):
    return agreement(evaluate_scenarios(model))


def shown_agreement(at: AppTest, key_part: str = "") -> str:
    return next(m.value for m in at.metric if m.label == "Scenarios that agree")


def sidebar_agreement(at: AppTest) -> str:
    return next(m.value for m in at.metric if m.label == "Scenario agreement")


def table(at: AppTest, key: str):
    return at.get_by_key(key).dataframe[0].value


def test_page_opens_on_the_example(at, example):
    assert at.session_state[StateKeys.MODEL] == example
    assert [h.value for h in at.header] == ["Calibration"]
    assert sidebar_agreement(at) == "17 of 21"


def test_suggest_apply_and_undo_thresholds(at, example, store):
    expected_model = apply_threshold_suggestion(example, suggest_thresholds(example))
    expected = agreement_of(expected_model)
    now = agreement_of(example)
    assert (now.agreeing, now.with_estimate) == (17, 21)
    assert expected.agreeing > now.agreeing, "the example has a better threshold setting"

    press(at, page_key("calibration", "suggest_thresholds"))
    assert shown_agreement(at) == f"17 of 21 → {expected.agreeing} of {expected.with_estimate}"
    assert any(
        c.value == f"Agreement now 17 of 21 → with this suggestion {expected.agreeing} of {expected.with_estimate}"
        for c in at.caption
    )
    bands = table(at, page_key("calibration", "threshold_table"))
    moved = bands[bands["Change"] != "–"]
    assert len(moved) >= 1
    changes = table(at, page_key("calibration", "threshold_changes"))
    assert (changes["Result"] == "Fixed").sum() - (changes["Result"] == "Broken").sum() == expected.agreeing - 17
    assert store.head(at.session_state[StateKeys.WORKBOOK]).number == 1, "nothing is saved before Apply"

    press(at, page_key("calibration", "apply_thresholds"))
    wid = at.session_state[StateKeys.WORKBOOK]
    assert at.session_state[StateKeys.MODEL] == expected_model
    head = store.head(wid)
    assert head.number == 2 and head.model == expected_model
    assert sidebar_agreement(at) == f"{expected.agreeing} of {expected.with_estimate}"
    with pytest.raises(KeyError):
        at.button(key=page_key("calibration", "apply_thresholds"))  # the applied suggestion is gone

    press(at, "undo_last_change")
    assert at.session_state[StateKeys.MODEL] == example
    assert store.head(wid).model == example
    assert sidebar_agreement(at) == "17 of 21"


def test_weight_suggestion_keeps_a_locked_weight(at, example):
    locked = ("profile", "Employees")  # the weight the unlocked search moves most
    free = suggest_weights(example)
    assert any(c.name == "Employees" and c.moved for c in free.weights), "the lock must matter"
    expected = suggest_weights(example, bounds={locked: WeightBound(locked=True)})
    expected_agreement = agreement_of(apply_weight_suggestion(example, expected))

    at.multiselect(key=page_key("calibration", "locks")).select(locked)
    run(at)
    press(at, page_key("calibration", "suggest_weights"))
    rows = table(at, page_key("calibration", "weight_table"))
    employees = rows[rows["Weight"] == "Employees"].iloc[0]
    assert bool(employees["Locked"]) is True
    assert employees["Now"] == employees["Suggested"] == "20 %"
    assert employees["Change"] == "–"
    assert shown_agreement(at) == f"17 of 21 → {expected_agreement.agreeing} of {expected_agreement.with_estimate}"

    press(at, page_key("calibration", "apply_weights"))
    model = at.session_state[StateKeys.MODEL]
    assert next(f.weight for f in model.profile if f.name == "Employees") == 20
    assert agreement_of(model).agreeing == expected_agreement.agreeing
    assert round(sum(f.weight for f in model.profile), 9) == 100
    assert round(sum(f.weight for f in model.engagement), 9) == 100


def test_a_suggestion_is_stale_after_an_edit(at, example):
    press(at, page_key("calibration", "suggest_thresholds"))
    assert at.button(key=page_key("calibration", "apply_thresholds"))
    # Someone changes the grid on the Thresholds page.
    run(at.switch_page("pages/thresholds.py"))
    at.session_state[f"grades@{at.session_state[StateKeys.REVISION]}"] = {
        "edited_rows": {1: {"min": 45}}, "added_rows": [], "deleted_rows": [],
    }
    run(at)
    assert at.session_state[StateKeys.MODEL].profile_grades[1].min == 45
    run(at.switch_page(PAGE))
    with pytest.raises(KeyError):
        at.button(key=page_key("calibration", "apply_thresholds"))
    assert any("no longer fits" in w.value for w in at.warning)


def test_alignment_numbers_are_the_cores(at, example):
    a = alignment(example)
    kappa = next(m.value for m in at.metric if m.label == "Fleiss' kappa (the whole room)")
    assert kappa == f"{a.fleiss_kappa:.2f}"
    pairs = table(at, page_key("calibration", "pairs"))
    assert len(pairs) == len(a.pairs)
    for (_, row), p in zip(pairs.iterrows(), a.pairs, strict=True):
        assert (row["Member"], row["With"], row["Agree on"], row["Scenarios both estimated"]) == (
            p.member_a, p.member_b, p.agreeing, p.scenarios)
        assert row["Cohen's kappa"] == ("–" if p.kappa is None else f"{p.kappa:.2f}")
    disputed = table(at, page_key("calibration", "disputed"))
    assert list(disputed["Scenario"]) == [s.scenario for s in a.most_disputed[:10]]
    consensus = table(at, page_key("calibration", "consensus"))
    assert dict(zip(consensus["Scenario"], consensus["Consensus"], strict=True)) == a.consensus


def test_user_text_is_not_rendered_as_markup(example):
    evil = "<img src=x onerror=alert(1)> **bold**"
    first = example.team[0].name if example.team else None
    scenarios = []
    for sc in example.scenarios:
        members = {(evil if m == first else m): s for m, s in sc.estimates_by_member.items()}
        scenarios.append(sc.model_copy(update={"estimates_by_member": members}))
    team = [m.model_copy(update={"name": evil}) if m.name == first else m for m in example.team]
    model = example.model_copy(update={"team": team, "scenarios": scenarios})
    app = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    app.session_state[StateKeys.MODEL] = model
    app.session_state[StateKeys.REVISION] = 0
    app.session_state[StateKeys.SOURCE] = "test"
    run(app)
    run(app.switch_page(PAGE))
    pairs = table(app, page_key("calibration", "pairs"))
    assert evil in set(pairs["Member"]) | set(pairs["With"])  # shown as text, in a dataframe
    assert not any(evil in m.value for m in app.markdown)


def test_sensitivity_table_and_tornado(at, example):
    rows = table(at, page_key("calibration", "sensitivity_table"))
    assert list(rows["Scenario"]) == [s.name for s in example.scenarios]
    assert at.get_by_key(page_key("calibration", "tornado"))
