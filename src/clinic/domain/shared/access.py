"""Roles and what each may do: least privilege, one permission per kind of act on data.

Shared by every context: each checks the actor's permissions before it acts."""

from __future__ import annotations

from enum import StrEnum

from clinic.domain.shared.errors import InvalidFieldError


class Role(StrEnum):
    ADMIN = "admin"
    MARKETER = "marketer"
    ANALYST = "analyst"
    CALL_CENTRE = "call_centre"


class Permission(StrEnum):
    PATIENTS_READ = "patients:read"
    """Patient list and profiles with personal data: names, contact points, birth dates."""
    PATIENTS_READ_PSEUDONYMISED = "patients:read_pseudonymised"
    """Patient data without identities: pseudonymous ids, age bands, no names or contacts."""
    PATIENTS_WRITE = "patients:write"
    """Register and change patients."""
    PATIENTS_MERGE = "patients:merge"
    """Merge and unmerge profiles, decide match suggestions, import patient files."""
    PATIENTS_ERASE = "patients:erase"
    """Erase a patient's personal data for good (the right to erasure)."""
    PATIENTS_EXPORT = "patients:export"
    """Bulk export of personal data; marketers need it granted."""
    ANALYTICS_EXPORT = "analytics:export"
    """Pseudonymised exports for analysis."""
    MEDICAL_READ = "medical:read"
    """Visited specialties and services, NPS comments: never for the call centre."""
    SEGMENTS_MANAGE = "segments:manage"
    CAMPAIGNS_MANAGE = "campaigns:manage"
    TASKS_WORK = "tasks:work"
    """Call-back tasks and the schedule."""
    AUDIT_READ = "audit:read"
    USERS_MANAGE = "users:manage"


ROLE_PERMISSIONS: dict[Role, frozenset[Permission]] = {
    Role.ADMIN: frozenset(Permission),
    Role.MARKETER: frozenset(
        {
            Permission.PATIENTS_READ,
            Permission.PATIENTS_READ_PSEUDONYMISED,
            Permission.MEDICAL_READ,
            Permission.SEGMENTS_MANAGE,
            Permission.CAMPAIGNS_MANAGE,
        }
    ),
    Role.ANALYST: frozenset(
        {
            Permission.PATIENTS_READ_PSEUDONYMISED,
            Permission.ANALYTICS_EXPORT,
            Permission.MEDICAL_READ,
        }
    ),
    Role.CALL_CENTRE: frozenset(
        {Permission.PATIENTS_READ, Permission.PATIENTS_WRITE, Permission.TASKS_WORK}
    ),
}

GRANTABLE = frozenset({Permission.PATIENTS_EXPORT, Permission.ANALYTICS_EXPORT})
"""Permissions an admin may add to a user beyond the role's own."""


def parse_grantable(raw: str) -> Permission:
    try:
        permission = Permission(raw.strip().lower())
    except ValueError:
        permission = None
    if permission not in GRANTABLE:
        allowed = ", ".join(sorted(GRANTABLE))
        raise InvalidFieldError("permission", f"one of {allowed}", "invalid_permission")
    return permission


def permissions_of(
    role: Role, granted: frozenset[Permission] = frozenset()
) -> frozenset[Permission]:
    return ROLE_PERMISSIONS[role] | granted
