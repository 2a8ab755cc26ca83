"""Smoke test: the app starts, renders in real Chromium, and shows no exception.

Deliberately shallow, so that it holds while the app grows: the browser title names
the product and no Streamlit exception box is on the page.
"""

import re

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import REPO_ROOT, open_app

DEFAULT_WORKBOOK = "scenarios/sales_automation.yaml"  # what `make run` opens


def _assert_healthy(page: Page) -> None:
    expect(page).to_have_title(re.compile("Lead Scoring Workbook"))
    expect(page.get_by_test_id("stApp")).to_be_visible()
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, "the app shows an exception:\n" + "\n---\n".join(
        exceptions.all_inner_texts()
    )


def test_app_renders_without_exception(app_server: str, page: Page) -> None:
    open_app(page, app_server)
    _assert_healthy(page)


def test_app_renders_the_default_workbook(start_app, page: Page) -> None:
    if not (REPO_ROOT / DEFAULT_WORKBOOK).is_file():
        pytest.skip(f"{DEFAULT_WORKBOOK} is not in the repository yet")
    open_app(page, start_app(DEFAULT_WORKBOOK))
    _assert_healthy(page)
