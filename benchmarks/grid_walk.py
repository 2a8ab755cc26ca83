"""Clicks and keystrokes to build a model from a blank workbook in the browser (issue 11).

    python benchmarks/grid_walk.py URL DB --mode before|after|paste|fastest [--tables-only]
    python benchmarks/grid_walk.py - - --mode after --plan     # the counts of the plan, no browser
    python benchmarks/grid_walk.py --live                      # start the app, walk the fastest path, print the table

Drives the app at URL (started with ``WORKBOOK_DB=DB``) in Chromium through a blank workbook
it creates in DB: 3 ICP attributes and 3 activities with 3 values each, weights adding up
to 100, then 4 test scenarios with a value for every attribute and activity and the team's
estimated state. Every mouse click and key press the walk makes is counted, and the model
saved in the store is checked at the end.

``--mode before`` walks as the starting commit needs: a table editor is rebuilt after each
saved cell, so the cursor is lost and the next cell must be clicked. ``--mode after`` walks
as a spreadsheet is used: Tab and Enter between cells, the add-row clicked once per table.
Typing is the same text in both. The scenario editor is walked the same way in both modes.

``--mode fastest`` is the quickest path a person has now: the tabs clicked in the top
navigation (counted), each table's rows pasted into its add-row (one click, Ctrl+V, Enter),
and the four scenarios pasted as rows in words into the Test scenarios page's box (one
click into the box, Ctrl+V, one click on "Add these scenarios"). What is pasted was typed
in the spreadsheet it comes from: those characters are reported, not counted, as in the
planned ``paste`` figures. Each step waits for the store to hold what it added, never a
fixed time, and the end checks the store and the page: 3 attributes and 3 activities with
their weights and values, 4 scenarios with the chosen values and states.

``--live`` starts the app on a database of its own, runs ``--mode fastest`` once and
prints the planned figures beside the measured ones.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playwright.sync_api import Page, expect, sync_playwright  # noqa: E402

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS, REPO_ROOT, wait_for_app  # noqa: E402
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


# --------------------------------------------------------------------------- the fastest path, live
TABS = {"profile": "ICP weights", "engagement": "Activity weights"}


def until(check, what: str, timeout_s: float = 60, page: Page | None = None, fail: bool = True):
    """Poll ``check()`` (the store, written by the server) until it is truthy.

    Timed out, the page's screenshot is kept in the temporary folder and named in the error.
    """
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.2)
    if not fail:
        return None
    shot = ""
    if page is not None:
        slug = re.sub(r"\W+", "_", what)
        path = Path(tempfile.gettempdir()) / f"grid_walk_{slug}.png"
        page.screenshot(path=path, full_page=True)
        shot = f" (screenshot: {path})"
    raise AssertionError(f"timed out waiting for {what}{shot}")


def head_model(db: Path, wb: str):
    with Store(db) as store:
        return store.head(wb).model


def go(c: Counter, title: str) -> None:
    """Click a tab of the top navigation (opening its "N more" menu first when it is in one)."""
    page = c.page
    wait_for_app(page, settle_ms=0)
    visible = page.locator('.rc-overflow-item:not([aria-hidden="true"])')
    shown = visible.locator(f'[data-testid="stTopNavLink"]:has([label="{title}"])')
    if shown.count():
        c.click_on(shown.first)
    else:
        more = visible.get_by_text(re.compile(r"^\d+ more$"))
        c.click_on((more if more.count() else visible.get_by_text("Workshop", exact=True)).first)
        c.click_on(page.locator(f'[data-testid="stTopNavDropdownLink"]:has([label="{title}"])'))
    expect(page.get_by_role("heading", name=title).first).to_be_visible(timeout=30_000)
    wait_for_app(page)


REACH_MS = 300  # from opening a cell to Ctrl+V, as a person


def paste_into_add_row(c: Counter, table: str, text: str, saved, what: str) -> int:
    """Paste ``text`` into the empty table's add-row: one click, Ctrl+V, Enter; returns the retries.

    ``saved()`` says when the store holds the rows. The walk waits 300 ms between opening the
    cell and Ctrl+V, as a person reaching for the keyboard does: Streamlit's table drops an edit
    closed by Enter within about 150 ms of the click (measured; no rerun is involved). If the
    cell still closes empty (the new row then stands empty, selected), a person clicks that
    row's first cell and pastes again, onto the row. The walk does the same, and counts those
    clicks and keys too.
    """
    page = c.page
    page.evaluate("t => navigator.clipboard.writeText(t)", text)
    wait_for_app(page, settle_ms=1000)  # a run still arriving would redraw the table and drop the new row
    open_add_row(c, table, 0)
    page.wait_for_timeout(REACH_MS)
    for retry in range(3):
        c.press("ControlOrMeta+V")
        # The pasted block shows in the cell, or the table took it, or the cell had closed.
        page.wait_for_function(
            """() => { const e = document.querySelector('textarea.gdg-input, input.gdg-input');
                       return !e || e.value.length > 0; }""", timeout=10_000)
        if page.locator("textarea.gdg-input, input.gdg-input").count():
            c.press("Enter")
        if until(saved, what, timeout_s=30, page=None, fail=False):
            return retry
        box = grid(page, table)  # the empty new row is row 0: click its first cell, paste onto it
        c.click(box["x"] + 80, box["y"] + HEADER + ROW / 2)
    until(saved, what, page=page)
    return 3


def scenario_block() -> str:
    """The four scenarios as a spreadsheet copies them: a header line, then one row per scenario."""
    names = [f for _, factors in SECTIONS.values() for f, _, _ in factors]
    lines = ["\t".join(["Scenario", *names, "State"])]
    for name, pick, state in SCENARIOS:
        labels = [values[pick][0] for _, factors in SECTIONS.values() for _, _, values in factors]
        lines.append("\t".join([name, *labels, state]))
    return "\n".join(lines) + "\n"


def expected_model() -> dict:
    """What the walk must leave in the store."""
    return {
        "profile": [(n, float(w), [(lbl, float(v)) for lbl, v in values]) for n, w, values in SECTIONS["profile"][1]],
        "engagement": [(n, float(w), [(lbl, float(v)) for lbl, v in values])
                       for n, w, values in SECTIONS["engagement"][1]],
        "scenarios": [(name, {f: values[pick][0] for f, _, values in SECTIONS["profile"][1]},
                       {f: values[pick][0] for f, _, values in SECTIONS["engagement"][1]}, state)
                      for name, pick, state in SCENARIOS],
    }


def built_model(model) -> dict:
    return {
        section: [(f.name, float(f.weight), [(v.label, float(v.score)) for v in f.values])
                  for f in model.section(section)]
        for section in ("profile", "engagement")
    } | {"scenarios": [(s.name, dict(s.profile), dict(s.engagement), s.estimate.state if s.estimate else None)
                       for s in model.scenarios]}


def walk_fastest(url: str, db: Path) -> dict:
    """Build the model by the fastest path, counting every click and key; check the store and the page."""
    with Store(db) as store:
        wb = store.create(editing.blank_model(), source="blank").id
    pasted = 0  # characters typed in the spreadsheet the rows are copied from (not counted here)
    retries = 0  # pastes done again because a rerun closed the cell first (their clicks and keys are counted)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        context.grant_permissions(["clipboard-read", "clipboard-write"])
        page = context.new_page()
        page.set_default_timeout(30_000)
        page.goto(f"{url}/?wb={wb}")  # the blank workbook, as "New workbook" opens it
        wait_for_app(page, settle_ms=0)
        c = Counter(page)
        steps: list[tuple[str, int, int]] = []

        def step(what: str, before: tuple[int, int]) -> None:
            steps.append((what, c.clicks - before[0], c.keys - before[1]))

        for section, (_, factors) in SECTIONS.items():
            mark = (c.clicks, c.keys)
            go(c, TABS[section])
            step(f"open {TABS[section]}", mark)
            mark = (c.clicks, c.keys)
            text = "\n".join(f"{n}\t{w:g}" for n, w, _ in factors) + "\n"
            pasted += len(text)
            retries += paste_into_add_row(
                c, f"{section}_factors", text,
                lambda s=section, f=factors: [x.name for x in head_model(db, wb).section(s)] == [n for n, _, _ in f],
                f"the {section} names and weights")
            for index, (_, _, values) in enumerate(factors):
                text = "\n".join(f"{lbl}\t{v:g}" for lbl, v in values) + "\n"
                pasted += len(text)
                retries += paste_into_add_row(
                    c, f"{section}_values_{index}", text,
                    lambda s=section, i=index, v=values:
                        [x.label for x in head_model(db, wb).section(s)[i].values] == [lbl for lbl, _ in v],
                    f"the values of {section} {index + 1}")
            step(f"paste {1 + len(factors)} tables of {TABS[section]}", mark)
        mark = (c.clicks, c.keys)
        go(c, "Test scenarios")
        step("open Test scenarios", mark)
        mark = (c.clicks, c.keys)
        text = scenario_block()
        pasted += len(text)
        page.evaluate("t => navigator.clipboard.writeText(t)", text)
        box = page.get_by_role("textbox", name="Or paste rows")
        c.click_on(box)
        c.press("ControlOrMeta+V")
        expect(box).to_have_value(text)
        c.click_on(page.get_by_role("button", name="Add these scenarios"))
        until(lambda: len(head_model(db, wb).scenarios) == len(SCENARIOS), "the scenarios", page=page)
        step("paste the scenarios", mark)
        wait_for_app(page)
        # The page shows them too: the overview's names, the first one open with its state.
        names = page.get_by_test_id("stDataFrame").first.locator('td[data-testid^="glide-cell-2-"]')
        expect(names).to_have_count(len(SCENARIOS), timeout=30_000)
        shown = [t.strip() for t in names.all_text_contents()]
        expect(page.get_by_role("combobox", name="State").first).to_have_value(
            re.compile(rf"^{re.escape(SCENARIOS[0][2])}"), timeout=30_000)
        browser.close()
    model = head_model(db, wb)
    built, wanted = built_model(model), expected_model()
    if built != wanted or shown != [n for n, _, _ in SCENARIOS]:
        raise AssertionError(f"the walk did not build the model:\n built {built}\n shown {shown}\n wanted {wanted}")
    return {"mode": "fastest", "clicks": c.clicks, "keys": c.keys, "steps": steps, "pasted": pasted, "retries": retries,
            "built": {"attributes": len(model.profile), "activities": len(model.engagement),
                      "values": sum(len(f.values) for s in ("profile", "engagement") for f in model.section(s)),
                      "scenarios": len(model.scenarios)}}


def start_app(db: Path, log: Path) -> tuple[str, subprocess.Popen]:
    """``streamlit run serve.py`` on a free port with ``WORKBOOK_DB=db``, as the browser tests start it."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen(
        [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true", "--server.port", str(port),
         "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"],
        cwd=REPO_ROOT, env={**os.environ, "WORKBOOK_DB": str(db)}, stdin=subprocess.DEVNULL,
        stdout=log.open("wb"), stderr=subprocess.STDOUT, start_new_session=True,
    )
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with opener.open(f"{url}/_stcore/health", timeout=2) as answer:
                if answer.read().decode().strip() == "ok":
                    return url, process
        except OSError:
            pass
        if process.poll() is not None:
            break
        time.sleep(0.3)
    os.killpg(process.pid, 15)
    raise SystemExit(f"the app did not start; see {log}")


