"""Browser tests of the tables as a spreadsheet (issue 11, items 2, 3 and 6).

- Type a team member across a row with Tab between the cells: every cell is kept.
- Add an attribute with only its name, reload: it is still there with weight 0, and the
  page names what it still lacks.
- Paste five rows copied from a spreadsheet (tab-separated, with a header line) into an
  empty Team table, into the add-row's cell and onto the selected new row: five members,
  in one revision; and rows (with or without a header line) into the add-row of the
  attributes, activities and values tables: one row per line, in one revision.
- At 1024 × 768 the thresholds grid shows its last engagement level and the attributes
  table its weight column (an 80-character name) without sideways scrolling; screenshots
  are kept (``GRID_SCREENSHOTS`` names a folder to keep them in, else the test's own).

Each test opens a workbook of its own, made here in the server's database.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, REPO_ROOT, head, open_app, until, wait_for_app
from workbook import editing
from workbook.files import load_model_file
from workbook.model import ScoringModel
from workbook.store import Store

T = DEFAULT_TIMEOUT_MS
EXAMPLE = REPO_ROOT / "scenarios" / "sales_automation.yaml"
ROW_PX, HEADER_PX = 35, 35
PACE = 60  # ms between key presses: a quick typist, not a script
FIVE = (
    "Name\tTitle\tFunction\n"
    "Priya Nair\tProduct Marketing Manager\tProduct marketing\n"
    "Dana Ortiz\tVP Marketing\tMarketing\n"
    "Marcus Lindqvist\tVP Sales\tSales\n"
    "Tom Becker\tSDR Team Lead\tInside sales\n"
    "Jordan Ellis\tMarketing Operations Manager\tMarketing ops / IT\n"
)
LONG_NAME = "Primary job role of the contact as recorded in the CRM, normalised to a standard li"[:80]
# The cell being typed in holds the pasted block (or the table took the block and closed the cell).
PASTED_IN_CELL = """() => { const e = document.querySelector('textarea.gdg-input, input.gdg-input');
                              return !e || e.value.length > 0; }"""
# Every table editor's horizontal overflow on the page: [scroll width, visible width].
OVERFLOW = """() => [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"] .dvn-scroller')]
  .map(e => [e.scrollWidth, e.clientWidth])"""


@pytest.fixture(scope="module")
def db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("grid-db") / "workbooks.db"


@pytest.fixture(scope="module")
def url(start_app, db: Path) -> str:
    return start_app(EXAMPLE, env={"WORKBOOK_DB": str(db)})


def new_workbook(db: Path, model: ScoringModel | None = None) -> str:
    with Store(db) as store:
        return store.create(model or editing.blank_model(), source="blank").id


def grid_box(page: Page, table: str) -> dict:
    grid = page.locator(f'[class*="st-key-{table}-"]').get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None, f"the table {table} is not displayed"
    return box


def click_add_row(page: Page, table: str, rows: int = 0) -> None:
    """Click the table's add-row (below its ``rows`` rows): a new row, its first cell open for typing.

    First the page settles: a run still arriving (this machine is slow) redraws the table
    and drops a new row that has no name yet.
    """
    wait_for_app(page, settle_ms=1500)
    box = grid_box(page, table)
    page.mouse.click(box["x"] + 80, box["y"] + HEADER_PX + ROW_PX * rows + ROW_PX / 2)
    page.locator("textarea.gdg-input, input.gdg-input").first.wait_for(timeout=10_000)


def selected(page: Page, table: str, column: int, row: int) -> None:
    """Wait until the cursor is on a cell (``column`` counts from 1, the table's accessible grid)."""
    cell = f'td[data-testid="glide-cell-{column}-{row}"][aria-selected="true"]'
    page.locator(f'[class*="st-key-{table}-"] {cell}').wait_for(state="attached", timeout=10_000)


def cell_text(page: Page, table: str, column: int, row: int) -> str:
    cell = page.locator(f'[class*="st-key-{table}-"] td[data-testid="glide-cell-{column}-{row}"]')
    return cell.text_content(timeout=T) or ""


def test_typing_a_team_row_with_tab_between_cells_keeps_every_cell(page: Page, url: str, db: Path):
    wb = new_workbook(db)
    open_app(page, f"{url}/?wb={wb}")
    click_add_row(page, "team")
    page.keyboard.type("Priya Nair", delay=PACE)
    page.keyboard.press("Tab")
    selected(page, "team", 2, 0)  # Title (the cell saved meanwhile)
    page.keyboard.type("Product Marketing Manager", delay=PACE)
    page.keyboard.press("Tab")
    for column in (4, 5, 6):  # past Project role and Steering to E-mail
        selected(page, "team", column - 1, 0)
        page.keyboard.press("Tab")
    selected(page, "team", 6, 0)
    page.keyboard.type("priya@example.com", delay=PACE)
    page.keyboard.press("Enter")
    wait_for_app(page)
    team = until(lambda: [m for m in head(db, wb).model.team if m.email], "the e-mail to be saved")
    assert [(m.name, m.title, m.email) for m in head(db, wb).model.team] == [
        ("Priya Nair", "Product Marketing Manager", "priya@example.com")]
    assert len(team) == 1
    # The cursor stayed in the table all along: it is still there, on the e-mail's row.
    focused = page.evaluate("() => !!document.activeElement.closest('[data-testid=\"stDataFrame\"]')")
    assert focused, "the table lost the keyboard focus"


def test_a_half_filled_attribute_is_saved_with_its_defaults_and_its_gaps_named(page: Page, url: str, db: Path):
    wb = new_workbook(db)
    open_app(page, f"{url}/icp_weights?wb={wb}")
    click_add_row(page, "profile_factors")
    page.keyboard.type("Job role", delay=PACE)
    page.keyboard.press("Enter")
    wait_for_app(page)
    if not until(lambda: head(db, wb).model.profile, "the attribute to be saved", fail=False):
        page.screenshot(path=shots_dir(Path(os.environ.get("TMPDIR", "/tmp"))) / "half-filled-failed.png")
        raise AssertionError("the attribute with only a name was not saved")
    assert [(f.name, f.weight, f.values) for f in head(db, wb).model.profile] == [("Job role", 0, [])]
    page.reload()
    wait_for_app(page, settle_ms=0)
    assert cell_text(page, "profile_factors", 1, 0) == "Job role"
    assert cell_text(page, "profile_factors", 2, 0).strip() in ("0", "0 %")
    expect(page.get_by_text("Job role: weight 0, no values yet")).to_be_visible(timeout=T)


# A person's pause between clicking the add-row and pasting (ms). Streamlit's table (glide data
# grid) loses the committed cell when Enter follows the add-row click within about 150 ms: no
# request reaches the app, no run happens, the new row stays empty. Measured on this machine:
# 6 losses in 58 machine-speed pastes (Ctrl+V 30-60 ms after the cell opened), none in 15 with
# this pause. A person takes longer than that to reach for Ctrl+V.
REACH_MS = 300


def paste_into_add_row(page: Page, table: str, text: str, rows: int = 0, onto_row: bool = False) -> None:
    """Click the table's add-row, paste ``text`` from the clipboard into its cell and press Enter.

    ``onto_row``: close the cell first (Escape), so that the table itself takes the paste.
    """
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.evaluate("text => navigator.clipboard.writeText(text)", text)
    click_add_row(page, table, rows)
    page.wait_for_timeout(REACH_MS)
    if onto_row:
        page.keyboard.press("Escape")  # close the cell: the table itself takes the paste
        page.locator("textarea.gdg-input, input.gdg-input").first.wait_for(state="detached", timeout=10_000)
    page.keyboard.press("ControlOrMeta+V")
    if not onto_row:
        # The pasted text shows in the cell; then Enter, as a person does.
        page.wait_for_function(PASTED_IN_CELL, timeout=10_000)
        page.wait_for_timeout(PACE)
        page.keyboard.press("Enter")
    wait_for_app(page)


@pytest.mark.parametrize("how", ["into the add-row's cell", "onto the selected new row"])
def test_pasting_five_rows_into_an_empty_table_makes_five_members_in_one_revision(page: Page, url: str, db: Path,
                                                                                  how: str):
    wb = new_workbook(db)
    start = head(db, wb).number
    open_app(page, f"{url}/?wb={wb}")
    paste_into_add_row(page, "team", FIVE, onto_row=how == "onto the selected new row")
    until(lambda: len(head(db, wb).model.team) >= 5, "five members")
    saved = head(db, wb)
    assert [(m.name, m.title, m.function) for m in saved.model.team] == [
        ("Priya Nair", "Product Marketing Manager", "Product marketing"),
        ("Dana Ortiz", "VP Marketing", "Marketing"),
        ("Marcus Lindqvist", "VP Sales", "Sales"),
        ("Tom Becker", "SDR Team Lead", "Inside sales"),
        ("Jordan Ellis", "Marketing Operations Manager", "Marketing ops / IT"),
    ]
    assert saved.number == start + 1, "the paste was saved as more than one revision"


def _one_attribute(section: str) -> ScoringModel:
    return editing.set_factors_keep_columns(editing.blank_model(), section,
                                            [{"name": "Job role", "weight": 100, "orig": None}])


# Each table with an add-row on the ICP and activity pages: (page, table, the model it starts
# from, the pasted block with or without a header line, what the section then holds).
ADD_ROW_TABLES = {
    "ICP attributes, no header": (
        "icp_weights", "profile_factors", editing.blank_model,
        "Job role\t40\nCompany size\t35\nIndustry\t25\n",
        lambda m: [(f.name, f.weight) for f in m.profile],
        [("Job role", 40), ("Company size", 35), ("Industry", 25)]),
    "activities, with a header": (
        "activity_weights", "engagement_factors", editing.blank_model,
        "Activity\tWeight\nDemo request\t60\nWebinar\t40\n",
        lambda m: [(f.name, f.weight) for f in m.engagement],
        [("Demo request", 60), ("Webinar", 40)]),
    "ICP values, with a header": (
        "icp_weights", "profile_values_0", lambda: _one_attribute("profile"),
        "Value\tScore\nVP or C-level\t100\nDirector\t70\nManager\t40\n",
        lambda m: [(v.label, v.score) for v in m.profile[0].values],
        [("VP or C-level", 100), ("Director", 70), ("Manager", 40)]),
    "activity values, no header": (
        "activity_weights", "engagement_values_0", lambda: _one_attribute("engagement"),
        "Requested\t100\nNot yet\t0\n",
        lambda m: [(v.label, v.score) for v in m.engagement[0].values],
        [("Requested", 100), ("Not yet", 0)]),
}


@pytest.mark.parametrize("table", list(ADD_ROW_TABLES))
def test_rows_pasted_into_the_add_row_of_each_table_are_saved_as_rows_in_one_revision(page: Page, url: str,
                                                                                      db: Path, table: str):
    path, key, model, text, held, wanted = ADD_ROW_TABLES[table]
    wb = new_workbook(db, model())
    start = head(db, wb).number
    open_app(page, f"{url}/{path}?wb={wb}")
    paste_into_add_row(page, key, text)
    until(lambda: len(held(head(db, wb).model)) >= len(wanted), f"the {len(wanted)} pasted rows")
    saved = head(db, wb)
    assert held(saved.model) == wanted
    assert saved.number == start + 1, "the paste was saved as more than one revision"


def shots_dir(tmp_path: Path) -> Path:
    folder = Path(os.environ.get("GRID_SCREENSHOTS") or tmp_path)
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_at_1024_by_768_the_grid_and_the_weights_show_without_sideways_scrolling(page: Page, url: str, db: Path,
                                                                                   tmp_path: Path):
    model = load_model_file(EXAMPLE).model
    rows = [{"name": LONG_NAME if i == 0 else f.name, "weight": f.weight, "orig": i}
            for i, f in enumerate(model.profile)]
    wb = new_workbook(db, editing.set_factors_keep_columns(model, "profile", rows))
    page.set_viewport_size({"width": 1024, "height": 768})
    folder = shots_dir(tmp_path)

    open_app(page, f"{url}/thresholds?wb={wb}")
    grid = page.locator('[class*="st-key-grid-"]').get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    expect(grid.locator("th", has_text="Level 4")).to_have_count(1, timeout=T)
    page.screenshot(path=folder / "thresholds-1024.png")
    for scroll, visible in page.evaluate(OVERFLOW):
        assert scroll <= visible + 1, f"a thresholds table scrolls sideways ({scroll} px in {visible} px)"
    assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")

    open_app(page, f"{url}/icp_weights?wb={wb}")
    table = page.locator('[class*="st-key-profile_factors-"]').get_by_test_id("stDataFrame").first
    table.scroll_into_view_if_needed()
    expect(table.locator("th", has_text="Weight")).to_have_count(1, timeout=T)
    page.screenshot(path=folder / "icp-weights-1024.png")
    scroll, visible = page.evaluate(OVERFLOW)[0]
    assert scroll <= visible + 1, f"the attributes table scrolls sideways ({scroll} px in {visible} px)"
    chart = page.locator('[class*="st-key-profile_weights_chart"], [data-testid="stPlotlyChart"]').first
    chart_box = chart.bounding_box()
    assert chart_box is not None and chart_box["width"] > 300, "the weights chart is squeezed"
