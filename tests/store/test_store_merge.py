"""Concurrent sessions: edits to different fields merge; the same field changed twice is refused."""

from __future__ import annotations

import pytest
from store_models import base_model, edited

from workbook.model import Estimate, Scenario, TeamMember, Value
from workbook.store import ConflictError
from workbook.store.merge import MergeConflict, merge3
from workbook.validate import validate


def _two_sessions(store, wb, theirs, mine, *, their_author="Sam", my_author="Kim"):
    """Both sessions start from revision 1; theirs is saved first, mine second."""
    first = store.commit(wb.id, base_revision=1, new_model=theirs, author=their_author)
    assert first.revision == 2
    return store.commit(wb.id, base_revision=1, new_model=mine, author=my_author)


def test_disjoint_edits_merge(store, wb):
    theirs = edited(base_model(), weight={"Job role": 65})
    mine = edited(base_model(), weight={"Employees": 35}, cell={"B2": "Qualify"})
    result = _two_sessions(store, wb, theirs, mine)
    assert result.revision == 3 and result.stored
    head = store.head(wb.id).model
    assert head == edited(base_model(), weight={"Job role": 65, "Employees": 35}, cell={"B2": "Qualify"})
    assert result.model == head
    assert result.summary == ["Grid cell B2: Nurture → Qualify", "ICP weight 'Employees' 40 → 35"]
    assert result.merged == ["ICP weight 'Job role' 60 → 65"]  # what the session did not have yet
    assert store.history(wb.id)[0].kind == "merge"


def test_the_same_field_set_to_the_same_value_is_fine(store, wb):
    theirs = edited(base_model(), weight={"Job role": 65})
    mine = edited(base_model(), weight={"Job role": 65}, grade_min={"B": 55})
    result = _two_sessions(store, wb, theirs, mine)
    assert result.summary == ["Profile grade B threshold 50 → 55"]
    assert store.head(wb.id).model == edited(base_model(), weight={"Job role": 65}, grade_min={"B": 55})


def test_the_same_edit_twice_stores_nothing_the_second_time(store, wb):
    same = edited(base_model(), weight={"Job role": 65})
    result = _two_sessions(store, wb, same, same)
    assert (result.revision, result.stored) == (2, False)
    assert result.model == same


def test_the_same_field_set_to_different_values_is_refused_with_both_values(store, wb):
    theirs = edited(base_model(), weight={"Job role": 45})
    mine = edited(base_model(), weight={"Job role": 40}, cell={"B2": "Qualify"})
    with pytest.raises(ConflictError) as err:
        _two_sessions(store, wb, theirs, mine)
    (conflict,) = err.value.conflicts
    assert conflict.path == "ICP weight 'Job role'"
    assert (conflict.base, conflict.mine, conflict.theirs, conflict.by) == (60, 40, 45, "Sam")
    assert "ICP weight 'Job role': you set 40, Sam set 45 since you last looked" in str(err.value)
    # nothing of the refused edit was stored, not even its disjoint part
    assert store.get(wb.id).head_revision == 2
    assert store.head(wb.id).model == theirs


def test_a_conflict_names_whoever_changed_the_field_last(store, wb):
    store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 45}), author="Sam")
    store.commit(wb.id, base_revision=2, new_model=edited(base_model(), weight={"Job role": 45}, grade_min={"B": 55}))
    with pytest.raises(ConflictError) as err:
        store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 40}))
    assert err.value.conflicts[0].by == "Sam"
    store.commit(wb.id, base_revision=3, new_model=edited(base_model(), weight={"Job role": 50}, grade_min={"B": 55}))
    with pytest.raises(ConflictError, match="someone else set 50"):
        store.commit(wb.id, base_revision=1, new_model=edited(base_model(), weight={"Job role": 40}))


def test_every_conflicting_field_is_listed(store, wb):
    theirs = edited(base_model(), weight={"Job role": 45}, cell={"A1": "Qualify"})
    mine = edited(base_model(), weight={"Job role": 40}, cell={"A1": "Nurture"})
    with pytest.raises(ConflictError) as err:
        _two_sessions(store, wb, theirs, mine)
    assert [c.path for c in err.value.conflicts] == ["Grid cell A1", "ICP weight 'Job role'"]
    assert "Grid cell A1: you set Nurture, Sam set Qualify since you last looked" in str(err.value)


