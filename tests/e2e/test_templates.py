"""Browser: the recency-bands template applied to two activities in one step (one revision);
screenshots at 1024 × 768."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import open_app, wait_for_app
from tests.e2e.hist_helpers import (
    EXAMPLE,
    SMALL,
    Server,
    T,
    assert_no_exception,
    expect_revision,
    go_to,
    keep_screenshots,
    keyed,
    workbook_id,
)
from workbook.files import load_model_file
from workbook.store import Store
from workbook.templates import BUILT_IN

pytestmark = pytest.mark.e2e
TARGETS = ["Demo request", "Webinar attended"]


@pytest.fixture(scope="module")
def server(start_app, tmp_path_factory: pytest.TempPathFactory) -> Server:
    db = tmp_path_factory.mktemp("templates-db") / "workbooks.db"
    return Server(start_app(EXAMPLE, env={"WORKBOOK_DB": str(db)}), db)


def test_a_template_applied_to_two_activities(server: Server, page: Page, tmp_path: Path) -> None:
    original = load_model_file(EXAMPLE).model
    recency = BUILT_IN[0]
    open_app(page, server.url)
    wid = workbook_id(page)
    go_to(page, "Activity weights")

    box = keyed(page, "templates.engagement.apply_box")
    box.scroll_into_view_if_needed()
    expect(box).to_contain_text(recency.summary(), timeout=T)  # the built-in recency bands come first
    targets = box.get_by_role("combobox", name="To these activities")
    for name in TARGETS:
        targets.click()
        page.get_by_role("option", name=name, exact=True).click()
        wait_for_app(page)
    page.keyboard.press("Escape")
    apply = keyed(page, "templates.engagement.apply").get_by_role("button")
    expect(apply).to_contain_text("Apply to 2 activities", timeout=T)
    page.set_viewport_size(SMALL)
    box.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "templates-1024.png"))
    apply.click()
    wait_for_app(page)
    expect_revision(page, 2)
    assert_no_exception(page, "after applying the template")

    with Store(server.db) as store:
        head = store.head(wid)
    assert head.number == 2, "both activities changed in one revision"
    for activity in head.model.engagement:
        if activity.name in TARGETS:
            assert activity.values == recency.values
        else:
            assert activity == next(a for a in original.engagement if a.name == activity.name)
    assert any("Demo request" in s for s in head.summary) and any("Webinar attended" in s for s in head.summary)
    # The cards show the new values: the demo request's card lists "Within 90 days".
    expect(keyed(page, "engagement_card_0")).to_contain_text("Within 90 days", timeout=T)
    page.screenshot(path=str(tmp_path / "templates-applied-1024.png"))
    keep_screenshots(tmp_path)
