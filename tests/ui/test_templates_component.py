"""AppTest: reusable values on the Activity / ICP weights pages — a template applied to two
activities in one revision, a template saved and found again, values copied from another attribute."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from tests.ui.conftest import run
from workbook.templates import BUILT_IN
from workbook.ui.components.templates import key
from workbook.ui.keys import StateKeys

RECENCY = BUILT_IN[0]


@pytest.fixture
def activities(open_page) -> AppTest:
    return open_page("pages/activity_weights.py")


def test_a_template_applied_to_two_activities_is_one_revision(activities, store, model_of):
    at = activities
    before = model_of(at)
    head = at.session_state[StateKeys.BASE]
    at.selectbox(key=key("engagement", "template")).select(RECENCY.name)
    run(at)
    at.multiselect(key=key("engagement", "targets")).select("Demo request").select("Webinar attended")
    run(at)
    labels = {v.label for v in RECENCY.values}
    lost = sum(1 for s in before.scenarios for n in ("Demo request", "Webinar attended")
               if s.engagement.get(n) not in (None, *labels))
    assert lost > 0, "the example has 'Older' selections the template lacks"
    button = at.button(key=key("engagement", "apply"))
    assert button.label == "Apply to 2 activities"
    button.click()
    run(at)
    after = model_of(at)
    for name in ("Demo request", "Webinar attended"):
        values = next(a for a in after.engagement if a.name == name).values
        assert values == RECENCY.values
    untouched = [a for a in after.engagement if a.name not in ("Demo request", "Webinar attended")]
    assert untouched == [a for a in before.engagement if a.name not in ("Demo request", "Webinar attended")]
    assert at.session_state[StateKeys.BASE] == head + 1  # one revision for both
    [revision] = [r for r in store.history(at.session_state[StateKeys.WORKBOOK]) if r.number == head + 1]
    assert any("Demo request" in s for s in revision.summary) and any("Webinar" in s for s in revision.summary)
    assert at.multiselect(key=key("engagement", "targets")).value == []
    assert any(f"{lost} scenario values not in the template cleared" in t.value for t in at.toast)
    for scenario in after.scenarios:
        for name in ("Demo request", "Webinar attended"):
            assert scenario.engagement.get(name) in (None, *labels)


def test_apply_is_disabled_until_something_is_chosen(activities):
    assert activities.button(key=key("engagement", "apply")).disabled


def test_values_saved_as_a_template_are_offered_on_the_other_page(activities, store, model_of):
    at = activities
    at.selectbox(key=key("engagement", "save_from")).select("Unsubscribe")
    at.text_input(key=key("engagement", "save_name")).input("Unsubscribe flag")
    at.button(key=key("engagement", "save")).click()
    run(at)
    assert "Unsubscribe flag" in [t.name for t in store.templates()]
    saved = next(t for t in store.templates() if t.name == "Unsubscribe flag")
    assert saved.values == next(a for a in model_of(at).engagement if a.name == "Unsubscribe").values
    at.switch_page("pages/icp_weights.py")
    run(at)
    assert "Unsubscribe flag" in at.selectbox(key=key("profile", "template")).options


def test_a_built_in_name_cannot_be_taken(activities, store):
    at = activities
    at.text_input(key=key("engagement", "save_name")).input(RECENCY.name)
    at.button(key=key("engagement", "save")).click()
    run(at)
    assert RECENCY.name not in [t.name for t in store.templates()]
    assert any("is the name of a built" in e.value and "choose another" in e.value for e in at.error)


def test_copy_values_from_an_activity_to_another(activities, model_of):
    at = activities
    source = next(a for a in model_of(at).engagement if a.name == "Unsubscribe")
    at.selectbox(key=key("engagement", "copy_from")).select(("engagement", "Unsubscribe"))
    at.multiselect(key=key("engagement", "copy_to")).select("Company video")
    at.button(key=key("engagement", "copy")).click()
    run(at)
    copied = next(a for a in model_of(at).engagement if a.name == "Company video")
    assert copied.values == source.values
