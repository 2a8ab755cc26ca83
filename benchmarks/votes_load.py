"""Load check: twenty participants vote on one scenario at the same moment (issue 14).

    python benchmarks/votes_load.py [--participants 20] [--rounds 10] [--json]

A real Streamlit server on the sales-automation example and one Chromium with a browser
context per person: the facilitator (Live vote page, controls on), the presenter view at
1920×1080 and N participants on the Live vote page, each of whom gave their name once.
Each round the facilitator opens a vote (a click, as in a workshop); once every
participant's device shows the ballot, every participant has chosen a state and all
press "Vote" at the same instant (a timer in each page set to one wall-clock moment).
Per round:

* votes counted — the ballots in the store for that vote, and what the presenter shows;
  all N must count;
* time until the presenter shows the full count ("20 voted"), from the moment set for the
  presses to the first frame the presenter draws with it (both on the machine's clock);
  also from the last press, as a busy browser fires the twenty timers late and apart;
* devices that were redrawing at the moment of the press (they press when the button is
  back, up to 3 s later, as a person would), and for a vote not counted, what that device
  showed and went through (page errors, lost connection);
* devices that showed two sets of choices at once while the new ballot came (the last
  vote's beside the new one: a person could press the wrong one), with what the two were.

A device that never shows its ballot or cannot make its choice is named on its round's
line; a round that breaks (any other error) says so on its line and the next one still
runs; whatever stops the run, the rounds so far are summed up. Prints every round, then
the median and the worst; the last line is one JSON object; exits 1 unless every vote of
every round counted. A benchmark, not a test: the machine may be shared and busy, so read
medians, not single rounds. Needs Debian's Chromium (/usr/bin/chromium) and playwright.
"""

from __future__ import annotations

import argparse
import json
import os
import re
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

from playwright.sync_api import Error as PlaywrightError  # noqa: E402
from playwright.sync_api import Page, sync_playwright  # noqa: E402

from workbook.store.votes import Room  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync", "--disable-quic",
                 # twenty pages in one browser: none may be throttled as a background page
                 "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                 "--disable-backgrounding-occluded-windows"]
EXAMPLE = ROOT / "scenarios" / "sales_automation.yaml"
STATES = ["Send to sales", "Qualify", "Nurture", "Ignore"]
WAIT_S = 60.0  # a round that does not reach the full count within this is reported as such
NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, log: Path | None = None) -> tuple[subprocess.Popen, str]:
    port = free_port()
    cmd = [sys.executable, "-m", "streamlit", "run", "serve.py", "--server.headless", "true",
           "--server.port", str(port), "--server.address", "127.0.0.1", "--browser.gatherUsageStats", "false",
           "--server.fileWatcherType", "none", "--", str(EXAMPLE)]
    out = open(log, "w") if log else subprocess.DEVNULL  # noqa: SIM115 (the server's lifetime)
    proc = subprocess.Popen(cmd, cwd=ROOT, env={**os.environ, "WORKBOOK_DB": str(db)}, stdout=out,
                            stderr=subprocess.STDOUT if log else subprocess.DEVNULL, start_new_session=True)
    url = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with NO_PROXY.open(url + "/_stcore/health", timeout=1) as r:
                if r.read().strip() == b"ok":
                    return proc, url
        except OSError:
            time.sleep(0.1)
    stop(proc)
    raise RuntimeError("the app did not start")


def stop(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGTERM)
        proc.wait(timeout=10)
    except (ProcessLookupError, subprocess.TimeoutExpired):
        os.killpg(proc.pid, signal.SIGKILL)


# The ballot as drawn now: not one left over from the last redraw, which Streamlit marks
# data-stale="true" for a moment. (Its choices are looked up among LIVE_ELEMENT only: a
# redraw can also leave a replaced choice widget inside the ballot for a moment.)
FRESH_BALLOT = ("xpath=//*[contains(concat(' ', normalize-space(@class), ' '), ' st-key-vote_ballot ')"
                " and not(ancestor-or-self::*[@data-stale='true'])]")

# In the presenter: the wall-clock time of the first frame drawn showing the wanted count.
WATCH_COUNT = """(want) => {
  window.__countAt = null;
  const shown = () => [...document.querySelectorAll('[data-testid="stMetricValue"]')]
      .some(e => e.textContent.trim() === want);
  const check = () => {
    if (window.__countAt !== null || !shown()) return;
    requestAnimationFrame(() => { window.__countAt = performance.timeOrigin + performance.now(); });
  };
  new MutationObserver(check).observe(document, {subtree: true, childList: true, characterData: true});
  check();
}"""

