"""Browser tests: the address always names the workbook, the page and the open scenario.

- Every tab of the top navigation keeps ``?wb=`` (and the open scenario); a reload, and the
  address pasted into a new browser context, show the same workbook, page and scenario.
- Back and Forward go page by page, and back to the scenario open before (also when Back is
  pressed while the run of the change is still going).
- ``/team`` (the Team page's own name; Team is served at ``/``) opens Team with the workbook kept.
- A button that leads to another page (the provisional note's "Fix it on …") keeps them too.

The store holds two workbooks: the one under test is not the one a bare address opens, so a
lost ``?wb=`` shows as the wrong workbook.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, choose, open_app, sidebar, wait_for_app
from tests.ui.conftest import EXAMPLE
from workbook.files import load_model_file
from workbook.store import Store

T = DEFAULT_TIMEOUT_MS

# Every page of app.py's navigation: its title and its address's path.
PAGES = [
    ("Team", "/"), ("Thresholds", "/thresholds"), ("ICP weights", "/icp_weights"),
    ("Activity weights", "/activity_weights"), ("Test scenarios", "/test_scenarios"),
    ("Model summary", "/model_summary"), ("Calibration", "/calibration"), ("Workbooks", "/workbooks"),
    ("History", "/history"), ("Review", "/review"), ("Lead list", "/lead_list"),
]
NAME = "Navigation workbook"


# --------------------------------------------------------------------------- helpers
def go(page: Page, title: str) -> None:
    """Click a tab of the top navigation, opening its "N more" or "Workshop" menu when it is in one."""
    visible = page.locator('.rc-overflow-item:not([aria-hidden="true"])')
    shown = visible.locator(f'[data-testid="stTopNavLink"]:has([label="{title}"])')
    if shown.count():
        shown.first.click()
    else:
        more = visible.get_by_text(re.compile(r"^\d+ more$"))
        (more if more.count() else visible.get_by_text("Workshop", exact=True)).first.click()
        page.locator(f'[data-testid="stTopNavDropdownLink"]:has([label="{title}"])').click()
    wait_for_app(page)


def params(page: Page) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlparse(page.url).query).items()}


def path(page: Page) -> str:
    return urlparse(page.url).path


def expect_at(page: Page, wanted_path: str, wb: str, scenario: str | None = None) -> None:
    """The address names the page, the workbook (and the scenario); the sidebar shows that workbook."""
    expect(page).to_have_url(re.compile(rf"{re.escape(wanted_path)}\?.*wb={wb}"), timeout=T)
    if scenario is not None:
        expect(page).to_have_url(re.compile(rf"[?&]scenario={scenario}(&|$)"), timeout=T)
    expect(sidebar(page)).to_contain_text(NAME, timeout=T)


def expect_open_scenario(page: Page, number: int, name: str) -> None:
    box = page.get_by_role("combobox", name="Open scenario")
    expect(box).to_have_value(re.compile(rf"^{number}\. {re.escape(name)}"), timeout=T)


@pytest.fixture
def workbook(start_app, tmp_path: Path) -> tuple[str, str, list[str]]:
    """(base URL, id of the workbook under test, its scenario names); another workbook is newer."""
    store = Store(tmp_path / "navigation.db")
    model = load_model_file(EXAMPLE).model
    ours = store.create(model.model_copy(update={"name": NAME}), source="upload")
    store.create(model.model_copy(update={"name": "Another workbook"}), source="upload")
    url = start_app(env={"WORKBOOK_DB": str(tmp_path / "navigation.db")})
    return url, ours.id, [s.name for s in model.scenarios]


# --------------------------------------------------------------------------- tests
def test_every_tab_keeps_the_workbook_and_a_reload_or_a_new_context_shows_the_same(
    workbook, page: Page, browser: Browser
) -> None:
    url, wb, scenarios = workbook
    open_app(page, f"{url}/?wb={wb}")
    expect_at(page, "/", wb)
    headings: dict[str, str] = {}
    for title, wanted in PAGES:
        go(page, title)
        expect_at(page, wanted, wb)
        headings[title] = page.get_by_test_id("stHeading").first.inner_text()
        if title == "Test scenarios":
            choose(page, "Open scenario", re.compile(r"^3\. "))
            expect_at(page, wanted, wb, scenario="3")
            expect_open_scenario(page, 3, scenarios[2])

    # The open scenario stays in the address on every page after it was opened.
    go(page, "Thresholds")
    expect_at(page, "/thresholds", wb, scenario="3")
    page.reload(wait_until="domcontentloaded")
    wait_for_app(page, settle_ms=0)
    expect_at(page, "/thresholds", wb, scenario="3")
    expect(page.get_by_test_id("stHeading").first).to_have_text(headings["Thresholds"], timeout=T)

    go(page, "Test scenarios")
    copied = page.url
    assert params(page) == {"wb": wb, "scenario": "3"}
    page.reload(wait_until="domcontentloaded")
    wait_for_app(page, settle_ms=0)
    expect_open_scenario(page, 3, scenarios[2])

    # The copied address in a new browser context (no cookies, no session): same workbook, page, scenario.
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        other = context.new_page()
        open_app(other, copied)
        expect_at(other, "/test_scenarios", wb, scenario="3")
        expect(other.get_by_test_id("stHeading").first).to_have_text(headings["Test scenarios"], timeout=T)
        expect_open_scenario(other, 3, scenarios[2])
    finally:
        context.close()


def test_back_and_forward_go_page_by_page(workbook, page: Page) -> None:
    url, wb, scenarios = workbook
    open_app(page, f"{url}/?wb={wb}")
    go(page, "Thresholds")
    go(page, "ICP weights")
    go(page, "Test scenarios")
    choose(page, "Open scenario", re.compile(r"^2\. "))
    expect_at(page, "/test_scenarios", wb, scenario="2")
    go(page, "Model summary")
    expect_at(page, "/model_summary", wb, scenario="2")

    for wanted in ("/test_scenarios", "/test_scenarios", "/icp_weights", "/thresholds", "/"):
        page.go_back(wait_until="commit")
        wait_for_app(page)
        expect_at(page, wanted, wb)
    page.go_forward(wait_until="commit")
    wait_for_app(page)
    expect_at(page, "/thresholds", wb)
    page.go_forward(wait_until="commit")
    wait_for_app(page)
    expect_at(page, "/icp_weights", wb)


@pytest.mark.parametrize("still_running", [False, True], ids=["after the run", "while the run is still going"])
def test_back_reopens_the_scenario_open_before(workbook, page: Page, still_running: bool) -> None:
    url, wb, scenarios = workbook
    open_app(page, f"{url}/test_scenarios?wb={wb}&scenario=4")
    expect_open_scenario(page, 4, scenarios[3])
    if still_running:
        page.get_by_role("combobox", name="Open scenario").click()
        page.get_by_role("option", name=re.compile(r"^6\. ")).click()
        # The run writes the address first, then draws the page: Back lands while it is still going.
        page.wait_for_url(re.compile(r"[?&]scenario=6(&|$)"), timeout=T)
    else:
        choose(page, "Open scenario", re.compile(r"^6\. "))
        expect_at(page, "/test_scenarios", wb, scenario="6")
    page.go_back(wait_until="commit")
    wait_for_app(page)
    expect_at(page, "/test_scenarios", wb, scenario="4")
    expect_open_scenario(page, 4, scenarios[3])


def test_the_team_pages_own_name_opens_team_with_the_workbook(workbook, page: Page) -> None:
    url, wb, _ = workbook
    statuses: list[tuple[int, str]] = []
    page.on("response", lambda response: statuses.append((response.status, response.url)))
    open_app(page, f"{url}/team?wb={wb}&scenario=2")
    expect_at(page, "/", wb, scenario="2")
    assert path(page) == "/"
    expect(page.get_by_test_id("stHeading").first).to_contain_text(re.compile("team", re.IGNORECASE), timeout=T)
    expect(page.get_by_text("Page not found")).to_have_count(0)
    assert not [(status, where) for status, where in statuses if status >= 400], statuses
    assert (307, f"{url}/team?wb={wb}&scenario=2") in statuses


def test_the_provisional_note_links_to_the_place_to_fix_and_keeps_the_workbook(
    start_app, tmp_path: Path, page: Page
) -> None:
    store = Store(tmp_path / "invalid.db")
    model = load_model_file(EXAMPLE).model
    model.profile[0].weight += 5  # ICP weights add up to 105: invalid
    ours = store.create(model.model_copy(update={"name": NAME}), source="upload")
    store.create(model.model_copy(update={"name": "Another workbook"}), source="upload")
    url = start_app(env={"WORKBOOK_DB": str(tmp_path / "invalid.db")})

    open_app(page, f"{url}/?wb={ours.id}")
    side = sidebar(page)
    expect(side).to_contain_text("5 pts over 100", timeout=T)
    expect(side).to_contain_text("Provisional: the model is invalid.", timeout=T)
    expect(side).to_contain_text("ICP weights: weights add up to 105", timeout=T)
    side.get_by_role("link", name=re.compile("Fix it on the ICP weights tab")).click()
    wait_for_app(page)
    expect_at(page, "/icp_weights", ours.id)
    page.set_viewport_size({"width": 1024, "height": 768})
    wait_for_app(page)
    side.screenshot(path=str(tmp_path / "sidebar-invalid-1024.png"))
