"""Browser tests: workshops never lose work.

- An edit survives a reload of the page, and a server killed with SIGKILL right after the
  edit was acknowledged: a new server on the same database file shows it at the same link.
- Two browsers on one workbook: an edit in one shows in the other within a few seconds
  without any interaction there; an edit of the same field from a browser that has not seen
  the other's change yet is refused with a message that shows both values.

The second browser is made stale deterministically: its timers (``setInterval``, which
drives the sidebar's watcher) are paused while the other browser edits, instead of racing
the three-second watcher.
"""

from __future__ import annotations

import os
import re
import signal
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import (
    DEFAULT_TIMEOUT_MS,
    _launch,
    choose,
    expect_revision,
    open_app,
    sidebar,
    wait_for_app,
    workbook_id,
)
from workbook.store import Store

T = DEFAULT_TIMEOUT_MS  # expect() waits 5 s by default: too short for a page with editors and figures
WATCH_TIMEOUT_MS = 12_000  # the watcher reruns every 3 s; a loaded CI machine may take longer

# Pauses the page's setInterval callbacks while window.__pauseIntervals is true.
PAUSABLE_INTERVALS = """
window.__pauseIntervals = false;
const realSetInterval = window.setInterval;
window.setInterval = function (fn, ms, ...args) {
  const wrapped = typeof fn === "function" ? function (...a) { if (!window.__pauseIntervals) return fn(...a); } : fn;
  return realSetInterval(wrapped, ms, ...args);
};
"""


# --------------------------------------------------------------------------- helpers
def rename_on_workbooks_page(page: Page, name: str) -> None:
    field = page.get_by_role("textbox", name="Workbook name")
    field.fill(name)
    page.get_by_role("button", name="Rename").click()
    wait_for_app(page)


def knockout_state(page: Page):
    return page.get_by_role("combobox", name="State of a knocked-out lead")


def set_participant(page: Page, name: str) -> None:
    field = sidebar(page).get_by_role("textbox", name="Your name (optional)")
    field.fill(name)
    field.press("Enter")
    wait_for_app(page)


@pytest.fixture
def db_file(tmp_path: Path) -> Path:
    return tmp_path / "workshop.db"


# --------------------------------------------------------------------------- tests
def test_a_rename_survives_a_reload(start_app, page: Page, db_file: Path) -> None:
    url = start_app(env={"WORKBOOK_DB": str(db_file)})
    open_app(page, f"{url}/workbooks")
    expect_revision(page, 1)
    wid = workbook_id(page)
    rename_on_workbooks_page(page, "Workshop 2 — after lunch")
    expect_revision(page, 2)

    page.reload(wait_until="domcontentloaded")
    wait_for_app(page, settle_ms=0)
    assert workbook_id(page) == wid, "the link still names the workbook"
    expect_revision(page, 2)
    expect(sidebar(page)).to_contain_text("Workshop 2 — after lunch", timeout=T)
    expect(page.get_by_role("textbox", name="Workbook name")).to_have_value("Workshop 2 — after lunch", timeout=T)


def test_an_acknowledged_edit_survives_kill_9(page: Page, db_file: Path, tmp_path: Path) -> None:
    # Servers of our own (not start_app's shared ones): this one is killed mid-session.
    env = {"WORKBOOK_DB": str(db_file)}
    first = _launch((), env, tmp_path)
    try:
        open_app(page, f"{first.url}/thresholds")
        expect_revision(page, 1)
        wid = workbook_id(page)
        expect(knockout_state(page)).to_have_value("Ignore", timeout=T)
        choose(page, "State of a knocked-out lead", "Nurture")
        expect_revision(page, 2)  # acknowledged: the revision in the sidebar moved
    finally:
        os.killpg(first.process.pid, signal.SIGKILL)
        first.process.wait(10)
        first.stop()

    second = _launch((), env, tmp_path)
    try:
        open_app(page, f"{second.url}/thresholds?wb={wid}")
        assert workbook_id(page) == wid
        expect_revision(page, 2)
        expect(knockout_state(page)).to_have_value("Nurture", timeout=T)
    finally:
        second.stop()
    with Store(db_file) as store:
        head = store.head(wid)
        assert head.number == 2 and head.model.knockout_state == "Nurture"


@pytest.fixture
def two_browsers(start_app, browser: Browser, db_file: Path) -> Iterator[tuple[Page, Page, str]]:
    """Browsers A and B on the same workbook of a server of their own; B's timers can be paused."""
    url = start_app(env={"WORKBOOK_DB": str(db_file)})
    contexts = [browser.new_context(viewport={"width": 1400, "height": 1000}) for _ in range(2)]
    contexts[1].add_init_script(PAUSABLE_INTERVALS)
    try:
        a, b = (c.new_page() for c in contexts)
        for p in (a, b):
            p.set_default_timeout(DEFAULT_TIMEOUT_MS)
        open_app(a, f"{url}/thresholds")
        wid = workbook_id(a)
        open_app(b, f"{url}/thresholds?wb={wid}")
        set_participant(a, "Ann")
        expect_revision(a, 1)
        expect_revision(b, 1)
        yield a, b, wid
    finally:
        for c in contexts:
            c.close()


def test_an_edit_in_one_browser_shows_in_the_other_without_interaction(two_browsers) -> None:
    a, b, _ = two_browsers
    choose(a, "State of a knocked-out lead", "Nurture")
    expect_revision(a, 2)
    expect_revision(b, 2, timeout=WATCH_TIMEOUT_MS)  # nobody touches B: its watcher reruns it
    expect(knockout_state(b)).to_have_value("Nurture", timeout=T)


def test_an_edit_of_a_field_someone_else_changed_meanwhile_is_refused_with_both_values(
    two_browsers, db_file: Path
) -> None:
    a, b, wid = two_browsers
    # B stops looking (its watcher is paused) while A changes the knockout state
    b.evaluate("window.__pauseIntervals = true")
    b.wait_for_timeout(500)  # a watcher run already under way finishes
    choose(a, "State of a knocked-out lead", "Qualify")
    expect_revision(a, 2)
    expect_revision(b, 1)  # B has not seen it
    choose(b, "State of a knocked-out lead", "Send to sales")
    try:
        with Store(db_file) as store:
            head = store.head(wid)
            assert head.number == 2 and head.model.knockout_state == "Qualify", "nothing of B's was saved"
        alert = b.get_by_test_id("stAlert").filter(has_text="was not saved")
        expect(alert).to_contain_text(re.compile(r"you set Send to sales.*Ann set Qualify"), timeout=10_000)
        expect_revision(b, 2)  # refused: B now shows what A saved
        expect(knockout_state(b)).to_have_value("Qualify", timeout=T)
    finally:
        b.evaluate("window.__pauseIntervals = false")