# In a participant's page: press the ballot's Vote button at one wall-clock moment. A person
# whose screen is being redrawn at that moment presses when the button is there: up to 3 s
# later, and the wait is reported. What the page showed when there was no button is kept.
CLICK_AT = """(at) => {
  window.__clickedAt = null; window.__pressWaited = 0; window.__pressNote = null;
  const started = () => performance.timeOrigin + performance.now();
  const press = (first) => {
    // not a ballot left over from the last redraw (Streamlit marks it data-stale until it goes)
    const button = [...document.querySelectorAll('.st-key-vote_ballot button')]
        .find(b => b.textContent.trim().endsWith('Vote') && !b.closest('[data-stale="true"]'));
    if (button) {
      window.__clickedAt = started(); window.__pressWaited = (window.__clickedAt - at) / 1000;
      button.click(); return;
    }
    if (started() - at < 3000) { setTimeout(() => press(false), 100); return; }
    const app = document.querySelector('[data-testid="stApp"]');
    window.__clickedAt = -1;
    window.__pressNote = {
      ballot: !!document.querySelector('.st-key-vote_ballot'),
      connection: app && app.getAttribute('data-test-connection-state'),
      script: app && app.getAttribute('data-test-script-state'),
      text: (document.querySelector('[data-testid="stMain"]') || document.body).innerText.slice(0, 240),
    };
  };
  setTimeout(() => press(true), Math.max(0, at - started()));
}"""

PAGE_NOTE = """() => {
  const app = document.querySelector('[data-testid="stApp"]');
  return {connection: app && app.getAttribute('data-test-connection-state'),
          script: app && app.getAttribute('data-test-script-state'),
          text: (document.querySelector('[data-testid="stMain"]') || document.body).innerText.slice(0, 240)};
}"""


# In a participant's page, from the moment the facilitator opens the vote: the most sets of
# choices the screen showed at once (a leftover of the last ballot beside the new one is
# what a person could press by mistake). Hidden leftovers (display: none) are not counted.
WATCH_CHOICES = """() => {
  window.__mostChoiceSets = 0; window.__choiceNotes = [];
  const look = () => {
    const shown = [...document.querySelectorAll('[data-testid="stMain"] [data-testid="stButtonGroup"]')]
        .filter(e => e.getClientRects().length > 0);
    window.__mostChoiceSets = Math.max(window.__mostChoiceSets, shown.length);
    if (shown.length > 1 && window.__choiceNotes.length < 4) {  // what the two were, for the report
      const app = document.querySelector('[data-testid="stApp"]');
      window.__choiceNotes.push({script: app && app.getAttribute('data-test-script-state'),
        sets: shown.map(e => { const c = e.closest('[data-testid="stElementContainer"]');
          return {stale: c && c.getAttribute('data-stale'), retained: c && c.getAttribute('data-retained'),
                  ballots: document.querySelectorAll('.st-key-vote_ballot').length,
                  chosen: [...e.querySelectorAll('[aria-checked="true"]')].map(b => b.textContent).join()}; })});
    }
  };
  if (window.__choicesObserver) window.__choicesObserver.disconnect();
  window.__choicesObserver = new MutationObserver(look);
  window.__choicesObserver.observe(document.body, {subtree: true, childList: true, attributes: true});
  look();
}"""

# A choice on the ballot as drawn now: never one of a leftover element (faded, or kept
# hidden by the browser's page while a redraw is under way).
LIVE_ELEMENT = '[data-testid="stElementContainer"]:not([data-stale="true"]):not([data-retained])'


