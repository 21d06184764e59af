"""Sign-in over HTTP on both backends: the API's OAuth2 password flow and bearer tokens, and the
UI's sign-in form, session cookie, sign-out and the guard in front of every screen.

Each test builds its own app. NiceGUI keeps one global app that may be mounted again and again,
but only until it has served a request of its own (then Starlette refuses the middleware
`ui.run_with` adds): these tests therefore never reach a NiceGUI page or socket — everything
here is answered by the sign-in router, the guard or the API.
"""

from __future__ import annotations

import base64
import html
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from urllib.parse import quote

import pytest
from dependency_injector import providers
from fastapi.testclient import TestClient
from httpx import Response
from nicegui import core as nicegui_core

from clinic.application.identity.service import FAILURES_PER_USERNAME
from clinic.infrastructure.settings import Settings
from clinic.presentation.bootstrap.asgi import create_app
from clinic.presentation.bootstrap.containers import (
    ApplicationContainer,
    build_container,
    close_container,
)
from clinic.presentation.web.sign_in import EXPIRED_FORM, NONCE_COOKIE, WRONG_CREDENTIALS
from tests.integration.auth import TEST_PASSWORD, add_user

TOKEN_URL = "/api/v1/auth/token"
ME_URL = "/api/v1/auth/me"
SESSION_COOKIE = "clinic_session"
ORIGIN = "http://testserver"  # the TestClient's own origin
PROBLEM_JSON = "application/problem+json"
CSRF_FIELD = re.compile(r'name="csrf_token" value="([^"]+)"')
NEXT_FIELD = re.compile(r'name="next" value="([^"]*)"')


@dataclass
class SettableClock:
    moment: datetime

    def now(self) -> datetime:
        return self.moment


@pytest.fixture
def clock(container: ApplicationContainer) -> SettableClock:
    """The app's clock, set by the test (whole seconds: tokens carry whole seconds)."""
    clock = SettableClock(datetime.now(UTC).replace(microsecond=0))
    container.core.clock.override(providers.Object(clock))
    return clock


@pytest.fixture
def api(container: ApplicationContainer, clock: SettableClock) -> Iterator[TestClient]:
    with TestClient(
        create_app(container, with_ui=False), follow_redirects=False, raise_server_exceptions=False
    ) as client:
        yield client


@pytest.fixture
def web(container: ApplicationContainer, clock: SettableClock) -> Iterator[TestClient]:
    if nicegui_core.app.middleware_stack is not None:
        pytest.fail(
            "NiceGUI's app has served a request in this process: the UI cannot be mounted again "
            "(a test elsewhere rendered a NiceGUI page in-process; serve it from a subprocess)"
        )
    with TestClient(
        create_app(container, with_ui=True), follow_redirects=False, raise_server_exceptions=False
    ) as client:
        yield client


def request_token(client: TestClient, username: str, password: str = TEST_PASSWORD) -> Response:
    response: Response = client.post(TOKEN_URL, data={"username": username, "password": password})
    return response


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


def set_cookie(response: Response, name: str) -> str | None:
    """The Set-Cookie header `response` sends for cookie `name`, if any."""
    for header in response.headers.get_list("set-cookie"):
        if header.startswith(f"{name}="):
            return header
    return None


def cookie_attributes(header: str) -> set[str]:
    return {part.strip().lower() for part in header.split(";")[1:]}


def sign_in_form(client: TestClient, path: str = "/login") -> str:
    """Opens the sign-in page (the client keeps its nonce cookie); returns the form's token."""
    page = client.get(path)
    assert page.status_code == 200
    match = CSRF_FIELD.search(page.text)
    assert match is not None
    return match.group(1)


def post_sign_in(
    client: TestClient,
    username: str,
    password: str = TEST_PASSWORD,
    next_: str = "/",
    csrf_token: str | None = None,
    headers: dict[str, str] | None = None,
) -> Response:
    token = sign_in_form(client) if csrf_token is None else csrf_token
    form = {"username": username, "password": password, "csrf_token": token, "next": next_}
    response: Response = client.post("/login", data=form, headers=headers)
    return response


def nested_forgery() -> str:
    """A token with no valid MAC whose payload is very deeply nested JSON."""
    body = base64.urlsafe_b64encode(b"[" * 100_000).rstrip(b"=").decode()
    return f"{body}.AAAA"


