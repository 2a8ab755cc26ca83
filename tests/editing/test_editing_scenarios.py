"""Pure edits of one scenario field, as the Test scenarios page makes them."""

from __future__ import annotations

import pytest
from builders import build, section

from workbook.editing import (
    EditError,
    set_member_estimate,
    set_scenario_estimate,
    set_scenario_text,
    set_scenario_value,
)
from workbook.model import Estimate


@pytest.fixture
def model():
    return build(
        profile=section("P", [(60, {"top": 100, "mid": 50}), (40, {"yes": 100, "no": 0})]),
        engagement=section("E", [(100, {"recent": 100, "old": 20})]),
        team=[{"name": "Dana"}, {"name": "Sam"}],
        scenarios=[
            {"name": "First", "profile": {"P0": "top"}, "estimate": {"profile": "A"}},
            {"name": "Second", "notes": "keep", "estimates_by_member": {"Sam": "Qualify"}},
        ],
    )


def test_rename_keeps_names_unique_without_case(model):
    renamed = set_scenario_text(model, 0, name="  Renamed  ")
    assert [s.name for s in renamed.scenarios] == ["Renamed", "Second"]
    assert model.scenarios[0].name == "First", "the argument is never changed"
    with pytest.raises(EditError, match="already named"):
        set_scenario_text(model, 0, name="second")
    with pytest.raises(EditError, match="needs a name"):
        set_scenario_text(model, 0, name="   ")


def test_notes_are_set_and_cleared(model):
    assert set_scenario_text(model, 0, notes="A note").scenarios[0].notes == "A note"
    assert set_scenario_text(model, 1, notes="  ").scenarios[1].notes is None
    assert set_scenario_text(model, 1, name="Second").scenarios[1].notes == "keep"


def test_selecting_a_value_keeps_the_attribute_order(model):
    new = set_scenario_value(model, 0, "profile", "P1", "no")
    new = set_scenario_value(new, 0, "profile", "P0", "mid")
    assert list(new.scenarios[0].profile.items()) == [("P0", "mid"), ("P1", "no")]
    assert model.scenarios[0].profile == {"P0": "top"}


def test_selecting_none_makes_the_value_missing(model):
    assert set_scenario_value(model, 0, "profile", "P0", None).scenarios[0].profile == {}
    assert set_scenario_value(model, 1, "engagement", "E0", None).scenarios[1].engagement == {}


def test_unknown_values_and_attributes_are_refused(model):
    with pytest.raises(EditError, match="not a value"):
        set_scenario_value(model, 0, "profile", "P0", "recent")
    with pytest.raises(EditError, match="no activity"):
        set_scenario_value(model, 0, "engagement", "P0", "top")
    with pytest.raises(EditError, match="no scenario number 3"):
        set_scenario_value(model, 2, "profile", "P0", "top")


def test_estimates_are_set_checked_and_cleared(model):
    new = set_scenario_estimate(model, 1, "engagement", "2")
    assert new.scenarios[1].estimate == Estimate(engagement="2")
    new = set_scenario_estimate(new, 1, "state", "Nurture")
    assert new.scenarios[1].estimate == Estimate(engagement="2", state="Nurture")
    assert set_scenario_estimate(model, 0, "profile", None).scenarios[0].estimate is None
    with pytest.raises(EditError, match="not a profile grade"):
        set_scenario_estimate(model, 0, "profile", "Z")
    with pytest.raises(EditError, match="not a state"):
        set_scenario_estimate(model, 0, "state", "Maybe")


def test_member_estimates_follow_team_order(model):
    new = set_member_estimate(model, 1, "Dana", "Send to sales")
    assert list(new.scenarios[1].estimates_by_member.items()) == [("Dana", "Send to sales"), ("Sam", "Qualify")]
    assert set_member_estimate(new, 1, "Sam", None).scenarios[1].estimates_by_member == {"Dana": "Send to sales"}
    with pytest.raises(EditError, match="no team member"):
        set_member_estimate(model, 1, "Eve", "Qualify")
    with pytest.raises(EditError, match="not a state"):
        set_member_estimate(model, 1, "Dana", "Later")
