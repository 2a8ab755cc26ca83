"""Browser test of the Learn from outcomes page on the real X Education list: fit, figures, accept one
value as one revision. The expected AUCs come from the core on the same rows, not from the page.
"""

from __future__ import annotations

import datetime as dt
import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import REPO_ROOT, open_app, wait_for_app
from workbook.files import load_model_file
from workbook.leads import read_lead_list
from workbook.leads.fit import suggest_from_outcomes
from workbook.store import Store
from workbook.ui.leads_page import demo_path

MODEL_FILE = REPO_ROOT / "scenarios" / "x_education.yaml"
SLOW = 120_000  # the fit of 9,240 leads on a busy machine
SHOTS = os.environ.get("E2E_SCREENSHOTS")  # a folder to keep the 1024×768 screenshots in, to look at them


@pytest.mark.skipif(demo_path() is None, reason="the X Education list is not next to the repository")
def test_fit_the_x_education_list_and_accept_one_value(start_app, page: Page, tmp_path) -> None:
    db = tmp_path / "fit.db"
    url = start_app(MODEL_FILE, env={"WORKBOOK_DB": str(db)})
    model = load_model_file(MODEL_FILE).model
    expected = suggest_from_outcomes(model, read_lead_list(demo_path()).frame, "Converted", holdout=0.3, seed=0,
                                     as_of=dt.date.today()).held_out

    page.set_viewport_size({"width": 1024, "height": 768})
    open_app(page, f"{url}/fit")
    expect(page.get_by_role("heading", name="Learn from outcomes")).to_be_visible()
    page.get_by_role("button", name="Use the X Education demo list").click()
    wait_for_app(page)
    page.get_by_role("button", name="Suggest from outcomes").click()
    wait_for_app(page, timeout_ms=SLOW)
    expect(page.get_by_test_id("stException")).to_have_count(0)

    metrics = page.get_by_test_id("stMetric")
    for label, value in (("AUC, current model", expected.auc_current), ("AUC, suggestion", expected.auc_suggested),
                         ("AUC, ceiling", expected.auc_ceiling)):
        expect(metrics.filter(has_text=label).get_by_test_id("stMetricValue")).to_have_text(f"{value:.2f}")
    expect(page.get_by_text("Leakage: columns that may be filled after contact")).to_be_visible()
    expect(page.get_by_test_id("stPlotlyChart").first).to_be_visible()
    headings = ("Measured on leads the fit did not see", "Leakage: columns that may be filled after contact",
                "Weights and thresholds", "The evidence per value")
    for i, heading in enumerate(headings):
        page.get_by_role("heading", name=heading).scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS or tmp_path) / f"fit-1024-{i}.png"))

    with Store(str(db)) as store:
        (info,) = store.list()
        before = store.head(info.id).model
        assert info.head_revision == 1
    box = page.get_by_role("combobox", name="Or accept one part")
    chosen = box.input_value() if box.input_value() else ""
    box.scroll_into_view_if_needed()
    page.get_by_role("button", name="Accept this part").click()
    wait_for_app(page)
    expect(page.get_by_test_id("stException")).to_have_count(0)
    with Store(str(db)) as store:
        info = store.get(info.id)
        assert info.head_revision == 2, "accepting one part is exactly one revision"
        after = store.head(info.id).model
        (newest, *_) = store.history(info.id)
    assert after != before
    changed = [(f.name, v.label) for s in ("profile", "engagement") for f, g in
               zip(before.section(s), after.section(s), strict=True)
               for v, w in zip(f.values, g.values, strict=True) if v.score != w.score]
    assert len(changed) == 1, f"one value's score changed, not {changed} ({chosen})"
    assert [f.weight for f in after.profile] == [f.weight for f in before.profile]
    assert newest.summary, "the revision says what changed, in words"
    page.get_by_role("heading", name="The evidence per value").scroll_into_view_if_needed()
    page.screenshot(path=str(Path(SHOTS or tmp_path) / "fit-accepted-1024.png"))

    # The other tabs draw from the same list: the funnel (Converted as its one stage) and the comparison.
    for i, tab in enumerate(("Funnel", "Champion vs challenger")):
        page.get_by_role("tab", name=tab).click()
        wait_for_app(page)
        panel = page.get_by_role("tabpanel", name=tab)
        expect(panel.get_by_test_id("stPlotlyChart").first).to_be_visible()
        panel.get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()
        page.screenshot(path=str(Path(SHOTS or tmp_path) / f"fit-tab-{i}-1024.png"))
    expect(page.get_by_test_id("stException")).to_have_count(0)

    # Sales' verdicts on the first 200 leads: three in four accepted.
    frame = read_lead_list(demo_path()).frame.head(200)
    verdicts = tmp_path / "verdicts.csv"
    verdicts.write_text("Prospect ID,Verdict,Reason\n" + "".join(
        f"{pid},{'accepted' if i % 4 else 'rejected'},{'' if i % 4 else 'no budget'}\n"
        for i, pid in enumerate(frame["Prospect ID"])), encoding="utf-8")
    page.get_by_role("tab", name="Sales acceptance").click()
    wait_for_app(page)
    panel = page.get_by_role("tabpanel", name="Sales acceptance")
    panel.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(verdicts))
    wait_for_app(page)
    expect(panel.get_by_test_id("stMetric").filter(has_text="Leads with a verdict")
           .get_by_test_id("stMetricValue")).to_have_text("200")
    expect(panel.get_by_test_id("stMetric").filter(has_text="Accepted by sales")
           .get_by_test_id("stMetricValue")).to_have_text("75 %")
    panel.get_by_test_id("stPlotlyChart").first.scroll_into_view_if_needed()
    page.screenshot(path=str(Path(SHOTS or tmp_path) / "fit-tab-acceptance-1024.png"))
    expect(page.get_by_test_id("stException")).to_have_count(0)
