"""Browser tests: on a 1024×768 laptop (sidebar open) the wide tables fit the page.

- Test scenarios: the overview of every scenario has no sideways scroll, its last column
  ("Members") is in view, and an 80-character scenario name does not push it out.
- History: the table of revisions has no sideways scroll; its last column is "Candidate".
- Team: the members' table has no sideways scroll, its last column is the e-mail, and a
  41-character e-mail is whole in its cell: on one line, or wrapped onto lines the row holds.

A table is drawn on a canvas, so what is "in view" is read from the grid itself: its
scroller's widths, and the help tooltip Streamlit shows when the pointer rests on a column's
header (positioned at that header's middle).
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Locator, Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, EXAMPLE, open_app
from workbook.ui.help import HELP

T = DEFAULT_TIMEOUT_MS
LONG_EMAIL = "marcus.lindqvist.abernathy@example-co.com"  # 41 characters
LONG_SCENARIO = "RevOps head at a mid-size SaaS company, demo last week, and a long tail to make 80"
WRAP_ABOVE_PX = 64  # Streamlit lets a table's text wrap when its rows are taller than this

# The grid's scroller: [scroll width, visible width, scroll height]; and the font and padding
# the grid draws its cells with (glide-data-grid's own CSS variables).
GRID = """(g) => { const s = g.querySelector('.dvn-scroller'), css = getComputedStyle(s);
  const font = css.getPropertyValue('--gdg-base-font-style') + ' ' + css.getPropertyValue('--gdg-font-family');
  return {scrollWidth: s.scrollWidth, clientWidth: s.clientWidth, scrollHeight: s.scrollHeight,
          right: s.getBoundingClientRect().right, font,
          padding: parseFloat(css.getPropertyValue('--gdg-cell-horizontal-padding'))}; }"""
TEXT_WIDTH = """([text, font]) => { const c = document.createElement('canvas').getContext('2d');
  c.font = font; return c.measureText(text).width; }"""


@pytest.fixture(scope="module")
def url(start_app, tmp_path_factory: pytest.TempPathFactory) -> str:
    """The example with one long e-mail and one 80-character scenario name, on a server of its own."""
    folder = tmp_path_factory.mktemp("layout")
    text = EXAMPLE.read_text(encoding="utf-8")
    assert len(LONG_SCENARIO) == 82 and len(LONG_EMAIL) == 41
    text = text.replace("email: marcus.lindqvist@example.com", f"email: {LONG_EMAIL}")
    text = text.replace("  - name: RevOps head at a mid-size SaaS company, demo last week\n",
                        f"  - name: {LONG_SCENARIO}\n", 1)
    assert LONG_EMAIL in text and LONG_SCENARIO in text
    model = folder / "long_names.yaml"
    model.write_text(text, encoding="utf-8")
    return start_app(model, env={"WORKBOOK_DB": str(folder / "workbooks.db")})


@pytest.fixture
def laptop(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport={"width": 1024, "height": 768})
    context.set_default_timeout(T)
    try:
        yield context.new_page()
    finally:
        context.close()


def grid_of(page: Page, key_prefix: str) -> Locator:
    grid = page.locator(f'[class*="st-key-{key_prefix}"]').get_by_test_id("stDataFrame").first
    expect(grid).to_be_visible(timeout=T)
    grid.scroll_into_view_if_needed()
    return grid


def last_header(page: Page, grid: Locator) -> tuple[str, float]:
    """The help of the column drawn at the grid's right edge, and the x of that header's middle."""
    box = grid.bounding_box()
    assert box is not None
    page.mouse.move(box["x"] + box["width"] - 6, box["y"] + 18)
    tip = page.get_by_test_id("stDataFrameTooltipContent")
    expect(tip).to_be_visible(timeout=T)
    middle = page.get_by_test_id("stDataFrameTooltipTarget").bounding_box()
    assert middle is not None
    return tip.inner_text().strip(), middle["x"]


def assert_no_sideways_scroll(page: Page, grid: Locator, what: str) -> dict:
    geometry = grid.evaluate(GRID)
    assert geometry["scrollWidth"] <= geometry["clientWidth"], (
        f"{what} scrolls sideways at 1024×768: {geometry['scrollWidth']} px of columns in {geometry['clientWidth']} px"
    )
    page_width = page.evaluate("document.documentElement.scrollWidth")
    assert page_width <= 1024, f"the page itself is {page_width} px wide"
    return geometry


def test_at_1024_the_scenarios_overview_shows_every_column(url: str, laptop: Page) -> None:
    open_app(laptop, f"{url}/test_scenarios")
    expect(laptop.get_by_test_id("stSidebar")).to_be_visible()
    # The 80-character name is the first scenario's (open below the table, its name whole).
    expect(laptop.locator('[class*="st-key-scenario-0-name"] input')).to_have_value(LONG_SCENARIO, timeout=T)
    grid = grid_of(laptop, "scenarios-overview")
    assert_no_sideways_scroll(laptop, grid, "the scenarios overview")
    help_text, _ = last_header(laptop, grid)
    assert help_text == HELP["scenarios.members_agreeing"], f"the last column in view is not Members: {help_text!r}"


def test_at_1024_the_team_table_shows_a_long_email_whole(url: str, laptop: Page) -> None:
    open_app(laptop, url)
    expect(laptop.get_by_test_id("stSidebar")).to_be_visible()
    grid = grid_of(laptop, "team-")
    geometry = assert_no_sideways_scroll(laptop, grid, "the team table")
    help_text, middle = last_header(laptop, grid)
    assert help_text == HELP["team.email"], f"the last column in view is not the e-mail: {help_text!r}"

    # The last column reaches the grid's right edge: its width is twice its middle's distance to it.
    room = 2 * (geometry["right"] - middle) - 2 * geometry["padding"]
    text = laptop.evaluate(TEXT_WIDTH, [LONG_EMAIL, geometry["font"]])
    if text <= room:
        return  # whole on one line
    members, header_px = 7, 36  # the example's seven members, and the add-row below them
    row_px = (geometry["scrollHeight"] - header_px) / (members + 1)
    assert row_px > WRAP_ABOVE_PX, (
        f"the e-mail ({text:.0f} px) is cut in its {room:.0f} px cell and rows of {row_px:.0f} px do not wrap"
    )
    font_px = float(geometry["font"].split("px")[0].split()[-1])
    lines_held = math.floor(row_px / (font_px * 1.3))
    assert math.ceil(text / room) <= lines_held, (
        f"the e-mail needs {math.ceil(text / room)} lines of {room:.0f} px; a {row_px:.0f} px row holds {lines_held}"
    )



def test_at_1024_the_history_shows_every_column(url: str, laptop: Page) -> None:
    open_app(laptop, url)
    wb = parse_qs(urlparse(laptop.url).query)["wb"][0]
    open_app(laptop, f"{url}/history?wb={wb}")
    grid = grid_of(laptop, "history-revisions")
    assert_no_sideways_scroll(laptop, grid, "the table of revisions")
    help_text, _ = last_header(laptop, grid)
    assert help_text == HELP["history.release_candidate"], f"the last column in view is not Candidate: {help_text!r}"
