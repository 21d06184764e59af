"""Security headers and the body size limit, on a tiny app driven in memory."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from fastapi import FastAPI, Request
from fastapi.testclient import TestClient

from clinic.presentation.api.hardening import BodySizeLimit, SecurityHeaders

LIMIT = 1024


def echo_app() -> FastAPI:
    app = FastAPI()

    @app.post("/api/v1/echo")
    async def echo(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    @app.post("/upload")
    async def outside(request: Request) -> dict[str, int]:
        return {"received": len(await request.body())}

    @app.get("/page")
    def page() -> dict[str, str]:
        return {"page": "ui"}

    app.add_middleware(BodySizeLimit, api_prefix="/api/", max_bytes=LIMIT)
    app.add_middleware(SecurityHeaders, api_prefix="/api/")
    return app


@pytest.fixture
def client() -> Iterator[TestClient]:
    with TestClient(echo_app()) as client:
        yield client


def chunks(total: int, size: int = 256) -> Iterator[bytes]:
    for start in range(0, total, size):
        yield b"x" * min(size, total - start)


class TestSecurityHeaders:
    def test_every_response_forbids_sniffing_and_framing(self, client: TestClient) -> None:
        for response in (client.get("/page"), client.post("/api/v1/echo", content=b"{}")):
            assert response.headers["x-content-type-options"] == "nosniff"
            assert response.headers["x-frame-options"] == "DENY"
            assert response.headers["referrer-policy"] == "no-referrer"

    def test_api_answers_load_nothing_and_are_not_cached(self, client: TestClient) -> None:
        response = client.post("/api/v1/echo", content=b"{}")
        assert response.headers["content-security-policy"].startswith("default-src 'none'")
        assert response.headers["cache-control"] == "no-store"

    def test_ui_pages_get_no_api_policy(self, client: TestClient) -> None:
        assert "content-security-policy" not in client.get("/page").headers


class TestBodySizeLimit:
    def test_a_body_at_the_limit_reaches_the_endpoint(self, client: TestClient) -> None:
        response = client.post("/api/v1/echo", content=b"x" * LIMIT)
        assert response.json() == {"received": LIMIT}

    def test_a_declared_larger_body_is_refused_with_a_problem(self, client: TestClient) -> None:
        response = client.post("/api/v1/echo", content=b"x" * (LIMIT + 1))
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert str(LIMIT) in response.json()["detail"]

    def test_a_chunked_body_is_counted_as_it_arrives(self, client: TestClient) -> None:
        fits = client.post("/api/v1/echo", content=chunks(LIMIT))
        too_large = client.post("/api/v1/echo", content=chunks(LIMIT * 3))
        assert fits.json() == {"received": LIMIT}
        assert too_large.status_code == 413

    def test_paths_outside_the_api_are_not_limited(self, client: TestClient) -> None:
        response = client.post("/upload", content=b"x" * (LIMIT * 2))
        assert response.json() == {"received": LIMIT * 2}
