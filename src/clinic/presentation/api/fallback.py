"""Unknown paths under the API answer problem+json, not the web UI's 404 page."""

from __future__ import annotations

from fastapi import APIRouter, HTTPException, status

router = APIRouter(include_in_schema=False)
METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"]


@router.api_route("/{path:path}", methods=METHODS)
def unknown_endpoint(path: str) -> None:
    """No endpoint has this path and method."""
    raise HTTPException(status.HTTP_404_NOT_FOUND, f"No API endpoint /{path} for this method")
