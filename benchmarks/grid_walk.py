"""Clicks and keystrokes to build a model from a blank workbook in the browser (issue 11).

    python benchmarks/grid_walk.py URL DB --mode before|after|paste [--tables-only]
    python benchmarks/grid_walk.py - - --mode after --plan     # the counts of the plan, no browser

Drives the app at URL (started with ``WORKBOOK_DB=DB``) in Chromium through a blank workbook
it creates in DB: 3 ICP attributes and 3 activities with 3 values each, weights adding up
to 100, then 4 test scenarios with a value for every attribute and activity and the team's
estimated state. Every mouse click and key press the walk makes is counted, and the model
saved in the store is checked at the end.

``--mode before`` walks as the starting commit needs: a table editor is rebuilt after each
saved cell, so the cursor is lost and the next cell must be clicked. ``--mode after`` walks
as a spreadsheet is used: Tab and Enter between cells, the add-row clicked once per table.
Typing is the same text in both. The scenario editor is walked the same way in both modes.
"""

from __future__ import annotations

import argparse
import re
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Page, sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, wait_for_app  # noqa: E402
from workbook import editing  # noqa: E402
from workbook.store import Store  # noqa: E402

ROW, HEADER = 35, 35
SECTIONS = {
    "profile": ("icp_weights", [("Job role", 50, [("Executive", 100), ("Manager", 60), ("Individual", 20)]),
                                ("Employees", 30, [("1000+", 100), ("100-999", 70), ("1-99", 30)]),
                                ("Region", 20, [("Europe", 100), ("Americas", 80), ("Asia", 40)])]),
    "engagement": ("activity_weights", [("Demo request", 50, [("7 days", 100), ("30 days", 60), ("90 days", 20)]),
                                        ("Webinar", 30, [("7 days", 100), ("30 days", 50), ("90 days", 10)]),
                                        ("Pricing page", 20, [("7 days", 100), ("30 days", 40), ("90 days", 10)])]),
}
SCENARIOS = [("Hot enterprise lead", 0, "Send to sales"), ("Warm manager", 1, "Qualify"),
             ("Cold small firm", 2, "Nurture"), ("Mixed signals", 1, "Nurture")]


class Counter:
    """The page's mouse and keyboard, counting every click and key press."""

    def __init__(self, page: Page):
        self.page, self.clicks, self.keys = page, 0, 0

    def click(self, x: float, y: float) -> None:
        self.clicks += 1
        self.page.mouse.click(x, y)

    def click_on(self, locator) -> None:
        self.clicks += 1
        locator.click()

    def type(self, text: str) -> None:
        self.keys += len(text)
        self.page.keyboard.type(text, delay=60)  # a person's pace, not a script's

    def press(self, key: str) -> None:
        self.keys += 1
        self.page.keyboard.press(key)


def grid(page: Page, table: str) -> dict:
    wait_for_app(page, settle_ms=800)
    frame = page.locator(f'[class*="st-key-{table}-"]').get_by_test_id("stDataFrame").first
    frame.scroll_into_view_if_needed()
    box = frame.bounding_box()
    assert box is not None, table
    return box


def cell_x(page: Page, table: str, column: int) -> float:
    """The middle of shown column ``column`` (1 = first data column) from the accessible grid."""
    th = page.locator(f'[class*="st-key-{table}-"] th[aria-colindex="{column}"]').first
    box = grid(page, table)
    widths = page.evaluate(
        """(t) => [...document.querySelectorAll(`[class*="st-key-${t}-"] [data-testid="stDataFrame"] th`)]
               .map(th => th.getBoundingClientRect().width)""", table)
    del th
    left = box["x"] + 33  # the row-marker column
    x = left
    for w in widths[1 : column]:
        x += w or 90
    return x + (widths[column] if len(widths) > column and widths[column] else 90) / 2


def open_add_row(c: Counter, table: str, rows: int) -> None:
    """Click the add-row below ``rows`` rows and wait for its first cell to open."""
    box = grid(c.page, table)
    c.click(box["x"] + 80, box["y"] + HEADER + ROW * rows + ROW / 2)
    c.page.locator("textarea.gdg-input, input.gdg-input").first.wait_for(timeout=10_000)


def fill_rows(c: Counter, table: str, rows: list[tuple[str, float]], mode: str) -> None:
    """Put ``rows`` (name, number) into an empty table: the name in column 1, the number in column 2.

    ``paste``: the rows copied from a spreadsheet (name, tab, number per line), pasted into
    the add-row at once. ``after``: typed, name Tab number Enter, the table keeps the cursor.
    ``before``: typed, but the name's save rebuilds a table whose number has a default, so
    the number cell is clicked again.
    """
    page = c.page
    if mode == "paste":
        page.context.grant_permissions(["clipboard-read", "clipboard-write"])
        page.evaluate("t => navigator.clipboard.writeText(t)", "\n".join(f"{n}\t{v:g}" for n, v in rows) + "\n")
        open_add_row(c, table, 0)
        c.press("ControlOrMeta+V")
        c.press("Enter")
        wait_for_app(page, settle_ms=1000)
        return
    for i, (name, number) in enumerate(rows):
        open_add_row(c, table, i)
        c.type(name)
        c.press("Tab")
        wait_for_app(page, settle_ms=800)
        focused = page.evaluate("() => !!document.activeElement.closest('[data-testid=\"stDataFrame\"]')")
        if not focused:  # the table was rebuilt and lost the cursor: click the number's cell
            box = grid(page, table)
            c.click(cell_x(page, table, 2), box["y"] + HEADER + ROW * i + ROW / 2)
        c.type(f"{number:g}")
        c.press("Enter")
        wait_for_app(page, settle_ms=800)


