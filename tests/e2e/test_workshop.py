"""Browser tests of a workshop (issue 3): the app in real Chromium against ``streamlit run``.

- Walk all six tabs through the top navigation: each shows its heading, no exception, and
  the sidebar names the workbook and says how many scenarios agree.
- Change a weight and see a scenario's computed state change: which weights to move is
  found here with the engine (the first pair of weights of the example whose shift by a
  few points, one up and one down so the total stays 100, moves a scenario to another
  state); the two edits are typed into the attributes table, and the Test scenarios tab
  must then show the engine's new state for that scenario and the sidebar the engine's
  agreement sentence.
- Download the YAML and load it back: the final and draft files from Model summary load
  to the edited model (computed here from the original example and ``workbook.editing``,
  and as saved in the server's store); the downloaded final file uploaded again opens as
  a new workbook with that same model.

One server (with a database of its own) serves the module. The weight edit is made once,
in a browser session shared by the second and third tests (``edited``), so either can run
alone and both see the same workbook.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, Page, expect
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

from tests.e2e.conftest import (
    DEFAULT_TIMEOUT_MS,
    REPO_ROOT,
    Server,
    assert_no_exception,
    choose,
    expect_revision,
    head,
    main,
    open_app,
    sidebar,
    until,
    wait_for_app,
    workbook_id,
)
from workbook import editing
from workbook.editing import Section
from workbook.engine import ScenarioResult, agreement, evaluate_scenarios
from workbook.files import load_model_file, load_model_text
from workbook.model import ScoringModel
from workbook.store import Store
from workbook.validate import validate

T = DEFAULT_TIMEOUT_MS  # expect() waits 5 s by default: too short for pages with editors and figures
EXAMPLE = REPO_ROOT / "scenarios" / "sales_automation.yaml"
MAX_SHIFT = 5  # "a few points"

# (navigation link, URL path, the tab's main heading; None = the model's name, Model summary's title)
TABS: list[tuple[str, str, str | None]] = [
    ("Team", "", "Scoring team"),
    ("Thresholds", "thresholds", "Thresholds and the action grid"),
    ("ICP weights", "icp_weights", "ICP weights"),
    ("Activity weights", "activity_weights", "Activity weights"),
    ("Test scenarios", "test_scenarios", "Test scenarios"),
    ("Model summary", "model_summary", None),
]
SECTION_TAB = {"profile": "ICP weights", "engagement": "Activity weights"}


# --------------------------------------------------------------------------- the weight change
@dataclass(frozen=True)
class WeightChange:
    """Two weights of one section moved by ``delta`` points (``up`` gains, ``down`` gives)."""

    section: Section
    up: int
    down: int
    delta: float
    original: ScoringModel
    after_first: ScoringModel  # only ``up`` raised: a draft whose weights add up to 100 + delta
    after: ScoringModel  # both edits made
    scenario: int  # the first scenario whose computed state changes
    state_before: str
    state_after: str
    results_after: list[ScenarioResult]

    def weight(self, index: int) -> float:
        return self.after.section(self.section)[index].weight


def table_rows(model: ScoringModel, section: Section, weights: list[float]) -> list[dict[str, Any]]:
    """The rows the attributes table hands to its edit, with the given weights."""
    return [
        {
            "name": f.name,
            "weight": w,
            "values": len(f.values),
            "knockouts": sum(v.knockout for v in f.values),
            "orig": k,
        }
        for k, (f, w) in enumerate(zip(model.section(section), weights, strict=True))
    ]


def with_weights(model: ScoringModel, section: Section, changes: dict[int, float]) -> ScoringModel:
    weights = [f.weight for f in model.section(section)]
    for index, delta in changes.items():
        weights[index] += delta
    return editing.set_factors_keep_columns(model, section, table_rows(model, section, weights))


def find_weight_change(model: ScoringModel) -> WeightChange:
    """The first (section, shift, raised weight, lowered weight) that moves a scenario's state."""
    before = evaluate_scenarios(model)
    for section in ("profile", "engagement"):
        factors = model.section(section)
        for delta in range(1, MAX_SHIFT + 1):
            for up in range(len(factors)):
                for down in range(len(factors)):
                    if up == down or factors[up].weight + delta > 100 or factors[down].weight - delta < 0:
                        continue
                    after = with_weights(model, section, {up: delta, down: -delta})
                    results = evaluate_scenarios(after)
                    for i, (old, new) in enumerate(zip(before, results, strict=True)):
                        if old.result.state != new.result.state:
                            return WeightChange(
                                section=section,
                                up=up,
                                down=down,
                                delta=delta,
                                original=model,
                                after_first=with_weights(model, section, {up: delta}),
                                after=after,
                                scenario=i,
                                state_before=old.result.state,
                                state_after=new.result.state,
                                results_after=results,
                            )
    raise AssertionError(f"no shift of two weights by up to {MAX_SHIFT} points changes a scenario's state")