def live() -> None:
    """Start the app, walk the fastest path once, print planned before and measured after."""
    with tempfile.TemporaryDirectory() as tmp:
        url, process = start_app(Path(tmp) / "workbooks.db", Path(tmp) / "streamlit.log")
        try:
            started = time.monotonic()
            result = walk_fastest(url, Path(tmp) / "workbooks.db")
            seconds = time.monotonic() - started
        finally:
            os.killpg(process.pid, 15)
            process.wait(20)
    before = plan("before")
    print(f"{'walk':<38}{'clicks':>8}{'keystrokes':>12}")
    print(f"{'before (planned)':<38}{before[0]:>8}{before[1]:>12}")
    for mode, words in (("after", "after, typing (planned)"), ("paste", "after, pasting tables (planned)")):
        clicks, keys = plan(mode)
        print(f"{words:<38}{clicks:>8}{keys:>12}")
    print(f"{'after, fastest path (LIVE, measured)':<38}{result['clicks']:>8}{result['keys']:>12}")
    for what, clicks, keys in result["steps"]:
        print(f"{'  ' + what:<38}{clicks:>8}{keys:>12}")
    half = result["clicks"] * 2 <= before[0] and result["keys"] * 2 <= before[1]
    print(f"live / before: clicks {result['clicks'] / before[0]:.0%}, keystrokes {result['keys'] / before[1]:.0%}"
          f" -> {'half or less' if half else 'NOT half or less'}")
    print(f"typed in the spreadsheet the rows were copied from (not counted): {result['pasted']} characters")
    print(f"pastes done again because a rerun closed the cell first (counted above): {result['retries']}")
    print(f"built and checked in the store and on the page: {result['built']}; walk took {seconds:.0f} s")


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
    parser.add_argument("url", nargs="?")
    parser.add_argument("db", type=Path, nargs="?")
    parser.add_argument("--mode", choices=["before", "after", "paste", "fastest"])
    parser.add_argument("--tables-only", action="store_true")
    parser.add_argument("--plan", action="store_true", help="count the planned walk, without a browser")
    parser.add_argument("--live", action="store_true", help="start the app and walk the fastest path, measured")
    args = parser.parse_args()
    if args.live:
        live()
        return
    if args.plan:
        for mode in ("before", "after", "paste"):
            clicks, keys = plan(mode)
            print(f"{mode}: {clicks} clicks, {keys} keystrokes (planned)")
        return
    if not (args.url and args.db and args.mode):
        parser.error("URL, DB and --mode are needed (or --plan, or --live)")
    if args.mode == "fastest":
        result = walk_fastest(args.url.rstrip("/"), args.db)
    else:
        result = walk(args.url.rstrip("/"), args.db, args.mode, args.tables_only)
    print(f"{result['mode']}: {result['clicks']} clicks, {result['keys']} keystrokes")
    print(f"built: {result['built']}")


if __name__ == "__main__":
    main()
