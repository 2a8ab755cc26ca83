"""In the browser: a workbook whose names hold addresses and markup shows them as plain text (issue 12)."""

from __future__ import annotations

from pathlib import Path

from tests.e2e.conftest import open_app, wait_for_app

REPO = Path(__file__).resolve().parents[2]
SALES = (REPO / "scenarios" / "sales_automation.yaml").read_text(encoding="utf-8")
HOSTILE_NAME = "Plan www.evil.com by dana@evil.com <b>bold</b> https://evil.com/x"


def test_names_with_addresses_are_never_links(start_app, page, tmp_path):
    model = tmp_path / "hostile.yaml"
    first_line = next(line for line in SALES.splitlines() if line.startswith("name:"))
    model.write_text(SALES.replace(first_line, f'name: "{HOSTILE_NAME}"', 1), encoding="utf-8")
    url = start_app(str(model), env={"WORKBOOK_DB": str(tmp_path / "hostile.db")})
    for path in ("", "model_summary", "history"):
        open_app(page, f"{url}/{path}")
        sidebar = page.get_by_test_id("stSidebar")
        assert "evil.com" in sidebar.inner_text()
        # headings carry a link to themselves (same page, a #fragment): only other places count
        hrefs = page.eval_on_selector_all("a", "els => els.map(e => e.href)")
        elsewhere = [h for h in hrefs if not h.startswith(url) and ("evil" in h or h.startswith("mailto:"))]
        assert elsewhere == [], (path, elsewhere)
        assert page.locator("b", has_text="bold").count() == 0
        wait_for_app(page)
