"""Browser test: four scenario rows pasted from a spreadsheet into an empty scenarios table (issue 11, item 3).

The rows (tab-separated, with a header line naming the columns, values and states in words
of any case) are put on the clipboard, pasted into the box with Ctrl+V, and added with one
click: four scenarios in one revision, their values and states shown, and a reload keeps them.
"""

from __future__ import annotations

import re
import time
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, REPO_ROOT, open_app, wait_for_app
from workbook import editing
from workbook.model import ScoringModel
from workbook.store import Store

T = DEFAULT_TIMEOUT_MS
EXAMPLE = REPO_ROOT / "scenarios" / "sales_automation.yaml"
FACTORS = {
    "profile": [("Job role", 50, ["Executive", "Manager", "Individual"]),
                ("Employees", 30, ["1000+", "100-999", "1-99"]),
                ("Region", 20, ["Europe", "Americas", "Asia"])],
    "engagement": [("Demo request", 50, ["7 days", "30 days", "90 days"]),
                   ("Webinar", 30, ["7 days", "30 days", "90 days"]),
                   ("Pricing page", 20, ["7 days", "30 days", "90 days"])],
}
ROWS = (
    "Scenario\tJob role\tEmployees\tRegion\tDemo request\tWebinar\tPricing page\tState\n"
    "Hot enterprise lead\tExecutive\t1000+\tEurope\t7 days\t7 days\t7 days\tSend to sales\n"
    "Warm manager\tmanager\t100-999\tamericas\t30 days\t30 days\t30 days\tqualify\n"
    "Cold small firm\tIndividual\t1-99\tAsia\t90 days\t90 days\t90 days\tNurture\n"
    "Mixed signals\tExecutive\t1-99\tEurope\t\t90 days\t7 days\tnurture\n"
)
EXPECTED = [
    ("Hot enterprise lead", ["Executive", "1000+", "Europe"], ["7 days", "7 days", "7 days"], "Send to sales"),
    ("Warm manager", ["Manager", "100-999", "Americas"], ["30 days", "30 days", "30 days"], "Qualify"),
    ("Cold small firm", ["Individual", "1-99", "Asia"], ["90 days", "90 days", "90 days"], "Nurture"),
    ("Mixed signals", ["Executive", "1-99", "Europe"], [None, "90 days", "7 days"], "Nurture"),
]


def three_by_three() -> ScoringModel:
    """A blank workbook with three attributes and three activities of three values each, weights 100."""
    model = editing.blank_model()
    for section, factors in FACTORS.items():
        model = editing.set_factors(model, section, [{"name": n, "weight": w, "orig": None} for n, w, _ in factors])
        for index, (_, _, labels) in enumerate(factors):
            rows = [{"label": label, "score": 100 - 40 * i, "orig": None} for i, label in enumerate(labels)]
            model = editing.set_values(model, section, index, rows)
    return model


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("scenario-import-db") / "workbooks.db"


@pytest.fixture(scope="module")
def url(start_app, db: Path) -> str:
    return start_app(EXAMPLE, env={"WORKBOOK_DB": str(db)})


def head(db: Path, workbook: str):
    with Store(db) as store:
        return store.head(workbook)


def until(check, what: str, timeout_s: float = T / 1000):
    """Poll ``check()`` until it returns something truthy (the store is written by the server)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.2)
    raise AssertionError(f"timed out waiting for {what}")


def overview_names(page: Page) -> list[str]:
    """The scenario names in the overview table (its accessible grid, column 2)."""
    cells = page.get_by_test_id("stDataFrame").first.locator('td[data-testid^="glide-cell-2-"]')
    return [c.strip() for c in cells.all_text_contents()]


def test_four_pasted_scenario_rows_are_saved_in_one_revision_and_kept_on_reload(page: Page, url: str, db: Path):
    with Store(db) as store:
        wb = store.create(three_by_three(), source="blank").id
    start = head(db, wb).number
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    open_app(page, f"{url}/test_scenarios?wb={wb}")
    expect(page.get_by_text("No scenarios yet")).to_be_visible(timeout=T)

    box = page.get_by_role("textbox", name="Or paste rows")  # open on an empty workbook: no click to unfold it
    page.evaluate("text => navigator.clipboard.writeText(text)", ROWS)
    box.click()
    page.keyboard.press("ControlOrMeta+V")
    expect(box).to_have_value(ROWS, timeout=T)
    page.get_by_role("button", name="Add these scenarios").click()
    wait_for_app(page)

    until(lambda: len(head(db, wb).model.scenarios) == 4, "four scenarios in the store")
    saved = head(db, wb)
    assert saved.number == start + 1, "the paste was saved as more than one revision"
    got = [(s.name, [s.profile.get(n) for n, _, _ in FACTORS["profile"]],
            [s.engagement.get(n) for n, _, _ in FACTORS["engagement"]], s.estimate.state if s.estimate else None)
           for s in saved.model.scenarios]
    assert got == EXPECTED

    def shows_them() -> None:
        expect(page.get_by_test_id("stDataFrame").first.locator('td[data-testid^="glide-cell-2-"]')).to_have_count(
            4, timeout=T)
        assert overview_names(page) == [name for name, *_ in EXPECTED]
        # The first added is open in the editor: its values and the team's state are shown.
        editor = page.get_by_test_id("stMain")
        expect(page.get_by_role("combobox", name="Open scenario")).to_have_value(
            re.compile(r"^1\. Hot enterprise lead"), timeout=T)
        for label, value in [("Job role", "Executive"), ("Region", "Europe"), ("Webinar", "7 days"),
                             ("State", "Send to sales")]:
            expect(editor.get_by_role("combobox", name=label).first).to_have_value(
                re.compile(rf"^{re.escape(value)}(\s|$)"), timeout=T)

    shows_them()
    page.reload()
    wait_for_app(page, settle_ms=0)
    shows_them()
    assert head(db, wb).number == start + 1
