"""Sign-in through a real OpenID Connect flow (``st.login``), roles from the team's e-mail, approvals.

The provider is ``oidc-provider-mock``: its authorization page asks for a subject (the
predefined users' e-mail and name come with it as claims). Sam Lee has claimed the
workbook and marked revision 1 as release candidate, in the store.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, choose, open_app, sidebar, wait_for_app
from workbook.files import load_model_file
from workbook.store import Store
from workbook.store.access import Access

T = DEFAULT_TIMEOUT_MS
EXAMPLE = Path(__file__).resolve().parents[3] / "scenarios" / "sales_automation.yaml"


@pytest.fixture(scope="module")
def workbook(auth_app) -> str:
    _, db = auth_app
    with Store(db) as store:
        wid = store.create(load_model_file(EXAMPLE).model, author="Sam Lee", source="upload").id
        Access(store).claim(wid, "Sam Lee")
        store.mark_release_candidate(wid, 1, author="Sam Lee")
    return wid


def sign_in(page: Page, url: str, wid: str, subject: str) -> None:
    """Open the workbook, press Sign in, authorize as ``subject`` at the provider, come back."""
    open_app(page, f"{url}/?wb={wid}")
    sidebar(page).get_by_role("button", name="Sign in").click()
    page.wait_for_url(re.compile(r"localhost:\d+/oauth2/authorize"), timeout=T)
    page.get_by_placeholder("sub").fill(subject)
    page.get_by_role("button", name="Authorize").click()
    page.wait_for_url(re.compile(r"127\.0\.0\.1:\d+/"), timeout=T)
    wait_for_app(page, settle_ms=0)
    page.wait_for_url(re.compile(rf"[?&]wb={wid}"), timeout=T)  # back on the workbook the person left


def to_review(page: Page) -> None:
    page.get_by_role("button", name="Workshop").click()
    page.locator("body").get_by_text("Review", exact=True).last.click()
    wait_for_app(page)


def decide(page: Page, member: str | None = None) -> None:
    if member:
        choose(page, "I am", member)
    page.get_by_role("radio", name="Approve").click()
    page.get_by_role("button", name="Record my decision").click()
    wait_for_app(page)


def decisions(db: Path, wid: str) -> dict[str, str | None]:
    with Store(db) as store:
        return {r.member: r.decision for r in store.approval_status(wid, 1).reviews}


def test_a_steering_member_signs_in_lands_with_her_role_and_approves(auth_app, workbook, page: Page) -> None:
    url, db = auth_app
    sign_in(page, url, workbook, "dana")
    expect(sidebar(page)).to_contain_text("Dana Ortiz", timeout=T)
    expect(sidebar(page)).to_contain_text("signed in · Steering-committee member", timeout=T)
    expect(page.get_by_text("As steering-committee member you cannot change the tabs")).to_be_visible(timeout=T)
    to_review(page)
    expect(page.get_by_role("combobox", name="I am")).to_have_value("Dana Ortiz", timeout=T)
    decide(page)
    assert decisions(db, workbook)["Dana Ortiz"] == "approved"
    with Store(db) as store:
        final = store.final_export_model(workbook, 1)
    assert {a.member: a.identified_by for a in final.metadata.approvals} == {"Dana Ortiz": "signed in"}


def test_another_user_cannot_approve_for_someone_else(auth_app, workbook, browser: Browser) -> None:
    url, db = auth_app
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(T)
    try:
        page = context.new_page()
        sign_in(page, url, workbook, "priya")
        expect(sidebar(page)).to_contain_text("signed in · Participant", timeout=T)
        before = decisions(db, workbook)
        to_review(page)
        # A participant's decision form is greyed out: she decides for nobody.
        expect(page.get_by_role("combobox", name="I am")).to_be_disabled(timeout=T)
        expect(page.get_by_role("button", name="Record my decision")).to_be_disabled(timeout=T)
    finally:
        context.close()
    # A steering member signed in may decide, but only in her own name, not for another member.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    context.set_default_timeout(T)
    try:
        page = context.new_page()
        sign_in(page, url, workbook, "dana")
        to_review(page)
        decide(page, "Marcus Lindqvist")
        refused = page.get_by_text("You are signed in as Dana Ortiz: you cannot decide for Marcus Lindqvist.")
        expect(refused).to_be_visible(timeout=T)
        assert decisions(db, workbook) == before, "nothing recorded for Marcus"
    finally:
        context.close()
