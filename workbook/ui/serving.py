"""The app's own server entry (``serve.py``): one backend address, whatever page is opened.

Streamlit's browser client, opened on a sub-page's address (``/thresholds?wb=…``), first
looks for its server under that page (``/thresholds/_stcore/health`` and ``…/host-config``,
two 404s) and only then under ``/`` (streamlit/streamlit#7074). The client reads its backend
address from ``window.__streamlit.BACKEND_BASE_URL`` when the page defines it, and then tries
only that one. :class:`OneBackend` writes that line into each HTML page the server sends
(the same ``index.html`` for every page's address), pointing at the app's root.

The default page (Team) is served at the root ``/``: Streamlit knows no ``/team`` and answers
it with "Page not found". :class:`RootPageNames` sends a typed or bookmarked ``/team?wb=…`` to
``/?wb=…`` (the query kept) before Streamlit sees it.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
ASGIApp = Callable[[Scope, Callable[[], Awaitable[Message]], Callable[[Message], Awaitable[None]]], Awaitable[None]]


def backend_script(base_path: str = "") -> bytes:
    """The ``<script>`` that names the app's root (under ``base_path``, the server's
    ``server.baseUrlPath``) as the client's only backend address."""
    path = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
    return (
        b"<script>window.__streamlit=Object.assign(window.__streamlit||{},"
        b'{BACKEND_BASE_URL:window.location.origin+"' + path.encode("ascii") + b'"})</script>'
    )


class OneBackend:
    """ASGI middleware: HTML pages get :func:`backend_script` as the first thing in ``<head>``.

    HTML is asked for uncompressed (the server's own compression runs after this), so the
    line can be written in; every other response passes untouched.
    """

    def __init__(self, app: ASGIApp, base_path: str = "") -> None:
        self.app = app
        self.script = backend_script(base_path)

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        accept = dict(scope.get("headers") or []).get(b"accept", b"") if scope.get("type") == "http" else b""
        if scope.get("method") != "GET" or b"text/html" not in accept:
            await self.app(scope, receive, send)
            return
        scope = dict(scope)
        scope["headers"] = [(k, v) for k, v in scope["headers"] if k != b"accept-encoding"]
        start: Message | None = None
        body: list[bytes] = []

        async def rewrite(message: Message) -> None:
            nonlocal start
            if message["type"] == "http.response.start":
                headers = dict(message.get("headers") or [])
                if headers.get(b"content-type", b"").startswith(b"text/html") and b"content-encoding" not in headers:
                    start = message
                    return
            elif message["type"] == "http.response.body" and start is not None:
                body.append(message.get("body", b""))
                if message.get("more_body"):
                    return
                html = b"".join(body).replace(b"<head>", b"<head>" + self.script, 1)
                start["headers"] = [(k, v) for k, v in start["headers"] if k != b"content-length"]
                start["headers"].append((b"content-length", str(len(html)).encode("ascii")))
                await send(start)
                await send({"type": "http.response.body", "body": html})
                return
            await send(message)

        await self.app(scope, receive, rewrite)


class RootPageNames:
    """ASGI middleware: ``/<name>`` (a name of the page served at the root) redirects to the root.

    A temporary redirect (307), so that a browser does not remember it should a page of that
    name come one day; the query (``?wb=…&scenario=…``) goes along.
    """

    def __init__(self, app: ASGIApp, names: tuple[str, ...] = (), base_path: str = "") -> None:
        self.app = app
        self.root = "/" + base_path.strip("/") + "/" if base_path.strip("/") else "/"
        self.paths = {self.root + name.strip("/") + end for name in names for end in ("", "/")}

    async def __call__(self, scope: Scope, receive: Callable, send: Callable) -> None:
        asked = scope.get("type") == "http" and scope.get("method") in ("GET", "HEAD")
        if not asked or scope.get("path") not in self.paths:
            await self.app(scope, receive, send)
            return
        query = scope.get("query_string") or b""
        location = self.root.encode("ascii") + (b"?" + query if query else b"")
        await send({"type": "http.response.start", "status": 307,
                    "headers": [(b"location", location), (b"content-length", b"0"), (b"cache-control", b"no-store")]})
        await send({"type": "http.response.body", "body": b""})