class TestTokenEndpoint:
    def test_the_right_password_gets_a_bearer_token_that_names_the_user(
        self, api: TestClient, container: ApplicationContainer
    ) -> None:
        username = add_user(container, "marketer", granted=("patients:export",))
        issued = request_token(api, username.upper())
        assert issued.status_code == 200
        body = issued.json()
        assert (body["token_type"], body["expires_in"]) == ("bearer", 3600)
        me = api.get(ME_URL, headers=bearer(body["access_token"]))
        assert me.status_code == 200
        assert me.json() == {
            "username": username,
            "role": "marketer",
            "permissions": [
                "campaigns:manage",
                "medical:read",
                "patients:export",
                "patients:read",
                "patients:read_pseudonymised",
                "segments:manage",
            ],
        }

    @pytest.mark.parametrize("who", ["wrong password", "unknown user", "disabled user"])
    def test_a_failed_sign_in_is_401_with_a_bearer_challenge(
        self, api: TestClient, container: ApplicationContainer, who: str
    ) -> None:
        username = add_user(container, "analyst")
        password = TEST_PASSWORD
        if who == "wrong password":
            password += "!"
        elif who == "unknown user":
            username = "nobody-here"
        else:
            container.identity.service().disable_user(username)
        refused = request_token(api, username, password)
        assert refused.status_code == 401
        assert refused.headers["www-authenticate"] == "Bearer"
        assert refused.headers["content-type"] == PROBLEM_JSON
        assert refused.json()["detail"] == "Wrong username or password"
        assert "access_token" not in refused.text

    def test_the_sixth_attempt_after_five_failures_is_429_with_retry_after(
        self, api: TestClient, container: ApplicationContainer, clock: SettableClock
    ) -> None:
        username = add_user(container, "analyst")
        for _ in range(FAILURES_PER_USERNAME.hits):
            assert request_token(api, username, "wrong password!").status_code == 401
        clock.moment += timedelta(minutes=1)
        locked = request_token(api, username)  # even the right password
        assert locked.status_code == 429
        assert locked.headers["content-type"] == PROBLEM_JSON
        assert locked.headers["retry-after"] == str(14 * 60)
        assert "access_token" not in locked.text
        other = add_user(container, "analyst")  # the same client, another user: not locked
        assert request_token(api, other).status_code == 200
        clock.moment += timedelta(minutes=14)
        assert request_token(api, username).status_code == 200

    def test_a_form_without_credentials_is_422(self, api: TestClient) -> None:
        assert api.post(TOKEN_URL, data={}).status_code == 422


