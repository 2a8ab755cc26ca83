"""Browser tests: a live Streamlit server driven by Playwright in Debian's Chromium.

Fixtures
    start_app(*app_args, env=None) -> base URL
        Session-scoped factory. Starts ``streamlit run serve.py -- *app_args`` (as `make run` does) on a free
        localhost port with ``env`` added to the environment, waits for the health
        endpoint, and returns e.g. ``"http://127.0.0.1:41234"``. Identical calls (same
        args and env) share one server for the whole session; pass a distinct env (for
        example a per-test data directory) to get a server of your own. Every server is
        stopped (its whole process group) at the end of the session.
    app_server -> base URL of the app started without arguments.
    browser    -> a Playwright Chromium browser (session-scoped).
    page       -> a fresh browser context and page per test.

Helpers
    wait_for_app(page) waits until Streamlit has connected and finished running the
    script (call it after ``page.goto`` and after every interaction that reruns).
    open_app(page, url) goes to ``url`` and waits for the first run.
    choose(page, label, option) picks an option (its exact text, or a pattern) in the
    selectbox labelled ``label`` and waits for the run it starts.
    sidebar(page), main(page), keyed(page, key): the sidebar, the main area, a keyed widget.
    workbook_id(page) the workbook the address names (``?wb=``); expect_revision(page, n)
    the sidebar shows revision n; assert_no_exception(page, where) no exception on the page.
    head(db, workbook) the store's head revision; until(check, what) polls ``check()`` (the
    store is written by the server) until it holds.
    EXAMPLE the sales-automation example; Server(url, db) a server and its database.

Browsers cannot be downloaded here, so Playwright drives Debian's Chromium at
/usr/bin/chromium. Without it the browser tests are skipped with the reason shown,
except under CI=true, where they fail: in CI a skipped browser test is a failure.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlparse

import pytest
from playwright.sync_api import Browser, Locator, Page, expect, sync_playwright
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

REPO_ROOT = Path(__file__).resolve().parents[2]
E2E_DIR = Path(__file__).resolve().parent
EXAMPLE = REPO_ROOT / "scenarios" / "sales_automation.yaml"

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
    "--disable-quic",
]
CHROMIUM_MISSING = "Chromium not installed: apt-get install chromium"

SERVER_START_TIMEOUT_S = 60
DEFAULT_TIMEOUT_MS = 30_000

# Requests to our own server must never go through a proxy from the environment.
_NO_PROXY_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    """Mark every test under tests/e2e as e2e (before `-m` selection runs)."""
    for item in items:
        if item.path.is_relative_to(E2E_DIR):
            item.add_marker(pytest.mark.e2e)


def _browser_unavailable(reason: str) -> None:
    """Skip, or fail under CI=true, when the browser cannot be used."""
    if os.environ.get("CI") == "true":
        pytest.fail(
            f"{reason} (CI=true: browser tests must run there, a skip would hide them)", pytrace=False
        )
    pytest.skip(reason)


# --------------------------------------------------------------------------- server


def _free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _health_ok(url: str) -> bool:
    try:
        with _NO_PROXY_OPENER.open(f"{url}/_stcore/health", timeout=2) as response:
            return response.read().decode().strip() == "ok"
    except (urllib.error.URLError, OSError):
        return False


@dataclass
class _AppServer:
    url: str
    process: subprocess.Popen
    log_path: Path
    log_file: IO[bytes] = field(repr=False)

    def log_tail(self, lines: int = 40) -> str:
        self.log_file.flush()
        text = self.log_path.read_text(errors="replace").splitlines()
        return "\n".join(text[-lines:])

    def stop(self) -> None:
        # Streamlit runs in its own session: end the whole process group.
        for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 10)):
            try:
                os.killpg(self.process.pid, sig)
            except ProcessLookupError:
                break
            try:
                self.process.wait(wait_s)
                break
            except subprocess.TimeoutExpired:
                continue
        self.log_file.close()


def _launch(app_args: tuple[str, ...], env: dict[str, str] | None, log_dir: Path) -> _AppServer:
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    command = [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.headless", "true",
        "--server.port", str(port),
        "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false",
        "--server.fileWatcherType", "none",
    ]  # fmt: skip
    if app_args:
        command += ["--", *app_args]
    log_path = log_dir / f"streamlit-{port}.log"
    log_file = log_path.open("wb")
    process = subprocess.Popen(
        command,
        cwd=REPO_ROOT,
        # Each server has its own workbook database unless the test names one.
        env={**os.environ, "WORKBOOK_DB": str(log_dir / f"workbooks-{port}.db"), **(env or {})},
        stdin=subprocess.DEVNULL,
        stdout=log_file,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    server = _AppServer(url=url, process=process, log_path=log_path, log_file=log_file)

    deadline = time.monotonic() + SERVER_START_TIMEOUT_S
    while not _health_ok(url):
        if process.poll() is not None:
            server.stop()
            pytest.fail(
                f"streamlit exited with code {process.returncode} before answering "
                f"(args {list(app_args)}):\n{server.log_tail()}",
                pytrace=False,
            )
        if time.monotonic() > deadline:
            server.stop()
            pytest.fail(
                f"streamlit did not answer {url}/_stcore/health within {SERVER_START_TIMEOUT_S} s "
                f"(args {list(app_args)}):\n{server.log_tail()}",
                pytrace=False,
            )
        time.sleep(0.2)
    return server


@pytest.fixture(scope="session")
def start_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[..., str]]:
    """Factory: start the app with extra command-line args and env; returns its base URL."""
    log_dir = tmp_path_factory.mktemp("streamlit-logs")
    servers: dict[tuple, _AppServer] = {}

    def start(*app_args: str | os.PathLike[str], env: dict[str, str] | None = None) -> str:
        args = tuple(os.fspath(arg) for arg in app_args)
        key = (args, tuple(sorted((env or {}).items())))
        server = servers.get(key)
        if server is not None:
            if server.process.poll() is not None:
                pytest.fail(
                    f"streamlit server {server.url} (args {list(args)}) died with code "
                    f"{server.process.returncode}:\n{server.log_tail()}",
                    pytrace=False,
                )
            return server.url
        server = servers[key] = _launch(args, env, log_dir)
        return server.url

    yield start
    for server in servers.values():
        server.stop()


@pytest.fixture(scope="session")
def app_server(start_app: Callable[..., str]) -> str:
    """Base URL of the app started without a workbook argument."""
    return start_app()


# -------------------------------------------------------------------------- browser


@pytest.fixture(scope="session")
def browser() -> Iterator[Browser]:
    if not os.access(CHROMIUM, os.X_OK):
        _browser_unavailable(CHROMIUM_MISSING)
    playwright = sync_playwright().start()
    try:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True, timeout=60_000
        )
    except PlaywrightError as exc:
        playwright.stop()
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        _browser_unavailable(f"Playwright could not launch {CHROMIUM}: {first_line}. {CHROMIUM_MISSING}")
    yield chromium
    chromium.close()
    playwright.stop()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    """A fresh context (cookies, storage, downloads) and page for each test."""
    context = browser.new_context(viewport={"width": 1400, "height": 1000}, accept_downloads=True)
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    new_page = context.new_page()
    yield new_page
    context.close()


# -------------------------------------------------------------------------- helpers


def wait_for_app(page: Page, timeout_ms: int = DEFAULT_TIMEOUT_MS, settle_ms: int = 250) -> None:
    """Wait until Streamlit is connected and has finished running the script.

    The root ``[data-testid="stApp"]`` element carries ``data-test-connection-state``
    (``CONNECTED`` once the websocket is up) and ``data-test-script-state``
    (``initial`` -> ``running`` -> ``notRunning``; ``rerunRequested`` right after a
    widget changed). While a run is under way the header's ``stStatusWidget`` shows a
    ``stStatusWidgetRunningIcon``; elements not yet delivered show as ``stSkeleton``.

    ``settle_ms`` first gives a just-triggered rerun time to register: for about
    100 ms after a widget changed the root still says ``notRunning``. Still, assert
    outcomes with ``expect(...)``, which retries, rather than reading the DOM once.
    """
    if settle_ms:
        page.wait_for_timeout(settle_ms)
    app = page.locator('[data-testid="stApp"]')
    app.wait_for(state="attached", timeout=timeout_ms)
    page.locator('[data-testid="stApp"][data-test-connection-state="CONNECTED"]').wait_for(
        state="attached", timeout=timeout_ms
    )
    page.locator('[data-testid="stApp"][data-test-script-state="notRunning"]').wait_for(
        state="attached", timeout=timeout_ms
    )
    expect(page.get_by_test_id("stStatusWidgetRunningIcon")).to_have_count(0, timeout=timeout_ms)
    expect(page.get_by_test_id("stSkeleton")).to_have_count(0, timeout=timeout_ms)


def open_app(page: Page, url: str, timeout_ms: int = DEFAULT_TIMEOUT_MS) -> Page:
    """Navigate to ``url`` and wait for the first script run to finish."""
    page.goto(url, wait_until="domcontentloaded", timeout=timeout_ms)
    wait_for_app(page, timeout_ms=timeout_ms, settle_ms=0)
    return page


def choose(page: Page, label: str, option: str | re.Pattern[str]) -> None:
    """Pick ``option`` (its exact text, or a pattern) in the selectbox labelled ``label``."""
    combobox = page.get_by_role("combobox", name=label)
    if isinstance(option, str):
        wanted = page.get_by_role("option", name=option, exact=True)
    else:
        wanted = page.get_by_role("option", name=option)
    for _ in range(3):
        # On a page still settling (figures drawing) the first click may only focus the box.
        combobox.click()
        try:
            wanted.wait_for(state="visible", timeout=3_000)
            break
        except PlaywrightTimeoutError:
            page.keyboard.press("Escape")
    wanted.click()
    wait_for_app(page)


# -------------------------------------------------------------------------- page and store helpers
@dataclass(frozen=True)
class Server:
    """A server a test module started, and the database it works on."""

    url: str
    db: Path


def sidebar(page: Page) -> Locator:
    return page.get_by_test_id("stSidebar")


def main(page: Page) -> Locator:
    return page.get_by_test_id("stMain")


def keyed(page: Page, key: str) -> Locator:
    """The container of the widget or container keyed ``key`` (Streamlit's ``st-key-<key>`` class)."""
    name = re.sub(r"[^a-zA-Z0-9_-]", "-", key.strip())  # how Streamlit makes a class name of a key
    return page.locator(f".st-key-{name}").first


def workbook_id(page: Page) -> str:
    """The workbook the address names: the app puts the open workbook in the URL (``?wb=``)."""
    page.wait_for_url(re.compile(r"[?&]wb="))
    return parse_qs(urlparse(page.url).query)["wb"][0]


def expect_revision(page: Page, number: int, timeout: int = DEFAULT_TIMEOUT_MS) -> None:
    expect(sidebar(page)).to_contain_text(f"Revision {number} · saved automatically", timeout=timeout)


def assert_no_exception(page: Page, where: str) -> None:
    exceptions = page.get_by_test_id("stException")
    assert exceptions.count() == 0, f"{where}: the app shows an exception:\n" + "\n---\n".join(
        exceptions.all_inner_texts()
    )


def head(db: Path, workbook: str) -> Any:
    """The store's head revision of ``workbook`` (read from the database the server writes)."""
    from workbook.store import Store

    with Store(db) as store:
        return store.head(workbook)


def until(check: Callable[[], Any], what: str, timeout_s: float = DEFAULT_TIMEOUT_MS / 1000, fail: bool = True) -> Any:
    """Poll ``check()`` until it returns something truthy (the store is written by the server)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        got = check()
        if got:
            return got
        time.sleep(0.2)
    if fail:
        raise AssertionError(f"timed out waiting for {what}")
    return None