def _short(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {' '.join(str(exc).split())[:300]}"


def _counted(room: Room, workbook_id: str) -> int | None:
    try:
        vote = room.active_vote(workbook_id)
        return vote.ballots if vote is not None else None
    except Exception:  # noqa: BLE001 (only for the report of a broken round)
        return None


def _choose(page: Page, state: str) -> None:
    """Choose ``state`` on the open vote's ballot, the one drawn now (retried while it is redrawn)."""
    ballot = page.locator(FRESH_BALLOT).filter(has=page.get_by_role("button", name="Vote", exact=True))
    choice = ballot.locator(LIVE_ELEMENT).get_by_role("radio", name=state, exact=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            choice.click(timeout=20_000)
            return
        except PlaywrightError:
            # Two matches (a redraw in flight) or none yet: look again, as a person would.
            if time.monotonic() > deadline:
                raise
            page.wait_for_timeout(200)


# The app is on the page (a page that hit an error in the browser shows nothing any more).
APP_ALIVE = """() => !!document.querySelector('[data-testid="stApp"] [data-testid="stMain"]')"""


def alive(page: Page) -> bool:
    try:
        return bool(page.evaluate(APP_ALIVE))
    except PlaywrightError:
        return False


def join(page: Page, url: str, name: str) -> None:
    """Open the vote page and give the name, as each participant does once."""
    page.goto(url, wait_until="domcontentloaded", timeout=180_000)
    settle(page)
    name_box = page.get_by_role("textbox", name="Your name")
    name_box.or_(page.get_by_text("Voting as")).first.wait_for()  # the first run has drawn the page
    if name_box.count():
        name_box.fill(name)
        page.get_by_role("button", name="Join the vote").click()
    page.get_by_text(re.compile("No vote is open right now|Voting as")).first.wait_for()


def revive(people: list[Page], events: list[list[str]], url: str) -> dict[int, list[str]]:
    """Reload every device whose page broke, as its owner would; {device: what it went through}."""
    revived = {}
    for i, page in enumerate(people):
        if alive(page):
            continue
        revived[i + 1] = list(dict.fromkeys(events[i]))[:6]
        events[i].clear()
        try:
            join(page, url, f"Participant {i + 1:02d}")
        except PlaywrightError as exc:
            revived[i + 1].append(f"reload failed: {_short(exc)}")
    return revived


def run_round(r: int, participants: int, workbook_id: str, facilitator: Page, presenter: Page,
              people: list[Page], events: list[list[str]], room: Room) -> dict:
    """One round: open a vote, everyone chooses, all press at one moment; what the presenter shows."""
    for page in people:
        if alive(page):
            page.evaluate(WATCH_CHOICES)
    facilitator.get_by_role("button", name=re.compile(r"^Open a vote on scenario")).click()
    no_ballot = {}  # a device that never showed the vote: what it showed instead
    for i, page in enumerate(people):  # every device shows the new ballot by itself (it polls)
        # "Vote", not the last round's "Change my vote": the ballot of the vote just opened
        try:
            if not alive(page):
                raise PlaywrightError("the page broke")
            page.locator(FRESH_BALLOT).get_by_role("button", name="Vote", exact=True).first.wait_for(
                timeout=120_000)
        except PlaywrightError:
            no_ballot[i] = page.evaluate(PAGE_NOTE) if alive(page) else "its page broke"
    vote = room.active_vote(workbook_id)
    unchosen = {}
    for i, page in enumerate(people):
        if i in no_ballot:
            continue
        try:
            _choose(page, STATES[(i + r) % len(STATES)])
        except PlaywrightError as exc:
            unchosen[i] = _short(exc)
    doubled = [i + 1 for i, page in enumerate(people)
               if alive(page) and (page.evaluate("() => window.__mostChoiceSets") or 0) > 1]
    doubled_notes = {i: people[i - 1].evaluate("() => window.__choiceNotes") for i in doubled}
    presenter.evaluate(WATCH_COUNT, f"{participants} voted")
    at = time.time() * 1000 + 1500
    for page in people:
        if alive(page):
            page.evaluate(CLICK_AT, at)
    deadline = time.monotonic() + WAIT_S + 1.5
    shown_at = None
    while time.monotonic() < deadline:
        shown_at = presenter.evaluate("() => window.__countAt")
        if shown_at:
            break
        time.sleep(0.05)
    clicked = [page.evaluate("() => window.__clickedAt") if alive(page) else None for page in people]
    waited = [(page.evaluate("() => window.__pressWaited") if alive(page) else 0) or 0 for page in people]
    stored = room.vote(vote.id).ballots
    voters = {b.voter for b in room.ballots(vote.id)}
    missing = []  # what a device whose vote did not count shows
    for i, page in enumerate(people):
        if f"Participant {i + 1:02d}" not in voters:
            if not alive(page):
                missing.append({"participant": i + 1, "pressed": False, "shows": ["its page broke"],
                                "no_ballot": no_ballot.get(i), "not_chosen": unchosen.get(i), "at_press": None,
                                "events": list(dict.fromkeys(events[i]))[:8]})
                continue
            alerts = page.get_by_test_id("stAlert").all_inner_texts()
            missing.append({"participant": i + 1, "pressed": bool(clicked[i] and clicked[i] > 0),
                            "shows": [a.strip()[:80] for a in alerts],
                            "no_ballot": no_ballot.get(i), "not_chosen": unchosen.get(i),
                            "at_press": page.evaluate("() => window.__pressNote"),
                            "events": list(dict.fromkeys(events[i]))[:8]})
    seconds = (shown_at - at) / 1000 if shown_at else None
    pressed = all(c and c > 0 for c in clicked)
    spread = (max(clicked) - min(clicked)) / 1000 if pressed else None
    # A loaded browser fires the twenty timers late and apart: also from the last press.
    after_last = (shown_at - max(clicked)) / 1000 if pressed and shown_at else None
    return {"round": r + 1, "counted": stored, "distinct_voters": len(voters),
            "showed_two_ballots": doubled, "two_ballots_seen": doubled_notes,
            "pressed_late_redrawing": sum(1 for w in waited if w > 0.05), "pressed_late_most_s": max(waited),
            "presenter_full_count_s": seconds, "after_last_press_s": after_last,
            "click_spread_s": spread, "not_counted": missing}


def report_round(say, result: dict, participants: int) -> None:
    """One line per round (and a line per device that needs one): what was counted, how fast."""
    seconds, after_last, spread = (result.get(k) for k in ("presenter_full_count_s", "after_last_press_s",
                                                            "click_spread_s"))
    counted = "?" if result.get("counted") is None else result["counted"]
    if "error" in result:
        say(f"round {result['round']:2d}: BROKEN ({result['error']}); {counted}/{participants} in the store")
        return
    say(f"round {result['round']:2d}: {counted}/{participants} counted "
        f"({result['distinct_voters']} distinct voters); presenter shows the full count after "
        + (f"{seconds:.2f} s" if seconds is not None else f"more than {WAIT_S:.0f} s (not reached)")
        + (f" ({after_last:.2f} s after the last press; presses within {spread * 1000:.0f} ms)"
           if spread is not None and after_last is not None else ""))
    if result["pressed_late_redrawing"]:
        say(f"    {result['pressed_late_redrawing']} device(s) were redrawing at the press and pressed up to "
            f"{result['pressed_late_most_s']:.1f} s later")
    if result["showed_two_ballots"]:
        say(f"    devices that showed two sets of choices at once: {result['showed_two_ballots']}")
        for device, notes in result.get("two_ballots_seen", {}).items():
            say(f"      device {device}: {notes[:2]}")
    for m in result["not_counted"]:
        say(f"    not counted: participant {m['participant']} (pressed: {m['pressed']}; "
            f"shows: {m['shows']}; no ballot: {m['no_ballot']}; not chosen: {m['not_chosen']}; "
            f"at the press: {m['at_press']}; events: {m['events']})")


def new_page(browser, width: int, height: int) -> Page:
    context = browser.new_context(viewport={"width": width, "height": height})
    context.set_default_timeout(120_000)  # a busy shared machine: slow is reported, not a crash
    return context.new_page()


def settle(page: Page) -> None:
    page.wait_for_function("""() => {
      const app = document.querySelector('[data-testid="stApp"]');
      return app && app.getAttribute('data-test-connection-state') === 'CONNECTED'
          && app.getAttribute('data-test-script-state') === 'notRunning';
    }""", timeout=180_000)


def _median(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(statistics.median(known), 3) if known else None


def _worst(values: list[float | None]) -> float | None:
    known = [v for v in values if v is not None]
    return round(max(known), 3) if known else None


def run(args: argparse.Namespace, say, rounds: list[dict]) -> None:
    """Start the app and the browsers, join everyone, and play the rounds (each appended to ``rounds``)."""
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        db = Path(tmp) / "votes.db"
        proc, base = start_server(db, args.server_log)
        try:
            browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            facilitator = new_page(browser, 1400, 1000)
            facilitator.goto(base + "/vote", wait_until="domcontentloaded", timeout=180_000)
            settle(facilitator)
            facilitator.get_by_text("Facilitator: run the vote").click()
            facilitator.get_by_text("I am running this workshop").click()
            link = facilitator.get_by_test_id("stCode").filter(has_text="/vote?wb=")
            workbook_id = re.search(r"wb=([\w-]+)", link.inner_text()).group(1)
            presenter = new_page(browser, 1920, 1080)
            presenter.goto(f"{base}/presenter?wb={workbook_id}", wait_until="domcontentloaded", timeout=180_000)
            settle(presenter)

            say(f"Joining {args.participants} participants …")
            people: list[Page] = []
            events: list[list[str]] = []  # per device: page errors, crashes, reloads (said when a vote is lost)
            for i in range(args.participants):
                page = new_page(browser, 390, 844)
                seen: list[str] = []
                events.append(seen)
                page.on("pageerror", lambda e, seen=seen: seen.append(f"page error: {str(e)[:160]}"))
                page.on("crash", lambda _p, seen=seen: seen.append("the page crashed"))
                page.on("console", lambda m, seen=seen: seen.append(f"console {m.type}: {m.text[:160]}")
                        if m.type == "error" else None)
                page.on("framenavigated", lambda f, seen=seen: seen.append(f"navigated: {f.url}")
                        if f.parent_frame is None else None)
                join(page, f"{base}/vote?wb={workbook_id}", f"Participant {i + 1:02d}")
                people.append(page)
                say(f"  {i + 1} joined", flush=True)

            room = Room(db)
            for r in range(args.rounds):
                # A device whose page broke in the last round is reloaded by its owner, and said so.
                revived = revive(people, events, f"{base}/vote?wb={workbook_id}")
                for device, seen in revived.items():
                    say(f"    device {device}'s page had broken; reloaded before round {r + 1} (it saw: {seen})")
                try:
                    result = run_round(r, args.participants, workbook_id, facilitator, presenter, people, events,
                                       room)
                except Exception as exc:  # noqa: BLE001 (a broken round is reported, the others still run)
                    result = {"round": r + 1, "counted": _counted(room, workbook_id), "error": _short(exc),
                              "presenter_full_count_s": None, "after_last_press_s": None, "not_counted": []}
                result["reloaded_before"] = sorted(revived)
                rounds.append(result)
                report_round(say, result, args.participants)
            room.close()
            browser.close()
        finally:
            stop(proc)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--participants", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=10)
    parser.add_argument("--json", action="store_true", help="only the JSON line")
    parser.add_argument("--server-log", type=Path, help="write the app server's output to this file")
    args = parser.parse_args()
    say = (lambda *a, **k: None) if args.json else print

    rounds: list[dict] = []
    broken = None  # what stopped the run before its last round, in words

    def interrupted(*_args) -> None:
        raise KeyboardInterrupt("stopped from outside")

    signal.signal(signal.SIGTERM, interrupted)  # the server is stopped and the summary printed
    try:
        run(args, say, rounds)
    except (Exception, KeyboardInterrupt) as exc:  # noqa: BLE001 (the rounds run so far are still summed up)
        broken = _short(exc)
        say(f"\nthe run stopped: {broken}")

    times = [r["presenter_full_count_s"] for r in rounds if r["presenter_full_count_s"] is not None]
    counted = [r["counted"] for r in rounds]
    all_counted = len(rounds) == args.rounds and all(c == args.participants for c in counted)
    summary = {
        "participants": args.participants,
        "rounds": len(rounds),
        "rounds_asked": args.rounds,
        "stopped_early": broken,
        "all_votes_counted_every_round": all_counted,
        "votes_counted": counted,
        "rounds_broken": [r["round"] for r in rounds if "error" in r],
        "rounds_with_a_device_showing_two_ballots": [r["round"] for r in rounds if r.get("showed_two_ballots")],
        "devices_reloaded_before_round": {r["round"]: r["reloaded_before"] for r in rounds if r.get("reloaded_before")},
        "presenter_full_count_median_s": round(statistics.median(times), 3) if times else None,
        "presenter_full_count_worst_s": round(max(times), 3) if len(times) == len(rounds) and times else None,
        "rounds_without_full_count": len(rounds) - len(times),
        "after_last_press_median_s": _median([r["after_last_press_s"] for r in rounds]),
        "after_last_press_worst_s": _worst([r["after_last_press_s"] for r in rounds]),
        "load_average_1min": round(os.getloadavg()[0], 1),
        "cpus": os.cpu_count(),
    }
    say("")
    say(f"votes counted: all {args.participants} of {args.participants} in every one of {len(rounds)} rounds"
        if all_counted else
        f"votes counted per round: {counted} (of {args.participants}; {len(rounds)} of {args.rounds} rounds run)")
    if summary["rounds_broken"]:
        say(f"rounds that broke (see their lines): {summary['rounds_broken']}")
    if summary["devices_reloaded_before_round"]:
        say(f"devices whose page broke and were reloaded (before round: devices): "
            f"{summary['devices_reloaded_before_round']}")
    if summary["rounds_with_a_device_showing_two_ballots"]:
        say(f"rounds in which a device showed two sets of choices: "
            f"{summary['rounds_with_a_device_showing_two_ballots']}")
    if times:
        say(f"presenter shows the full count: median {summary['presenter_full_count_median_s']:.2f} s, "
            f"worst {max(times):.2f} s over {len(times)} round(s)"
            + (f" ({summary['rounds_without_full_count']} round(s) without it)"
               if summary["rounds_without_full_count"] else ""))
    print(json.dumps({"benchmark": "votes_load", **summary, "per_round": rounds}))
    if not all_counted:
        sys.exit(1)

if __name__ == "__main__":
    main()
