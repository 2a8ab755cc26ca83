"""AppTest: every input of a tab is greyed out for someone who may not change it (issue 13).

A workbook claimed by its facilitator Sam Lee; people arrive through their own links as a
browser would (``?wb=<id>&t=<token>``). On Thresholds, ICP weights and Test scenarios a viewer
link and a participant whose facilitator has not let participants edit find every input
disabled — tables, number inputs, selects, buttons, text boxes — except what only changes the
view (which scenario is open, the disagreements filter); the facilitator finds them enabled.
The refusal on save stays behind them (tests/ui/test_access_pages.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from streamlit.testing.v1.element_tree import Dataframe, Widget

from tests.ui.conftest import run
from workbook.files import load_model_file
from workbook.store.access import Access
from workbook.ui.history_page import revision_rows
from workbook.ui.keys import StateKeys

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"
PAGES = ("pages/thresholds.py", "pages/icp_weights.py", "pages/test_scenarios.py")
# Inputs that only change what this person looks at: never greyed out.
VIEW_ONLY = {"Open scenario", "Disagreements only"}
# Inputs the facilitator may find greyed out for reasons of their own (the first card's "Up",
# the last card's "Down", "Apply" before any attribute is chosen).
GREYED_FOR_OTHER_REASONS = {"Up", "Down", "Apply"}


@pytest.fixture
def claimed(store) -> dict[str, str]:
    """A workbook claimed by Sam Lee, with a participant's link and a read-only link."""
    wid = store.create(load_model_file(EXAMPLE).model, author="Sam Lee", source="upload").id
    access = Access(store)
    return {
        "wid": wid,
        "facilitator": access.claim(wid, "Sam Lee"),
        "participant": access.invite(wid, "Priya Raman", by="Sam Lee"),
        "viewer": access.read_only_link(wid, by="Sam Lee"),
    }


def arrive(wid: str, token: str | None, page: str) -> AppTest:
    """A new browser session that opens a link (or the plain address), then ``page``."""
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["wb"] = wid
    if token:
        at.query_params["t"] = token
    run(at)
    at.switch_page(page)
    return run(at)


def inputs(at: AppTest) -> list[tuple[str, bool]]:
    """(label, disabled) of every input on the page itself (the sidebar is not the tab)."""
    found = []
    for node in at.main:
        if isinstance(node, Dataframe):
            if node.editing_mode != "read_only":
                found.append((f"table {node.key}", bool(node.proto.disabled)))
        elif isinstance(node, Widget):
            found.append((str(getattr(node, "label", node.key)), bool(node.proto.disabled)))
    return found


def enabled(at: AppTest) -> list[str]:
    return sorted(label for label, disabled in inputs(at) if not disabled and label not in VIEW_ONLY)


def notices(at: AppTest) -> list[str]:
    return [i.value.replace("\\", "") for i in at.info]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("who", ["viewer", "participant"])
def test_every_input_is_greyed_out_for_who_may_not_edit(claimed, who, page):
    at = arrive(claimed["wid"], claimed[who], page)
    shown = inputs(at)
    assert len(shown) >= 3, shown  # the page really drew its inputs
    assert enabled(at) == [], f"{who} can still use: {enabled(at)}"
    assert any(label in VIEW_ONLY for label, _ in shown) == (page == "pages/test_scenarios.py")
    assert all(not disabled for label, disabled in shown if label in VIEW_ONLY)  # looking around still works
    # One line at the top of the page says who can change it.
    assert any("the facilitator (Sam Lee) can change the tabs" in n for n in notices(at)), notices(at)


@pytest.mark.parametrize("page", PAGES)
def test_the_facilitator_finds_every_input_enabled(claimed, page):
    at = arrive(claimed["wid"], claimed["facilitator"], page)
    greyed = {label for label, disabled in inputs(at) if disabled}
    assert greyed <= GREYED_FOR_OTHER_REASONS, greyed
    assert len(enabled(at)) >= 3
    assert not any("can change the tabs" in n for n in notices(at))


def test_the_weight_inputs_and_tables_by_name(claimed):
    """The inputs the issue names, one by one: the cards' weights, the knockout select, the tables."""
    viewer = arrive(claimed["wid"], claimed["viewer"], "pages/icp_weights.py")
    sam = arrive(claimed["wid"], claimed["facilitator"], "pages/icp_weights.py")
    for at, greyed in ((viewer, True), (sam, False)):
        weights = [n for n in at.number_input if n.label == "Weight (%)"]
        assert weights and all(n.disabled is greyed for n in weights)
        assert all(bool(t.proto.disabled) is greyed for t in at.data_editor)
        assert all(b.disabled is greyed for b in at.button if b.label.startswith("Copy values"))


