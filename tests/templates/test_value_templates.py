"""Value templates, copying values, and the starter set (pure edits of a model)."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from workbook.files import load_model_file
from workbook.model import Match
from workbook.templates import (
    BUILT_IN,
    STARTER_ACTIVITIES,
    STARTER_ATTRIBUTES,
    TemplateError,
    ValueTemplate,
    apply_template,
    copy_values,
    lost_selections,
    starter_model,
    template_from_factor,
    template_from_json,
    template_to_json,
)
from workbook.templates.starter import scaled_weights
from workbook.validate import validate

EXAMPLE = Path(__file__).resolve().parents[2] / "scenarios" / "sales_automation.yaml"
RECENCY = BUILT_IN[0]


@pytest.fixture
def model():
    return load_model_file(EXAMPLE).model


def names(model, section):
    return [f.name for f in model.section(section)]


# -- applying a template -------------------------------------------------------------------------
def test_a_template_gives_every_chosen_activity_its_values_in_one_edit(model):
    first, second, *rest = names(model, "engagement")
    new = apply_template(model, "engagement", [first, second], RECENCY)
    for activity in new.engagement[:2]:
        assert [(v.label, v.score, v.match.within_days) for v in activity.values] == [
            ("Within 7 days", 100, 7), ("Within 30 days", 80, 30),
            ("Within 60 days", 60, 60), ("Within 90 days", 30, 90),
        ]
    assert new.engagement[2:] == model.engagement[2:]  # the others are as they were
    new.engagement[0].values[0].score = 1  # the values are copies, not shared with the template
    assert RECENCY.values[0].score == 100


def test_scenarios_keep_a_label_the_template_has_and_drop_the_others(model):
    activity = model.engagement[0]
    kept_label = activity.values[0].label
    template = ValueTemplate("Mine", [activity.values[0].model_copy(), RECENCY.values[3]])
    chosen = [s for s in model.scenarios if activity.name in s.engagement]
    assert chosen, "the example has scenarios with this activity"
    new = apply_template(model, "engagement", [activity.name], template)
    for before, after in zip(model.scenarios, new.scenarios, strict=True):
        if before.engagement.get(activity.name) == kept_label:
            assert after.engagement[activity.name] == kept_label
        else:
            assert activity.name not in after.engagement
    assert validate(model).errors == [] and validate(new).errors == []
    dropped = sum(1 for s in model.scenarios if s.engagement.get(activity.name) not in (None, kept_label))
    assert dropped > 0
    assert lost_selections(model, "engagement", [activity.name], template) == dropped


def test_refusals_say_why(model):
    with pytest.raises(TemplateError, match="at least one"):
        apply_template(model, "engagement", [], RECENCY)
    with pytest.raises(TemplateError, match="no activity named 'Nope'"):
        apply_template(model, "engagement", ["Nope"], RECENCY)
    with pytest.raises(TemplateError, match="no values"):
        apply_template(model, "engagement", names(model, "engagement")[:1], ValueTemplate("Empty"))
    twice = ValueTemplate("Twice", [RECENCY.values[0], RECENCY.values[0]])
    with pytest.raises(TemplateError, match="names a value twice"):
        apply_template(model, "engagement", names(model, "engagement")[:1], twice)
    with pytest.raises(TemplateError, match="needs a name"):
        template_from_factor(model, "profile", model.profile[0].name, "  ")


# -- saving and copying --------------------------------------------------------------------------
def test_a_factors_values_saved_as_a_template_round_trip_through_json(model):
    template = template_from_factor(model, "profile", model.profile[0].name, " Job  roles ", "ours")
    assert template.name == "Job roles" and template.values == model.profile[0].values
    back = template_from_json(template.name, template_to_json(template), template.description)
    assert back == template
    with pytest.raises(TemplateError, match="cannot be read"):
        template_from_json("Bad", '[{"label": "x", "score": "lots"}]')


def test_copy_values_from_another_attribute(model):
    source, target = model.profile[0].name, model.profile[1].name
    new = copy_values(model, "profile", source, [target])
    assert new.profile[1].values == model.profile[0].values
    assert new.profile[1].weight == model.profile[1].weight and new.profile[1].name == target
    with pytest.raises(TemplateError, match="onto itself"):
        copy_values(model, "profile", source, [source])
    # from an activity onto an attribute
    cross = copy_values(model, "profile", model.engagement[0].name, [target], source_section="engagement")
    assert cross.profile[1].values == model.engagement[0].values


def test_built_in_recency_bands_are_the_four_usual_ones():
    assert [(v.label, v.score, v.match) for v in RECENCY.values] == [
        (f"Within {d} days", s, Match(within_days=d)) for d, s in [(7, 100), (30, 80), (60, 60), (90, 30)]
    ]
    assert RECENCY.summary().startswith("Within 7 days 100, Within 30 days 80")


# -- the starter set ------------------------------------------------------------------------------
ATTRIBUTES = [f.name for f in STARTER_ATTRIBUTES]
ACTIVITIES = [f.name for f in STARTER_ACTIVITIES]


@settings(max_examples=60, deadline=None)
@given(
    attributes=st.lists(st.sampled_from(ATTRIBUTES), min_size=1, unique=True),
    activities=st.lists(st.sampled_from(ACTIVITIES), min_size=1, unique=True),
)
def test_every_starter_model_is_valid_without_warnings(attributes, activities):
    model = starter_model("Starter", attributes, activities)
    report = validate(model)
    assert report.errors == [] and report.warnings == []
    assert sorted(names(model, "profile")) == sorted(attributes)
    assert [f.name for f in model.engagement] == [n for n in ACTIVITIES if n in activities]  # starter order


@given(st.lists(st.floats(min_value=0.5, max_value=100), min_size=1, max_size=12))
def test_scaled_weights_add_up_to_exactly_100_and_keep_the_order(weights):
    scaled = scaled_weights(weights)
    assert sum(scaled) == 100 and all(w >= 0 for w in scaled)
    for a, b in zip(weights, scaled, strict=True):
        for c, d in zip(weights, scaled, strict=True):
            if a > c:
                assert b >= d


def test_the_starter_refuses_an_empty_section_or_an_unknown_name():
    with pytest.raises(TemplateError, match="tick at least one attribute"):
        starter_model("x", [], ACTIVITIES)
    with pytest.raises(TemplateError, match="tick at least one activity"):
        starter_model("x", ATTRIBUTES, [])
    with pytest.raises(TemplateError, match="no attribute named 'Shoe size'"):
        starter_model("x", ["Shoe size"], ACTIVITIES)