class TestBearerTokens:
    def test_no_or_a_garbled_token_is_401_with_a_challenge(
        self, api: TestClient, container: ApplicationContainer
    ) -> None:
        token = request_token(api, add_user(container, "admin")).json()["access_token"]
        for headers in ({}, bearer("garbage"), bearer(token[:-2]), {"Authorization": token}):
            refused = api.get(ME_URL, headers=headers)
            assert refused.status_code == 401, headers
            assert refused.headers["www-authenticate"] == "Bearer"
            assert refused.headers["content-type"] == PROBLEM_JSON

    def test_a_disabled_users_token_stops_working_at_once(
        self, api: TestClient, container: ApplicationContainer, clock: SettableClock
    ) -> None:
        username = add_user(container, "admin")
        token = request_token(api, username).json()["access_token"]
        assert api.get(ME_URL, headers=bearer(token)).status_code == 200  # now cached
        clock.moment += timedelta(seconds=1)  # a token of the disable's own second would revive
        container.identity.service().disable_user(username)  # the app's own service forgets
        assert api.get(ME_URL, headers=bearer(token)).status_code == 401
        container.identity.service().enable_user(username)
        assert api.get(ME_URL, headers=bearer(token)).status_code == 401

    def test_tokens_issued_before_a_password_reset_stop_working(
        self, api: TestClient, container: ApplicationContainer, clock: SettableClock
    ) -> None:
        username = add_user(container, "admin")
        old = request_token(api, username).json()["access_token"]
        assert api.get(ME_URL, headers=bearer(old)).status_code == 200
        clock.moment += timedelta(seconds=30)
        container.identity.service().reset_password(username, "a brand new passphrase")
        assert api.get(ME_URL, headers=bearer(old)).status_code == 401
        new = request_token(api, username, "a brand new passphrase").json()["access_token"]
        assert api.get(ME_URL, headers=bearer(new)).status_code == 200

    def test_a_token_expires_after_an_hour(
        self, api: TestClient, container: ApplicationContainer, clock: SettableClock
    ) -> None:
        token = request_token(api, add_user(container, "admin")).json()["access_token"]
        clock.moment += timedelta(minutes=59, seconds=59)
        assert api.get(ME_URL, headers=bearer(token)).status_code == 200
        clock.moment += timedelta(seconds=1)
        assert api.get(ME_URL, headers=bearer(token)).status_code == 401

    def test_a_session_token_is_no_bearer_token(
        self, api: TestClient, container: ApplicationContainer
    ) -> None:
        username = add_user(container, "admin")
        actor = container.identity.service().actor(username, container.core.clock().now())
        assert actor is not None
        session = container.identity.authenticator().session(actor)
        csrf = container.identity.authenticator().csrf_token(username)
        assert api.get(ME_URL, headers=bearer(session)).status_code == 401
        assert api.get(ME_URL, headers=bearer(csrf)).status_code == 401

    def test_a_role_without_the_permission_is_403(
        self, api: TestClient, container: ApplicationContainer
    ) -> None:
        token = request_token(api, add_user(container, "call_centre")).json()["access_token"]
        refused = api.get("/api/v1/audit", headers=bearer(token))
        assert refused.status_code == 403
        assert refused.headers["content-type"] == PROBLEM_JSON
        assert "audit:read" in refused.json()["detail"]

    def test_the_session_cookie_reads_but_never_writes(
        self, api: TestClient, container: ApplicationContainer
    ) -> None:
        username = add_user(container, "admin")
        actor = container.identity.service().actor(username, container.core.clock().now())
        assert actor is not None
        api.cookies.set(SESSION_COOKIE, container.identity.authenticator().session(actor))
        me = api.get(ME_URL)
        assert (me.status_code, me.json()["username"]) == (200, username)
        written = api.post("/api/v1/patients", json={})
        assert written.status_code == 401
        assert written.headers["www-authenticate"] == "Bearer"

    def test_an_api_token_is_no_session_cookie(
        self, api: TestClient, container: ApplicationContainer
    ) -> None:
        token = request_token(api, add_user(container, "admin")).json()["access_token"]
        api.cookies.set(SESSION_COOKIE, token)
        assert api.get(ME_URL).status_code == 401

    def test_a_deeply_nested_forged_token_is_401_not_500(self, api: TestClient) -> None:
        assert api.get(ME_URL, headers=bearer(nested_forgery())).status_code == 401


class TestSessionGuard:
    def test_a_screen_without_a_session_redirects_to_sign_in(self, web: TestClient) -> None:
        home = web.get("/")
        assert home.status_code == 303
        assert home.headers["location"] == "/login?next=%2F"
        card = web.get("/patients/42?tab=visits")
        assert card.status_code == 303
        assert card.headers["location"] == "/login?next=" + quote("/patients/42?tab=visits", "")

    def test_an_invalid_or_foreign_session_cookie_redirects_too(
        self, web: TestClient, container: ApplicationContainer
    ) -> None:
        token = request_token(web, add_user(container, "admin")).json()["access_token"]
        for cookie in ("garbage", token):  # an API token is no session
            web.cookies.set(SESSION_COOKIE, cookie)
            assert web.get("/").status_code == 303

    def test_a_write_to_a_screen_without_a_session_is_401(self, web: TestClient) -> None:
        assert web.post("/", data={"x": "1"}).status_code == 401

    def test_the_socket_needs_a_session_and_this_sites_origin(
        self, web: TestClient, container: ApplicationContainer
    ) -> None:
        socket = "/_nicegui_ws/socket.io/?EIO=4&transport=polling"
        assert web.get(socket).status_code == 403
        web.cookies.set(SESSION_COOKIE, "garbage")
        assert web.get(socket, headers={"Origin": ORIGIN}).status_code == 403
        assert post_sign_in(web, add_user(container, "admin")).status_code == 303
        foreign = web.get(socket, headers={"Origin": "https://evil.example"})
        assert foreign.status_code == 403

    def test_a_deeply_nested_forged_session_redirects_not_500(self, web: TestClient) -> None:
        web.cookies.set(SESSION_COOKIE, nested_forgery())
        assert web.get("/").status_code == 303


