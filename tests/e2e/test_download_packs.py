"""Browser test of the download menu (issue 17): pick the HubSpot setup pack on Model summary at
1024×768, read how faithfully HubSpot reproduces the model above the download buttons, download
the pack, and find in it the same report; a screenshot of the menu is kept with the test's files."""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import Browser, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, REPO_ROOT, choose, open_app, wait_for_app
from workbook.export import fidelity
from workbook.files import load_model_file

T = DEFAULT_TIMEOUT_MS
EXAMPLE = REPO_ROOT / "scenarios" / "sales_automation.yaml"


@pytest.fixture
def small_page(browser: Browser) -> Iterator[Page]:
    """A laptop-sized window: the menu and its report must be usable at 1024×768."""
    context = browser.new_context(viewport={"width": 1024, "height": 768}, accept_downloads=True)
    context.set_default_timeout(T)
    page = context.new_page()
    yield page
    context.close()


def test_pick_hubspot_see_the_fidelity_and_download(start_app, small_page: Page, tmp_path: Path) -> None:
    page = small_page
    model = load_model_file(EXAMPLE).model
    report = fidelity("hubspot", model)
    url = start_app(EXAMPLE, env={"WORKBOOK_DB": str(tmp_path / "workbooks.db")})
    open_app(page, f"{url}/model_summary")
    main = page.get_by_test_id("stMain")
    expect(main.get_by_text("Download the model")).to_be_visible(timeout=T)

    choose(page, "Format", "HubSpot setup pack")
    kept = report.scenarios - len(report.scenario_changes)
    summary = main.get_by_text(re.compile(rf"{kept} of {report.scenarios}\s+scenarios keep their state on HubSpot"))
    expect(summary).to_be_visible(timeout=T)
    expect(main.get_by_text("What is approximated, and how")).to_be_visible(timeout=T)
    final = main.get_by_test_id("stDownloadButton").filter(has_text="Final: HubSpot setup pack")
    expect(final).to_be_visible(timeout=T)
    summary.scroll_into_view_if_needed()
    page.screenshot(path=str(tmp_path / "download-hubspot-1024x768.png"))
    # the report is read before the button: it sits above it
    assert summary.bounding_box()["y"] < final.bounding_box()["y"]
    assert page.get_by_test_id("stException").count() == 0

    with page.expect_download(timeout=T) as info:
        final.get_by_role("button").click()
    target = tmp_path / info.value.suggested_filename
    info.value.save_as(target)
    wait_for_app(page)
    data = target.read_bytes()
    assert target.name.endswith("-hubspot-pack.zip") and len(data) > 1000
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        assert archive.read("fidelity.md").decode() == report.text()
        guide = archive.read("hubspot-setup-guide.md").decode()
    assert all(f.name in guide for f in model.profile)