# --------------------------------------------------------------------------- page helpers
def head_once_it_holds(db, wid: str, model: ScoringModel):
    """The store's head revision once it holds ``model`` (polled, as the app saves it)."""

    def holding():
        revision = head(db, wid)
        return revision if revision.model == model else None

    return until(holding, "the store to hold the edit")


def go_to_tab(page: Page, title: str) -> None:
    """Click a tab in the top navigation (its link reads ``<icon name> <title>``)."""
    link = page.get_by_role("link", name=re.compile(rf"(^|\s){re.escape(title)}$"))
    expect(link).to_have_count(1, timeout=T)
    link.click()
    wait_for_app(page)


def expect_tab(page: Page, path: str, heading: str) -> None:
    """The tab at ``/<path>`` is shown: the URL, and its first heading in the main area."""
    expect(page).to_have_url(re.compile(rf"^https?://[^/]+/{re.escape(path)}(\?|$)"), timeout=T)
    expect(main(page).locator("h1, h2").first).to_have_text(heading, timeout=T)


def edit_weight(page: Page, section: Section, row: int, weight: float) -> None:
    """Type a weight into row ``row`` of the attributes (activities) table and press Enter."""
    edit_cell(page, f"{section}_factors", row, 1, f"{weight:g}")


def edit_cell(page: Page, table: str, row: int, column: int, text: str) -> None:
    """Type ``text`` into a cell of the data editor keyed ``table@…`` and press Enter.

    ``column`` counts the shown columns from 0. Glide's data editor is a canvas: click the
    first cell of row 0, move with the keyboard (each move confirmed by the accessible
    cell's ``aria-selected``), open the cell editor with Enter, fill it and press Enter.
    """
    container = page.locator(f'[class*="st-key-{table}-"]').first
    grid = container.get_by_test_id("stDataFrame").first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None, f"the table {table} is not displayed"

    def selected(col: int, r: int) -> None:
        container.locator(f'td[data-testid="glide-cell-{col}-{r}"][aria-selected="true"]').wait_for(
            state="attached", timeout=10_000
        )

    page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)  # header 35 px, then row 0
    selected(1, 0)
    for r in range(1, row + 1):
        page.keyboard.press("ArrowDown")
        selected(1, r)
    for c in range(1, column + 1):
        page.keyboard.press("ArrowRight")
        selected(1 + c, row)
    page.keyboard.press("Enter")
    cell_editor = page.locator("input.gdg-input, textarea.gdg-input").first
    cell_editor.wait_for(timeout=10_000)
    cell_editor.fill(text)
    cell_editor.press("Enter")
    wait_for_app(page)


def type_card_weight(page: Page, section: Section, index: int, weight: float) -> None:
    """Type a weight into the number input on the card of attribute ``index`` and press Enter."""
    field = page.locator(f'.st-key-{section}_weight_{index} input').first
    field.scroll_into_view_if_needed()
    field.fill(f"{weight:g}")
    field.press("Enter")
    wait_for_app(page)


