"""Sign-in for API clients: the OAuth2 password flow, and who the token belongs to."""

from __future__ import annotations

from typing import Annotated, Any

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, HTTPException, Request, status
from fastapi.security import OAuth2PasswordRequestForm
from pydantic import BaseModel

from clinic.application.shared.actor import Actor
from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.security import current_actor
from clinic.presentation.authentication import token_lifetime_seconds

router = APIRouter(prefix="/auth", tags=["auth"])


class Token(BaseModel):
    access_token: str
    token_type: str = "bearer"  # noqa: S105 - the OAuth2 token type, not a secret
    expires_in: int


class Me(BaseModel):
    username: str
    role: str
    permissions: list[str]


@router.post("/token", response_model=Token, responses=problem_responses(401, 422, 429))
@inject
def issue_token(
    request: Request,
    form: Annotated[OAuth2PasswordRequestForm, Depends()],
    authenticator: Any = Depends(Provide["identity.authenticator"]),
) -> Token:
    """Exchange a username and password for a bearer token (valid one hour). Repeated failures
    lock the username and the client address for a while (429 with Retry-After)."""
    actor = authenticator.sign_in(form.username, form.password, client_address(request))
    if actor is None:
        raise HTTPException(
            status.HTTP_401_UNAUTHORIZED,
            "Wrong username or password",
            headers={"WWW-Authenticate": "Bearer"},
        )
    return Token(access_token=authenticator.api_token(actor), expires_in=token_lifetime_seconds())


@router.get("/me", response_model=Me, responses=problem_responses(401))
def who_am_i(actor: Annotated[Actor, Depends(current_actor)]) -> Me:
    """The signed-in user, their role and everything it allows."""
    return Me(
        username=actor.username,
        role=str(actor.role),
        permissions=sorted(p.value for p in actor.permissions),
    )


def client_address(request: Request) -> str:
    return request.client.host if request.client else "unknown"
