"""HTTP hardening as ASGI middleware: security headers on every response, a body size limit."""

from __future__ import annotations

import json
from collections.abc import Mapping
from http import HTTPStatus

from starlette.datastructures import Headers, MutableHeaders
from starlette.types import ASGIApp, Message, Receive, Scope, Send

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",
    "Referrer-Policy": "no-referrer",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}
# JSON answers never need to load anything; the UI's pages set no CSP here (NiceGUI's Vue
# runtime needs inline scripts and eval).
API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'"
METHODS_WITH_BODY = {"POST", "PUT", "PATCH"}


class SecurityHeaders:
    def __init__(self, app: ASGIApp, api_prefix: str) -> None:
        self._app = app
        self._api_prefix = api_prefix

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        is_api = str(scope["path"]).startswith(self._api_prefix)

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = MutableHeaders(scope=message)
                for name, value in SECURITY_HEADERS.items():
                    headers.setdefault(name, value)
                if is_api:
                    headers.setdefault("Content-Security-Policy", API_CONTENT_SECURITY_POLICY)
                    headers.setdefault("Cache-Control", "no-store")
            await send(message)

        await self._app(scope, receive, send_with_headers)


class BodySizeLimit:
    """Answers 413 problem+json to an API request whose body is larger than `max_bytes`.

    A declared Content-Length is checked before anything is read; a chunked body is read up to
    the limit first and handed on only if it fits, so no endpoint ever sees a partial body.
    """

    def __init__(
        self,
        app: ASGIApp,
        api_prefix: str,
        max_bytes: int,
        uploads: Mapping[str, int] | None = None,
    ) -> None:
        """`uploads`: paths (exact) that take files, with their own, larger limit."""
        self._app = app
        self._api_prefix = api_prefix
        self._max_bytes = max_bytes
        self._uploads = dict(uploads or {})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._applies(scope):
            await self._app(scope, receive, send)
            return
        limit = self._uploads.get(str(scope["path"]), self._max_bytes)
        declared = Headers(scope=scope).get("content-length")
        if declared is not None and declared.isdigit():
            if int(declared) > limit:
                await self._too_large(scope, send, limit)
                return
            await self._app(scope, receive, send)
            return
        body = await self._read_up_to_limit(receive, limit)
        if body is None:
            await self._too_large(scope, send, limit)
            return
        await self._app(scope, _replay(body), send)

    def _applies(self, scope: Scope) -> bool:
        return (
            scope["type"] == "http"
            and scope["method"] in METHODS_WITH_BODY
            and str(scope["path"]).startswith(self._api_prefix)
        )

    async def _read_up_to_limit(self, receive: Receive, limit: int) -> bytes | None:
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return b"".join(chunks)
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _too_large(self, scope: Scope, send: Send, limit: int) -> None:
        status = HTTPStatus.REQUEST_ENTITY_TOO_LARGE
        body = json.dumps(
            {
                "type": "about:blank",
                "title": status.phrase,
                "status": status.value,
                "detail": f"The request body is larger than {limit} bytes",
                "instance": scope["path"],
            }
        ).encode()
        headers = [
            (b"content-type", b"application/problem+json"),
            (b"content-length", str(len(body)).encode()),
        ]
        await send({"type": "http.response.start", "status": status.value, "headers": headers})
        await send({"type": "http.response.body", "body": body})


def _replay(body: bytes) -> Receive:
    sent = False

    async def receive() -> Message:
        nonlocal sent
        if sent:
            return {"type": "http.disconnect"}
        sent = True
        return {"type": "http.request", "body": body, "more_body": False}

    return receive
