"""`/l/{token}`: the page behind a signed link, for a patient on a phone, without signing in.

GET only shows (messengers fetch links for previews); a patient's answer is a POST that must
carry the token in the form and, when the browser says where it comes from, come from this
host. Every invalid token gets the same 404 page, and each one counts against a stricter rate
limit of its client address than the requests themselves.
"""

from __future__ import annotations

import hmac
from typing import Any
from urllib.parse import parse_qs, urlsplit

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, Request
from fastapi.responses import HTMLResponse
from starlette.concurrency import run_in_threadpool

from clinic.application.shared.links import (
    InvalidLinkAnswerError,
    InvalidLinkError,
    LinkAnswer,
    LinkPage,
)
from clinic.application.shared.throttle import Throttle, TooManyRequestsError
from clinic.presentation.api.public import pages
from clinic.presentation.api.throttling import client_address, retry_after

router = APIRouter(include_in_schema=False)
MAX_FORM_BYTES = 8 * 1024
MAX_FORM_FIELDS = 8
PAGE_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; "
    "form-action 'self'; frame-ancestors 'none'; base-uri 'none'",
    "Cache-Control": "no-store",
    # Not no-referrer: with it, browsers send `Origin: null` on the page's own form posts.
    "Referrer-Policy": "same-origin",
    "X-Robots-Tag": "noindex, nofollow",
}


@router.get("/l/{token}")
@inject
def open_link(
    token: str,
    request: Request,
    links: Any = Depends(Provide["link_pages"]),
    throttle: Any = Depends(Provide["core.link_throttle"]),
) -> HTMLResponse:
    """The page behind a signed link; the same 404 page for every invalid token."""
    client = client_address(request)
    try:
        throttle.admit(client)
        page = links.show(token)
    except TooManyRequestsError as error:
        return _too_many(error)
    except InvalidLinkError:
        return _invalid(throttle, client)
    return _html(page, token=token)


@router.post("/l/{token}")
@inject
async def answer_link(
    token: str,
    request: Request,
    links: Any = Depends(Provide["link_pages"]),
    throttle: Any = Depends(Provide["core.link_throttle"]),
) -> HTMLResponse:
    """Takes the patient's answer to the page behind a signed link."""
    form = await _read_form(request) or {}
    answer = None
    if _same_token(form.get("token", ""), token) and _same_origin(request):
        answer = LinkAnswer(form.get("choice", ""), form.get("comment", ""))
    client = client_address(request)
    return await run_in_threadpool(_answer, links, throttle, client, token, answer)


def _answer(
    links: Any, throttle: Throttle, client: str, token: str, answer: LinkAnswer | None
) -> HTMLResponse:
    """`answer` is None when the form lacks the token, or the request comes from elsewhere."""
    try:
        throttle.admit(client)
        if answer is None:
            throttle.failed(client)
            return _html(pages.REFUSED, status=403)
        page = links.act(token, answer)
    except TooManyRequestsError as error:
        return _too_many(error)
    except InvalidLinkError:
        return _invalid(throttle, client)
    except InvalidLinkAnswerError:
        return _html(pages.UNANSWERED, status=400)
    return _html(page)


def _invalid(throttle: Throttle, client: str) -> HTMLResponse:
    try:
        throttle.failed(client)
    except TooManyRequestsError as error:
        return _too_many(error)
    return _html(pages.INVALID, status=404)


def _too_many(error: TooManyRequestsError) -> HTMLResponse:
    response = _html(pages.too_many(error.retry_after), status=429)
    response.headers.update(retry_after(error.retry_after))
    return response


def _html(page: LinkPage, *, token: str | None = None, status: int = 200) -> HTMLResponse:
    return HTMLResponse(pages.render(page, token), status_code=status, headers=PAGE_HEADERS)


async def _read_form(request: Request) -> dict[str, str] | None:
    """The url-encoded form fields (first value of each), or None when too large or garbled."""
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_FORM_BYTES:
            return None
    try:
        fields = parse_qs(body.decode(), keep_blank_values=True, max_num_fields=MAX_FORM_FIELDS)
    except ValueError:  # also UnicodeDecodeError
        return None
    return {name: values[0] for name, values in fields.items()}


def _same_token(posted: str, token: str) -> bool:
    return hmac.compare_digest(posted.encode(), token.encode())


def _same_origin(request: Request) -> bool:
    """False when Origin (or, without it, Referer) names another host than this request's."""
    host = request.headers.get("host")
    origin = request.headers.get("origin")
    if origin is not None:
        return origin != "null" and urlsplit(origin).netloc == host
    referer = request.headers.get("referer")
    return referer is None or urlsplit(referer).netloc == host
