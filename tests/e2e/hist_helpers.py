"""Helpers of the checkpoint and template browser tests (test_checkpoints.py, test_templates.py)."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, urlparse

from playwright.sync_api import Locator, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, REPO_ROOT, wait_for_app

T = DEFAULT_TIMEOUT_MS
EXAMPLE = REPO_ROOT / "scenarios" / "sales_automation.yaml"
SMALL = {"width": 1024, "height": 768}


@dataclass(frozen=True)
class Server:
    url: str
    db: Path


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def keyed(page: Page, key: str) -> Locator:
    """The container of the widget or container keyed ``key`` (Streamlit's ``st-key-<key>`` class)."""
    name = re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())  # how Streamlit makes a class name of a key
    return page.locator(f".st-key-{name}").first


def expect_revision(page: Page, number: int) -> None:
    expect(sidebar(page)).to_contain_text(f"Revision {number} ", timeout=T)


def assert_no_exception(page: Page, where: str) -> None:
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, f"{where}: the app shows an exception:\n" + "\n---\n".join(
        exceptions.all_inner_texts()
    )


def workbook_id(page: Page) -> str:
    page.wait_for_url(re.compile(r"[?&]wb="))
    return parse_qs(urlparse(page.url).query)["wb"][0]


def go_to(page: Page, title: str) -> None:
    """Open a tab from the top navigation; the Workshop tabs sit in its drop-down menu."""
    link = page.get_by_role("link", name=re.compile(rf"(^|\s){re.escape(title)}$"))
    if link.count() and link.first.is_visible():
        link.first.click()
    else:
        page.get_by_text("Workshop", exact=True).first.click()
        page.get_by_test_id("stTopNavDropdownLink").get_by_text(title, exact=True).first.click()
    wait_for_app(page)


def type_into(page: Page, label: str, text: str, within: Locator | None = None) -> None:
    field = (within or page).get_by_label(label, exact=True).first
    field.scroll_into_view_if_needed()
    field.fill(text)
    field.press("Enter")
    wait_for_app(page)


def keep_screenshots(folder: Path) -> None:
    """Copy the test's screenshots to ``$E2E_SHOTS`` when it is set (to look at them after the run)."""
    target = os.environ.get("E2E_SHOTS")
    if target:
        Path(target).mkdir(parents=True, exist_ok=True)
        for png in folder.glob("*.png"):
            (Path(target) / png.name).write_bytes(png.read_bytes())