class TestSignInPage:
    def test_the_form_carries_a_token_bound_to_a_nonce_cookie(self, web: TestClient) -> None:
        page = web.get("/login", params={"next": "/patients?q=1"})
        assert page.status_code == 200
        assert page.headers["content-type"].startswith("text/html")
        nonce = set_cookie(page, NONCE_COOKIE)
        assert nonce is not None
        assert {"httponly", "samesite=strict", "max-age=1800", "path=/"} <= cookie_attributes(nonce)
        assert "secure" not in cookie_attributes(nonce)
        assert CSRF_FIELD.search(page.text) is not None
        next_field = NEXT_FIELD.search(page.text)
        assert next_field is not None
        assert html.unescape(next_field.group(1)) == "/patients?q=1"
        assert set_cookie(page, SESSION_COOKIE) is None

    def test_the_page_is_hardened(self, web: TestClient) -> None:
        page = web.get("/login")
        assert page.headers["cache-control"] == "no-store"
        assert "frame-ancestors 'none'" in page.headers["content-security-policy"]
        assert "form-action 'self'" in page.headers["content-security-policy"]
        assert page.headers["x-frame-options"] == "DENY"
        assert page.headers["x-content-type-options"] == "nosniff"
        # Not no-referrer: browsers then post the form with `Origin: null`, which is refused.
        assert page.headers["referrer-policy"] == "same-origin"

    def test_the_nonce_is_kept_across_visits(self, web: TestClient) -> None:
        first = set_cookie(web.get("/login"), NONCE_COOKIE)
        second = set_cookie(web.get("/login"), NONCE_COOKIE)
        assert first is not None
        assert first == second

    def test_an_open_redirect_in_next_becomes_home(self, web: TestClient) -> None:
        page = web.get("/login", params={"next": "//evil.example"})
        next_field = NEXT_FIELD.search(page.text)
        assert next_field is not None
        assert next_field.group(1) == "/"