# Cells of one scenario's row in the overview table, by column header, once the row is in the
# DOM and shows `want` (the grid only puts the rows in view into the DOM: see below).
OVERVIEW_ROW = """({grid, name, column, want}) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return null;
  const frame = document.querySelectorAll('[data-testid="stMain"] [data-testid="stDataFrame"]')[grid];
  if (!frame) return null;
  const headers = [...frame.querySelectorAll('tr[aria-rowindex="1"] th')].map(th => th.textContent.trim());
  for (const tr of frame.querySelectorAll('tr')) {
    const cells = [...tr.querySelectorAll('td')].map(td => td.textContent.trim());
    if (cells.length === headers.length && cells.includes(name)) {
      const row = Object.fromEntries(headers.map((h, i) => [h, cells[i]]));
      return row[column] === want ? row : (window.__lastRow = row, null);
    }
  }
  return null;
}"""


def expect_overview_cell(page: Page, name: str, column: str, want: str) -> dict[str, str]:
    """Wait until the overview row of scenario ``name`` shows ``want`` in ``column``; the row.

    The grid scrolls with the mouse wheel as a person would (Glide handles the wheel itself;
    setting scrollTop from script does not always bring rows into the DOM): from the top, half a
    view at a time, and back to the top after the bottom.
    """
    page.evaluate("() => { window.__lastRow = null; }")
    grid = page.locator('[data-testid="stMain"] [data-testid="stDataFrame"]').first
    grid.scroll_into_view_if_needed()
    box = grid.bounding_box()
    assert box is not None, "the overview table is not displayed"
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    arg = {"grid": 0, "name": name, "column": column, "want": want}
    deadline = time.monotonic() + T / 1000
    step = 0
    while time.monotonic() < deadline:
        if step % 6 == 0:
            page.mouse.wheel(0, -100_000)  # back to the top
        else:
            page.mouse.wheel(0, box["height"] / 2)
        step += 1
        try:
            return page.wait_for_function(OVERVIEW_ROW, arg=arg, polling=100, timeout=1_000).json_value()
        except PlaywrightTimeoutError:
            continue
    last = page.evaluate("() => window.__lastRow || null")
    raise AssertionError(f"the overview never showed {column} = {want!r} for scenario {name!r}; last row seen: {last}")


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="module")
def server(start_app, tmp_path_factory: pytest.TempPathFactory) -> Server:
    db = tmp_path_factory.mktemp("workshop-db") / "workbooks.db"
    return Server(start_app(EXAMPLE, env={"WORKBOOK_DB": str(db)}), db)


@pytest.fixture(scope="module")
def original() -> ScoringModel:
    return load_model_file(EXAMPLE).model


@pytest.fixture(scope="module")
def change(original: ScoringModel) -> WeightChange:
    return find_weight_change(original)


@dataclass(frozen=True)
class Edited:
    page: Page
    workbook_id: str
    change: WeightChange


