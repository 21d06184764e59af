"""Who may see which screen: every UI request needs a session; each page names its permission.

`SessionGuard` resolves the `clinic_session` cookie into the signed-in actor for every request
but the public ones (sign-in, assets, patients' signed links, the API — which has its own
bearer check), and sends everyone else to the sign-in page. Pages then demand a permission with
`require_page_permission`; `guarded` turns a refusal into a 403 "no access" page.
"""

from __future__ import annotations

import functools
from collections.abc import Awaitable, Callable
from typing import Any
from urllib.parse import quote, urlsplit

from fastapi import Request
from fastapi.responses import HTMLResponse
from nicegui import ui
from starlette.datastructures import Headers
from starlette.responses import PlainTextResponse, RedirectResponse
from starlette.types import ASGIApp, Receive, Scope, Send

from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Permission

SESSION_COOKIE = "clinic_session"
SIGN_IN_PATH = "/login"
PUBLIC_PREFIXES = (
    SIGN_IN_PATH,
    "/logout",
    "/api/",
    "/health",
    "/openapi.json",
    "/docs",
    "/redoc",
    "/l/",
    "/_nicegui/",  # the UI's static assets: nothing about patients
    "/favicon.ico",
)
SOCKET_PREFIX = "/_nicegui_ws/"


class PageForbiddenError(Exception):
    def __init__(self, permissions: tuple[Permission, ...]) -> None:
        super().__init__(", ".join(permissions))
        self.permissions = permissions


class SessionGuard:
    def __init__(self, app: ASGIApp, authenticator: Any) -> None:
        self._app = app
        self._authenticator = authenticator

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] not in ("http", "websocket") or path.startswith(PUBLIC_PREFIXES):
            await self._app(scope, receive, send)
            return
        headers = Headers(scope=scope)
        actor = self._actor(headers)
        if path.startswith(SOCKET_PREFIX):
            # NiceGUI's socket accepts any origin; a page of another site must not drive ours.
            if actor is None or not _same_origin(headers):
                await PlainTextResponse("Forbidden", status_code=403)(scope, receive, send)
                return
        elif actor is None:
            await _to_sign_in(scope, path)(scope, receive, send)
            return
        state = scope.setdefault("state", {})
        state["actor"] = actor
        state["sign_out_token"] = self._authenticator.csrf_token(_cookie(headers, SESSION_COOKIE))
        await self._app(scope, receive, send)

    def _actor(self, headers: Headers) -> Actor | None:
        token = _cookie(headers, SESSION_COOKIE)
        if not token:
            return None
        actor: Actor | None = self._authenticator.actor_of_session(token)
        return actor


def sign_out_token(request: Request) -> str:
    """The form token the sign-out button posts (bound to this session)."""
    token: str = request.state.sign_out_token
    return token


def page_actor(request: Request) -> Actor:
    """The signed-in actor of a page request (SessionGuard let it through)."""
    actor: Actor = request.state.actor
    return actor


def current_actor() -> Actor:
    """The actor of the page being built or handled (inside NiceGUI's client context)."""
    return page_actor(ui.context.client.request)


def require_page_permission(request: Request, *permissions: Permission) -> Actor:
    """The page's actor when they hold every permission, else PageForbiddenError (→ 403)."""
    actor = page_actor(request)
    if not all(actor.can(p) for p in permissions):
        raise PageForbiddenError(permissions)
    return actor


def require_any_permission(request: Request, *permissions: Permission) -> Actor:
    actor = page_actor(request)
    if not any(actor.can(p) for p in permissions):
        raise PageForbiddenError(permissions)
    return actor


def guarded(page: Callable[..., Awaitable[Any]]) -> Callable[..., Awaitable[Any]]:
    """Wraps a page function so a PageForbiddenError answers 403 "no access"."""

    @functools.wraps(page)
    async def guarded_page(*args: Any, **kwargs: Any) -> Any:
        try:
            return await page(*args, **kwargs)
        except PageForbiddenError:
            return HTMLResponse(FORBIDDEN_PAGE, status_code=403)

    return guarded_page


FORBIDDEN_PAGE = (
    "<!doctype html><html lang=ru><meta charset=utf-8><title>Нет доступа — Clinic CDP</title>"
    "<body style='font-family:sans-serif;max-width:32rem;margin:4rem auto'>"
    "<h1 data-testid=forbidden>Нет доступа</h1>"
    "<p>Ваша роль не позволяет открыть эту страницу.</p><p><a href='/'>На главную</a></p>"
)


def _to_sign_in(scope: Scope, path: str) -> RedirectResponse | PlainTextResponse:
    if scope["type"] != "http" or scope.get("method") not in ("GET", "HEAD"):
        return PlainTextResponse("Sign in first", status_code=401)
    query = scope.get("query_string", b"").decode("latin-1")
    target = path + (f"?{query}" if query else "")
    return RedirectResponse(f"{SIGN_IN_PATH}?next={quote(target, safe='')}", status_code=303)


def _same_origin(headers: Headers) -> bool:
    origin = headers.get("origin")
    if origin is None:
        return True  # not a browser's cross-site request: browsers always send Origin there
    return urlsplit(origin).netloc == headers.get("host")


def _cookie(headers: Headers, name: str) -> str | None:
    for part in headers.get("cookie", "").split(";"):
        key, _, value = part.strip().partition("=")
        if key == name:
            return value
    return None


def safe_next(target: str | None) -> str:
    """Only a path on this site: never an open redirect to another host."""
    if not target or not target.startswith("/") or target.startswith(("//", "/\\")):
        return "/"
    if any(ord(c) < 0x20 for c in target):  # noqa: PLR2004 - control characters
        return "/"
    return target
