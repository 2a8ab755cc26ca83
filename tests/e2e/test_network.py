"""Browser tests: a product, not a prototype.

- No request leaves the app's own host over a walk through every page (no usage statistics,
  no fonts or favicon from a font host): any other host fails the test.
- The menu has no developer items (Deploy, Clear cache, Record screen) and no "Made with Streamlit".
- A sub-page's address opened directly shows that page, with the workbook, and makes no failed
  request at all: the app is served by ``serve.py`` (workbook/ui/serving.py), which tells the
  client where its server is (without it, streamlit/streamlit#7074 gives two 404s first).
"""

from __future__ import annotations

import re
from urllib.parse import urlparse

from playwright.sync_api import Page, expect

from tests.e2e.conftest import (
    DEFAULT_TIMEOUT_MS,
    open_app,
    wait_for_app,
)
from tests.e2e.test_navigation import PAGES, expect_at, go
from tests.e2e.test_navigation import workbook as workbook  # noqa: F401 — the fixture, shared

T = DEFAULT_TIMEOUT_MS


def _outside(url: str, base: str) -> bool:
    parsed = urlparse(url)
    if parsed.scheme in ("data", "blob", "about"):
        return False
    return parsed.netloc != urlparse(base).netloc


def test_no_request_goes_to_another_host_on_any_page(workbook, page: Page) -> None:  # noqa: F811
    url, wb, _ = workbook
    requests: list[str] = []
    page.on("request", lambda r: requests.append(r.url))
    page.on("websocket", lambda ws: requests.append(ws.url))
    open_app(page, f"{url}/?wb={wb}")
    for title, wanted in PAGES:
        go(page, title)
        expect_at(page, wanted, wb)
    page.get_by_test_id("stMainMenu").click()
    expect(page.get_by_text("About", exact=True)).to_be_visible(timeout=T)
    page.keyboard.press("Escape")
    page.wait_for_timeout(500)
    assert len(requests) > 20, "the walk made requests"
    outside = sorted({r for r in requests if _outside(r, url)})
    assert outside == [], f"requests to other hosts: {outside}"


def test_the_favicon_is_the_apps_own_file(app_server: str, page: Page) -> None:
    open_app(page, app_server)
    icon = page.locator("link[rel*='icon']").first
    expect(icon).to_have_attribute("href", re.compile(rf"^{re.escape(app_server)}/media/.+\.png$"), timeout=T)


def test_the_menu_has_no_developer_items_and_no_credits(app_server: str, page: Page) -> None:
    open_app(page, app_server)
    expect(page.get_by_test_id("stAppDeployButton")).to_have_count(0)
    page.get_by_test_id("stMainMenu").click()
    menu = page.locator("body")
    expect(page.get_by_role("menuitem", name="About")).to_be_visible(timeout=T)
    for developer in ("Deploy", "Clear cache", "Record screen", "Rerun", "Settings", "Developer options"):
        expect(menu.get_by_text(developer, exact=True)).to_have_count(0)
    expect(menu.get_by_text(re.compile("Made with Streamlit"))).not_to_be_visible()


def test_a_sub_page_address_opened_directly_shows_that_page_and_its_workbook(
    workbook, page: Page  # noqa: F811
) -> None:
    url, wb, scenarios = workbook
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    for path in ("/thresholds", "/calibration", "/test_scenarios"):
        open_app(page, f"{url}{path}?wb={wb}&scenario=2")
        expect_at(page, path, wb, scenario="2")
        wait_for_app(page)
    box = page.get_by_role("combobox", name="Open scenario")
    expect(box).to_have_value(re.compile(rf"^2\. {re.escape(scenarios[1])}"), timeout=T)
    assert failed == [], failed


def test_a_sub_page_address_opened_directly_fails_no_request(app_server: str, page: Page) -> None:
    failed: list[str] = []
    page.on("response", lambda r: failed.append(f"{r.status} {r.url}") if r.status >= 400 else None)
    page.on("requestfailed", lambda r: failed.append(f"failed {r.url}"))
    for path, heading in (("/thresholds", "Thresholds and the action grid"), ("/history", "History")):
        open_app(page, f"{app_server}{path}")
        expect(page).to_have_url(re.compile(rf"{re.escape(path)}\?wb="), timeout=T)
        expect(page.get_by_test_id("stMain").locator("h1, h2").first).to_have_text(heading, timeout=T)
        wait_for_app(page)
    assert failed == []