def test_scenarios_added_by_two_sessions_are_both_kept(store, wb):
    theirs = edited(base_model(), add_scenario="VP sales, pricing page")
    mine = edited(base_model(), add_scenario="Student, webinar")
    result = _two_sessions(store, wb, theirs, mine)
    names = [s.name for s in store.head(wb.id).model.scenarios]
    assert names == [
        "RevOps head, demo last week",
        "CFO, webinar",
        "VP sales, pricing page",
        "Student, webinar",
    ]
    assert result.summary == ["Added scenario 'Student, webinar'"]


def test_the_same_new_scenario_name_with_different_content_is_a_conflict(store, wb):
    theirs = edited(base_model(), add_scenario="New lead")
    mine = base_model()
    mine.scenarios.append(Scenario(name="New lead", profile={"Job role": "Student"}))
    with pytest.raises(ConflictError, match="Scenario 'New lead': you added it, Sam added a different one"):
        _two_sessions(store, wb, theirs, mine)


def test_values_of_different_scenarios_and_members_estimates_merge(store, wb):
    theirs = base_model()
    theirs.scenarios[0].engagement["Webinar attended"] = "Older"
    theirs.scenarios[1].estimates_by_member["Dana Ortiz"] = "Qualify"
    mine = base_model()
    mine.scenarios[0].profile["Employees"] = "1-49"
    mine.scenarios[1].estimates_by_member["Marcus Lee"] = "Nurture"
    _two_sessions(store, wb, theirs, mine)
    head = store.head(wb.id).model
    assert head.scenarios[0].engagement == {"Demo request": "Within 7 days", "Webinar attended": "Older"}
    assert head.scenarios[0].profile["Employees"] == "1-49"
    assert head.scenarios[1].estimates_by_member == {"Dana Ortiz": "Qualify", "Marcus Lee": "Nurture"}


def test_estimates_set_on_a_scenario_without_estimate_merge(store, wb):
    without = base_model()
    without.scenarios[1].estimate = None
    store.commit(wb.id, base_revision=1, new_model=without)
    a = store.head(wb.id).model
    b = a.model_copy(deep=True)
    a.scenarios[1].estimate = Estimate(profile="B")
    b.scenarios[1].estimate = Estimate(state="Nurture")
    store.commit(wb.id, base_revision=2, new_model=a)
    store.commit(wb.id, base_revision=2, new_model=b)
    estimate = store.head(wb.id).model.scenarios[1].estimate
    assert (estimate.profile, estimate.state) == ("B", "Nurture")


def test_removing_an_item_someone_else_changed_is_a_conflict(store, wb):
    theirs = edited(base_model(), weight={"Employees": 45})
    mine = base_model()
    mine.profile.pop()
    with pytest.raises(ConflictError, match="ICP attribute 'Employees': you removed it, Sam changed it"):
        _two_sessions(store, wb, theirs, mine)


def test_a_clash_on_an_item_is_reported_once(store, wb):
    """Changing an item someone else removed: one line in the message, not one per list the
    item was looked up in."""
    theirs = base_model()
    theirs.profile.pop()
    mine = edited(base_model(), weight={"Employees": 45})
    with pytest.raises(ConflictError) as caught:
        _two_sessions(store, wb, theirs, mine)
    lines = [line for line in str(caught.value).splitlines() if "Employees" in line]
    assert lines == ["- ICP attribute 'Employees': you changed it, Sam removed it since you last looked"]


def test_removing_an_item_nobody_else_touched_merges(store, wb):
    theirs = edited(base_model(), weight={"Job role": 65})
    mine = base_model()
    mine.team.pop()
    _two_sessions(store, wb, theirs, mine)
    head = store.head(wb.id).model
    assert [m.name for m in head.team] == ["Dana Ortiz", "Marcus Lee"] and head.profile[0].weight == 65


