"""Users for integration tests: a new user of a role and the API headers that act as them."""

from __future__ import annotations

from uuid import uuid4

from clinic.presentation.bootstrap.containers import ApplicationContainer

TEST_PASSWORD = "correct horse battery staple"


def add_user(container: ApplicationContainer, role: str, granted: tuple[str, ...] = ()) -> str:
    identity = container.identity.service()
    username = identity.add_user(f"{role.replace('_', '-')}-{uuid4().hex[:8]}", TEST_PASSWORD, role)
    for permission in granted:
        identity.grant_permission(username, permission)
    return str(username)


def bearer_headers(
    container: ApplicationContainer, role: str, granted: tuple[str, ...] = ()
) -> dict[str, str]:
    """Authorization headers of a new user with `role` (and `granted` permissions)."""
    username = add_user(container, role, granted)
    actor = container.identity.service().actor(username, container.core.clock().now())
    token = container.identity.authenticator().api_token(actor)
    return {"Authorization": f"Bearer {token}"}
