"""Sign-in tests against a real OpenID Connect flow: a mock provider and the app with ``[auth]``.

Fixtures
    provider -> base URL of an OpenID Connect provider (``oidc-provider-mock``) on a free
        port, run in a thread, with the example team's people as predefined users.
    auth_app -> (app URL, database path): the app started with a ``secrets.toml`` of its own
        (written to a temporary folder, passed with ``--secrets.files``; never committed)
        whose ``[auth]`` section points at the provider.

The browser and its helpers are the ones of the browser tests (tests/e2e/conftest.py);
these tests are marked ``e2e`` too.
"""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.e2e.conftest import REPO_ROOT, _free_port, _health_ok

oidc_provider_mock = pytest.importorskip("oidc_provider_mock", reason="pip install -r requirements-test.txt")
pytest.importorskip("authlib", reason="st.login needs Authlib: pip install -r requirements.txt")

AUTH_DIR = Path(__file__).resolve().parent
USERS = {
    "dana": {"email": "dana.ortiz@example.com", "name": "Dana Ortiz"},
    "priya": {"email": "priya.raman@example.com", "name": "Priya Raman"},
}


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config: pytest.Config, items: list[pytest.Item]) -> None:
    for item in items:
        if item.path.is_relative_to(AUTH_DIR):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="module")
def provider() -> Iterator[str]:
    users = [oidc_provider_mock.User(sub=sub, claims=claims) for sub, claims in USERS.items()]
    with oidc_provider_mock.run_server_in_thread(user_claims=users) as server:
        yield f"http://localhost:{server.server_port}"


@pytest.fixture(scope="module")
def auth_app(provider: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Path]]:
    folder = tmp_path_factory.mktemp("auth-app")
    port = _free_port()
    url = f"http://127.0.0.1:{port}"
    secrets_file = folder / "secrets.toml"
    secrets_file.write_text(
        "[auth]\n"
        f'redirect_uri = "{url}/oauth2callback"\n'
        f'cookie_secret = "{secrets.token_urlsafe(32)}"\n'
        'client_id = "lead-scoring-workbook"\n'
        f'client_secret = "{secrets.token_urlsafe(16)}"\n'
        f'server_metadata_url = "{provider}/.well-known/openid-configuration"\n',
        encoding="utf-8",
    )
    db = folder / "workbooks.db"
    log = (folder / "streamlit.log").open("wb")
    command = [
        sys.executable, "-m", "streamlit", "run", "serve.py",
        "--server.headless", "true", "--server.port", str(port), "--server.address", "127.0.0.1",
        "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none",
        "--secrets.files", str(secrets_file),
    ]  # fmt: skip
    env = {**os.environ, "WORKBOOK_DB": str(db), "NO_PROXY": "localhost,127.0.0.1", "no_proxy": "localhost,127.0.0.1"}
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=env, stdin=subprocess.DEVNULL, stdout=log, stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while not _health_ok(url):
            if process.poll() is not None or time.monotonic() > deadline:
                log.flush()
                pytest.fail(f"the app did not start:\n{(folder / 'streamlit.log').read_text()[-3000:]}")
            time.sleep(0.2)
        yield url, db
    finally:
        os.killpg(process.pid, 15)
        process.wait(10)
        log.close()
