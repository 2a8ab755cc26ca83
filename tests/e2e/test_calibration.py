"""Browser test of the Calibration page: suggest thresholds → apply → undo.

The expected agreement comes from the calibration core and the engine on the example,
not from the page.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, REPO_ROOT, open_app, wait_for_app
from workbook.calibrate import apply_threshold_suggestion, suggest_thresholds
from workbook.engine import agreement, evaluate_scenarios
from workbook.files import load_model_file

T = DEFAULT_TIMEOUT_MS
MODEL = load_model_file(REPO_ROOT / "scenarios" / "sales_automation.yaml").model  # what the app opens


def test_suggest_apply_undo_thresholds(start_app, page: Page, tmp_path) -> None:
    before = agreement(evaluate_scenarios(MODEL))
    after = agreement(evaluate_scenarios(apply_threshold_suggestion(MODEL, suggest_thresholds(MODEL))))
    assert after.agreeing > before.agreeing
    url = start_app(env={"WORKBOOK_DB": str(tmp_path / "calibration.db")})  # a store of its own

    open_app(page, f"{url}/calibration")
    expect(page.get_by_role("heading", name="Calibration")).to_be_visible(timeout=T)
    sidebar = page.get_by_test_id("stSidebar")
    expect(sidebar).to_contain_text("Revision 1 · saved automatically", timeout=T)
    expect(sidebar).to_contain_text(f"{before.agreeing} of {before.with_estimate} scenarios agree", timeout=T)

    page.get_by_role("button", name="Suggest thresholds").click()
    wait_for_app(page)
    expect(
        page.get_by_text(
            f"Agreement now {before.agreeing} of {before.with_estimate} → with this suggestion "
            f"{after.agreeing} of {after.with_estimate}"
        )
    ).to_be_visible(timeout=T)

    page.get_by_role("button", name="Apply").click()
    wait_for_app(page)
    expect(sidebar).to_contain_text("Revision 2 · saved automatically", timeout=T)
    expect(sidebar).to_contain_text(f"{after.agreeing} of {after.with_estimate} scenarios agree", timeout=T)

    sidebar.get_by_role("button", name="Undo last change").click()
    wait_for_app(page)
    expect(sidebar).to_contain_text("Revision 3 · saved automatically", timeout=T)
    expect(sidebar).to_contain_text(f"{before.agreeing} of {before.with_estimate} scenarios agree", timeout=T)
    expect(page.get_by_test_id("stException")).to_have_count(0)
