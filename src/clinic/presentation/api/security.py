"""Who is calling the API and whether their role allows the endpoint.

Every endpoint under /api/v1 declares its permission with `authorized(...)`; the role-matrix
test calls every operation of the OpenAPI document as each role and as nobody.
Bearer tokens authenticate any method; the UI's session cookie only safe methods (downloads),
so a cross-site form can never change anything with a user's cookie.
"""

from __future__ import annotations

from typing import Annotated, Any

from dependency_injector.wiring import Provide, inject
from fastapi import Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordBearer

from clinic.application.shared.actor import Actor
from clinic.application.shared.errors import PermissionDeniedError
from clinic.domain.shared.access import Permission

TOKEN_URL = "/api/v1/auth/token"  # noqa: S105 - a path, not a secret
SESSION_COOKIE = "clinic_session"
SAFE_METHODS = frozenset({"GET", "HEAD"})

bearer = OAuth2PasswordBearer(tokenUrl=TOKEN_URL, auto_error=False)


@inject
def current_actor(
    request: Request,
    token: Annotated[str | None, Depends(bearer)],
    authenticator: Any = Depends(Provide["identity.authenticator"]),
) -> Actor:
    """The signed-in actor, or 401 with a `WWW-Authenticate: Bearer` challenge."""
    actor: Actor | None = None
    if token:
        actor = authenticator.actor_of_api_token(token)
    elif request.method in SAFE_METHODS and (session := request.cookies.get(SESSION_COOKIE)):
        actor = authenticator.actor_of_session(session)
    if actor is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Sign in: a valid bearer token is required",
            headers={"WWW-Authenticate": "Bearer"},
        )
    request.state.actor = actor
    return actor


def authorized(*permissions: Permission) -> Any:
    """`Depends` for an endpoint's actor, who must hold every one of `permissions` (else 403)."""

    def actor_with_permissions(actor: Annotated[Actor, Depends(current_actor)]) -> Actor:
        for permission in permissions:
            actor.demand(permission)
        return actor

    return Depends(actor_with_permissions)


__all__ = ["SESSION_COOKIE", "Actor", "PermissionDeniedError", "authorized", "current_actor"]