def choose(c: Counter, label: str, option: str) -> None:
    page = c.page
    c.click_on(page.get_by_role("combobox", name=label).first)
    wanted = page.get_by_role("option", name=re.compile(rf"^{re.escape(option)}(\s|$)")).first
    wanted.wait_for(state="visible", timeout=10_000)
    c.click_on(wanted)
    wait_for_app(page, settle_ms=500)


def walk(url: str, db: Path, mode: str, tables_only: bool) -> dict:
    with Store(db) as store:
        wb = store.create(editing.blank_model(), source="blank").id
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        page.set_default_timeout(30_000)
        c = Counter(page)
        for section, (path, factors) in SECTIONS.items():
            page.goto(f"{url}/{path}?wb={wb}")
            wait_for_app(page, settle_ms=0)
            fill_rows(c, f"{section}_factors", [(n, w) for n, w, _ in factors], mode)
            for index, (_, _, values) in enumerate(factors):
                fill_rows(c, f"{section}_values_{index}", values, mode)
        if not tables_only:
            page.goto(f"{url}/test_scenarios?wb={wb}")
            wait_for_app(page, settle_ms=0)
            for name, pick, state in SCENARIOS:
                c.click_on(page.get_by_role("button", name="Add", exact=True))
                wait_for_app(page, settle_ms=800)
                field = page.get_by_label("Name", exact=True)
                c.click_on(field)
                c.press("ControlOrMeta+A")
                c.type(name)
                c.press("Enter")
                wait_for_app(page, settle_ms=800)
                for section, (_, factors) in SECTIONS.items():
                    for fname, _, values in factors:
                        choose(c, fname, values[pick][0] if section == "profile" else values[pick][0])
                choose(c, "State", state)
        time.sleep(1)
        browser.close()
    with Store(db) as store:
        model = store.head(wb).model
    built = {
        "attributes": [(f.name, f.weight, len(f.values)) for f in model.profile],
        "activities": [(f.name, f.weight, len(f.values)) for f in model.engagement],
        "scenarios": len(model.scenarios),
    }
    return {"mode": mode, "clicks": c.clicks, "keys": c.keys, "built": built}


def plan(mode: str) -> tuple[int, int]:
    """The clicks and keys of the walk as planned, without a browser (what ``walk`` does when
    every step lands): per table row, per scenario, as described in the module docstring.

    A row typed: one click on the add-row, the name, Tab, the number, Enter. ``before``: a
    values table (its score has a default, so the row is saved at the name and the table
    rebuilt) needs one more click to get back to the score. ``paste``: one click, Ctrl+V
    and Enter per table; the text is typed in the spreadsheet it comes from, not counted.
    A scenario: Add, click the name, Ctrl+A, the name, Enter, and two clicks for each
    selectbox (six values and the estimated state).
    """
    clicks = keys = 0
    for _, factors in SECTIONS.values():
        tables = [[(n, w) for n, w, _ in factors], *[values for _, _, values in factors]]
        for t, rows in enumerate(tables):
            if mode == "paste":
                clicks, keys = clicks + 1, keys + 2
                continue
            for name, number in rows:
                clicks += 1 + (1 if mode == "before" and t > 0 else 0)
                keys += len(name) + 1 + len(f"{number:g}") + 1
    selects = sum(len(factors) for _, factors in SECTIONS.values()) + 1
    for name, _, _ in SCENARIOS:
        clicks += 2 + 2 * selects
        keys += 1 + len(name) + 1
    return clicks, keys


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url")
    parser.add_argument("db", type=Path)
    parser.add_argument("--mode", choices=["before", "after", "paste"], required=True)
    parser.add_argument("--tables-only", action="store_true")
    parser.add_argument("--plan", action="store_true", help="count the planned walk, without a browser")
    args = parser.parse_args()
    if args.plan:
        for mode in ("before", "after", "paste"):
            clicks, keys = plan(mode)
            print(f"{mode}: {clicks} clicks, {keys} keystrokes (planned)")
        return
    result = walk(args.url.rstrip("/"), args.db, args.mode, args.tables_only)
    print(f"{result['mode']}: {result['clicks']} clicks, {result['keys']} keystrokes")
    print(f"built: {result['built']}")


if __name__ == "__main__":
    main()
