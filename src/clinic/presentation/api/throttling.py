"""Who is calling a public endpoint (for its rate limits), and how long they must wait."""

from __future__ import annotations

import math

from fastapi import Request

UNKNOWN_CLIENT = "unknown"


def client_address(request: Request) -> str:
    """The caller's address as the server sees it (behind a proxy: uvicorn's
    `--forwarded-allow-ips` makes this the client's, not the proxy's)."""
    return request.client.host if request.client else UNKNOWN_CLIENT


def retry_after(wait: float) -> dict[str, str]:
    """The `Retry-After` header for a wait in seconds (whole seconds, rounded up)."""
    return {"Retry-After": str(max(1, math.ceil(wait)))}
