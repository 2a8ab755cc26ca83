"""Browser tests: the top navigation on a laptop and on a phone.

- At 1024×768 with the sidebar open, the six workbook tabs are all in view in the top
  navigation, none folded into "N more", on a page at rest and while a page runs (the running
  sign and "Stop" take the header's right end then); the Workshop pages are one menu away.
- At 1280×720 they keep their icons.
- On a 390 px phone the pages are in the sidebar: the six tabs listed there.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, open_app, wait_for_app

T = DEFAULT_TIMEOUT_MS
TABS = ["Team", "Thresholds", "ICP weights", "Activity weights", "Test scenarios", "Model summary"]


def sized(browser: Browser, width: int, height: int) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(T)
    try:
        yield context.new_page()
    finally:
        context.close()


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    yield from sized(browser, 1024, 768)


@pytest.fixture
def phone(browser: Browser) -> Iterator[Page]:
    yield from sized(browser, 390, 844)


def in_view(page: Page) -> Locator:
    """The top navigation's items not folded away (Streamlit hides folded ones with aria-hidden)."""
    return page.locator('[data-testid="stTopNav"] .rc-overflow-item:not([aria-hidden="true"])')


def tab(page: Page, title: str) -> Locator:
    return in_view(page).locator(f'[data-testid="stTopNavLink"]:has([label="{title}"])')


def expect_six_tabs_in_view(page: Page, width: int) -> None:
    for title in TABS:
        link = tab(page, title)
        expect(link, f"{title} is in the top navigation").to_have_count(1, timeout=T)
        expect(link).to_be_visible()
        box = link.bounding_box()
        assert box is not None and box["x"] >= 0 and box["x"] + box["width"] <= width, f"{title} is cut off: {box}"


def test_at_1024_the_six_tabs_are_in_view_and_the_workshop_pages_one_menu_away(app_server: str, laptop: Page) -> None:
    open_app(laptop, app_server)
    expect(laptop.get_by_test_id("stSidebar")).to_be_visible()
    expect_six_tabs_in_view(laptop, 1024)
    # The Workshop pages: under "Workshop" or "N more", one click away.
    menu = in_view(laptop).get_by_text(re.compile(r"^(\d+ more|Workshop)$"))
    expect(menu).to_have_count(1)
    menu.click()
    history = laptop.locator('[data-testid="stTopNavDropdownLink"]:has([label="History"])')
    expect(history).to_be_visible(timeout=T)
    history.click()
    wait_for_app(laptop)
    expect(laptop).to_have_url(re.compile(r"/history\?"), timeout=T)
    expect_six_tabs_in_view(laptop, 1024)


# Records, in the page, every moment a workbook tab is folded away (no polling from the test).
WATCH_FOLDS = """(titles) => {
  window.__folds = [];
  const check = () => {
    const shown = [...document.querySelectorAll(
      '[data-testid="stTopNav"] .rc-overflow-item:not([aria-hidden="true"]) [data-testid="stTopNavLink"] [label]')]
      .map(e => e.getAttribute('label'));
    // running: the script runs (the app's own mark; the header's running sign shows only after a moment)
    const app = document.querySelector('[data-testid="stApp"]');
    const running = !!document.querySelector('[data-testid="stStatusWidgetRunningIcon"]')
        || (app && app.getAttribute('data-test-script-state') === 'running');
    const missing = titles.filter(t => !shown.includes(t));
    if (missing.length) window.__folds.push({running, missing});
    if (running) window.__sawRunning = true;
  };
  new MutationObserver(check).observe(document.body, {subtree: true, childList: true, attributes: true});
}"""


def test_at_1024_no_tab_folds_away_while_a_page_runs(app_server: str, laptop: Page) -> None:
    open_app(laptop, f"{app_server}/icp_weights")
    laptop.evaluate(WATCH_FOLDS, TABS)
    for _ in range(3):  # back and forth until a run was seen
        tab(laptop, "Model summary").click()
        wait_for_app(laptop)
        tab(laptop, "ICP weights").click()
        wait_for_app(laptop)
        if laptop.evaluate("window.__sawRunning === true"):
            break
    assert laptop.evaluate("window.__sawRunning === true"), "a run was seen"
    assert laptop.evaluate("window.__folds") == []
    expect_six_tabs_in_view(laptop, 1024)


def test_at_1280_the_tabs_keep_their_icons(app_server: str, browser: Browser) -> None:
    for page in sized(browser, 1280, 720):
        open_app(page, app_server)
        expect_six_tabs_in_view(page, 1280)
        expect(tab(page, "Team").get_by_test_id("stIconMaterial")).to_be_visible()


def test_on_a_phone_the_six_tabs_are_in_the_sidebar(app_server: str, phone: Page) -> None:
    open_app(phone, app_server)
    phone.get_by_test_id("stExpandSidebarButton").click()
    nav = phone.get_by_test_id("stSidebarNav")
    for title in TABS:
        expect(nav.get_by_role("link", name=re.compile(rf"(^|\s){re.escape(title)}$"))).to_be_visible(timeout=T)