def test_renaming_an_item_nobody_else_touched_merges(store, wb):
    theirs = edited(base_model(), weight={"Job role": 65})
    mine = base_model()
    mine.profile[1].name = "Company size"
    result = _two_sessions(store, wb, theirs, mine)
    head = store.head(wb.id).model
    assert [(a.name, a.weight) for a in head.profile] == [("Job role", 65), ("Company size", 40)]
    assert result.summary == ["Renamed ICP attribute 'Employees' → 'Company size'"]


def test_renaming_an_item_someone_else_changed_is_a_conflict(store, wb):
    theirs = edited(base_model(), weight={"Employees": 45})
    mine = base_model()
    mine.profile[1].name = "Company size"
    with pytest.raises(ConflictError) as err:
        _two_sessions(store, wb, theirs, mine)
    assert err.value.conflicts[0].path == "ICP attribute 'Employees'"
    assert store.head(wb.id).model == theirs


def test_only_one_side_reordering_keeps_that_order_and_the_others_additions(store, wb):
    theirs = base_model()
    theirs.profile[0].values.append(Value(label="VP sales", score=80))
    mine = base_model()
    mine.profile[0].values.reverse()
    mine.profile.reverse()
    _two_sessions(store, wb, theirs, mine)
    head = store.head(wb.id).model
    assert [a.name for a in head.profile] == ["Employees", "Job role"]
    assert [v.label for v in head.profile[1].values] == ["Student", "CFO", "Head of sales ops", "VP sales"]


def test_both_sides_reordering_differently_is_a_conflict(store, wb):
    theirs = base_model()
    theirs.states = [theirs.states[i] for i in (1, 0, 2, 3)]
    mine = base_model()
    mine.states = [mine.states[i] for i in (0, 1, 3, 2)]
    with pytest.raises(ConflictError, match="Order of states: you ordered them Send to sales, Qualify, Ignore"):
        _two_sessions(store, wb, theirs, mine)


def test_added_team_members_and_matrix_cells_from_both_sides(store, wb):
    theirs = base_model()
    theirs.team.append(TeamMember(name="Sam Lee", function="Sales"))
    mine = base_model()
    mine.team.append(TeamMember(name="Akira Tanaka", steering_committee=True))
    mine.matrix["B2"] = "Qualify"
    _two_sessions(store, wb, theirs, mine)
    head = store.head(wb.id).model
    assert [m.name for m in head.team][-2:] == ["Sam Lee", "Akira Tanaka"] and head.matrix["B2"] == "Qualify"


def test_a_merge_may_leave_a_draft_semantically_invalid_but_structurally_valid(store, wb):
    theirs = edited(base_model(), weight={"Job role": 65, "Employees": 35})  # valid: 100
    mine = edited(base_model(), activity_weight={"Demo request": 60, "Webinar attended": 40})
    mine.profile[1].weight = 40  # unchanged
    _two_sessions(store, wb, theirs, mine)
    assert validate(store.head(wb.id).model).is_valid
    theirs2 = edited(store.head(wb.id).model, weight={"Job role": 70})  # 70 + 35 = 105 alone
    base = store.get(wb.id).head_revision
    store.commit(wb.id, base_revision=base, new_model=theirs2)
    mine2 = edited(store.model_at(wb.id, base), weight={"Employees": 40})
    store.commit(wb.id, base_revision=base, new_model=mine2)
    head = store.head(wb.id).model
    assert [a.weight for a in head.profile] == [70, 40]
    assert any("add up to 110" in p.message for p in validate(head).errors)


def test_merge3_directly_reports_every_clash():
    base = base_model()
    mine = edited(base, weight={"Job role": 1}, cell={"A1": "Ignore"}, description="mine")
    theirs = edited(base, weight={"Job role": 2}, cell={"A1": "Nurture"}, description="theirs")
    with pytest.raises(MergeConflict) as err:
        merge3(base, mine, theirs)
    assert {c.path[0] for c in err.value.clashes} == {"profile", "matrix", "description"}
    assert merge3(base, mine, base) == mine and merge3(base, base, theirs) == theirs
