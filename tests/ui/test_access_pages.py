"""AppTest: claiming a workbook on the Team tab, the read-only plain address, refusals in words."""

from __future__ import annotations

from pathlib import Path

from streamlit.testing.v1 import AppTest

from tests.ui.conftest import run
from workbook.files import load_model_file
from workbook.store.access import Access
from workbook.ui.keys import StateKeys
from workbook.ui.team_roles import CLAIM_NAME

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"


def texts(elements) -> list[str]:
    """What alerts say, without Markdown's escapes."""
    return [e.value.replace("\\", "") for e in elements]


def session_on(wid: str, page: str = "pages/team.py") -> AppTest:
    """A new browser session that opens the plain address of workbook ``wid``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=30)
    at.query_params["wb"] = wid
    run(at)
    at.switch_page(page)
    return run(at)


def test_an_open_workbook_is_claimed_on_the_team_tab_and_the_plain_address_turns_read_only(store):
    wid = store.create(load_model_file(EXAMPLE).model, source="upload").id
    sam = session_on(wid)
    assert any("Anyone with this workbook's address can change it" in i for i in texts(sam.info))
    sam.text_input(key=CLAIM_NAME).set_value("Sam Lee")
    sam.button(key="FormSubmitter:team_roles.claim_form-Become the facilitator").click()
    run(sam)
    state = Access(store).workbook_access(wid)
    assert state.claimed and state.facilitators == ("Sam Lee",)
    assert wid in sam.session_state[StateKeys.TOKENS]  # this session holds the facilitator's link

    # the facilitator still edits
    sam.switch_page("pages/thresholds.py")
    run(sam)
    sam.selectbox(key=_knockout_key(sam)).select("Nurture")
    run(sam)
    assert store.head(wid).model.knockout_state == "Nurture"
    assert store.head(wid).author == "Sam Lee"

    # someone with the plain address sees it read-only, and an edit is refused in words
    other = session_on(wid, "pages/thresholds.py")
    assert any("This address shows the workbook read-only" in i for i in texts(other.info))
    knockout = other.selectbox(key=_knockout_key(other))
    assert knockout.disabled  # greyed out; a value sent anyway (a crafted request) is refused on save
    other.session_state[knockout.key] = "Qualify"
    run(other)
    assert any("Not saved: This address shows the workbook read-only" in e for e in texts(other.error))
    assert store.head(wid).model.knockout_state == "Nurture"


def test_an_open_workbook_still_lets_everyone_edit(store):
    wid = store.create(load_model_file(EXAMPLE).model, source="upload").id
    at = session_on(wid, "pages/thresholds.py")
    assert not any("read-only" in i for i in texts(at.info))
    at.selectbox(key=_knockout_key(at)).select("Qualify")
    run(at)
    assert store.head(wid).model.knockout_state == "Qualify"


def _knockout_key(at: AppTest) -> str:
    (key,) = [s.key for s in at.selectbox if s.label == "State of a knocked-out lead"]
    return key
