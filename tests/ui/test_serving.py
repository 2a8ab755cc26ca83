"""The server layer of ``serve.py``: HTML pages name the app's root as the client's only backend."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor

from workbook.ui.serving import OneBackend, backend_script

PAGE = b"<!doctype html><html><head><title>x</title></head><body></body></html>"


def run(scope: dict, body: bytes, content_type: bytes, *, encoding: bytes | None = None) -> tuple[dict, bytes, dict]:
    """Send ``scope`` through the middleware to an app answering ``body``; what the client gets."""
    seen: dict = {}

    async def app(scope, receive, send):
        seen.update(scope)
        headers = [(b"content-type", content_type), (b"content-length", str(len(body)).encode())]
        if encoding:
            headers.append((b"content-encoding", encoding))
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        half = len(body) // 2
        await send({"type": "http.response.body", "body": body[:half], "more_body": True})
        await send({"type": "http.response.body", "body": body[half:]})

    sent: list[dict] = []

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    # In a thread of its own: after the browser tests, Playwright's loop runs in this one.
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, OneBackend(app)(scope, receive, send)).result()
    start = next(m for m in sent if m["type"] == "http.response.start")
    return dict(start["headers"]), b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body"), seen


def page_request(path: str = "/thresholds") -> dict:
    return {"type": "http", "method": "GET", "path": path,
            "headers": [(b"accept", b"text/html,application/xhtml+xml"), (b"accept-encoding", b"gzip")]}


def test_a_page_names_the_root_as_the_only_backend_first_thing_in_its_head():
    headers, body, seen = run(page_request(), PAGE, b"text/html; charset=utf-8")
    assert body.startswith(b"<!doctype html><html><head><script>window.__streamlit=")
    assert b'BACKEND_BASE_URL:window.location.origin+"/"' in body
    assert body.endswith(b"<title>x</title></head><body></body></html>")
    assert int(headers[b"content-length"]) == len(body)
    assert b"accept-encoding" not in dict(seen["headers"]), "HTML is asked for uncompressed, to be written in"


def test_everything_else_passes_untouched():
    script = b"console.log('<head>')"
    asset = {"type": "http", "method": "GET", "path": "/static/js/x.js",
             "headers": [(b"accept", b"*/*"), (b"accept-encoding", b"gzip")]}
    headers, body, seen = run(asset, script, b"text/javascript")
    assert body == script and (b"accept-encoding", b"gzip") in seen["headers"]
    # A compressed page (should the server compress anyway) is not touched either.
    _, body, _ = run(page_request(), b"\x1f\x8b<head>", b"text/html", encoding=b"gzip")
    assert body == b"\x1f\x8b<head>"


def test_under_a_base_path_the_backend_is_that_path():
    assert b'origin+"/workbook/"' in backend_script("/workbook/")
    assert b'origin+"/"' in backend_script("")


def redirect(path: str, query: bytes = b"", *, base_path: str = "", method: str = "GET") -> tuple[int, dict] | None:
    """Send a request through RootPageNames(names=("team",)); (status, headers) of a redirect, None if passed on."""
    from workbook.ui.serving import RootPageNames

    passed: list[dict] = []
    sent: list[dict] = []

    async def app(scope, receive, send):
        passed.append(scope)

    async def send(message):
        sent.append(message)

    async def receive():
        return {"type": "http.request"}

    scope = {"type": "http", "method": method, "path": path, "query_string": query, "headers": []}
    middleware = RootPageNames(app, names=("team",), base_path=base_path)
    with ThreadPoolExecutor(1) as pool:
        pool.submit(asyncio.run, middleware(scope, receive, send)).result()
    if passed:
        return None
    start = next(m for m in sent if m["type"] == "http.response.start")
    return start["status"], dict(start["headers"])


def test_the_root_pages_own_name_redirects_to_the_root_with_the_query_kept():
    status, headers = redirect("/team", b"wb=abc&scenario=3")
    assert status == 307 and headers[b"location"] == b"/?wb=abc&scenario=3"
    assert redirect("/team/")[1][b"location"] == b"/"
    assert redirect("/workbook/team", b"wb=abc", base_path="/workbook/")[1][b"location"] == b"/workbook/?wb=abc"


def test_other_addresses_are_not_redirected():
    for path in ("/", "/thresholds", "/team/_stcore/health", "/teams", "/static/team"):
        assert redirect(path) is None, path
    assert redirect("/team", method="POST") is None
    assert redirect("/team", base_path="/workbook") is None  # under a base path, only /workbook/team
