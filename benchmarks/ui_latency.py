"""Benchmark: how fast the workshop app answers, measured in a real browser.

    python benchmarks/ui_latency.py [--edits 40] [--scenarios 100] [--paints 3] [--only card|table] [--json]

1. ``make run`` to first paint: from starting the server (``make run`` with an installed
   venv) to the workbook's sidebar shown in Chromium.
2. Weight edit to updated results: the sales-automation example enlarged to N scenarios;
   on the ICP weights page, the first attribute's weight is typed and Enter pressed, in
   the number input on its card, then (a server of its own) in the attributes table; the
   clock stops when the run that recomputes every scenario has finished in the browser
   (the sidebar shows the new weight total and Streamlit reports the script as no longer
   running). Edits alternate between two weights. Timed in the page (Enter keydown to
   the first frame drawn showing it) and, for comparison, on the driver's clock.

Prints medians and percentiles; the last line is one JSON object. A benchmark, not a
test: the machine is shared and noisy, so read ratios and medians, not single runs.
Needs Debian's Chromium (/usr/bin/chromium) and the test requirements (playwright).
"""

from __future__ import annotations

import argparse
import json
import os
import random
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from playwright.sync_api import sync_playwright  # noqa: E402

from workbook.files import dump_model, load_model_file  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic"]


def enlarged_example(n: int, out: Path) -> Path:
    """The sales-automation example with n scenarios: the originals, then varied copies."""
    model = load_model_file(ROOT / "scenarios" / "sales_automation.yaml").model
    rng = random.Random(7)
    originals = list(model.scenarios)
    scenarios = []
    for i in range(n):
        s = originals[i % len(originals)].model_copy(deep=True)
        if i >= len(originals):
            s.name = f"{s.name} — variant {i}"
            factor = rng.choice(model.profile + model.engagement)
            section = s.profile if factor in model.profile else s.engagement
            section[factor.name] = rng.choice(factor.values).label
        scenarios.append(s)
    model.scenarios = scenarios
    path = out / f"sales_automation_{n}.yaml"
    path.write_text(dump_model(model), encoding="utf-8")
    return path


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_health(url: str, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("the app did not start")


def start_server(workbook: Path, db: Path, via_make: bool) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = ["--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
            "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none"]
    env = {**os.environ, "WORKBOOK_DB": str(db)}
    if via_make:
        cmd = ["make", "--no-print-directory", "run", f"WORKBOOK={workbook}", f"STREAMLIT_ARGS={' '.join(args)}"]
    else:
        app = os.environ.get("BENCH_APP", "app.py")  # an instrumented copy of app.py, when profiling
        cmd = [sys.executable, "-m", "streamlit", "run", app, *args, "--", str(workbook)]
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                            start_new_session=True)
    return proc, f"http://127.0.0.1:{port}"


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


IDLE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return app && app.getAttribute('data-test-script-state') === 'notRunning'
      && !document.querySelector('[data-testid="stSkeleton"]');
}"""

TOTAL_SHOWN = """(want) => {
  const app = document.querySelector('[data-testid="stApp"]');
  if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
  const sidebar = document.querySelector('[data-testid="stSidebarUserContent"]');
  const metric = sidebar && sidebar.querySelector('[data-testid="stMetricValue"]');
  return !!metric && metric.textContent.trim() === want;
}"""


# In the page: the time of the Enter keydown, and of the first frame drawn once the new
# total shows and the run is over (a MutationObserver checks after every change of the DOM).
ENTER_CLOCK = """
window.__enterAt = null;
document.addEventListener('keydown', e => { if (e.key === 'Enter') window.__enterAt = performance.now(); },
                          {capture: true});