def test_participants_may_edit_when_the_facilitator_lets_them(claimed, store):
    Access(store).set_participants_may_edit(claimed["wid"], True)
    at = arrive(claimed["wid"], claimed["participant"], "pages/thresholds.py")
    assert {label for label, disabled in inputs(at) if disabled} == set()
    knockout = next(s for s in at.selectbox if s.label == "State of a knocked-out lead")
    now = knockout.value
    knockout.select(next(o for o in knockout.options if o != now))
    run(at)
    assert store.head(claimed["wid"]).author == "Priya Raman"


def test_the_plain_address_greys_out_the_thresholds(claimed):
    at = arrive(claimed["wid"], None, "pages/thresholds.py")
    assert enabled(at) == []
    assert any("This address shows the workbook read-only" in n for n in notices(at))


def test_an_open_workbook_leaves_everything_enabled(store):
    wid = store.create(load_model_file(EXAMPLE).model, source="upload").id
    at = arrive(wid, None, "pages/icp_weights.py")
    assert {label for label, disabled in inputs(at) if disabled} <= GREYED_FOR_OTHER_REASONS


# -- History: how each author was identified --------------------------------------------------
def test_history_says_how_each_author_was_identified(claimed, store):
    sam = arrive(claimed["wid"], claimed["facilitator"], "pages/thresholds.py")
    knockout = next(s for s in sam.selectbox if s.label == "State of a knocked-out lead")
    knockout.select(next(o for o in knockout.options if o != knockout.value))
    run(sam)
    sam.switch_page("pages/history.py")
    run(sam)
    (table,) = [d for d in sam.dataframe if "Identified by" in d.value.columns]
    rows = table.value
    newest, first = rows.iloc[0], rows.iloc[-1]
    assert (newest["Who"], newest["Identified by"]) == ("Sam Lee", "invite link")
    assert first["Identified by"] == "not recorded"  # the creation, before anyone edited through a link
    assert sam.session_state[StateKeys.BASE] == newest["Revision"]


def test_history_on_an_open_workbook_says_the_name_was_typed(store):
    wid = store.create(load_model_file(EXAMPLE).model, source="upload").id
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["wb"] = wid
    at.session_state[StateKeys.PARTICIPANT] = "Ann Example"
    run(at)
    at.switch_page("pages/thresholds.py")
    run(at)
    knockout = next(s for s in at.selectbox if s.label == "State of a knocked-out lead")
    knockout.select(next(o for o in knockout.options if o != knockout.value))
    run(at)
    at.switch_page("pages/history.py")
    run(at)
    (table,) = [d for d in at.dataframe if "Identified by" in d.value.columns]
    newest = table.value.iloc[0]
    assert (newest["Who"], newest["Identified by"]) == ("Ann Example", "typed name, unverified (open workbook)")
    # the revision's own detail says it beside the name
    at.selectbox(key="history.view").select(int(newest["Revision"]))
    run(at)
    said = [c.value.replace("\\", "") for c in at.caption]
    assert any("by Ann Example (typed name, unverified (open workbook))" in c for c in said), said


def test_revision_rows_put_the_identification_beside_the_author(store):
    wid = store.create(load_model_file(EXAMPLE).model, author="Sam Lee", source="upload").id
    revisions = store.history(wid)
    rows = revision_rows(revisions, None, {revisions[0].number: "oidc"})
    assert list(rows.columns[:4]) == ["Revision", "When", "Who", "Identified by"]
    assert rows.iloc[0]["Identified by"] == "signed in"
    assert list(revision_rows(revisions, None)["Identified by"]) == ["not recorded"] * len(revisions)


# -- the one answer pages ask ------------------------------------------------------------------
def test_the_permission_answer_follows_the_rule_table():
    from workbook.store.access import ANONYMOUS, RULES, Identity, WorkbookAccess, can
    from workbook.ui.identity import Permissions

    claimed = WorkbookAccess(claimed=True, facilitators=("Sam Lee",), committee=("Dana Ortiz",))
    for who in (Identity("Sam Lee", "invite", "facilitator"), Identity("Dana Ortiz", "oidc", "steering"),
                Identity(None, "invite", "viewer"), ANONYMOUS):
        answer = Permissions("wb", who, claimed)
        assert {a: answer.may(a) for a in RULES} == {a: can(who, a, claimed) for a in RULES}
    # An open workbook: anyone may record a decision for a committee member (as a typed name)…
    assert Permissions("wb", ANONYMOUS, WorkbookAccess(committee=("Dana Ortiz",))).may("approve")
    # …as long as there is a committee.
    assert not Permissions("wb", ANONYMOUS, WorkbookAccess()).may("approve")
    # A database that cannot be read: nothing is offered, and the reason is said.
    unknown = Permissions("wb", ANONYMOUS, WorkbookAccess(), known=False)
    assert not any(unknown.may(a) for a in RULES)
    assert "cannot be read" in (unknown.refusal("edit") or "")
