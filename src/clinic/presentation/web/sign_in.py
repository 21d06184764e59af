"""The sign-in page and sign-out: a classic HTML form, CSRF-protected, setting the session cookie.

Before sign-in the browser holds a random nonce cookie; the form carries a token signed for
that nonce, so another site cannot post our form (login CSRF). The session cookie is HttpOnly
(scripts cannot read it), SameSite=Lax (other sites' requests don't carry it) and Secure when
`CLINIC_COOKIE_SECURE` is on (HTTPS deployments).
"""

from __future__ import annotations

import secrets
from pathlib import Path
from typing import Annotated, Any
from urllib.parse import urlsplit

from fastapi import APIRouter, Form, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import FileSystemLoader, select_autoescape
from jinja2.sandbox import SandboxedEnvironment

from clinic.domain.identity.errors import SignInLockedError
from clinic.presentation.web.access import SESSION_COOKIE, SIGN_IN_PATH, safe_next

NONCE_COOKIE = "clinic_sign_in_nonce"
NONCE_SECONDS = 30 * 60
SESSION_SECONDS = 8 * 60 * 60
WRONG_CREDENTIALS = "Неверное имя пользователя или пароль"
EXPIRED_FORM = "Форма устарела: попробуйте ещё раз"

_templates = SandboxedEnvironment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(default=True),
)


def sign_in_router(authenticator: Any, secure_cookies: bool) -> APIRouter:
    router = APIRouter(include_in_schema=False)

    @router.get(SIGN_IN_PATH)
    def sign_in_form(request: Request, next: str = "/") -> Response:  # noqa: A002 - query name
        return _form(authenticator, request, safe_next(next), secure_cookies)

    @router.post(SIGN_IN_PATH)
    def sign_in(
        request: Request,
        username: Annotated[str, Form(max_length=64)] = "",
        password: Annotated[str, Form(max_length=256)] = "",
        csrf_token: Annotated[str, Form(max_length=1000)] = "",
        next: Annotated[str, Form(max_length=2000)] = "/",  # noqa: A002 - form field name
    ) -> Response:
        target = safe_next(next)
        nonce = request.cookies.get(NONCE_COOKIE, "")
        if not (nonce and authenticator.csrf_valid(csrf_token, nonce) and _same_origin(request)):
            return _form(authenticator, request, target, secure_cookies, EXPIRED_FORM, 403)
        client = request.client.host if request.client else "unknown"
        try:
            actor = authenticator.sign_in(username, password, client)
        except SignInLockedError as locked:
            minutes = max(1, round(locked.retry_after / 60))
            message = f"Слишком много неудачных попыток. Повторите через {minutes} мин."
            return _form(authenticator, request, target, secure_cookies, message, 429, username)
        if actor is None:
            return _form(
                authenticator, request, target, secure_cookies, WRONG_CREDENTIALS, 401, username
            )
        response = RedirectResponse(target, status_code=303)
        response.set_cookie(
            SESSION_COOKIE,
            authenticator.session(actor),
            max_age=SESSION_SECONDS,
            httponly=True,
            samesite="lax",
            secure=secure_cookies,
        )
        response.delete_cookie(NONCE_COOKIE)
        return response

    @router.post("/logout")
    def sign_out(
        request: Request, csrf_token: Annotated[str, Form(max_length=1000)] = ""
    ) -> Response:
        session = request.cookies.get(SESSION_COOKIE, "")
        if not (session and authenticator.csrf_valid(csrf_token, session)):
            return HTMLResponse("Forbidden", status_code=403)
        authenticator.sign_out(session)
        response = RedirectResponse(SIGN_IN_PATH, status_code=303)
        response.delete_cookie(SESSION_COOKIE, httponly=True, samesite="lax", secure=secure_cookies)
        return response

    return router


def _form(
    authenticator: Any,
    request: Request,
    target: str,
    secure_cookies: bool,
    error: str | None = None,
    status: int = 200,
    username: str = "",
) -> HTMLResponse:
    nonce = request.cookies.get(NONCE_COOKIE) or secrets.token_urlsafe(24)
    html = _templates.get_template("sign_in.html").render(
        csrf_token=authenticator.csrf_token(nonce), next=target, error=error, username=username
    )
    response = HTMLResponse(html, status_code=status)
    response.headers["Cache-Control"] = "no-store"
    # The app-wide no-referrer makes browsers post this form with `Origin: null`.
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; "
        "frame-ancestors 'none'; base-uri 'none'"
    )
    response.set_cookie(
        NONCE_COOKIE,
        nonce,
        max_age=NONCE_SECONDS,
        httponly=True,
        samesite="strict",
        secure=secure_cookies,
    )
    return response


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin") or request.headers.get("referer")
    if not origin or origin == "null":
        return origin is None
    return urlsplit(origin).netloc == request.headers.get("host")
