"""HTTP endpoints of the audit context."""

from __future__ import annotations

from typing import Annotated, Any

from dependency_injector.wiring import Provide, inject
from fastapi import APIRouter, Depends, Query

from clinic.application.shared.actor import Actor
from clinic.domain.shared.access import Permission
from clinic.presentation.api.audit import schemas
from clinic.presentation.api.errors import problem_responses
from clinic.presentation.api.security import authorized

NO_NUL = r"^[^\x00]*$"  # PostgreSQL text cannot hold NUL
Auditor = Annotated[Actor, authorized(Permission.AUDIT_READ)]
router = APIRouter(prefix="/audit", tags=["audit"])


def _text(description: str, max_length: int) -> Any:
    return Query(max_length=max_length, pattern=NO_NUL, description=description)


@router.get("", response_model=schemas.AuditPage, responses=problem_responses(401, 403, 422))
@inject
def search_audit_trail(
    auditor: Auditor,
    actor: Annotated[str | None, _text("Who acted: a username", 100)] = None,
    action: Annotated[str | None, _text("What was done, e.g. `user.added`", 64)] = None,
    subject_type: Annotated[str | None, _text("To what kind of thing: `user`", 40)] = None,
    subject_id: Annotated[str | None, _text("To which one: its id or username", 100)] = None,
    since: Annotated[
        schemas.Moment | None, Query(description="From this moment (inclusive)")
    ] = None,
    until: Annotated[schemas.Moment | None, Query(description="Before this moment")] = None,
    limit: Annotated[int, Query(ge=1, le=200)] = 50,
    cursor: Annotated[str | None, Query(max_length=1000)] = None,
    queries: Any = Depends(Provide["audit.queries"]),
) -> schemas.AuditPage:
    """Search the audit trail (admins): who did what and when, newest first, a page at a time."""
    page = queries.search(
        actor=actor,
        action=action,
        subject_type=subject_type,
        subject_id=subject_id,
        since=since,
        until=until,
        limit=limit,
        cursor=cursor,
    )
    return schemas.AuditPage(
        items=[schemas.AuditEntry.of(r) for r in page.items], next_cursor=page.next_cursor
    )