"""

WATCH = """(want) => {
  window.__enterAt = null; window.__shownAt = null;
  const shown = """ + TOTAL_SHOWN + """;
  const observer = new MutationObserver(() => {
    if (window.__enterAt === null || !shown(want)) return;
    observer.disconnect();
    requestAnimationFrame(() => { window.__shownAt = performance.now(); });
  });
  observer.observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
}"""


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    k = max(0, min(len(ordered) - 1, round(q * (len(ordered) - 1))))
    return ordered[k]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--edits", type=int, default=40)
    parser.add_argument("--scenarios", type=int, default=100)
    parser.add_argument("--paints", type=int, default=3, help="how many cold starts to time")
    parser.add_argument("--json", action="store_true", help="print only the JSON line")
    parser.add_argument("--only", choices=("card", "table"), help="time edits in one place only")
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="ui-bench-"))
    workbook = enlarged_example(args.scenarios, tmp)

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)

        # 1. make run → first paint (Chromium already up, as a person's browser would be).
        paints = []
        for i in range(args.paints):
            t0 = time.perf_counter()
            proc, url = start_server(workbook, tmp / f"paint-{i}.db", via_make=True)
            try:
                wait_health(url)
                page = browser.new_page()
                page.goto(url)
                page.wait_for_selector('[data-testid="stSidebarUserContent"] [data-testid="stMetricValue"]',
                                       timeout=60_000)
                paints.append(time.perf_counter() - t0)
                page.close()
            finally:
                stop(proc)

        # 2. weight edit → updated scenario results, through the card's input and the table.
        latencies: dict[str, list[float]] = {}  # in the page
        driver: dict[str, list[float]] = {}  # the driver's clock
        for way, prepare in (("card", _card_input), ("table", _table_cell)):
            if args.only and way != args.only:
                continue
            proc, url = start_server(workbook, tmp / f"edits-{way}.db", via_make=False)
            try:
                wait_health(url)
                page = browser.new_page(viewport={"width": 1600, "height": 1200})
                page.add_init_script(ENTER_CLOCK)
                page.goto(url + "/icp_weights")
                page.wait_for_function(IDLE, timeout=60_000)
                latencies[way], driver[way] = _time_edits(page, load_model_file(workbook).model, prepare,
                                                          args.edits)
                page.close()
            finally:
                stop(proc)
        browser.close()

    result = {"scenarios": args.scenarios}
    for way, values in latencies.items():
        result[f"{way}_edits"] = len(values)
        result[f"{way}_p50_ms"] = round(statistics.median(values) * 1000, 1)
        result[f"{way}_p95_ms"] = round(percentile(values, 0.95) * 1000, 1)
        result[f"{way}_max_ms"] = round(max(values) * 1000, 1)
        result[f"{way}_driver_p50_ms"] = round(statistics.median(driver[way]) * 1000, 1)
        result[f"{way}_driver_p95_ms"] = round(percentile(driver[way], 0.95) * 1000, 1)
    result.update({
        "first_paint_runs": len(paints),
        "first_paint_median_s": round(statistics.median(paints), 2),
        "first_paint_max_s": round(max(paints), 2),
    })
    if not args.json:
        for way, what in (("card", "the card's weight input"), ("table", "the attributes table")):
            if way not in latencies:
                continue
            print(f"weight edit → updated results, {what} ({args.scenarios} scenarios, "
                  f"{result[f'{way}_edits']} edits): p50 {result[f'{way}_p50_ms']} ms, "
                  f"p95 {result[f'{way}_p95_ms']} ms in the page (goal 250 / 500 ms); "
                  f"driver's clock p50 {result[f'{way}_driver_p50_ms']} ms, p95 {result[f'{way}_driver_p95_ms']} ms")
        print(f"make run → first paint: median {result['first_paint_median_s']} s over {len(paints)} "
              f"(goal 5 s)")
    print(json.dumps(result))


def _card_input(page, weight: float):
    """The number input on the first attribute's card, filled in: Enter sends it."""
    field = page.locator('.st-key-profile_weight_0 input').first
    field.fill(f"{weight:g}")
    return field


def _table_cell(page, weight: float):
    """The first attribute's weight cell in the attributes table, its cell editor open and filled in.

    Row 0, first column, then one cell right is the weight; Enter opens the cell editor. The
    table's edits reach the server 150 ms after Enter (Streamlit's data editor debounces them).
    """
    container = page.locator('[class*="st-key-profile_factors-"]').first
    grid = container.locator('[data-testid="stDataFrame"]').first
    box = grid.bounding_box()
    page.mouse.click(box["x"] + 40, box["y"] + 35 + 17)
    selected = 'td[data-testid="glide-cell-{}-0"][aria-selected="true"]'
    container.locator(selected.format(1)).wait_for(state="attached", timeout=10_000)
    page.keyboard.press("ArrowRight")
    container.locator(selected.format(2)).wait_for(state="attached", timeout=10_000)
    page.keyboard.press("Enter")
    cell_editor = page.locator("input.gdg-input, textarea.gdg-input").first
    cell_editor.wait_for(timeout=10_000)
    cell_editor.fill(f"{weight:g}")
    return cell_editor


def _time_edits(page, model, prepare, edits: int) -> tuple[list[float], list[float]]:
    """Per edit, seconds from Enter to the run showing the new weight total having finished.

    Two clocks: in the page (the Enter keydown to the first frame drawn after the DOM shows
    the total with the run over) and the driver's (from asking Playwright to press Enter to
    it reporting the total shown: adds the driver's round trips and 10 ms polling). The
    first attribute's weight goes up by one point and back; three edits warm up first.
    """
    base = model.profile[0].weight
    in_page, driver = [], []
    for i in range(edits + 3):
        new_weight = base + 1 if i % 2 == 0 else base
        total = sum(f.weight for f in model.profile) - base + new_weight
        field = prepare(page, new_weight)
        page.evaluate(WATCH, f"{total:g} %")
        t0 = time.perf_counter()
        field.press("Enter")
        page.wait_for_function(TOTAL_SHOWN, arg=f"{total:g} %", polling=10, timeout=30_000)
        elapsed = time.perf_counter() - t0
        page.wait_for_function("() => window.__shownAt !== null", timeout=30_000)
        seen = page.evaluate("() => (window.__shownAt - window.__enterAt) / 1000")
        if i >= 3:
            driver.append(elapsed)
            in_page.append(seen)
        page.wait_for_function(IDLE, timeout=30_000)
    return in_page, driver


if __name__ == "__main__":
    main()
