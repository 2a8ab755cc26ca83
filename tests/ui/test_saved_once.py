"""AppTest: one weight edit is saved as exactly one revision, however the browser's requests follow.

The browser sends every widget's value with every request. A request it sent before it took
in the page's answer to an edit (the sidebar's watcher fires every few seconds; under load a
click comes before the answer is drawn) still carries the values it showed before. A weight
typed into the attributes table changes the weight shown on the attribute's card; the card's
input must not take the old value that such a late request still carries for a new edit
(in a browser run, one table edit was saved as two revisions: the old weight back, then the
new one again). Requests are built here the way the browser sends them, by widget id.

Default workbook: scenarios/sales_automation.yaml, ICP weights 30 20 15 15 10 10.
"""

from __future__ import annotations

import json

import pytest
from streamlit.proto.WidgetStates_pb2 import WidgetStates

from workbook.ui.keys import StateKeys

PAGE = "pages/icp_weights.py"


@pytest.fixture
def at(open_page):
    return open_page(PAGE)


def head(at, store) -> int:
    return store.get(at.session_state[StateKeys.WORKBOOK]).head_revision


def weights(at) -> list[float]:
    return [f.weight for f in at.session_state[StateKeys.MODEL].profile]


def editor_id(at, key: str) -> str:
    return next(e for e in at.data_editor if e.key == key).proto.id


def browser_request(at, *, ids: dict[str, dict] | None = None, **changes: dict) -> WidgetStates:
    """What the browser sends now: every widget's value as shown, with the editors' changes
    (``edited_rows``) applied: ``changes`` by key of an editor shown, ``ids`` by widget id."""
    states = at._tree.get_widget_states()
    for widget_id, value in {**{editor_id(at, k): v for k, v in changes.items()}, **(ids or {})}.items():
        state = states.widgets.add()
        state.id = widget_id
        state.string_value = json.dumps({"edited_rows": value, "added_rows": [], "deleted_rows": []})
    return states


def send(at, states: WidgetStates) -> None:
    at._run(states)
    assert not at.exception, at.exception


def test_a_table_edit_through_its_callback_is_one_revision_however_many_runs_follow(at, key_of, store):
    start = head(at, store)
    table = key_of(at, "profile_factors")
    send(at, browser_request(at, **{table: {"3": {"weight": 16}}}))  # Area of interest 15 → 16
    assert weights(at) == [30, 20, 15, 16, 10, 10]
    assert head(at, store) == start + 1
    for _ in range(3):  # the browser keeps sending the same edit with every later request
        send(at, browser_request(at, **{table: {"3": {"weight": 16}}}))
        at.run()
    assert head(at, store) == start + 1
    assert weights(at) == [30, 20, 15, 16, 10, 10]


def test_a_late_request_with_the_old_card_weight_does_not_undo_a_table_edit(at, key_of, store):
    start = head(at, store)
    before_edit = at._tree.get_widget_states()  # the card of Area of interest shows 15
    table = key_of(at, "profile_factors")
    send(at, browser_request(at, **{table: {"3": {"weight": 16}}}))
    assert head(at, store) == start + 1
    # A request the browser sent before it drew the answer: the card still at 15, the table edited.
    late = browser_request(at, **{table: {"3": {"weight": 16}}})
    shown = {s.id for s in late.widgets}
    for state in before_edit.widgets:
        if state.id not in shown or state.WhichOneof("value") == "double_value":
            late.widgets.add().CopyFrom(state)
    send(at, late)
    assert weights(at) == [30, 20, 15, 16, 10, 10], "the old card weight was taken as a new edit"
    assert head(at, store) == start + 1
    # The card shows the new weight, and a weight typed on it afterwards is saved once.
    assert at.number_input(key=key_of(at, "profile_weight_3")).value == 16
    at.number_input(key=key_of(at, "profile_weight_3")).set_value(15).run()
    assert weights(at) == [30, 20, 15, 15, 10, 10]
    assert head(at, store) == start + 2


def test_an_edit_equal_to_the_saved_model_saves_nothing(at, key_of, store, edit_table):
    start = head(at, store)
    table = key_of(at, "profile_factors")
    send(at, browser_request(at, **{table: {"3": {"weight": 15}}}))  # 15 typed over 15
    same = at.session_state[StateKeys.MODEL].profile[1].values[0].score
    edit_table(at, "profile_values_1", edited={0: {"score": same}})
    at.number_input(key=key_of(at, "profile_weight_0")).set_value(30).run()
    assert not at.exception
    assert head(at, store) == start
    assert weights(at) == [30, 20, 15, 15, 10, 10]


def test_a_late_request_for_a_replaced_table_does_not_apply_its_edit_again(at, key_of, store):
    start = head(at, store)
    table = key_of(at, "profile_factors")
    old = editor_id(at, table)
    send(at, browser_request(at, **{table: {"3": {"weight": 16}}}))  # Area of interest 15 → 16
    at.run()  # AppTest's tree holds only the fragments that ran: draw the whole page
    at.number_input(key=key_of(at, "profile_weight_0")).set_value(35).run()  # then Job role 30 → 35 on its card
    assert weights(at) == [35, 20, 15, 16, 10, 10]
    assert head(at, store) == start + 2
    at.run()
    assert key_of(at, "profile_factors") != table, "the table was rebuilt to show the card's weight"
    # A request sent before the browser drew the rebuilt table still carries the old one's change.
    send(at, browser_request(at, ids={old: {"3": {"weight": 16}}}))
    assert weights(at) == [35, 20, 15, 16, 10, 10], "the replaced table's edit undid the card's"
    assert head(at, store) == start + 2
