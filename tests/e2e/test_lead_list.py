"""Browser test of the Lead list page: upload a CSV, see the heatmap, download the scored list.

The expected states come from the per-row reference scorer on the same rows, not from the page.
"""

from __future__ import annotations

import datetime as dt
import io

import pandas as pd
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, REPO_ROOT, open_app, wait_for_app
from workbook.files import load_model_file
from workbook.leads import SCORED_COLUMNS, read_lead_bytes, score_leads_naive
from workbook.leads.synthetic import generate_leads

T = DEFAULT_TIMEOUT_MS
MODEL = load_model_file(REPO_ROOT / "scenarios" / "sales_automation.yaml").model  # what the app opens


def test_upload_heatmap_and_download(app_server: str, page: Page, tmp_path) -> None:
    today = dt.date.today()  # the page's as-of date by default
    frame = generate_leads(MODEL, 250, as_of=today, seed=3)
    source = tmp_path / "spring leads.csv"
    data = frame.to_csv(index=False).encode("utf-8")
    source.write_bytes(data)

    open_app(page, f"{app_server}/lead_list")
    expect(page.get_by_role("heading", name="Lead list")).to_be_visible(timeout=T)
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(str(source))
    wait_for_app(page)

    expect(page.get_by_text("Scored 250 leads as of")).to_be_visible(timeout=T)
    # The uploader is emptied once the list is read, so the server frees the file's bytes.
    expect(page.get_by_test_id("stFileUploaderFile")).to_have_count(0, timeout=T)
    expect(page.get_by_role("button", name="Remove this list")).to_be_visible(timeout=T)
    heatmap = page.get_by_test_id("stPlotlyChart").first
    expect(heatmap).to_be_visible(timeout=T)
    expect(heatmap.locator(".heatmaplayer")).to_have_count(1, timeout=T)
    expect(page.get_by_test_id("stException")).to_have_count(0)

    with page.expect_download(timeout=T) as info:
        page.get_by_role("button", name="Download the scored list").click()
    download = info.value
    assert download.suggested_filename == "spring leads-scored.csv"
    scored = pd.read_csv(io.BytesIO(download_bytes(download, tmp_path)), dtype=str, keep_default_na=False)

    assert list(scored.columns) == [*frame.columns, *SCORED_COLUMNS]
    assert len(scored) == 250
    as_read = read_lead_bytes(data, source.name).frame
    expected = score_leads_naive(MODEL, as_read, today)
    assert list(scored["state"]) == list(expected["state"])
    assert list(scored["cell"]) == list(expected["cell"])
    assert set(scored["knocked_out"]) <= {"true", "false"}
    assert list(scored["Lead ID"]) == list(as_read["Lead ID"])


def download_bytes(download, tmp_path) -> bytes:
    target = tmp_path / "downloaded.csv"
    download.save_as(str(target))
    return target.read_bytes()