class TestSignInForm:
    def test_the_right_credentials_set_the_session_and_go_next(
        self, web: TestClient, container: ApplicationContainer
    ) -> None:
        username = add_user(container, "analyst")
        signed_in = post_sign_in(web, username.upper(), next_="/patients?q=1")
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == "/patients?q=1"
        session = set_cookie(signed_in, SESSION_COOKIE)
        assert session is not None
        attributes = cookie_attributes(session)
        assert {"httponly", "samesite=lax", "max-age=28800", "path=/"} <= attributes
        assert "secure" not in attributes
        nonce = set_cookie(signed_in, NONCE_COOKIE)
        assert nonce is not None
        assert "max-age=0" in cookie_attributes(nonce)
        me = web.get(ME_URL)  # the cookie now reads the API
        assert (me.status_code, me.json()["username"]) == (200, username)

    def test_secure_cookies_when_configured(self, settings: Settings) -> None:
        container = build_container(settings.model_copy(update={"cookie_secure": True}))
        try:
            username = add_user(container, "analyst")
            app = create_app(container, with_ui=True)
            with TestClient(app, follow_redirects=False) as client:
                page = client.get("/login")
                nonce = set_cookie(page, NONCE_COOKIE)
                assert nonce is not None
                assert "secure" in cookie_attributes(nonce)
                match = CSRF_FIELD.search(page.text)
                assert match is not None
                # The client keeps Secure cookies to itself over http: hand the nonce on.
                client.cookies.set(NONCE_COOKIE, nonce.split(";")[0].partition("=")[2])
                signed_in = post_sign_in(client, username, csrf_token=match.group(1))
                assert signed_in.status_code == 303
                session = set_cookie(signed_in, SESSION_COOKIE)
                assert session is not None
                assert {"secure", "httponly", "samesite=lax"} <= cookie_attributes(session)
        finally:
            close_container(container)

    @pytest.mark.parametrize(
        "target", ["//evil.example", "https://evil.example/", "/\\evil.example", "evil"]
    )
    def test_next_never_leads_off_the_site(
        self, web: TestClient, container: ApplicationContainer, target: str
    ) -> None:
        signed_in = post_sign_in(web, add_user(container, "analyst"), next_=target)
        assert signed_in.status_code == 303
        assert signed_in.headers["location"] == "/"

    @pytest.mark.parametrize("csrf_token", ["", "garbage", "nonce-of-another-browser"])
    def test_a_missing_or_wrong_form_token_is_403_without_a_session(
        self, web: TestClient, container: ApplicationContainer, csrf_token: str
    ) -> None:
        username = add_user(container, "admin")
        if csrf_token == "nonce-of-another-browser":
            csrf_token = container.identity.authenticator().csrf_token("another-nonce")
        sign_in_form(web)  # this browser has a nonce of its own
        refused = post_sign_in(web, username, csrf_token=csrf_token)
        assert refused.status_code == 403
        assert EXPIRED_FORM in refused.text
        assert set_cookie(refused, SESSION_COOKIE) is None
        assert CSRF_FIELD.search(refused.text) is not None  # a fresh form to try again

    def test_a_form_token_without_its_nonce_cookie_is_403(
        self, web: TestClient, container: ApplicationContainer
    ) -> None:
        username = add_user(container, "admin")
        token = sign_in_form(web)
        web.cookies.clear()
        refused = post_sign_in(web, username, csrf_token=token)
        assert refused.status_code == 403
        assert set_cookie(refused, SESSION_COOKIE) is None

    @pytest.mark.parametrize(
        "headers",
        [
            {"Origin": "https://evil.example"},
            {"Origin": "null"},
            {"Referer": "https://evil.example/phish"},
            {"Origin": "http://testserver.evil.example"},
        ],
    )
    def test_a_post_from_another_site_is_403(
        self, web: TestClient, container: ApplicationContainer, headers: dict[str, str]
    ) -> None:
        refused = post_sign_in(web, add_user(container, "admin"), headers=headers)
        assert refused.status_code == 403
        assert set_cookie(refused, SESSION_COOKIE) is None

    def test_a_post_from_this_site_is_accepted(
        self, web: TestClient, container: ApplicationContainer
    ) -> None:
        headers = {"Origin": ORIGIN, "Referer": f"{ORIGIN}/login"}
        assert post_sign_in(web, add_user(container, "admin"), headers=headers).status_code == 303

    def test_a_wrong_password_is_401_in_russian_and_escapes_the_username(
        self, web: TestClient
    ) -> None:
        username = "<script>alert(1)</script>"
        refused = post_sign_in(web, username, "wrong password!")
        assert refused.status_code == 401
        assert WRONG_CREDENTIALS in refused.text
        assert "Неверное имя пользователя или пароль" in refused.text
        assert "<script>" not in refused.text
        assert html.escape(username) in refused.text
        assert set_cookie(refused, SESSION_COOKIE) is None

    def test_repeated_failures_lock_the_form_too(
        self, web: TestClient, container: ApplicationContainer
    ) -> None:
        username = add_user(container, "admin")
        for _ in range(FAILURES_PER_USERNAME.hits):
            assert post_sign_in(web, username, "wrong password!").status_code == 401
        locked = post_sign_in(web, username)
        assert locked.status_code == 429
        assert "Слишком много неудачных попыток. Повторите через 15 мин." in locked.text
        assert set_cookie(locked, SESSION_COOKIE) is None


class TestSignOut:
    def test_sign_out_needs_the_sessions_form_token(
        self, web: TestClient, container: ApplicationContainer
    ) -> None:
        username = add_user(container, "admin")
        nonce_bound = sign_in_form(web)
        assert post_sign_in(web, username).status_code == 303
        session = web.cookies[SESSION_COOKIE]
        authenticator = container.identity.authenticator()
        for token in ("", "garbage", nonce_bound, authenticator.csrf_token("another session")):
            refused = web.post("/logout", data={"csrf_token": token})
            assert refused.status_code == 403
            assert set_cookie(refused, SESSION_COOKIE) is None
        assert web.cookies[SESSION_COOKIE] == session

    def test_sign_out_with_the_token_clears_the_cookie(
        self, web: TestClient, container: ApplicationContainer
    ) -> None:
        assert post_sign_in(web, add_user(container, "admin")).status_code == 303
        token = container.identity.authenticator().csrf_token(web.cookies[SESSION_COOKIE])
        signed_out = web.post("/logout", data={"csrf_token": token})
        assert signed_out.status_code == 303
        assert signed_out.headers["location"] == "/login"
        cleared = set_cookie(signed_out, SESSION_COOKIE)
        assert cleared is not None
        assert "max-age=0" in cookie_attributes(cleared)
        assert SESSION_COOKIE not in web.cookies
        assert web.get("/").status_code == 303

    def test_sign_out_without_a_session_is_403(self, web: TestClient) -> None:
        token = sign_in_form(web)
        assert web.post("/logout", data={"csrf_token": token}).status_code == 403