@pytest.fixture(scope="module")
def edited(browser: Browser, server: Server, change: WeightChange, tmp_path_factory) -> Iterator[Edited]:
    """A browser session on the example workbook after the two weight edits were typed in."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(T)
    try:
        page = context.new_page()
        open_app(page, server.url)
        wid = workbook_id(page)
        with Store(server.db) as store:
            start = store.head(wid)
        assert start.model == change.original, "the server opened the example as it is in the repository"
        expect_revision(page, start.number)

        go_to_tab(page, SECTION_TAB[change.section])
        factors = change.original.section(change.section)
        # First the raised weight: for a moment the total is 100 + delta (a draft the engine still scores) …
        edit_weight(page, change.section, change.up, factors[change.up].weight + change.delta)
        first = head_once_it_holds(server.db, wid, change.after_first)
        assert first.number == start.number + 1, "the first weight edit was saved as exactly one revision"
        expect_revision(page, first.number)
        # … then the lowered one, and the weights add up to 100 again.
        edit_weight(page, change.section, change.down, factors[change.down].weight - change.delta)
        last = head_once_it_holds(server.db, wid, change.after)
        assert last.number == start.number + 2, "the second weight edit was saved as exactly one revision"
        expect_revision(page, last.number)
        assert_no_exception(page, "after the weight edits")
        # Once saved, an edit stays saved once: later requests (the sidebar's watcher every few
        # seconds) carry the same values and add nothing. (A late request once gave the card's
        # input its old weight back: each edit was saved as two revisions.)
        page.wait_for_timeout(4_000)
        wait_for_app(page)
        with Store(server.db) as store:
            assert store.head(wid).number == start.number + 2, "nothing saved after the two edits"
            assert store.revision(wid, start.number + 1).model == change.after_first
            assert store.head(wid).model == change.after, "the store holds both weight edits, nothing else"
        yield Edited(page, wid, change)
    finally:
        context.close()


# --------------------------------------------------------------------------- tests
def test_walk_all_six_tabs(server: Server, original: ScoringModel, page: Page) -> None:
    open_app(page, server.url)
    for title, path, heading in TABS:
        go_to_tab(page, title)
        expect_tab(page, path, heading or original.name)
        assert_no_exception(page, f"the {title} tab")
        expect(sidebar(page)).to_contain_text(original.name, timeout=T)
        expect(sidebar(page)).to_contain_text(re.compile(r"\d+ of \d+ scenarios agree"), timeout=T)


def test_a_weight_change_moves_a_scenario_to_another_state(edited: Edited) -> None:
    page, change = edited.page, edited.change
    scenario = change.results_after[change.scenario]
    assert change.state_after != change.state_before  # what the edit is about (found with the engine)

    go_to_tab(page, "Test scenarios")
    expect_tab(page, "test_scenarios", "Test scenarios")
    assert_no_exception(page, "the Test scenarios tab after the weight edits")

    # The overview table: the scenario's computed cell and state are the engine's for the edited model.
    row = expect_overview_cell(page, scenario.name, "State", change.state_after)
    assert row["Cell"] == scenario.result.cell, row
    assert row["Agrees"] == {True: "✓", False: "✗", None: "–"}[scenario.agrees], row

    # The same scenario opened below the table: where the model puts it.
    choose(page, "Open scenario", re.compile(rf"^{change.scenario + 1}\. {re.escape(scenario.name)}\s"))
    state_metric = (
        main(page)
        .get_by_test_id("stMetric")
        .filter(has=page.get_by_test_id("stMetricLabel").filter(has_text=re.compile(r"^\s*State\s*$")))
    )
    expect(state_metric.get_by_test_id("stMetricValue")).to_have_text(change.state_after, timeout=T)
    assert_no_exception(page, "the opened scenario")

    # The sidebar says what the engine says about the edited model.
    agree = agreement(change.results_after)
    expect(sidebar(page)).to_contain_text(agree.sentence(), timeout=T)
    expect(sidebar(page)).to_contain_text(f"{agree.agreeing} of {agree.with_estimate}", timeout=T)


def test_download_the_yaml_and_load_it_back(edited: Edited, server: Server, tmp_path: Path) -> None:
    page, change = edited.page, edited.change
    expected = change.after
    with Store(server.db) as store:
        head = store.head(edited.workbook_id)
    assert head.model == expected, "the workbook holds the original example with the weight change"

    go_to_tab(page, "Model summary")
    expect_tab(page, "model_summary", expected.name)
    assert_no_exception(page, "the Model summary tab")

    def download(label: str) -> Path:
        button = main(page).get_by_test_id("stDownloadButton").filter(has_text=label)
        with page.expect_download(timeout=T) as info:
            button.get_by_role("button").click()
        target = tmp_path / info.value.suggested_filename
        info.value.save_as(target)
        return target

    # The download menu offers every format of the export registry: pick the model file.
    choose(page, "Format", "Model file (YAML)")
    files = {"draft": download("Draft: Model file (YAML)")}
    assert files["draft"].suffix == ".yaml"
    valid = not validate(expected).errors
    if valid:
        files["final"] = download("Final: Model file (YAML)")
        assert files["final"].suffix == ".yaml" and files["final"] != files["draft"]
    else:
        expect(main(page).get_by_text("Final export refused: the model is invalid")).to_be_visible(timeout=T)
    for kind, path in files.items():
        loaded = load_model_text(path.read_bytes()).model
        assert loaded == expected, f"the downloaded {kind} file is the model in the workbook"
        assert loaded == head.model
    assert files["draft"].read_text(encoding="utf-8").startswith("# DRAFT")

    # Upload it back: it opens as a new workbook holding that model.
    upload = files.get("final", files["draft"])
    page.locator('[data-testid="stFileUploaderDropzoneInput"]').set_input_files(upload)
    wait_for_app(page)
    opened = main(page).get_by_test_id("stAlert").filter(has_text=f"Opened the uploaded file {upload.name}")
    expect(opened).to_be_visible(timeout=T)
    expect(opened).to_contain_text(expected.name)
    if valid:
        expect(opened).to_contain_text("It passes validation")
    page.wait_for_url(lambda url: f"wb={edited.workbook_id}" not in url, timeout=T)
    new_id = workbook_id(page)
    expect_revision(page, 1)
    expect(sidebar(page)).to_contain_text(expected.name, timeout=T)
    expect(sidebar(page)).to_contain_text(agreement(change.results_after).sentence(), timeout=T)
    assert_no_exception(page, "after the upload")
    with Store(server.db) as store:
        assert store.head(new_id).model == expected, "the uploaded file opened as a workbook with the same model"
        assert store.head(edited.workbook_id).model == expected, "the workbook it came from is unchanged"


def test_a_weight_typed_on_a_card_and_a_score_on_another_are_both_kept(start_app, page: Page, tmp_path: Path,
                                                                      original: ScoringModel) -> None:
    """The card's weight input reruns only that card, the overview and the sidebar: the other
    cards stay on screen as they were, and an edit made in one of them afterwards applies to
    the model as it is now: the weight is kept, not undone by a card drawn before it."""
    db = tmp_path / "cards.db"
    url = start_app(EXAMPLE, env={"WORKBOOK_DB": str(db)})
    open_app(page, url)
    wid = workbook_id(page)
    with Store(db) as store:
        start = store.head(wid)
    go_to_tab(page, "ICP weights")
    cards = page.locator('[class*="st-key-profile_card_"]')
    expect(cards).to_have_count(len(original.profile), timeout=T)

    weight = original.profile[0].weight + 5
    total = sum(f.weight for f in original.profile) + 5
    type_card_weight(page, "profile", 0, weight)
    expect_revision(page, start.number + 1)
    expect(sidebar(page).get_by_test_id("stMetricValue").first).to_have_text(f"{total:g} %", timeout=T)
    expect(main(page).get_by_text(f"Weights add up to {total:g} %")).to_be_visible(timeout=T)
    expect(cards).to_have_count(len(original.profile), timeout=T)
    assert_no_exception(page, "after the card's weight edit")

    # A score in the values table of the third attribute, whose card was not redrawn.
    value = original.profile[2].values[1]
    score = value.score - 10
    edit_cell(page, "profile_values_2", 1, 1, f"{score:g}")
    expect_revision(page, start.number + 2)
    assert_no_exception(page, "after the score edit")
    with Store(db) as store:
        head = store.head(wid).model
    assert head.profile[0].weight == weight, "the weight typed on the first card was kept"
    assert head.profile[2].values[1].score == score
    expected = editing.set_factor_weight(original, "profile", original.profile[0].name, weight)
    expected.profile[2].values[1].score = score
    assert head == expected, "nothing else changed"

    # The sidebar's undo, twice: back to the example, and the whole page shows it (the card's
    # input is outside the sidebar, which is a fragment of its own).
    undo = sidebar(page).get_by_role("button", name=re.compile("Undo last change"))
    for step in (3, 4):
        undo.click()
        wait_for_app(page)
        expect_revision(page, start.number + step)
    field = page.locator('.st-key-profile_weight_0 input').first
    expect(field).to_have_value(f"{original.profile[0].weight:g}", timeout=T)
    expect(sidebar(page).get_by_test_id("stMetricValue").first).to_have_text("100 %", timeout=T)
    with Store(db) as store:
        back = store.head(wid).model
    assert back == original

