"""Browser tests: who may do what without a sign-in provider (issue 13) and the name kept (issue 11.4).

One server with a database of its own holds a workbook claimed by the facilitator Sam Lee
(his personal link made in the store, as creating the workbook would). Each person is a
browser context of their own (cookies, storage): the facilitator, Priya (a participant),
Dana (a steering-committee member), a viewer, and someone with the plain address.
Links are created and revoked on the Team tab as the facilitator would, and read from the
copyable text the tab shows.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, choose, open_app, sidebar, wait_for_app
from workbook.files import load_model_file
from workbook.store import Store
from workbook.store.access import Access

T = DEFAULT_TIMEOUT_MS
ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"
KNOCKOUT = "State of a knocked-out lead"


@pytest.fixture(scope="module")
def room(tmp_path_factory) -> dict[str, object]:
    folder = tmp_path_factory.mktemp("access")
    db = folder / "access.db"
    with Store(db) as store:
        wid = store.create(load_model_file(EXAMPLE).model, author="Sam Lee", source="upload").id
        token = Access(store).claim(wid, "Sam Lee")
    return {"db": db, "wid": wid, "facilitator": token}


@pytest.fixture(scope="module")
def url(start_app, room) -> str:
    return start_app(env={"WORKBOOK_DB": str(room["db"])})


@pytest.fixture
def person(browser: Browser) -> Iterator:
    """A factory of people: each a browser context of their own."""
    contexts = []

    def make() -> Page:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.set_default_timeout(T)
        contexts.append(context)
        return context.new_page()

    yield make
    for context in contexts:
        context.close()


def head(room) -> tuple[int, str, str | None]:
    with Store(room["db"]) as store:
        info = store.get(room["wid"])
        rev = store.head(room["wid"])
        return info.head_revision, rev.model.knockout_state, rev.author


def committee(room) -> list[str]:
    with Store(room["db"]) as store:
        return [m.name for m in store.head(room["wid"]).model.team if m.steering_committee]


def to_tab(page: Page, name: str) -> None:
    """Click a tab in the top navigation (the Workshop pages are in its menu)."""
    link = page.get_by_role("navigation").get_by_role("link", name=name, exact=True)
    if link.count():
        link.first.click()
    else:
        page.get_by_role("button", name="Workshop").click()
        page.get_by_test_id("stNavSectionHeader").or_(page.locator("body")).get_by_text(name, exact=True).last.click()
    wait_for_app(page)


def as_facilitator(page: Page, url: str, room) -> Page:
    # The app's root (Team is the first tab): a sub-page address opened directly may first
    # say "Page not found" while the server starts (issue 11, item 7: not this test's subject).
    open_app(page, f"{url}/?wb={room['wid']}&t={room['facilitator']}")
    expect(sidebar(page)).to_contain_text("Sam Lee", timeout=T)
    return page


def new_link(page: Page, button: str, member: str | None = None) -> str:
    """Create a link on the Team tab and read it from the copyable text."""
    if member:
        choose(page, "Personal link for", member)
    page.get_by_role("button", name=button).click()
    wait_for_app(page)
    code = page.get_by_test_id("stCode").filter(has_text="&t=").last
    expect(code).to_be_visible(timeout=T)
    text = code.inner_text().strip()
    assert re.search(r"\?wb=[\w-]+&t=[\w-]{32,}$", text), text
    return text


def set_participants_may_edit(page: Page, on: bool) -> None:
    toggle = page.get_by_role("switch", name="Participants may edit the tabs")
    if toggle.is_checked() != on:
        toggle.click(force=True)
        wait_for_app(page)
    expect(toggle).to_be_checked(checked=on, timeout=T)


def go(page: Page, link: str, tab: str = "Thresholds") -> None:
    """Open a link, then a tab (the link opens the first tab)."""
    open_app(page, link)
    to_tab(page, tab)


def try_knockout(page: Page, state: str) -> None:
    choose(page, KNOCKOUT, state)


def expect_read_only(page: Page) -> None:
    """The Thresholds tab greyed out: the knockout select and the tables cannot be used."""
    expect(page.get_by_role("combobox", name=KNOCKOUT)).to_be_disabled(timeout=T)
    expect(page.get_by_role("radio", name="Count as 0")).to_be_disabled(timeout=T)


# --------------------------------------------------------------------------- tests
def test_the_plain_address_is_read_only(url, room, person) -> None:
    page = person()
    before = head(room)
    go(page, f"{url}/?wb={room['wid']}")
    expect(page.get_by_text("This address shows the workbook read-only")).to_be_visible(timeout=T)
    expect(page.get_by_text("the facilitator (Sam Lee) can change the tabs").first).to_be_visible(timeout=T)
    expect_read_only(page)
    assert head(room)[:2] == before[:2], "nothing was saved from the plain address"


def test_an_invite_link_edits_and_keeps_working_after_a_reload(url, room, person) -> None:
    sam = as_facilitator(person(), url, room)
    set_participants_may_edit(sam, True)
    link = new_link(sam, "Create invite link", "Priya Raman")
    priya = person()
    go(priya, link)
    assert "t=" not in priya.url, "the token leaves the address bar (the copied address is the plain one)"
    expect(sidebar(priya)).to_contain_text("Priya Raman", timeout=T)
    expect(sidebar(priya)).to_contain_text("invite link", timeout=T)
    number = head(room)[0]
    new_state = "Qualify" if head(room)[1] != "Qualify" else "Nurture"
    try_knockout(priya, new_state)
    expect(sidebar(priya)).to_contain_text(f"Revision {number + 1}", timeout=T)
    assert head(room) == (number + 1, new_state, "Priya Raman")
    with Store(room["db"]) as store:
        assert Access(store).stamps(room["wid"], "revision")[str(number + 1)] == ("Priya Raman", "invite")

    priya.reload(wait_until="domcontentloaded")  # the device keeps the link (a cookie)
    wait_for_app(priya, settle_ms=0)
    expect(sidebar(priya)).to_contain_text("Priya Raman", timeout=T)
    other = "Ignore" if new_state != "Ignore" else "Nurture"
    try_knockout(priya, other)
    expect(sidebar(priya)).to_contain_text(f"Revision {number + 2}", timeout=T)

    set_participants_may_edit(sam, False)  # the facilitator takes edits back: Priya is read-only
    priya.reload(wait_until="domcontentloaded")
    wait_for_app(priya, settle_ms=0)
    expect(priya.get_by_text("until the facilitator lets participants edit")).to_be_visible(timeout=T)


def test_a_viewer_link_cannot_edit(url, room, person) -> None:
    sam = as_facilitator(person(), url, room)
    link = new_link(sam, "Create a read-only link")
    viewer = person()
    go(viewer, link)
    expect(viewer.get_by_text("Your link is read-only")).to_be_visible(timeout=T)
    before = head(room)
    expect_read_only(viewer)
    to_tab(viewer, "ICP weights")  # the attribute cards' weight inputs are greyed out too
    weights = viewer.get_by_role("spinbutton", name="Weight (%)")
    expect(weights.first).to_be_visible(timeout=T)
    assert weights.count() >= 2
    for i in range(weights.count()):
        expect(weights.nth(i)).to_be_disabled(timeout=T)
    expect(viewer.get_by_role("button", name="Copy values")).to_be_disabled(timeout=T)
    assert head(room)[:2] == before[:2]


def test_a_revoked_link_stops_working(url, room, person) -> None:
    sam = as_facilitator(person(), url, room)
    set_participants_may_edit(sam, True)
    link = new_link(sam, "Create invite link", "Tom Becker")
    tom = person()
    go(tom, link)
    expect(sidebar(tom)).to_contain_text("Tom Becker", timeout=T)

    choose(sam, "Link to revoke", re.compile(r"^Tom Becker"))
    sam.get_by_role("button", name="Revoke").click()
    wait_for_app(sam)
    with Store(room["db"]) as store:
        tom_links = [lk for lk in Access(store).links(room["wid"]) if lk.member == "Tom Becker"]
    assert tom_links and not any(lk.active for lk in tom_links)

    tom.reload(wait_until="domcontentloaded")
    wait_for_app(tom, settle_ms=0)
    expect(tom.get_by_text("no longer works").first).to_be_visible(timeout=T)
    before = head(room)
    expect_read_only(tom)
    assert head(room)[:2] == before[:2]
    # the same link opened afresh (another device) does not work either
    fresh = person()
    open_app(fresh, link)
    expect(fresh.get_by_text("does not open this workbook").first).to_be_visible(timeout=T)


def test_an_approval_only_from_the_steering_members_own_link(url, room, person) -> None:
    sam = as_facilitator(person(), url, room)
    priya_link = new_link(sam, "Create invite link", "Priya Raman")
    dana_link = new_link(sam, "Create invite link", "Dana Ortiz")
    to_tab(sam, "Review")
    sam.get_by_role("button", name="Mark as release candidate").click()
    wait_for_app(sam)
    number = head(room)[0]

    def decide(page: Page, member: str) -> None:
        choose(page, "I am", member)
        page.get_by_role("radio", name="Approve").click()
        page.get_by_role("button", name="Record my decision").click()
        wait_for_app(page)

    def expect_no_decision(page: Page) -> None:
        expect(page.get_by_role("combobox", name="I am")).to_be_disabled(timeout=T)
        expect(page.get_by_role("button", name="Record my decision")).to_be_disabled(timeout=T)

    nobody = person()  # the plain address: the decision form is greyed out
    go(nobody, f"{url}/?wb={room['wid']}", "Review")
    expect_no_decision(nobody)

    priya = person()  # a participant's own link: greyed out too
    go(priya, priya_link, "Review")
    expect_no_decision(priya)

    dana = person()
    go(dana, dana_link, "Review")
    expect(dana.get_by_role("combobox", name="I am")).to_have_value("Dana Ortiz", timeout=T)  # her own name
    other = next(m for m in committee(room) if m != "Dana Ortiz")
    decide(dana, other)  # her link decides for herself only
    expect(dana.get_by_text(f"you cannot decide for {other}").first).to_be_visible(timeout=T)
    with Store(room["db"]) as store:
        assert all(r.decision is None for r in store.approval_status(room["wid"], number).reviews), "nothing recorded"
    choose(dana, "I am", "Dana Ortiz")
    approve = dana.get_by_role("radio", name="Approve")
    if not approve.is_checked():  # the form kept her choice; a second click would clear it
        approve.click()
    dana.get_by_role("button", name="Record my decision").click()
    wait_for_app(dana)
    with Store(room["db"]) as store:
        status = store.approval_status(room["wid"], number)
        assert {r.member: r.decision for r in status.reviews}["Dana Ortiz"] == "approved"
        final = store.final_export_model(room["wid"], number)
    assert {a.member: a.identified_by for a in final.metadata.approvals} == {"Dana Ortiz": "invite link"}


def test_the_name_is_asked_once_and_kept_after_a_reload(start_app, browser: Browser, tmp_path: Path) -> None:
    url = start_app(env={"WORKBOOK_DB": str(tmp_path / "names.db")})
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(T)
    try:
        page = context.new_page()
        go(page, url)
        expect(sidebar(page).get_by_text("Asked once on this device")).to_be_visible(timeout=T)
        field = sidebar(page).get_by_role("textbox", name="Your name (optional)")
        field.fill("Ann Example")
        field.press("Enter")
        wait_for_app(page)
        expect(sidebar(page).get_by_text("Asked once on this device")).to_have_count(0, timeout=T)

        page.reload(wait_until="domcontentloaded")
        wait_for_app(page, settle_ms=0)
        field = sidebar(page).get_by_role("textbox", name="Your name (optional)")
        expect(field).to_have_value("Ann Example", timeout=T)
        expect(sidebar(page).get_by_text("Asked once on this device")).to_have_count(0, timeout=T)

        second = context.new_page()  # another tab on the same device
        go(second, url)
        expect(sidebar(second).get_by_role("textbox", name="Your name (optional)")).to_have_value(
            "Ann Example", timeout=T
        )
        choose(second, KNOCKOUT, "Nurture")
        expect(sidebar(second)).to_contain_text("Revision 2", timeout=T)
        with Store(tmp_path / "names.db") as store:
            (info,) = store.list()
            assert store.head(info.id).author == "Ann Example"
    finally:
        context.close()


def test_skipping_the_name_is_remembered(start_app, browser: Browser, tmp_path: Path) -> None:
    url = start_app(env={"WORKBOOK_DB": str(tmp_path / "skip.db")})
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(T)
    try:
        page = context.new_page()
        open_app(page, url)
        sidebar(page).get_by_role("button", name="Skip").click()
        wait_for_app(page)
        expect(sidebar(page).get_by_text("Asked once on this device")).to_have_count(0, timeout=T)
        page.reload(wait_until="domcontentloaded")
        wait_for_app(page, settle_ms=0)
        expect(sidebar(page).get_by_role("textbox", name="Your name (optional)")).to_be_visible(timeout=T)
        expect(sidebar(page).get_by_text("Asked once on this device")).to_have_count(0, timeout=T)
    finally:
        context.close()
