"""The address names the open workbook and scenario on every run (AppTest over app.py).

A switch of page clears Streamlit's query parameters; the app writes ``wb`` (and ``scenario``
once one is open) back on every run, and follows an address the person changed (back / forward).
"""

from __future__ import annotations

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import ROOT
from workbook.ui.keys import StateKeys
from workbook.ui.state import OPEN_SCENARIO


def _app(store, example, **params: str) -> tuple[AppTest, str, str]:
    ours = store.create(example.model_copy(update={"name": "Ours"}), source="upload")
    other = store.create(example.model_copy(update={"name": "Other"}), source="upload")
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["wb"] = ours.id
    for name, value in params.items():
        at.query_params[name] = value
    at.run()
    assert not at.exception, at.exception
    return at, ours.id, other.id


def test_the_workbook_stays_in_the_address_after_a_switch_of_page(store, example) -> None:
    at, ours, _ = _app(store, example)
    assert at.session_state[StateKeys.WORKBOOK] == ours
    for page in ("pages/thresholds.py", "pages/calibration.py", "pages/team.py"):
        at.query_params.clear()  # what Streamlit's client sends on a tab click
        at.switch_page(page).run()
        assert not at.exception, at.exception
        assert at.query_params["wb"] == ours
        assert at.session_state[StateKeys.WORKBOOK] == ours


def test_a_scenario_named_in_the_address_opens_and_stays_there(store, example) -> None:
    at, ours, _ = _app(store, example, scenario="3")
    assert at.session_state[OPEN_SCENARIO] == 2
    at.switch_page("pages/test_scenarios.py").run()
    assert at.query_params["scenario"] == "3"
    at.query_params.clear()
    at.switch_page("pages/team.py").run()
    assert at.query_params["wb"] == ours and at.query_params["scenario"] == "3"


def test_an_address_changed_by_the_person_opens_that_workbook(store, example) -> None:
    at, ours, other = _app(store, example)
    at.query_params["wb"] = other  # back / forward to an address of another workbook
    at.run()
    assert at.session_state[StateKeys.WORKBOOK] == other
    assert at.query_params["wb"] == other


def test_an_unknown_workbook_in_the_address_keeps_the_open_one(store, example) -> None:
    at, ours, _ = _app(store, example)
    at.query_params["wb"] = "nosuchid"
    at.run()
    assert at.session_state[StateKeys.WORKBOOK] == ours
    assert at.query_params["wb"] == ours
    assert any("no workbook 'nosuchid'" in e.value for e in at.error)


def test_a_stale_address_from_a_slow_browser_does_not_undo_the_sessions_own_change(store, example) -> None:
    at, ours, _ = _app(store, example, scenario="3")
    at.session_state[OPEN_SCENARIO] = 4  # the person opened scenario 5 (a callback)
    at.run()
    assert at.query_params["scenario"] == "5"
    at.query_params["scenario"] = "3"  # a rerun sent before the browser took in the new address
    at.run()
    assert at.session_state[OPEN_SCENARIO] == 4 and at.query_params["scenario"] == "5"


def test_the_open_scenario_key_is_the_test_scenarios_pages_own() -> None:
    from workbook.ui.scenarios_page import SELECTED
    assert SELECTED == OPEN_SCENARIO


def test_back_to_a_scenario_wins_over_a_choice_left_under_the_pickers_earlier_key(store, example, monkeypatch) -> None:
    """CI's flaky Back: the picker's key names the open scenario, so Back reuses an earlier key, and
    the run Back interrupted (or a fragment's run started with the browser's widgets of before)
    can leave the person's newer choice under it. The address must win: scenario 4 again, not 6."""
    from workbook.ui import state

    at, _, _ = _app(store, example, scenario="4")
    at.switch_page("pages/test_scenarios.py").run()
    picker = next(box for box in at.selectbox if box.label == "Open scenario")
    earlier_key = picker.key
    picker.set_value(5).run()  # the person opens scenario 6
    assert at.session_state[OPEN_SCENARIO] == 5 and at.query_params["scenario"] == "6"

    at.session_state[earlier_key] = 5  # left over under the key the picker had on scenario 4
    monkeypatch.setattr(state, "_history_navigation", lambda: True)
    at.query_params["scenario"] = "4"  # Back
    at.run()
    assert not at.exception, at.exception
    assert at.session_state[OPEN_SCENARIO] == 3
    assert at.query_params["scenario"] == "4"
    assert next(box for box in at.selectbox if box.label == "Open scenario").value == 3
