"""Helpers of the checkpoint and template browser tests (test_checkpoints.py, test_templates.py).

The page and store helpers every browser test shares live in :mod:`tests.e2e.conftest`; they are
re-exported here for these tests' imports.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

from playwright.sync_api import Locator, Page

from tests.e2e.conftest import (
    DEFAULT_TIMEOUT_MS,
    EXAMPLE,
    Server,
    assert_no_exception,
    expect_revision,
    keyed,
    main,
    sidebar,
    wait_for_app,
    workbook_id,
)

__all__ = [
    "EXAMPLE", "SMALL", "Server", "T", "assert_no_exception", "expect_revision", "go_to", "keep_screenshots",
    "keyed", "main", "sidebar", "type_into", "workbook_id",
]

T = DEFAULT_TIMEOUT_MS
SMALL = {"width": 1024, "height": 768}


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
